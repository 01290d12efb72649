"""Journeys on a 360 px phone: the district's recommending body recommends an application with a
signed scan; a department answers the office's request with a record found."""

import datetime as dt

import pytest
from django.utils import timezone

from awards import services as award_services
from awards.demo import minimal_pdf
from awards.enums import ApplicationStatus, CycleRole, StageKind
from awards.models import Application
from awards.stages import StageSpec
from tests.factories.awards import CycleMembershipFactory, fill_application
from tests.factories.core import UserFactory
from vetting.models import OpinionRequest, Recommendation
from vetting.services import opinion_requests_send

from .conftest import axe_violations, close_page, fits, login, screenshot

WIDTH = 360
K = StageKind
STAGES = (
    K.RECOMMENDATION,
    K.ELIGIBILITY,
    K.OPINIONS,
    K.MATERIAL_REVIEW,
    K.COMMITTEE,
    K.PUBLIC_NOTICE,
    K.GOVERNMENT_APPROVAL,
)


def _configure(cycle, secretary):
    day = timezone.localdate() - dt.timedelta(days=5)
    specs = []
    for kind in STAGES:
        length = 40 if kind == K.RECOMMENDATION else 5
        specs.append(StageSpec(kind, day, day + dt.timedelta(days=length)))
        day += dt.timedelta(days=length + 1)
    award_services.cycle_stages_set(cycle=cycle, stages=specs, by=secretary)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "suffix"), [("zh-hans", "zh"), ("en", "en")])
def test_the_recommender_recommends_on_a_phone(
    open_page, cycle, secretary, application_a, applicant_a, enterprise_a, tmp_path, lang, suffix
):
    _configure(cycle, secretary)
    app = award_services.application_submit(application=fill_application(application_a, applicant_a), by=applicant_a)
    body = CycleMembershipFactory(
        cycle=cycle,
        role=CycleRole.RECOMMENDER,
        district=enterprise_a.district,
        unit="北湖区市场监督管理局",
        user=UserFactory(email="amr@beihu.example.cn", full_name="北湖区推荐人"),
    ).user
    scan = tmp_path / "推荐表.pdf"
    scan.write_bytes(minimal_pdf("Recommendation form, signed and sealed"))
    page = open_page(lang=lang, width=WIDTH, height=740)
    login(page, body.email)
    page.goto(page.base + "/vetting/recommendations/")
    fits(page)
    screenshot(page, f"vetting-recommendations-phone-{suffix}")
    page.locator(f"a[href='/vetting/recommendations/{app.pk}/']").click()
    page.wait_for_load_state("load")
    fits(page)
    assert axe_violations(page) == []
    page.locator("input[name=decision][value=recommended]").check()
    page.locator("textarea[name=opinion]").fill("经核实，申报材料属实，同意推荐。")
    page.locator("input[name=scan]").set_input_files(str(scan))
    screenshot(page, f"vetting-recommend-phone-{suffix}", full_page=False)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/vetting/recommendations/")
    assert page.locator(".messages .message-success").count() == 1
    app.refresh_from_db()
    assert app.status == ApplicationStatus.RECOMMENDED
    record = Recommendation.objects.get(application=app)
    assert record.scan_name == "推荐表.pdf" and record.scan_mime == "application/pdf"
    close_page(page)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "suffix"), [("zh-hans", "zh"), ("en", "en")])
def test_a_department_answers_on_a_phone(open_page, cycle, secretary, application_a, applicant_a, lang, suffix):
    _configure(cycle, secretary)
    app = award_services.application_submit(application=fill_application(application_a, applicant_a), by=applicant_a)
    Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.ELIGIBLE)
    app.refresh_from_db()
    department = CycleMembershipFactory(
        cycle=cycle,
        role=CycleRole.DEPARTMENT,
        unit="市生态环境局",
        user=UserFactory(email="sthj@example.cn", full_name="生态环境局联络员"),
    ).user
    (req,) = opinion_requests_send(
        application=app, departments=[department], deadline=timezone.localdate() + dt.timedelta(days=5), by=secretary
    )
    page = open_page(lang=lang, width=WIDTH, height=740)
    login(page, department.email)
    page.goto(page.base + "/vetting/opinions/")
    fits(page)
    page.locator(f"a[href='/vetting/opinions/{req.pk}/']").click()
    page.wait_for_load_state("load")
    fits(page)
    assert axe_violations(page) == []
    page.locator("input[name=answer][value=record_found]").check()
    page.locator("select[name=category]").select_option("other")
    page.locator("textarea[name=details]").fill("2024年5月危险废物台账记录不全，责令限期改正，已整改。")
    screenshot(page, f"vetting-opinion-phone-{suffix}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/vetting/opinions/")
    req.refresh_from_db()
    assert req.answer == "record_found" and not req.disqualifying
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ELIGIBLE  # "other" does not disqualify by default: it goes to the dossier
    assert OpinionRequest.objects.filter(application=app, disqualifying=False).exists()
    close_page(page)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "suffix"), [("zh-hans", "zh"), ("en", "en")])
def test_the_office_configures_stages_and_the_home_page_shows_them(open_page, cycle, secretary, expert, lang, suffix):
    """A refused configuration says why next to the stage; the saved one is the public timeline."""
    page = open_page(lang=lang, width=WIDTH, height=740)
    login(page, secretary.email)
    page.goto(page.base + f"/office/cycles/{cycle.pk}/stages/")
    fits(page)
    start = timezone.localdate() + dt.timedelta(days=20)
    kinds = [
        K.RECOMMENDATION,
        K.ELIGIBILITY,
        K.OPINIONS,
        K.MATERIAL_REVIEW,
        K.PRESENTATION,
        K.ONSITE_REVIEW,
        K.COMMITTEE,
        K.PUBLIC_NOTICE,
        K.GOVERNMENT_APPROVAL,
    ]
    for n, kind in enumerate(kinds, start=1):
        include = page.locator(f"input[name='{kind}-include']")
        if include.is_enabled():
            include.check()
        page.locator(f"input[name='{kind}-order']").fill(str(n))
        page.locator(f"input[name='{kind}-starts_on']").fill((start + dt.timedelta(days=15 * n)).isoformat())
        page.locator(f"input[name='{kind}-length']").fill("5")
        page.locator(f"select[name='{kind}-day_count']").select_option("working")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".stage-row .form-errors").count() == 1  # the presentation has no panel
    fits(page)
    screenshot(page, f"stages-refused-phone-{suffix}")
    page.locator(f"input[name='{K.PRESENTATION}-panel'][value='{expert.pk}']").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".messages .message-success").count() == 1
    assert cycle.stage_kinds() == tuple(kinds)
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"stages-office-{suffix}")
    page.goto(page.base + "/")
    assert page.locator(".timeline li").count() == len(kinds) + 1
    screenshot(page, f"home-timeline-{suffix}")
    close_page(page)
