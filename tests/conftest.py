"""Personas: one fixture per role, all around one open cycle with enterprises A and B."""

import os

import pytest
from django.core.cache import cache
from django.test import Client

from awards.enums import CycleRole
from config.netcheck import tcp_reachable
from core.scopes import every_programme

from .factories.awards import ApplicationFactory, CycleFactory, CycleMembershipFactory
from .factories.core import UserFactory
from .factories.enterprises import EnterpriseFactory, MembershipFactory

CI = os.environ.get("CI") == "true"


@pytest.fixture(autouse=True)
def _every_programme():
    """A test's own setup and checks read and write across programmes, as a command does; every
    request it sends runs in its user's programme scope (the middleware), every task in a task's."""
    with every_programme():
        yield


def pytest_sessionstart(session):
    # In CI an unreachable service is a failure, never a skip.
    if CI:
        missing = [
            name for name, port in (("PostgreSQL", 5432), ("Redis", 6379)) if not tcp_reachable("127.0.0.1", port)
        ]
        if missing:
            pytest.exit(f"CI=true but {', '.join(missing)} not reachable on 127.0.0.1", returncode=3)
        if not os.path.exists("/usr/bin/chromium"):
            pytest.exit("CI=true but /usr/bin/chromium is missing", returncode=3)


@pytest.fixture(autouse=True)
def _own_audit_witnesses(settings, tmp_path_factory):
    """Audit witnesses live outside the database, so they outlive a test's rollback: one folder per test."""
    settings.AUDIT_WITNESS_DIR = str(tmp_path_factory.mktemp("witness"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and throttles live in the cache: every test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _criteria_frameworks(request, _every_programme):
    """Transactional tests flush the database; put the migrated GB/T 19580 data back if it is gone
    (inside the scope: autouse fixtures run in alphabetical order)."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if not (names & {"db", "transactional_db"} or marker):
        return
    transactional = "transactional_db" in names or (marker is not None and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from importlib import import_module

    from django.apps import apps

    from awards.models import CriteriaFramework

    if not CriteriaFramework.objects.filter(code="gbt19580-2012").exists():
        import_module("awards.migrations.0003_gbt19580_2012").create(apps, None)


@pytest.fixture
def cycle(db):
    return CycleFactory()


@pytest.fixture
def enterprise_a(db):
    return EnterpriseFactory(name_zh="郴州甲企业有限公司", name_en="Chenzhou Alpha Co., Ltd.")


@pytest.fixture
def enterprise_b(db):
    return EnterpriseFactory(name_zh="郴州乙企业有限公司", name_en="Chenzhou Beta Co., Ltd.")


@pytest.fixture
def applicant_a(enterprise_a):
    return MembershipFactory(enterprise=enterprise_a, user=UserFactory(email="alice@alpha.example.cn")).user


@pytest.fixture
def applicant_b(enterprise_b):
    return MembershipFactory(enterprise=enterprise_b, user=UserFactory(email="bob@beta.example.cn")).user


@pytest.fixture
def application_a(cycle, enterprise_a):
    return ApplicationFactory(cycle=cycle, enterprise=enterprise_a)


@pytest.fixture
def application_b(cycle, enterprise_b):
    return ApplicationFactory(cycle=cycle, enterprise=enterprise_b)


@pytest.fixture
def secretary(cycle):
    return CycleMembershipFactory(
        cycle=cycle, role=CycleRole.SECRETARY, user=UserFactory(email="sec@office.example.cn")
    ).user


@pytest.fixture
def expert(cycle):
    return CycleMembershipFactory(
        cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email="expert@pool.example.cn")
    ).user


@pytest.fixture
def conflicted_expert(cycle, enterprise_a):
    """An expert of the cycle who works for enterprise A: the employer's credit code is A's, and A is
    also a declared past consulting client. Never assigned to A; refused if assigned by hand."""
    from reviews.models import ExpertProfile, PastClient

    user = CycleMembershipFactory(
        cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email="conflicted@pool.example.cn")
    ).user
    profile = ExpertProfile.objects.create(
        user=user, title="高级工程师", employer=enterprise_a.name_zh, employer_credit_code=enterprise_a.credit_code
    )
    PastClient.objects.create(profile=profile, name=enterprise_a.name_zh, credit_code=enterprise_a.credit_code)
    return user


@pytest.fixture
def committee_member(cycle):
    return CycleMembershipFactory(
        cycle=cycle, role=CycleRole.COMMITTEE, user=UserFactory(email="member@committee.example.cn"), unit="市财政局"
    ).user


@pytest.fixture
def admin_user(db):
    return UserFactory(email="root@example.cn", is_superuser=True, is_staff=True)


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def client_for():
    """client_for(user) -> a test client logged in as that user (None: anonymous)."""

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """SeaweedFS with an S3 gateway on free ports and its own data folder, for the whole run.

    With CI=true a server that cannot start fails the tests that need it; elsewhere they are skipped
    with the reason.
    """
    from .s3server import SeaweedS3  # noqa: PLC0415 -- most runs never start it

    server = SeaweedS3(data_dir=tmp_path_factory.mktemp("seaweedfs"))
    try:
        server.start()
    except (RuntimeError, OSError) as exc:
        if CI:
            pytest.fail(f"CI=true but the S3 test server (SeaweedFS) did not start: {exc}")
        pytest.skip(f"S3 test server (SeaweedFS) not available: {exc}")
    yield server
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings):
    """The default storage is a private bucket on the test S3 server for this test (its own prefix)."""
    from .s3server import reset_storages, use_bucket  # noqa: PLC0415 -- most runs never start it

    use_bucket(settings, s3_server)
    yield s3_server
    reset_storages()
