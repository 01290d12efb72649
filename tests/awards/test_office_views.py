"""The secretary's eligibility queue and review page."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from awards import sections, services
from awards.enums import ApplicationStatus, CycleRole
from enterprises.enums import District, Industry
from tests.factories.awards import ApplicationFactory, CycleMembershipFactory, fill_application
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory


def _submitted(cycle, **enterprise):
    ent = EnterpriseFactory(**enterprise)
    user = MembershipFactory(enterprise=ent).user
    app = fill_application(ApplicationFactory(cycle=cycle, enterprise=ent), user)
    return services.application_submit(application=app, by=user)


@pytest.fixture
def submitted_a(application_a, applicant_a):
    fill_application(application_a, applicant_a)
    return services.application_submit(application=application_a, by=applicant_a)


def test_queue_filters_by_city_and_offers_districts_by_city(client_for, secretary, cycle):
    from enterprises.validators import credit_code_with_check

    # a programme that takes the whole province: its queue holds enterprises of several cities
    cycle.programme.divisions = ["43"]
    cycle.programme.save(update_fields=["divisions"])
    chenzhou = _submitted(cycle, district=District.BEIHU)
    yuelu = _submitted(cycle, credit_code=credit_code_with_check("91430104MA4Q0001"), district="430104")
    client = client_for(secretary)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("awards:queue"), {"city": "430100"}).content.decode()
    assert yuelu.receipt_number in body and chenzhou.receipt_number not in body
    body = client.get(reverse("awards:queue"), {"city": "431000"}).content.decode()
    assert chenzhou.receipt_number in body and yuelu.receipt_number not in body
    assert body.count("<optgroup") == 14 and '<option value="431000" selected>Chenzhou City</option>' in body
    assert "Yuelu District" in body  # the district column, named from the data
    # A city that is not one of Hunan's is a form error, not a 500, and filters nothing away.
    assert client.get(reverse("awards:queue"), {"city": "110000"}).status_code == 200


def test_queue_lists_and_filters(client_for, secretary, cycle):
    a = _submitted(cycle, district=District.BEIHU, industry=Industry.MANUFACTURING)
    b = _submitted(cycle, district=District.ZIXING, industry=Industry.IT)
    draft = ApplicationFactory(cycle=cycle)
    client = client_for(secretary)
    body = client.get(reverse("awards:queue")).content.decode()
    assert a.receipt_number in body and b.receipt_number in body
    assert draft.enterprise.name_zh not in body  # drafts are the enterprise's business
    body = client.get(reverse("awards:queue"), {"district": District.ZIXING}).content.decode()
    assert b.receipt_number in body and a.receipt_number not in body
    body = client.get(reverse("awards:queue"), {"industry": Industry.MANUFACTURING}).content.decode()
    assert a.receipt_number in body and b.receipt_number not in body
    body = client.get(reverse("awards:queue"), {"status": ApplicationStatus.ELIGIBLE}).content.decode()
    assert a.receipt_number not in body
    body = client.get(reverse("awards:queue"), {"status": ApplicationStatus.DRAFT}).content.decode()
    assert draft.enterprise.name_zh in body


def test_queue_query_count_does_not_grow(client_for, secretary, cycle, django_assert_max_num_queries):
    client = client_for(secretary)
    for _ in range(2):
        _submitted(cycle)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("awards:queue"))
    for _ in range(8):
        _submitted(cycle)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("awards:queue"))
    assert len(response.context["applications"]) == 10


def test_queue_for_admin(client_for, admin_user, cycle):
    app = _submitted(cycle)
    assert app.receipt_number in client_for(admin_user).get(reverse("awards:queue")).content.decode()


@pytest.mark.parametrize("role", ["applicant_a", "applicant_b", "expert", "committee_member"])
def test_queue_refused_for_non_office(request, client_for, role, cycle):
    assert client_for(request.getfixturevalue(role)).get(reverse("awards:queue")).status_code == 403


def test_queue_shows_only_my_cycles(client_for, secretary, cycle):
    other = CycleMembershipFactory(role=CycleRole.EXPERT).cycle
    foreign = _submitted(other)
    body = client_for(secretary).get(reverse("awards:queue"), {"cycle": other.pk}).content.decode()
    assert foreign.receipt_number not in body


def test_review_page_shows_checks_and_material(client_for, secretary, submitted_a):
    response = client_for(secretary).get(reverse("awards:review", args=[submitted_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    keys = [c.key for c in response.context["checks"]]
    assert keys == [
        "years_in_operation",
        "registered_in_city",
        "excellence_practice",
        "no_incident",
        "good_record",
        "cooling_off",
        "required_attachments",
    ]
    assert all(c.ok for c in response.context["checks"])
    assert "王总" in body and submitted_a.receipt_number in body


@pytest.mark.parametrize("role", ["applicant_a"])
def test_review_refused_to_the_enterprise(request, client_for, submitted_a, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("awards:review", args=[submitted_a.pk])).status_code == 403
    assert client.post(reverse("awards:review", args=[submitted_a.pk]), {"decision": "eligible"}).status_code == 403


@pytest.mark.parametrize("role", ["applicant_b", "expert", "committee_member"])
def test_review_is_404_for_others(request, client_for, submitted_a, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("awards:review", args=[submitted_a.pk])).status_code == 404
    assert client.post(reverse("awards:review", args=[submitted_a.pk]), {"decision": "eligible"}).status_code == 404
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.SUBMITTED


def test_mark_eligible(client_for, secretary, submitted_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("awards:review", args=[submitted_a.pk]), {"decision": "eligible"})
    assert response.status_code == 302
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.ELIGIBLE
    assert mail.outbox and mail.outbox[-1].to == ["alice@alpha.example.cn"]


def test_ineligible_needs_a_reason(client_for, secretary, submitted_a):
    response = client_for(secretary).post(reverse("awards:review", args=[submitted_a.pk]), {"decision": "ineligible"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    client_for(secretary).post(
        reverse("awards:review", args=[submitted_a.pk]), {"decision": "ineligible", "reason": "近三年发生重大质量事故"}
    )
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.INELIGIBLE


def test_return_resubmit_and_diff(client_for, secretary, applicant_a, submitted_a, django_capture_on_commit_callbacks):
    when = timezone.localtime(timezone.now() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    sec = client_for(secretary)
    response = sec.post(reverse("awards:review", args=[submitted_a.pk]), {"decision": "returned", "resubmit_by": ""})
    assert response.status_code == 200 and response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        sec.post(
            reverse("awards:review", args=[submitted_a.pk]),
            {"decision": "returned", "comment_self_assessment": "4.1 请补充高层领导的作用", "resubmit_by": when},
        )
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.RETURNED
    assert "4.1 请补充高层领导的作用" in mail.outbox[-1].body
    # The enterprise sees the comment and can edit again.
    app_client = client_for(applicant_a)
    overview = app_client.get(reverse("awards:application", args=[submitted_a.pk])).content.decode()
    assert "4.1 请补充高层领导的作用" in overview
    sa = dict(submitted_a.self_assessment)
    sa["4.1"] = {**sa["4.1"], "narrative": sa["4.1"]["narrative"] + "新增：高层领导每季度主持质量例会。"}
    services.application_section_save(
        application=submitted_a,
        section=sections.SELF_ASSESSMENT,
        data=sa,
        version=submitted_a.self_assessment_version,
        by=applicant_a,
    )
    app_client.post(reverse("awards:submit", args=[submitted_a.pk]), {"confirm": "1"})
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.SUBMITTED and submitted_a.snapshots.count() == 2
    response = sec.get(reverse("awards:review", args=[submitted_a.pk]))
    body = response.content.decode()
    assert "<ins>新增：高层领导每季度主持质量例会。</ins>" in body


def test_decision_refused_when_not_submitted(client_for, secretary, application_a):
    response = client_for(secretary).post(
        reverse("awards:review", args=[application_a.pk]), {"decision": "eligible"}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.DRAFT


def test_office_closes_a_late_returned_application_from_the_review_page(client_for, secretary, submitted_a):
    from awards.enums import EligibilityDecision
    from awards.models import Application

    services.application_decide_eligibility(
        application=submitted_a,
        by=secretary,
        decision=EligibilityDecision.RETURNED,
        reason="请完善",
        resubmit_by=timezone.now() + dt.timedelta(days=3),
        notify=False,
    )
    url = reverse("awards:review", args=[submitted_a.pk])
    c = client_for(secretary)
    assert 'value="ineligible"' not in c.get(url).content.decode()  # still in time: no form
    Application.objects.filter(pk=submitted_a.pk).update(resubmit_by=timezone.now() - dt.timedelta(hours=1))
    page = c.get(url).content.decode()
    assert 'value="ineligible"' in page
    response = c.post(url, {"decision": "ineligible", "reason": "逾期未补正"})
    assert response.status_code == 302
    submitted_a.refresh_from_db()
    assert submitted_a.status == "ineligible"


def test_the_secretary_who_loses_a_concurrent_decision_is_told(client_for, secretary, submitted_a, cycle):
    from tests.factories.awards import CycleMembershipFactory
    from tests.factories.core import UserFactory

    other = CycleMembershipFactory(cycle=cycle, role="secretary", user=UserFactory(email="sec2@office.example.cn")).user
    first, second = client_for(secretary), client_for(other)
    second.get(reverse("awards:review", args=[submitted_a.pk]))  # both have the page open
    first.post(reverse("awards:review", args=[submitted_a.pk]), {"decision": "eligible"})
    response = second.post(
        reverse("awards:review", args=[submitted_a.pk]),
        {"decision": "ineligible", "reason": "近三年发生重大质量事故"},
        follow=True,
    )
    text = [str(m) for m in response.context["messages"]]
    assert len(text) == 1 and ("Someone else decided" in text[0] or "其他人" in text[0])
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.ELIGIBLE


def test_the_loser_of_a_simultaneous_decision_is_told(client_for, secretary, submitted_a):
    """Both requests read "submitted"; the conditional update lets only one through (Conflict)."""
    from awards.models import Application
    from core.errors import Conflict

    def decided_by_someone_else(**kwargs):
        Application.objects.filter(pk=submitted_a.pk).update(status=ApplicationStatus.ELIGIBLE)
        raise Conflict("lost")

    with mock.patch("awards.services.application_decide_eligibility", decided_by_someone_else):
        response = client_for(secretary).post(
            reverse("awards:review", args=[submitted_a.pk]), {"decision": "eligible"}, follow=True
        )
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
    assert response.context["can_decide"] is False
