"""The development mailbox (/dev/mail/, DEBUG only) and the project's own 404 page with DEBUG on."""

import pytest
from django.core import mail as django_mail
from django.core.mail import get_connection, send_mail
from django.urls import reverse

from core import devmail


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.DEV_MAIL_DIR = str(tmp_path / "dev-mail")
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8123"
    return get_connection("core.devmail.DevMailboxBackend")


def send(
    connection, subject="请确认您的电子邮箱", to="li@example.cn", body="打开 http://127.0.0.1:8123/accounts/verify/abc/"
):
    return send_mail(subject, body, "office@example.org", [to], connection=connection)


def test_a_sent_mail_is_kept_and_announced_in_one_plain_line(mailbox, capsys):
    assert send(mailbox) == 1
    err = capsys.readouterr().err.strip().splitlines()
    [stored] = devmail.dev_mails()
    assert err == [f"E-mail to li@example.cn: 请确认您的电子邮箱 -> http://127.0.0.1:8123/dev/mail/{stored.id}/"]
    assert stored.subject == "请确认您的电子邮箱" and stored.to == ["li@example.cn"]  # not MIME-encoded
    assert django_mail.outbox == []  # nothing went out through another backend


def test_the_mailbox_lists_newest_first_in_both_languages(mailbox, client, db):
    send(mailbox, subject="First")
    send(mailbox, subject="Second")
    en = client.get(reverse("core:dev_mail"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Development mailbox" in en and en.index("Second") < en.index("First")
    zh = client.get(reverse("core:dev_mail"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "开发邮箱" in zh


def test_one_mail_shows_its_links_clickable(mailbox, client, db):
    send(mailbox)
    [stored] = devmail.dev_mails()
    page = client.get(reverse("core:dev_mail_detail", args=[stored.id])).content.decode()
    assert '<a href="http://127.0.0.1:8123/accounts/verify/abc/"' in page


def test_unknown_or_odd_ids_are_not_found(mailbox, client, db):
    assert client.get(reverse("core:dev_mail_detail", args=["nope"])).status_code == 404
    assert client.get("/dev/mail/..%2F..%2Fetc%2Fpasswd/").status_code == 404


def test_the_mailbox_is_refused_when_debug_is_off(mailbox, settings, client, db):
    send(mailbox)
    [stored] = devmail.dev_mails()
    settings.DEBUG = False
    assert client.get(reverse("core:dev_mail")).status_code == 404
    assert client.get(reverse("core:dev_mail_detail", args=[stored.id])).status_code == 404


def test_only_the_newest_messages_are_kept(mailbox, monkeypatch):
    monkeypatch.setattr(devmail, "KEEP", 3)
    for i in range(5):
        send(mailbox, subject=f"m{i}")
    assert [m.subject for m in devmail.dev_mails()] == ["m4", "m3", "m2"]


# --- 404 with DEBUG on ----------------------------------------------------------------------------


def test_debug_404_uses_the_projects_page(settings, client, db):
    settings.DEBUG = True
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and "Back to the home page" in page
    assert "URLconf" not in page


def test_debug_404_from_a_view_uses_the_projects_page(settings, client_for, admin_user):
    settings.DEBUG = True
    response = client_for(admin_user).get(reverse("enterprises:office_detail", args=[999999]))
    assert response.status_code == 404 and '<p class="error-code">404</p>' in response.content.decode()


def test_the_technical_404_when_asked(settings, client, db):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = True
    page = client.get("/no-such-page/").content.decode()
    assert "URLconf" in page


def test_a_missing_slash_is_still_redirected(settings, client, db):
    settings.DEBUG = True
    response = client.get("/dashboard")
    assert response.status_code == 301 and response.url == "/dashboard/"
