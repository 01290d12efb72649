"""Journey: a visitor reads the home page in Chinese, switches to English and back; a secretary logs in."""

from awards.enums import ApplicationStatus
from tests.factories.awards import ApplicationFactory

from .conftest import axe_violations, login, screenshot


def test_home_language_switch_and_secretary_dashboard(page, cycle, secretary, enterprise_a, enterprise_b):
    ApplicationFactory(cycle=cycle, enterprise=enterprise_a, status=ApplicationStatus.SUBMITTED)
    ApplicationFactory(cycle=cycle, enterprise=enterprise_b, status=ApplicationStatus.ELIGIBLE)

    page.goto(page.base + "/")
    assert page.locator("h1").inner_text() == "郴州市市长质量奖"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert cycle.title_zh in page.content()
    assert axe_violations(page) == []
    screenshot(page, "home-zh")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Chenzhou Mayor Quality Award"
    assert page.get_by_role("heading", name="How to apply").is_visible()
    screenshot(page, "home-en")

    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "郴州市市长质量奖"

    login(page, secretary.email)
    assert page.url.endswith("/dashboard/")
    assert page.get_by_role("heading", name="评审办").is_visible()
    assert "待资格审查" in page.content() or "资格审查" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "dashboard-secretary-zh")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + "/")
    screenshot(page, "home-phone-zh")
