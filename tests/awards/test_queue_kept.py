"""The eligibility queue keeps its filter fields and page of applications per state
(awards.views.eligibility_queue): a second view reads them from the cache; a decision, a new
submission or another filter shows at once; each secretary's own cycles are drawn each time."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.enums import ApplicationStatus, CycleRole, EligibilityDecision
from enterprises.enums import District
from tests.awards.test_office_views import _submitted
from tests.factories.awards import CycleFactory, CycleMembershipFactory
from tests.factories.core import UserFactory


def test_a_second_view_reads_the_kept_page(client_for, secretary, cycle):
    a = _submitted(cycle, district=District.BEIHU)
    client = client_for(secretary)
    first = client.get(reverse("awards:queue")).content.decode()
    with CaptureQueriesContext(connection) as kept:
        second = client.get(reverse("awards:queue")).content.decode()
    assert a.receipt_number in first and a.receipt_number in second
    # neither the page of applications nor their count was read again (the user's roles and
    # programmes, one query that also looks for the user's own applications, is not the page)
    reads = [q["sql"] for q in kept.captured_queries if not q["sql"].startswith("SELECT 'r'")]
    assert not any('FROM "awards_application"' in sql for sql in reads)


def test_a_decision_and_a_new_submission_show_at_once(client_for, secretary, cycle):
    a = _submitted(cycle, district=District.BEIHU)
    client = client_for(secretary)
    assert "badge-submitted" in client.get(reverse("awards:queue")).content.decode()
    services.application_decide_eligibility(application=a, by=secretary, decision=EligibilityDecision.ELIGIBLE)
    body = client.get(reverse("awards:queue")).content.decode()
    assert f"badge-{ApplicationStatus.ELIGIBLE}" in body and "badge-submitted" not in body
    b = _submitted(cycle, district=District.ZIXING)
    assert b.receipt_number in client.get(reverse("awards:queue")).content.decode()


def test_another_filter_is_another_page(client_for, secretary, cycle):
    a = _submitted(cycle, district=District.BEIHU)
    b = _submitted(cycle, district=District.ZIXING)
    client = client_for(secretary)
    client.get(reverse("awards:queue"))
    body = client.get(reverse("awards:queue"), {"district": District.ZIXING}).content.decode()
    assert b.receipt_number in body and a.receipt_number not in body
    assert f'<option value="{District.ZIXING}" selected>' in body


def test_each_secretary_sees_the_choice_of_their_own_cycles(client_for, secretary, cycle):
    _submitted(cycle, district=District.BEIHU)
    other = UserFactory()
    CycleMembershipFactory(cycle=cycle, user=other, role=CycleRole.SECRETARY)
    second_cycle = CycleFactory(programme=cycle.programme)
    CycleMembershipFactory(cycle=second_cycle, user=other, role=CycleRole.SECRETARY)
    url = reverse("awards:queue") + f"?cycle={cycle.pk}"
    mine = client_for(secretary).get(url).content.decode()
    theirs = client_for(other).get(url).content.decode()
    assert second_cycle.title not in mine
    assert second_cycle.title in theirs and 'id="id_cycle"' in theirs
