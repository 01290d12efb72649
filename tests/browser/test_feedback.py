"""Journey: the panel leader drafts the feedback report, the secretary edits and releases it, the
enterprise reads and downloads it, then applies in the next cycle and sees its previous opportunities."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.models import FeedbackReport
from tests.factories.awards import ApplicationFactory, CycleFactory
from tests.factories.feedback import experts_of, reviewed_application
from tests.feedback.conftest import CODES
from tests.media import stored_bytes

from .conftest import axe_violations, login, screenshot, switch_language


@pytest.fixture
def reviewed(cycle, enterprise_a, applicant_a):
    """Four reviewed applications (as tests/feedback/conftest.py): A's 4.1 in the 70–85 % band."""
    cycle.public_notice_end = timezone.localdate() - dt.timedelta(days=2)
    cycle.save(update_fields=["public_notice_end"])
    experts = experts_of(cycle)
    apps = [reviewed_application(cycle, experts, {"4.1": 70, **dict.fromkeys(CODES[1:], 40)}, enterprise=enterprise_a)]
    apps += [reviewed_application(cycle, experts, p) for p in (50, 30, 10)]
    return apps[0], experts[0]


def experts_of_panel(application):
    from core.models import User

    return User.objects.filter(review_assignments__panel__application=application).exclude(full_name="")


def test_leader_drafts_secretary_releases_enterprise_reads_and_returns(
    page, reviewed, secretary, applicant_a, enterprise_a, tmp_path
):
    app_a, leader = reviewed
    # 1. The panel leader starts the report and merges the experts' comments.
    login(page, leader.email)
    page.goto(page.base + "/feedback/panel-leader/")
    assert axe_violations(page) == []
    screenshot(page, "feedback-leader-zh")
    switch_language(page, "English")
    screenshot(page, "feedback-leader-en")
    page.locator(f"form[action$='/application/{app_a.pk}/start/'] button").click()
    page.wait_for_load_state("load")
    screenshot(page, "feedback-edit-leader-en")
    switch_language(page, "中文")
    assert "4.1 优势 0" in page.content()  # the anonymous material
    assert not any(e.full_name in page.content() for e in experts_of_panel(app_a).exclude(pk=leader.pk))
    for area in page.locator("textarea[name^=strengths_]").all():
        area.fill("方法系统，展开较充分。")
    for area in page.locator("textarea[name^=opportunities_]").all():
        area.fill("建议建立与标杆对比的分析机制。\n结果指标缺少趋势数据。")
    page.locator("textarea[name=key_themes]").fill("测量与对比普遍不足。")
    assert axe_violations(page) == []
    screenshot(page, "feedback-edit-leader-zh")
    page.get_by_role("button", name="保存并提交评审办").click()
    page.wait_for_load_state("load")
    report = FeedbackReport.objects.get(application=app_a)
    assert report.status == "review"

    # 2. The secretary edits, ticks the checklist, approves and releases.
    page.context.clear_cookies()
    login(page, secretary.email)
    page.goto(page.base + f"/feedback/reports/{report.pk}/edit/")
    page.locator("textarea[name^=strengths_]").first.fill("高层领导亲自推动卓越绩效模式，方法系统。")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state("load")
    page.locator("input[name=accurate]").check()
    page.locator("input[name=actionable]").check()
    page.locator("input[name=anonymous]").check()
    screenshot(page, "feedback-edit-office-zh")
    switch_language(page, "English")
    screenshot(page, "feedback-edit-office-en")
    page.locator("input[name=accurate]").check()
    page.locator("input[name=actionable]").check()
    page.locator("input[name=anonymous]").check()
    page.get_by_role("button", name="Approve the report").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Release now").click()
    page.wait_for_load_state("load")
    report.refresh_from_db()
    assert report.status == "released" and report.pdf  # rendered in-process on commit
    page.goto(page.base + f"/feedback/cycle/{app_a.cycle_id}/")
    screenshot(page, "feedback-cycle-en")
    switch_language(page, "中文")
    screenshot(page, "feedback-cycle-zh")

    # 3. The enterprise reads its report on a phone and downloads the PDF.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, applicant_a.email)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "feedback-dashboard-320-zh")
    page.get_by_role("link", name="阅读反馈报告").click()
    page.wait_for_load_state("load")
    assert "高层领导亲自推动卓越绩效模式" in page.content() and "70–85 %" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert axe_violations(page) == []
    screenshot(page, "feedback-report-320-zh")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载报告（PDF）").first.click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes() == stored_bytes(report.pdf)
    switch_language(page, "English")
    screenshot(page, "feedback-report-320-en")
    page.goto(page.base + "/dashboard/")
    screenshot(page, "feedback-dashboard-320-en")

    # 4. Next cycle: the new application shows the previous opportunities and asks what was done.
    later = CycleFactory(year=app_a.cycle.year + 1)
    new_app = ApplicationFactory(cycle=later, enterprise=enterprise_a)
    page.goto(page.base + f"/applications/{new_app.pk}/")
    assert page.locator("#previous-opportunities").is_visible()
    assert "Suggest" not in page.content() and "结果指标缺少趋势数据" in page.content()
    page.get_by_role("link", name="Say what was done").click()
    page.wait_for_load_state("load")
    page.locator("textarea").first.fill("已建立标杆对比数据库，每季度分析一次。")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    assert new_app.opportunity_responses.filter(action_taken__startswith="已建立标杆").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "feedback-opportunities-320-en")
    switch_language(page, "中文")
    assert axe_violations(page) == []
    screenshot(page, "feedback-opportunities-320-zh")
