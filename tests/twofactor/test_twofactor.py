"""Two-factor log-in: who must and who may, set-up, codes after the password, recovery codes, the admin."""

import base64

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import AuditEvent
from tests.factories.core import UserFactory
from twofactor import selectors, services

PASSWORD = "Correct-horse-42"


def code(device, ahead=0):
    device.refresh_from_db()
    return str(totp(device.bin_key, drift=device.drift + ahead)).zfill(6)


def enable(user):
    device = services.totp_setup_begin(user=user)
    _device, codes = services.totp_setup_confirm(user=user, token=code(device))
    return device, codes


def password_login(user, ip="203.0.113.9"):
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    return client


# --- services -------------------------------------------------------------------------------------


def test_set_up_needs_a_right_code_and_gives_ten_recovery_codes(settings, secretary):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the retry below comes at once, not a second later
    device = services.totp_setup_begin(user=secretary)
    with pytest.raises(NotAllowed) as refused:
        services.totp_setup_confirm(user=secretary, token="000000" if code(device) != "000000" else "111111")
    assert refused.value.code == "token"
    assert not selectors.twofactor_enabled(secretary)
    _device, codes = services.totp_setup_confirm(user=secretary, token=code(device))
    assert selectors.twofactor_enabled(secretary) and len(set(codes)) == 10
    assert selectors.twofactor_status(secretary).recovery_codes_left == 10
    assert AuditEvent.objects.filter(event=AuditEventType.TWOFACTOR_ENABLED).count() == 1
    with pytest.raises(NotAllowed) as refused:
        services.totp_setup_begin(user=secretary)
    assert refused.value.code == "enabled"


def test_applicants_are_not_offered_two_factor(applicant_a):
    with pytest.raises(NotAllowed):
        services.totp_setup_begin(user=applicant_a)


def test_new_recovery_codes_replace_the_old(expert):
    _device, old = enable(expert)
    new = services.recovery_codes_regenerate(user=expert)
    assert set(StaticToken.objects.filter(device__user=expert).values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)


def test_an_expert_may_turn_it_off_a_secretary_may_not_where_required(settings, expert, secretary):
    settings.MFA_REQUIRED = True
    enable(expert)
    enable(secretary)
    services.twofactor_disable(user=expert)
    assert not selectors.twofactor_enabled(expert)
    assert not TOTPDevice.objects.filter(user=expert).exists()
    with pytest.raises(NotAllowed) as refused:
        services.twofactor_disable(user=secretary)
    assert refused.value.code == "required"
    assert selectors.twofactor_enabled(secretary)


def test_only_an_admin_resets_someone_elses_second_factor(admin_user, secretary, expert):
    enable(expert)
    with pytest.raises(NotAllowed):
        services.twofactor_reset(user=expert, by=secretary)
    services.twofactor_reset(user=expert, by=admin_user)
    assert not selectors.twofactor_enabled(expert)


# --- log-in with the second factor -----------------------------------------------------------------


def test_after_the_password_the_code_is_asked_before_any_page(settings, expert):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, _codes = enable(expert)
    client = password_login(expert)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:verify"))
    wrong = client.post(reverse("twofactor:verify"), {"code": "12345x", "next": "/reviews/"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()  # the user's language
    right = client.post(reverse("twofactor:verify"), {"code": code(device, ahead=1), "next": "/reviews/"})
    assert right.status_code == 302 and right.url == "/reviews/"
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_recovery_code_works_once(committee_member):
    _device, codes = enable(committee_member)
    first = password_login(committee_member)
    assert first.post(reverse("twofactor:verify"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("core:dashboard")).status_code == 200
    again = password_login(committee_member, ip="203.0.113.10")
    assert again.post(reverse("twofactor:verify"), {"code": codes[0]}).status_code == 400
    assert selectors.twofactor_status(committee_member).recovery_codes_left == 9


def test_an_offsite_next_is_not_followed(expert):
    device, _codes = enable(expert)
    client = password_login(expert)
    response = client.post(reverse("twofactor:verify"), {"code": code(device, 1), "next": "https://evil.example/"})
    assert response.url == reverse("core:dashboard")


def test_where_required_a_secretary_without_a_device_is_sent_to_set_up(settings, secretary):
    settings.MFA_REQUIRED = True
    client = password_login(secretary)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response.url == reverse("twofactor:setup")
    page = client.get(reverse("twofactor:setup"))
    assert page.status_code == 200 and 'data-testid="totp-secret"' in page.content.decode()
    device = selectors.totp_device(secretary, confirmed=False)
    done = client.post(reverse("twofactor:setup"), {"code": code(device)})
    assert done.status_code == 302 and done.url == reverse("twofactor:overview")
    overview = client.get(reverse("twofactor:overview")).content.decode()
    assert overview.count("<code>") == 10  # the codes, shown once
    assert client.get(reverse("twofactor:overview")).content.decode().count("<code>") == 0
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_not_required_by_default_so_the_demo_log_ins_work(settings, secretary):
    settings.MFA_REQUIRED = False
    client = password_login(secretary)
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_an_expert_is_offered_but_not_forced(settings, expert):
    settings.MFA_REQUIRED = True
    client = password_login(expert)
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert reverse("twofactor:overview") in client.get(reverse("core:dashboard")).content.decode()  # offered


def test_the_admin_requires_the_second_factor(settings, admin_user):
    settings.MFA_REQUIRED = True
    client = password_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == reverse("twofactor:setup")
    client.get(reverse("twofactor:setup"))
    device = selectors.totp_device(admin_user, confirmed=False)
    client.post(reverse("twofactor:setup"), {"code": code(device)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_refuses_a_session_without_the_factor_even_past_the_middleware(settings, rf, admin_user):
    from django.contrib import admin

    settings.MFA_REQUIRED = True
    request = rf.get("/admin/")
    request.user = admin_user
    request.user.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    request.user.is_verified = lambda: True
    assert admin.site.has_permission(request)


# --- who may use the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["twofactor:overview", "twofactor:setup"])
def test_pages_are_refused_to_applicants_and_anonymous(client_for, applicant_a, name):
    assert client_for(applicant_a).get(reverse(name)).status_code == 403
    response = client_for(None).get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_posts_are_refused_to_applicants(client_for, applicant_a):
    client = client_for(applicant_a)
    assert client.post(reverse("twofactor:recovery_codes")).status_code == 403
    assert client.post(reverse("twofactor:disable")).status_code == 403


def test_the_setup_page_shows_the_key_as_qr_code_and_text(client_for, expert):
    page = client_for(expert).get(reverse("twofactor:setup")).content.decode()
    device = selectors.totp_device(expert, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    assert 'src="data:image/svg+xml' in page
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page


def test_expert_turns_it_off_from_the_page(client_for, expert):
    enable(expert)
    client = client_for(expert)
    # force_login holds no verified device: the page asks for the code first.
    assert client.post(reverse("twofactor:disable")).status_code == 302
    assert selectors.twofactor_enabled(expert)
    device = selectors.totp_device(expert)
    client.post(reverse("twofactor:verify"), {"code": code(device, 1)})
    assert client.post(reverse("twofactor:disable")).url == reverse("twofactor:overview")
    assert not selectors.twofactor_enabled(expert)


def test_wrong_codes_slow_down_the_next_try(expert):
    device, _codes = enable(expert)
    client = password_login(expert)
    client.post(reverse("twofactor:verify"), {"code": "000000" if code(device, 1) != "000000" else "111111"})
    # Straight after a wrong code even the right one waits (django-otp doubles the wait per failure).
    assert client.post(reverse("twofactor:verify"), {"code": code(device, 1)}).status_code == 400
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_verify_page_sends_people_without_a_device_on(client_for, db):
    user = UserFactory()
    response = client_for(user).get(reverse("twofactor:verify"))
    assert response.status_code == 302 and response.url == reverse("core:dashboard")


def test_an_admin_resets_a_lost_device_from_the_people_list(settings, client_for, admin_user, expert):
    settings.MFA_REQUIRED = False
    enable(expert)
    response = client_for(admin_user).post(
        reverse("admin:core_user_changelist"), {"action": "reset_twofactor", "_selected_action": [expert.pk]}
    )
    assert response.status_code == 302
    assert not selectors.twofactor_enabled(expert)
    assert AuditEvent.objects.filter(event=AuditEventType.TWOFACTOR_RESET, actor=admin_user).count() == 1


@pytest.mark.parametrize("bad", ["\x00", "NaN", "1e309", "-0", "٣٤٥٦٧٨", "x" * 10_000, "\u200b123456", "\u202e123456"])
def test_odd_codes_and_next_values_are_refused_politely(settings, client_for, expert, committee_member, bad):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    enable(expert)
    client = password_login(expert)
    assert client.post(reverse("twofactor:verify"), {"code": bad, "next": bad}).status_code == 400
    # A NUL never reaches a view: core.middleware.RefuseNulMiddleware answers 400 with a message.
    assert client.get(reverse("twofactor:verify"), {"next": bad}).status_code == (400 if "\x00" in bad else 200)
    setting_up = client_for(committee_member)
    assert setting_up.get(reverse("twofactor:setup")).status_code == 200
    assert setting_up.post(reverse("twofactor:setup"), {"code": bad}).status_code == 400
    assert not selectors.twofactor_enabled(committee_member)
