"""推荐 recommendation: the district's recommending body recommends or declines the submitted version."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards.enums import ApplicationStatus, StageKind
from awards.models import CycleStage
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import AuditEvent, OutboxMessage
from tests.factories.awards import pdf_file
from vetting.models import Recommendation
from vetting.services import application_recommend

OPINION = "经核实，申报材料属实，同意推荐。"


def test_the_districts_body_recommends(submitted_a, recommender):
    record = application_recommend(
        application=submitted_a, by=recommender, decision="recommended", opinion=OPINION, scan=pdf_file("推荐表.pdf")
    )
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.RECOMMENDED
    assert (record.unit, record.snapshot.number, record.by) == ("北湖区市场监督管理局", 1, recommender)
    assert record.scan_mime == "application/pdf" and len(record.scan_sha256) == 64
    assert AuditEvent.objects.filter(event=AuditEventType.RECOMMENDATION_MADE).exists()
    assert OutboxMessage.objects.filter(template="vetting_outcome").exists()


def test_declining_ends_the_application_with_the_opinion(submitted_a, recommender):
    application_recommend(application=submitted_a, by=recommender, decision="declined", opinion="申报数据与统计不符")
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.INELIGIBLE
    assert submitted_a.transitions.last().comment == "申报数据与统计不符"


def test_a_recommender_outside_the_district_is_refused(submitted_a, other_recommender):
    with pytest.raises(PermissionDenied):
        application_recommend(application=submitted_a, by=other_recommender, decision="recommended", opinion=OPINION)
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.SUBMITTED and not Recommendation.objects.exists()


def test_the_secretary_and_the_applicant_may_not_recommend(submitted_a, secretary, applicant_a):
    for user in (secretary, applicant_a):
        with pytest.raises(PermissionDenied):
            application_recommend(application=submitted_a, by=user, decision="recommended", opinion=OPINION)


def test_an_opinion_is_required(submitted_a, recommender):
    with pytest.raises(NotAllowed) as exc:
        application_recommend(application=submitted_a, by=recommender, decision="recommended", opinion="  ")
    assert exc.value.code == "opinion_required"


def test_a_decided_application_is_not_decided_again(submitted_a, recommender):
    application_recommend(application=submitted_a, by=recommender, decision="recommended", opinion=OPINION)
    submitted_a.refresh_from_db()
    with pytest.raises(NotAllowed) as exc:
        application_recommend(application=submitted_a, by=recommender, decision="declined", opinion="改变主意")
    assert exc.value.code == "decided"


def test_after_the_window_the_recommendation_is_refused(submitted_a, recommender, vetted_cycle):
    CycleStage.objects.filter(cycle=vetted_cycle, kind=StageKind.RECOMMENDATION).update(
        ends_on=dt.date.today() - dt.timedelta(days=1)
    )
    with pytest.raises(NotAllowed) as exc:
        application_recommend(application=submitted_a, by=recommender, decision="recommended", opinion=OPINION)
    assert exc.value.code == "closed"


def test_a_cycle_without_the_stage_has_no_recommendation(cycle, application_a, applicant_a, enterprise_a):
    from awards import services as award_services
    from awards.enums import CycleRole
    from tests.factories.awards import CycleMembershipFactory, fill_application

    body = CycleMembershipFactory(cycle=cycle, role=CycleRole.RECOMMENDER, district=enterprise_a.district).user
    app = award_services.application_submit(application=fill_application(application_a, applicant_a), by=applicant_a)
    with pytest.raises(NotAllowed) as exc:
        application_recommend(application=app, by=body, decision="recommended", opinion=OPINION)
    assert exc.value.code == "no_stage"


def test_a_scan_that_is_not_what_it_claims_is_refused(submitted_a, recommender):
    fake = SimpleUploadedFile("scan.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        application_recommend(
            application=submitted_a, by=recommender, decision="recommended", opinion=OPINION, scan=fake
        )
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.SUBMITTED


# --- pages ------------------------------------------------------------------------------------------


def test_the_queue_lists_the_districts_submitted_applications_only(
    client_for, submitted_a, recommender, other_recommender, application_b
):
    page = client_for(recommender).get(reverse("vetting:queue")).content.decode()
    assert submitted_a.receipt_number in page
    other = client_for(other_recommender).get(reverse("vetting:queue")).content.decode()
    assert submitted_a.receipt_number not in other


def test_the_recommender_decides_on_the_page(client_for, submitted_a, recommender):
    client = client_for(recommender)
    url = reverse("vetting:recommend", args=[submitted_a.pk])
    page = client.get(url).content.decode()
    assert "Business licence" in page or "营业执照" in page  # the submitted version is shown
    response = client.post(url, {"decision": "recommended", "opinion": OPINION, "scan": pdf_file("scan.pdf")})
    assert response.status_code == 302
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.RECOMMENDED


def test_bad_input_is_answered_next_to_the_field_and_the_text_kept(client_for, submitted_a, recommender):
    fake = SimpleUploadedFile("scan.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client_for(recommender).post(
        reverse("vetting:recommend", args=[submitted_a.pk]), {"decision": "", "opinion": "我的意见", "scan": fake}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["decision"] and form.errors["scan"]
    assert "我的意见" in response.content.decode()


def test_a_recommender_of_another_district_gets_404(client_for, submitted_a, other_recommender):
    url = reverse("vetting:recommend", args=[submitted_a.pk])
    assert client_for(other_recommender).get(url).status_code == 404
    assert client_for(other_recommender).post(url, {"decision": "recommended", "opinion": OPINION}).status_code == 404


@pytest.mark.parametrize("role", ["applicant_a", "secretary", "expert", "committee_member"])
def test_other_roles_may_not_use_the_recommendation_pages(request, client_for, submitted_a, recommender, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("vetting:queue")).status_code == 403
    assert client.get(reverse("vetting:recommend", args=[submitted_a.pk])).status_code == 404


def test_strangers_are_asked_to_log_in(anonymous, submitted_a):
    for url in (reverse("vetting:queue"), reverse("vetting:recommend", args=[submitted_a.pk])):
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_office_sees_who_recommended_what_and_when(client_for, submitted_a, recommender, secretary):
    record = application_recommend(
        application=submitted_a, by=recommender, decision="recommended", opinion=OPINION, scan=pdf_file("推荐表.pdf")
    )
    page = client_for(secretary).get(reverse("vetting:office", args=[submitted_a.cycle_id])).content.decode()
    assert "北湖区市场监督管理局" in page and submitted_a.receipt_number in page
    assert record.decided_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M") in page
    scan = client_for(secretary).get(reverse("vetting:scan", args=[record.pk]))
    assert scan.status_code == 200 and scan["Content-Type"] == "application/pdf"
    assert client_for(recommender).get(reverse("vetting:scan", args=[record.pk])).status_code == 200


@pytest.mark.parametrize("role", ["applicant_a", "applicant_b", "expert", "other_recommender"])
def test_others_may_not_see_the_office_list_or_the_scan(request, client_for, submitted_a, recommender, role):
    record = application_recommend(
        application=submitted_a, by=recommender, decision="recommended", opinion=OPINION, scan=pdf_file()
    )
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("vetting:office", args=[submitted_a.cycle_id])).status_code == 404
    assert client.get(reverse("vetting:scan", args=[record.pk])).status_code == 404


def test_the_enterprise_dashboard_says_who_has_the_application(client_for, submitted_a, applicant_a, recommender):
    client = client_for(applicant_a)  # who reads Chinese (the preferred language)
    assert "所在辖区的推荐单位正在审核您的申报" in client.get(reverse("core:dashboard")).content.decode()
    application_recommend(application=submitted_a, by=recommender, decision="recommended", opinion=OPINION)
    assert "所在辖区已推荐您的申报" in client.get(reverse("core:dashboard")).content.decode()


# --- loaders: the object the user may see, or Http404 ----------------------------------------------


def test_recommendation_loaders(submitted_a, recommender, other_recommender, secretary, admin_user, applicant_b):
    from django.http import Http404

    from vetting import selectors

    record = application_recommend(application=submitted_a, by=recommender, decision="recommended", opinion=OPINION)
    assert selectors.application_for_recommender(user=recommender, pk=submitted_a.pk) == submitted_a
    for user in (recommender, secretary, admin_user):
        assert selectors.recommendation_for(user=user, pk=record.pk) == record
    for user in (other_recommender, applicant_b):
        with pytest.raises(Http404):
            selectors.recommendation_for(user=user, pk=record.pk)
        with pytest.raises(Http404):
            selectors.application_for_recommender(user=user, pk=submitted_a.pk)
    with pytest.raises(Http404):
        selectors.recommendation_for(user=secretary, pk=987654321)
    with pytest.raises(Http404):
        selectors.application_for_recommender(user=recommender, pk=987654321)
