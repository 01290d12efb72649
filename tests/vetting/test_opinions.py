"""征求意见 department opinions: requests with deadlines, answers, the veto and the dossier."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from awards.enums import ApplicationStatus, CycleRole, OpinionAnswer, RecordCategory
from awards.models import Application
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import AuditEvent, OutboxMessage
from tests.factories.awards import CycleMembershipFactory, pdf_file
from tests.factories.core import UserFactory
from vetting import selectors
from vetting.models import OpinionRequest
from vetting.services import opinion_answer, opinion_requests_remind, opinion_requests_send


@pytest.fixture
def department(vetted_cycle):
    return CycleMembershipFactory(
        cycle=vetted_cycle, role=CycleRole.DEPARTMENT, unit="市应急管理局", user=UserFactory(email="yjgl@example.cn")
    ).user


@pytest.fixture
def other_department(vetted_cycle):
    return CycleMembershipFactory(
        cycle=vetted_cycle, role=CycleRole.DEPARTMENT, unit="市税务局", user=UserFactory(email="sw@example.cn")
    ).user


@pytest.fixture
def eligible_a(submitted_a):
    Application.objects.filter(pk=submitted_a.pk).update(status=ApplicationStatus.ELIGIBLE)
    submitted_a.refresh_from_db()
    return submitted_a


@pytest.fixture
def sent(eligible_a, department, other_department, secretary):
    deadline = timezone.localdate() + dt.timedelta(days=7)
    return opinion_requests_send(
        application=eligible_a, departments=[department, other_department], deadline=deadline, by=secretary
    )


def _request(app, user):
    return OpinionRequest.objects.get(application=app, department=user)


def test_the_office_sends_a_request_to_each_department_by_mail(sent, department, other_department):
    assert {r.unit for r in sent} == {"市应急管理局", "市税务局"}
    assert OutboxMessage.objects.filter(template="vetting_opinion_request").count() == 2
    assert AuditEvent.objects.filter(event=AuditEventType.OPINION_REQUESTED).count() == 2


def test_asking_twice_asks_nobody_again(sent, eligible_a, department, secretary):
    again = opinion_requests_send(
        application=eligible_a, departments=[department], deadline=timezone.localdate(), by=secretary
    )
    assert again == [] and OpinionRequest.objects.count() == 2


def test_only_the_office_sends_and_only_to_departments(eligible_a, department, expert, applicant_a, secretary):
    day = timezone.localdate()
    for user in (expert, applicant_a, department):
        with pytest.raises(PermissionDenied):
            opinion_requests_send(application=eligible_a, departments=[department], deadline=day, by=user)
    with pytest.raises(NotAllowed) as exc:
        opinion_requests_send(application=eligible_a, departments=[expert], deadline=day, by=secretary)
    assert exc.value.code == "not_department"
    with pytest.raises(NotAllowed) as exc:
        opinion_requests_send(
            application=eligible_a, departments=[department], deadline=day - dt.timedelta(days=1), by=secretary
        )
    assert exc.value.code == "deadline"


def test_a_submitted_application_is_not_sent_yet(submitted_a, department, secretary):
    with pytest.raises(NotAllowed) as exc:
        opinion_requests_send(
            application=submitted_a, departments=[department], deadline=timezone.localdate(), by=secretary
        )
    assert exc.value.code == "wrong_status"


def test_no_record_changes_nothing(sent, eligible_a, department):
    opinion_answer(request=_request(eligible_a, department), by=department, answer=OpinionAnswer.NO_RECORD)
    eligible_a.refresh_from_db()
    assert eligible_a.status == ApplicationStatus.ELIGIBLE and selectors.dossier_records(eligible_a) == []


def test_a_disqualifying_record_ends_the_application_and_tells_the_enterprise(sent, eligible_a, department):
    opinion_answer(
        request=_request(eligible_a, department),
        by=department,
        answer=OpinionAnswer.RECORD_FOUND,
        category=RecordCategory.SAFETY,
        details="2025年3月一般生产安全责任事故",
        evidence=pdf_file("处罚决定书.pdf"),
    )
    eligible_a.refresh_from_db()
    assert eligible_a.status == ApplicationStatus.INELIGIBLE
    last = eligible_a.transitions.last()
    assert "市应急管理局" in last.comment and "2025年3月一般生产安全责任事故" in last.comment
    assert last.by == department
    mail = OutboxMessage.objects.get(template="vetting_outcome")
    assert mail.recipient == "alice@alpha.example.cn"
    assert _request(eligible_a, department).disqualifying


def test_a_record_the_cycle_does_not_disqualify_reaches_the_dossier(
    sent, eligible_a, other_department, vetted_cycle, client_for, secretary
):
    type(vetted_cycle).objects.filter(pk=vetted_cycle.pk).update(disqualifying_categories=["safety"])
    opinion_answer(
        request=_request(eligible_a, other_department),
        by=other_department,
        answer=OpinionAnswer.RECORD_FOUND,
        category=RecordCategory.TAX,
        details="2024年逾期申报，已补缴并缴纳滞纳金",
    )
    eligible_a.refresh_from_db()
    assert eligible_a.status == ApplicationStatus.ELIGIBLE
    (record,) = selectors.dossier_records(eligible_a)
    assert record.unit == "市税务局" and not record.disqualifying
    # The decision is stored: changing the cycle's categories afterwards does not re-derive it.
    type(vetted_cycle).objects.filter(pk=vetted_cycle.pk).update(disqualifying_categories=["tax"])
    assert not OpinionRequest.objects.get(pk=record.pk).disqualifying


def test_the_dossier_pages_show_the_record(sent, eligible_a, other_department, vetted_cycle, rf):
    from django.template.loader import render_to_string

    type(vetted_cycle).objects.filter(pk=vetted_cycle.pk).update(disqualifying_categories=[])
    opinion_answer(
        request=_request(eligible_a, other_department),
        by=other_department,
        answer=OpinionAnswer.RECORD_FOUND,
        category=RecordCategory.TAX,
        details="逾期申报",
    )
    html = render_to_string("vetting/_dossier_records.html", {"opinion_records": selectors.dossier_records(eligible_a)})
    assert "市税务局" in html and "逾期申报" in html


def test_answering_after_the_deadline_is_refused(sent, eligible_a, department):
    OpinionRequest.objects.filter(department=department).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(NotAllowed) as exc:
        opinion_answer(request=_request(eligible_a, department), by=department, answer=OpinionAnswer.NO_RECORD)
    assert exc.value.code == "deadline"


def test_only_the_department_asked_answers_once(sent, eligible_a, department, other_department, secretary):
    req = _request(eligible_a, department)
    for user in (other_department, secretary):
        with pytest.raises(PermissionDenied):
            opinion_answer(request=req, by=user, answer=OpinionAnswer.NO_RECORD)
    opinion_answer(request=req, by=department, answer=OpinionAnswer.NO_RECORD)
    with pytest.raises(NotAllowed) as exc:
        opinion_answer(request=_request(eligible_a, department), by=department, answer=OpinionAnswer.NO_RECORD)
    assert exc.value.code == "answered"


def test_a_record_needs_its_category_and_details(sent, eligible_a, department):
    with pytest.raises(NotAllowed) as exc:
        opinion_answer(request=_request(eligible_a, department), by=department, answer=OpinionAnswer.RECORD_FOUND)
    assert exc.value.code == "details_required"


def test_reminders_go_once_to_those_due_soon(sent, eligible_a, department, other_department, secretary):
    OpinionRequest.objects.filter(department=other_department).update(
        deadline=timezone.localdate() + dt.timedelta(days=1)
    )
    assert opinion_requests_remind(cycle_id=eligible_a.cycle_id, by=secretary) == 1
    assert opinion_requests_remind(cycle_id=eligible_a.cycle_id, by=secretary) == 0
    assert OutboxMessage.objects.filter(template="vetting_opinion_reminder").count() == 1
    with pytest.raises(PermissionDenied):
        opinion_requests_remind(cycle_id=eligible_a.cycle_id, by=department)


# --- pages ------------------------------------------------------------------------------------------


def test_the_department_answers_on_its_page(client_for, sent, eligible_a, department):
    client = client_for(department)
    assert eligible_a.display_name in client.get(reverse("vetting:opinions")).content.decode()
    url = reverse("vetting:opinion", args=[_request(eligible_a, department).pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": "record_found", "category": "", "details": "我的说明"})
    assert response.status_code == 200 and response.context["form"].errors["category"]
    assert "我的说明" in response.content.decode()
    assert client.post(url, {"answer": "no_record"}).status_code == 302
    assert _request(eligible_a, department).answer == OpinionAnswer.NO_RECORD


def test_another_department_gets_404(client_for, sent, eligible_a, department, other_department):
    url = reverse("vetting:opinion", args=[_request(eligible_a, department).pk])
    assert client_for(other_department).get(url).status_code == 404


@pytest.mark.parametrize("role", ["applicant_a", "secretary", "expert", "committee_member"])
def test_other_roles_may_not_use_the_department_pages(request, client_for, sent, eligible_a, department, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("vetting:opinions")).status_code == 403
    assert client.get(reverse("vetting:opinion", args=[_request(eligible_a, department).pk])).status_code == 404


def test_the_office_sends_and_follows_the_requests(client_for, eligible_a, department, secretary):
    client = client_for(secretary)
    url = reverse("vetting:office_opinions", args=[eligible_a.cycle_id])
    assert client.get(url).status_code == 200
    deadline = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(url, {"application": eligible_a.pk, "departments": [department.pk], "deadline": deadline})
    assert response.status_code == 302
    assert "市应急管理局" in client.get(url).content.decode()
    bad = client.post(url, {"application": "x", "departments": ["y"], "deadline": "2026-02-31"})
    assert bad.status_code == 200 and bad.context["form"].errors
    assert client.post(url, {"remind": "1"}).status_code == 302


@pytest.mark.parametrize("role", ["applicant_a", "expert", "department", "recommender"])
def test_others_may_not_use_the_office_page(request, client_for, eligible_a, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("vetting:office_opinions", args=[eligible_a.cycle_id])).status_code == 404


def test_evidence_is_for_the_department_and_the_office(
    client_for, sent, eligible_a, department, secretary, applicant_a
):
    req = _request(eligible_a, department)
    opinion_answer(
        request=req,
        by=department,
        answer=OpinionAnswer.RECORD_FOUND,
        category=RecordCategory.OTHER,
        details="限期整改",
        evidence=pdf_file(),
    )
    url = reverse("vetting:opinion_evidence", args=[req.pk])
    assert client_for(secretary).get(url).status_code == 200
    assert client_for(department).get(url).status_code == 200
    assert client_for(applicant_a).get(url).status_code == 404


def test_the_daily_task_reminds_every_cycle_once(sent, eligible_a, department):
    from vetting.tasks import send_opinion_reminders

    OpinionRequest.objects.filter(department=department).update(deadline=timezone.localdate())
    assert send_opinion_reminders() == 1
    assert send_opinion_reminders() == 0


# --- loaders: the object the user may see, or Http404 ----------------------------------------------


def test_opinion_request_loaders(sent, department, other_department, secretary, admin_user, applicant_a, expert):
    from django.http import Http404

    req = sent[0] if sent[0].department_id == department.pk else sent[1]
    assert selectors.opinion_request_for_department(user=department, pk=req.pk) == req
    for user in (department, secretary, admin_user):
        assert selectors.opinion_request_for(user=user, pk=req.pk) == req
    for user in (other_department, applicant_a, expert):
        with pytest.raises(Http404):
            selectors.opinion_request_for(user=user, pk=req.pk)
    for user in (other_department, secretary):
        with pytest.raises(Http404):
            selectors.opinion_request_for_department(user=user, pk=req.pk)
    with pytest.raises(Http404):
        selectors.opinion_request_for(user=secretary, pk=987654321)


def test_cycle_for_office(eligible_a, secretary, admin_user, department, applicant_a):
    from django.http import Http404

    for user in (secretary, admin_user):
        assert selectors.cycle_for_office(user=user, pk=eligible_a.cycle_id) == eligible_a.cycle
    other = CycleMembershipFactory(role=CycleRole.SECRETARY, user=UserFactory()).user
    for user in (other, department, applicant_a):
        with pytest.raises(Http404):
            selectors.cycle_for_office(user=user, pk=eligible_a.cycle_id)
    with pytest.raises(Http404):
        selectors.cycle_for_office(user=secretary, pk=987654321)
