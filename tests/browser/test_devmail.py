"""Journey of a newcomer on `make run`: register, find the e-mail in the development mailbox
(/dev/mail/), follow its link, log in. The mailbox is photographed in both languages and on a phone."""

from .conftest import login, screenshot
from .test_registration import PASSWORD, both_languages


def test_register_and_confirm_through_the_dev_mailbox(page, settings, tmp_path, db):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "core.devmail.DevMailboxBackend"
    settings.DEV_MAIL_DIR = str(tmp_path / "dev-mail")
    page.goto(page.base + "/accounts/register/")
    page.get_by_label("电子邮箱").fill("xin.ren@example.cn")
    page.get_by_label("姓名").fill("辛仁")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/accounts/register/done/")

    page.goto(page.base + "/dev/mail/")
    assert page.get_by_role("heading", name="开发邮箱").is_visible()
    both_languages(page, "dev-mailbox")
    page.get_by_role("link", name="请确认您的电子邮箱").click()
    page.wait_for_load_state("load")
    assert "xin.ren@example.cn" in page.locator("main").inner_text()
    both_languages(page, "dev-mail")
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "dev-mail-phone-zh")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator("pre.mail-body a[href*='/accounts/verify/']").click()
    page.wait_for_load_state("load")
    assert "/accounts/login/" in page.url
    page.locator("input[name=username]").fill("xin.ren@example.cn")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/enterprise/new/")


def test_own_404_page_with_debug_on(page, settings, db):
    settings.DEBUG = True
    page.goto(page.base + "/no-such-page/")
    assert page.locator(".error-code").inner_text() == "404"
    screenshot(page, "debug-404-zh")
    login(page, "nobody@example.cn")  # the log-in page still works beside it
    assert "/accounts/login/" in page.url
