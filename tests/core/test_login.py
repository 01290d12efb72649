"""Log-in throttling (django-axes) and password-reset throttling."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories.core import UserFactory

PASSWORD = "Correct-horse-42"  # the factories' password


def _login(client, email, password, ip="203.0.113.5"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_one_address_trying_many_accounts_is_locked_out(db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    victims = [UserFactory(email=f"staff{i}@example.cn") for i in range(6)]
    answers = [_login(Client(), v.email, "Wrong-guess-1").status_code for v in victims[:5]]
    assert answers == [200] * 4 + [429]  # each account saw a single failure; the fifth locks the address
    # The address is now locked: even the right password of an untried account is refused ...
    assert _login(Client(), victims[5].email, PASSWORD).status_code == 429
    # ... while the same account from another address logs in.
    assert _login(Client(), victims[5].email, PASSWORD, ip="198.51.100.20").status_code == 302


def test_one_account_attacked_from_many_addresses_is_locked(db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    user = UserFactory(email="target@example.cn")
    answers = [_login(Client(), user.email, "Wrong-guess-1", ip=f"198.51.100.{i + 1}").status_code for i in range(5)]
    assert answers == [200] * 4 + [429]
    assert _login(Client(), user.email, PASSWORD, ip="192.0.2.77").status_code == 429
    # Other accounts from those addresses are not affected (each address failed only once).
    other = UserFactory(email="other@example.cn")
    assert _login(Client(), other.email, PASSWORD, ip="198.51.100.1").status_code == 302


def test_a_successful_log_in_below_the_limit_works(db):
    user = UserFactory(email="ok@example.cn")
    for _ in range(3):
        _login(Client(), user.email, "Wrong-guess-1")
    assert _login(Client(), user.email, PASSWORD).status_code == 302


def _reset(email, ip="203.0.113.5"):
    return Client().post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    mail.outbox.clear()
    return django_capture_on_commit_callbacks


def test_password_reset_mails_are_throttled_per_account(db, settings, capture):
    settings.PASSWORD_RESET_RATE_LIMIT_ACCOUNT = 3
    settings.PASSWORD_RESET_RATE_LIMIT_ADDRESS = 100
    user = UserFactory(email="forgetful@example.cn")
    answers = [_reset(user.email, ip=f"198.51.100.{i + 1}") for i in range(10)]
    # Every request gets the same answer; only three links go out.
    assert {a.status_code for a in answers} == {302}
    assert {a.url for a in answers} == {reverse("password_reset_done")}
    assert len(mail.outbox) == 3 and all(m.to == [user.email] for m in mail.outbox)


def test_password_reset_requests_are_throttled_per_address(db, settings, capture):
    settings.PASSWORD_RESET_RATE_LIMIT_ACCOUNT = 100
    settings.PASSWORD_RESET_RATE_LIMIT_ADDRESS = 4
    users = [UserFactory(email=f"p{i}@example.cn") for i in range(8)]
    answers = [_reset(u.email) for u in users]
    assert {a.status_code for a in answers} == {302}
    assert len(mail.outbox) == 4
    # Another address still gets its link.
    _reset(users[7].email, ip="192.0.2.200")
    assert len(mail.outbox) == 5 and mail.outbox[-1].to == [users[7].email]


def test_password_reset_for_an_unknown_address_answers_the_same(db, capture):
    known = UserFactory(email="known@example.cn")
    assert _reset("nobody@example.cn").url == _reset(known.email).url == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [[known.email]]
