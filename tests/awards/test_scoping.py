"""awards.scoping: which programmes a request may touch, the middleware that holds it, and the
Django admin that follows it (a programme's staff see their programme's rows; superusers all)."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.enums import CycleRole
from awards.models import Application, AwardCycle
from awards.scoping import ProgrammeScopeMiddleware, programmes_of
from awards.selectors import user_links, user_roles
from core.models import OutboxMessage
from core.scopes import no_scope
from tests.factories.awards import ApplicationFactory, CycleFactory, CycleMembershipFactory, ProgrammeFactory
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory

CHANGSHA = "430102"


@pytest.fixture
def hunan_cycle(db):
    return CycleFactory(programme=ProgrammeFactory(slug="hunan", divisions=["43"]))


@pytest.fixture
def zhuzhou_cycle(db):
    return CycleFactory(programme=ProgrammeFactory(slug="zhuzhou", divisions=["4302"]))


def test_a_role_in_a_cycle_gives_its_programme(cycle, hunan_cycle, secretary, expert, committee_member):
    for user in (secretary, expert, committee_member):
        assert programmes_of(user) == (cycle.programme_id,)
    CycleMembershipFactory(cycle=hunan_cycle, user=expert, role=CycleRole.EXPERT)
    assert programmes_of(expert) == tuple(sorted([cycle.programme_id, hunan_cycle.programme_id]))


def test_an_applicant_gets_the_programmes_admitting_its_enterprise_and_those_it_applied_to(
    cycle, hunan_cycle, zhuzhou_cycle
):
    changsha = EnterpriseFactory(district=CHANGSHA)
    user = MembershipFactory(enterprise=changsha).user
    # Changsha: the provincial award admits it, Chenzhou's and Zhuzhou's do not
    assert programmes_of(user) == (hunan_cycle.programme_id,)
    # an application made before the enterprise moved keeps its programme reachable
    ApplicationFactory(cycle=cycle, enterprise=changsha)
    assert programmes_of(user) == tuple(sorted([cycle.programme_id, hunan_cycle.programme_id]))


def test_no_role_no_programme_and_superusers_and_visitors_every_programme(cycle, admin_user):
    assert programmes_of(UserFactory()) == ()
    assert programmes_of(admin_user) is None
    assert programmes_of(AnonymousUser()) is None


def test_roles_programmes_and_districts_are_one_query_kept_for_the_request(
    cycle, hunan_cycle, expert, django_assert_num_queries
):
    CycleMembershipFactory(cycle=hunan_cycle, user=expert, role=CycleRole.COMMITTEE)
    with django_assert_num_queries(1):
        links = user_links(expert)
        assert user_roles(expert) == links.roles  # the navigation's roles: the same reading
        assert programmes_of(expert, fresh=False) == tuple(sorted([cycle.programme_id, hunan_cycle.programme_id]))
        assert rules.has_perm("awards.access_office", expert) is False  # no secretary role anywhere
    assert links.roles.is_expert and links.roles.is_committee and not links.roles.is_secretary
    assert not links.roles.is_applicant and links.districts == frozenset()


def test_a_new_reading_follows_a_role_given_meanwhile(cycle, expert):
    assert not user_roles(expert).is_secretary
    CycleMembershipFactory(cycle=cycle, user=expert, role=CycleRole.SECRETARY)
    assert not user_roles(expert).is_secretary  # kept for the request the user was loaded for
    assert user_links(expert, fresh=True).roles.is_secretary
    assert rules.has_perm("awards.access_office", expert)


def test_an_enterprise_member_is_an_applicant_with_the_districts_of_their_enterprises(db):
    user = MembershipFactory(enterprise=EnterpriseFactory(district=CHANGSHA)).user
    links = user_links(user)
    assert links.roles.is_applicant and links.districts == frozenset({CHANGSHA})
    assert links.programmes == frozenset()


def test_a_signed_in_page_reads_roles_and_programmes_once(client_for, cycle, secretary):
    client = client_for(secretary)
    client.get(reverse("awards:queue"))
    with CaptureQueriesContext(connection) as page:  # the kept page: its table is not drawn again
        assert client.get(reverse("awards:queue")).status_code == 200
    reads = [q["sql"] for q in page.captured_queries if "awards_cyclemembership" in q["sql"]]
    # the permission, the navigation and the programme scope share one reading; the cycles the
    # secretary runs (the chooser) are the other
    assert len(reads) == 2 and sum(sql.startswith("SELECT 'r'") for sql in reads) == 1


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_middleware_bounds_a_view_that_forgot_to_filter(cycle, hunan_cycle, secretary):
    """The floor below the selectors: a view reading every cycle still gets its user's only."""
    ApplicationFactory(cycle=hunan_cycle)

    def careless_view(request):
        return HttpResponse(",".join(str(c.pk) for c in AwardCycle.objects.order_by("pk")))

    with no_scope():
        response = ProgrammeScopeMiddleware(careless_view)(_request(secretary))
    assert response.content.decode() == str(cycle.pk)


def test_the_middleware_keeps_the_scope_for_a_streamed_body(cycle, hunan_cycle, secretary):
    ApplicationFactory(cycle=cycle)
    ApplicationFactory(cycle=hunan_cycle)

    def export(request):
        return StreamingHttpResponse(str(a.cycle_id) for a in Application.objects.all())

    with no_scope():
        response = ProgrammeScopeMiddleware(export)(_request(secretary))
        body = b"".join(response.streaming_content).decode()  # read after the view returned
    assert body == str(cycle.pk)


def test_the_middleware_asks_nothing_of_a_request_that_reads_no_programme_data(secretary, django_assert_num_queries):
    with no_scope(), django_assert_num_queries(0):
        ProgrammeScopeMiddleware(lambda request: HttpResponse("ok"))(_request(secretary))


def test_a_public_page_of_another_programme_answers_a_signed_in_person(client_for, hunan_cycle, secretary):
    response = client_for(secretary).get(reverse("programme:home", kwargs={"programme": "hunan"}))
    assert response.status_code == 200
    assert hunan_cycle.programme.name_zh in response.content.decode()


# --- the Django admin ---------------------------------------------------------------------------


@pytest.fixture
def staff_secretary(secretary):
    """Chenzhou's secretary with staff status and the admin's view and change rights on cycles,
    applications and outbox messages, as an office's admin account is set up."""
    secretary.is_staff = True
    secretary.save(update_fields=["is_staff"])
    secretary.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "view_awardcycle",
                "change_awardcycle",
                "view_application",
                "view_outboxmessage",
                "view_auditevent",
                "view_enterprise",
            ]
        )
    )
    return secretary


def test_the_admin_lists_the_staff_members_programmes_only(client_for, staff_secretary, cycle, hunan_cycle):
    mine = ApplicationFactory(cycle=cycle)
    theirs = ApplicationFactory(cycle=hunan_cycle)
    client = client_for(staff_secretary)
    cycles = client.get(reverse("admin:awards_awardcycle_changelist")).content.decode()
    assert cycle.title_zh in cycles and hunan_cycle.title_zh not in cycles
    apps = client.get(reverse("admin:awards_application_changelist")).content.decode()
    assert mine.enterprise.name_zh in apps and theirs.enterprise.name_zh not in apps
    enterprises = client.get(reverse("admin:enterprises_enterprise_changelist")).content.decode()
    assert mine.enterprise.name_zh in enterprises and theirs.enterprise.name_zh not in enterprises


def test_the_admin_gives_nothing_of_another_programmes_object(client_for, staff_secretary, hunan_cycle):
    theirs = ApplicationFactory(cycle=hunan_cycle)
    client = client_for(staff_secretary)
    for url in (
        reverse("admin:awards_awardcycle_change", args=[hunan_cycle.pk]),
        reverse("admin:awards_application_change", args=[theirs.pk]),
        reverse("admin:enterprises_enterprise_change", args=[theirs.enterprise_id]),
    ):
        response = client.get(url, follow=True)
        body = response.content.decode()
        # the admin's answer for an object that does not exist: back to its index with a message
        assert hunan_cycle.title_zh not in body and theirs.enterprise.name_zh not in body, url
    before = hunan_cycle.title_zh
    client.post(reverse("admin:awards_awardcycle_change", args=[hunan_cycle.pk]), {"title_zh": "改名"})
    hunan_cycle.refresh_from_db()
    assert hunan_cycle.title_zh == before


def test_the_admin_keeps_the_deployments_records_to_superusers(client_for, staff_secretary, admin_user, hunan_cycle):
    OutboxMessage.objects.create(kind="task", task_name="core.tasks.worker_health", cycle=hunan_cycle)
    staff = client_for(staff_secretary)
    assert staff.get(reverse("admin:core_auditevent_changelist")).status_code == 403
    outbox = staff.get(reverse("admin:core_outboxmessage_changelist")).content.decode()
    assert "core.tasks.worker_health" not in outbox
    root = client_for(admin_user)
    assert root.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert "core.tasks.worker_health" in root.get(reverse("admin:core_outboxmessage_changelist")).content.decode()
    assert hunan_cycle.title_zh in root.get(reverse("admin:awards_awardcycle_changelist")).content.decode()
