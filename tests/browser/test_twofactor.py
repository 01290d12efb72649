"""Journey: where two-factor log-in is required, a secretary logs in, sets up an authenticator app (the
test plays the app: it reads the key from the page and computes the codes), keeps the recovery codes,
logs out and back in with a code, then with a recovery code. Pages photographed in both languages."""

import base64

from django_otp.oath import totp

from .conftest import axe_violations, login, screenshot
from .test_registration import both_languages


def app_code(secret: str, ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the page."""
    key = base64.b32decode(secret.replace(" ", ""))
    return str(totp(key, drift=ahead)).zfill(6)


def log_out(page):
    page.locator("header form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state("load")


def test_secretary_sets_up_and_uses_two_factor_log_in(page, settings, secretary):
    settings.MFA_REQUIRED = True
    login(page, secretary.email)
    # The role requires it: every page leads to the set-up first.
    assert page.url.endswith("/accounts/two-factor/setup/")
    assert page.locator("main img.qr").is_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    both_languages(page, "twofactor-setup")

    page.get_by_label("验证码").fill("000000" if app_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="启用").click()
    page.wait_for_load_state("load")
    assert page.locator("#id_code_error").is_visible()
    screenshot(page, "twofactor-setup-error-zh")

    page.wait_for_timeout(1100)  # django-otp makes a second try wait a moment after a wrong code
    page.get_by_label("验证码").fill(app_code(secret))
    page.get_by_role("button", name="启用").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/accounts/two-factor/")
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert axe_violations(page) == []
    screenshot(page, "twofactor-recovery-codes-zh")
    page.goto(page.base + "/dashboard/")
    assert page.url.endswith("/dashboard/")

    # Next log-in: the password, then the code of the following time step.
    log_out(page)
    login(page, secretary.email)
    assert "/accounts/two-factor/verify/" in page.url
    both_languages(page, "twofactor-verify")
    page.get_by_label("验证码").fill(app_code(secret, ahead=1))
    page.get_by_role("button", name="继续").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/dashboard/")

    # Phone lost: a recovery code opens once.
    log_out(page)
    login(page, secretary.email)
    page.get_by_label("验证码").fill(codes[0])
    page.get_by_role("button", name="继续").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/dashboard/")
    assert "9" in page.locator(".message-warning, .messages").first.inner_text()

    page.goto(page.base + "/accounts/two-factor/")
    both_languages(page, "twofactor-overview")
    page.set_viewport_size({"width": 320, "height": 700})
    screenshot(page, "twofactor-overview-phone-zh")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    log_out(page)
    login(page, secretary.email)
    page.get_by_label("验证码").fill(codes[0])
    page.get_by_role("button", name="继续").click()
    page.wait_for_load_state("load")
    assert "/accounts/two-factor/verify/" in page.url  # used once already
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "twofactor-verify-phone-zh")
