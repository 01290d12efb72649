"""Feedback pages: a happy path per view and a denial for every role that must not use it."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from feedback import services
from feedback.enums import ReportStatus
from feedback.models import FeedbackReport
from tests.factories.awards import ApplicationFactory, CycleFactory
from tests.factories.feedback import fill_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(app_a, leader):
    return services.report_start(application=app_a, by=leader)


@pytest.fixture
def released(report, leader, secretary):
    fill_report(report, leader)
    services.report_submit(report=report, by=leader)
    services.report_approve(
        report=report, by=secretary, accurate=True, actionable=True, anonymous=True, release_on=None
    )
    report = services.report_release(report=report, by=secretary)
    report.pdf.save("t.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return report


@pytest.fixture
def people(leader, experts, secretary, applicant_a, applicant_b, committee_member, admin_user):
    return {
        "leader": leader,
        "other_expert": experts[1],
        "secretary": secretary,
        "applicant": applicant_a,
        "other_applicant": applicant_b,
        "committee": committee_member,
        "admin": admin_user,
    }


def test_the_enterprise_reads_its_report_only_after_release(client_for, report, people, leader, secretary):
    url = reverse("feedback:report", args=[report.pk])
    assert client_for(people["applicant"]).get(url).status_code == 404  # draft
    fill_report(report, leader)
    services.report_submit(report=report, by=leader)
    services.report_approve(
        report=report, by=secretary, accurate=True, actionable=True, anonymous=True, release_on=None
    )
    assert client_for(people["applicant"]).get(url).status_code == 404  # approved, not yet released
    services.report_release(report=report, by=secretary)
    response = client_for(people["applicant"]).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "持续改进：机会一" in body and "70–85 %" in body
    for who in ("other_expert", "other_applicant", "committee"):
        assert client_for(people[who]).get(url).status_code == 404, who
    for who in ("leader", "secretary", "admin"):
        assert client_for(people[who]).get(url).status_code == 200, who


def test_an_expert_may_not_read_another_applications_report(client_for, report, small_cycle, leader, experts):
    from tests.factories.feedback import experts_of, reviewed_application

    others = experts_of(report.application.cycle, prefix="o")
    other_app = reviewed_application(report.application.cycle, others, 50)
    other = services.report_start(application=other_app, by=others[0])
    assert client_for(leader).get(reverse("feedback:report", args=[other.pk])).status_code == 404
    assert client_for(others[0]).get(reverse("feedback:report", args=[report.pk])).status_code == 404


def test_the_leader_drafts_with_the_anonymous_material(client_for, report, leader, experts):
    c = client_for(leader)
    url = reverse("feedback:edit", args=[report.pk])
    page = c.get(url).content.decode()
    assert "4.1 优势 0" in page  # the experts' comments as material
    assert not any(e.full_name in page for e in experts[1:])
    cats = list(report.categories.all())
    data = {f"strengths_{rc.category_id}": "优势" for rc in cats}
    data.update({f"opportunities_{rc.category_id}": "机会" for rc in cats})
    data[f"strengths_{cats[0].category_id}"] = f"{experts[3].full_name}说得好"
    response = c.post(url, {**data, "key_themes": "", "site_findings": "", "then": "submit"})
    assert response.status_code == 200
    assert experts[3].full_name in response.context["form"].errors[f"strengths_{cats[0].category_id}"][0]
    assert f"{experts[3].full_name}说得好" in response.content.decode()  # the text is kept
    data[f"strengths_{cats[0].category_id}"] = "领导作用突出"
    response = c.post(url, {**data, "key_themes": "主题", "site_findings": "", "then": "submit"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW
    assert c.get(url).status_code == 302  # no longer the leader's to edit


@pytest.mark.parametrize("who", ["other_expert", "applicant", "committee", "other_applicant"])
def test_edit_is_denied(client_for, report, people, who):
    assert client_for(people[who]).get(reverse("feedback:edit", args=[report.pk])).status_code == 404


def test_the_office_approves_with_its_checklist(client_for, report, leader, secretary):
    fill_report(report, leader)
    services.report_submit(report=report, by=leader)
    c = client_for(secretary)
    response = c.post(reverse("feedback:approve", args=[report.pk]), {"accurate": "on", "release_on": "not a date"})
    assert response.status_code == 200
    errors = response.context["approve_form"].errors
    assert "release_on" in errors  # a date that cannot be read: a message next to the field, nothing approved
    response = c.post(reverse("feedback:approve", args=[report.pk]), {"accurate": "on"})
    assert set(response.context["approve_form"].errors) == {"actionable", "anonymous"}
    response = c.post(
        reverse("feedback:approve", args=[report.pk]), {"accurate": "on", "actionable": "on", "anonymous": "on"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert c.post(reverse("feedback:action", args=[report.pk, "release"])).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RELEASED


@pytest.mark.parametrize("who", ["leader", "other_expert", "applicant", "committee"])
def test_office_actions_are_denied(client_for, report, people, who):
    c = client_for(people[who])
    for name, args in (("approve", [report.pk]), ("return", [report.pk]), ("action", [report.pk, "release"])):
        assert c.post(reverse(f"feedback:{name}", args=args)).status_code in (403, 404), name
    assert c.get(reverse("feedback:release_date", args=[report.pk])).status_code in (403, 404)
    assert c.get(reverse("feedback:correct", args=[report.pk])).status_code in (403, 404)
    # The leader sees the report but may not act for the office (403); the others may not see it (404).
    assert c.post(reverse("feedback:approve", args=[report.pk])).status_code == (403 if who == "leader" else 404)
    assert c.get(reverse("feedback:cycle", args=[report.application.cycle_id])).status_code == 404
    assert c.get(reverse("feedback:archive", args=[report.application.cycle_id])).status_code == 404


def test_the_pdf_and_the_archive(client_for, released, secretary, people):
    url = reverse("feedback:pdf", args=[released.pk])
    assert client_for(people["applicant"]).get(url).status_code == 200
    assert client_for(people["other_applicant"]).get(url).status_code == 404
    response = client_for(secretary).get(reverse("feedback:archive", args=[released.application.cycle_id]))
    assert response.status_code == 200 and response.streaming
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 1 and archive.read(archive.namelist()[0]) == b"%PDF-1.4 test"


def test_the_cycle_list_and_the_leader_list(client_for, report, secretary, leader, small_cycle, people):
    page = client_for(secretary).get(reverse("feedback:cycle", args=[report.application.cycle_id]))
    assert page.status_code == 200 and page.content.decode().count("/start/") == 3
    page = client_for(leader).get(reverse("feedback:leader"))
    assert page.status_code == 200
    assert client_for(None).get(reverse("feedback:leader")).status_code == 302
    for who in ("applicant", "committee"):
        assert client_for(people[who]).get(reverse("feedback:leader")).status_code == 403, who


def test_start_from_the_list(client_for, small_cycle, secretary, experts):
    app = small_cycle["b"]
    assert client_for(experts[1]).post(reverse("feedback:start", args=[app.pk])).status_code == 404
    assert client_for(secretary).post(reverse("feedback:start", args=[app.pk])).status_code == 302
    assert FeedbackReport.objects.filter(application=app).exists()


def test_correction_page(client_for, released, secretary):
    c = client_for(secretary)
    url = reverse("feedback:correct", args=[released.pk])
    assert "reason" in c.post(url, {"reason": ""}).context["form"].errors
    assert c.post(url, {"reason": "错别字"}).status_code == 302
    assert FeedbackReport.objects.filter(supersedes=released, status=ReportStatus.REVIEW).exists()


def test_the_returning_applicant_sees_its_previous_opportunities(
    client_for, released, applicant_a, enterprise_a, applicant_b
):
    later = CycleFactory(year=released.application.cycle.year + 1)
    new_app = ApplicationFactory(cycle=later, enterprise=enterprise_a)
    page = client_for(applicant_a).get(reverse("awards:application", args=[new_app.pk]))
    assert 'id="previous-opportunities"' in page.content.decode()
    url = reverse("feedback:opportunities", args=[new_app.pk])
    page = client_for(applicant_a).get(url)
    assert page.status_code == 200 and "持续改进：机会二" in page.content.decode()
    rc = released.categories.first()
    response = client_for(applicant_a).post(
        url, {f"action_{rc.pk}_1": "已建立战略评审", f"action_{rc.pk}_2": "长" * 2001}
    )
    assert response.status_code == 200 and response.context["form"].errors  # too long: refused, text kept
    assert "长" * 2001 in response.content.decode()
    response = client_for(applicant_a).post(url, {f"action_{rc.pk}_1": "已建立战略评审"})
    assert response.status_code == 302
    assert new_app.opportunity_responses.get(source=rc, number=1).action_taken == "已建立战略评审"
    assert client_for(applicant_b).get(url).status_code == 404


def test_the_dashboard_shows_the_released_report(client_for, released, applicant_a):
    page = client_for(applicant_a).get(reverse("core:dashboard"))
    assert reverse("feedback:report", args=[released.pk]) in page.content.decode()


def test_experts_see_the_previous_band_beside_their_sheet(client_for, released, enterprise_a, experts):
    from awards.enums import ApplicationStatus
    from feedback.models import OpportunityResponse
    from reviews.models import Assignment
    from tests.factories.reviews import panel_with

    later = CycleFactory(year=released.application.cycle.year + 1)
    new_app = ApplicationFactory(cycle=later, enterprise=enterprise_a, status=ApplicationStatus.MATERIAL_REVIEW)
    # what the enterprise said, with its application, about an opportunity of the previous report
    rc = released.categories.get(category__code="4.2")
    OpportunityResponse.objects.create(
        application=new_app, source=rc, number=1, opportunity="机会一", action_taken="建立了战略复盘制度"
    )
    panel, assignments = panel_with(new_app, experts[1:3])
    page = client_for(experts[1]).get(reverse("reviews:sheet", args=[assignments[0].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="help previous-band"') == 7
    assert "70–85 %" in html.split('class="help previous-band"')[1]  # 4.1 was in band 70–85 %
    assert Assignment.objects.filter(panel=panel).count() == 2
    assert "建立了战略复盘制度" in html and html.count('class="previous-answers"') == 1
