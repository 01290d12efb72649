"""Words in context, as a person sees them: the administrator's recent actions in words (zh and en)."""

from core.audit import audit_record
from core.enums import AuditEventType

from .conftest import SCREENSHOTS, axe_violations, login


def test_recent_actions_in_words(page, admin_user, applicant_a, application_a):
    audit_record(event=AuditEventType.MEETING_SCHEDULED, obj=application_a, by=None)
    audit_record(event=AuditEventType.USER_REGISTERED, obj=applicant_a, by=applicant_a)
    login(page, admin_user.email)
    page.goto(page.base + "/dashboard/")
    recent = page.locator("h3", has_text="最近操作").locator("xpath=..")
    text = recent.inner_text()
    assert "会议已安排" in text and "用户已注册" in text and "系统" in text
    assert "meeting.scheduled" not in text and "system" not in text
    assert axe_violations(page) == []
    recent.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-admin-recent-zh.png"), full_page=False)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    recent = page.locator("h3", has_text="Recent actions").locator("xpath=..")
    assert "Meeting scheduled" in recent.inner_text() and "the system" in recent.inner_text()
    recent.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "dashboard-admin-recent-en.png"), full_page=False)
