"""Two submissions at once (a double click) and two colleagues saving at once, on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from awards import sections, services
from awards.models import Application, ApplicationSnapshot, AwardCycle
from core.audit import audit_verify
from core.errors import Conflict, NotAllowed
from core.scopes import in_every_programme
from tests.factories.awards import fill_application


def _race(fn, n=2):
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def run(i):
        barrier.wait()
        try:
            fn(i)
            outcomes.append("ok")
        except (Conflict, NotAllowed) as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=in_every_programme(run), args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_double_submit_at_once_makes_one_submission(request):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    app = request.getfixturevalue("application_a")
    user = request.getfixturevalue("applicant_a")
    fill_application(app, user)

    outcomes = _race(lambda i: services.application_submit(application=Application.objects.get(pk=app.pk), by=user))

    assert outcomes == ["already_submitted", "ok"]
    assert ApplicationSnapshot.objects.filter(application=app).count() == 1
    assert AwardCycle.objects.get(pk=app.cycle_id).receipts_issued == 1
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_colleagues_saving_at_once_one_gets_a_conflict(request):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    app = request.getfixturevalue("application_a")
    user = request.getfixturevalue("applicant_a")
    version = app.commitment_version

    def save(i):
        services.application_section_save(
            application=app, section=sections.COMMITMENT, data={"name": f"colleague {i}"}, version=version, by=user
        )

    assert _race(save) == ["conflict", "ok"]
    app.refresh_from_db()
    assert app.commitment_version == version + 1 and app.commitment["name"] in ("colleague 0", "colleague 1")


@pytest.mark.django_db(transaction=True)
def test_two_colleagues_saving_different_sections_at_once_both_succeed(request):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    app = request.getfixturevalue("application_a")
    user = request.getfixturevalue("applicant_a")
    edits = [(sections.COMMITMENT, {"name": "王总"}), (sections.BASIC, {"name_zh": "郴州甲企业有限公司"})]

    def save(i):
        section, data = edits[i]
        services.application_section_save(
            application=app, section=section, data=data, version=app.section_version(section), by=user
        )

    assert _race(save) == ["ok", "ok"]
    app.refresh_from_db()
    # The basic information always carries the profile's names and code (never taken from the form).
    assert app.commitment == {"name": "王总"}
    assert app.basic_info == {"name_zh": "郴州甲企业有限公司", **sections.identity_from_profile(app.enterprise)}
    assert (app.commitment_version, app.basic_info_version) == (2, 2)
    assert audit_verify().ok
