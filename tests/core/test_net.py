"""core.net (the client's address behind trusted proxies) and core.ratelimit (counting attempts)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core import ratelimit
from core.enums import AuditEventType
from core.models import AuditEvent
from core.net import client_address
from tests.factories.core import UserFactory

rf = RequestFactory()


def _request(remote="203.0.113.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **meta)


def test_without_trusted_proxies_the_peer_is_the_client_and_forwarded_headers_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(forwarded="198.51.100.7")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),  # client → our proxy
        (1, "10.6.6.6, 198.51.100.7", "198.51.100.7"),  # the client's own header entry is not trusted
        (2, "198.51.100.7, 192.0.2.1", "198.51.100.7"),  # client → CDN → our proxy
        (2, "198.51.100.7", "203.0.113.9"),  # fewer hops than proxies: only the peer is known
        (1, "not-an-address", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "", "203.0.113.9"),
    ],
)
def test_behind_trusted_proxies_the_entry_they_appended_is_the_client(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(_request(forwarded=forwarded)) == expected


def test_an_unparseable_peer_address_is_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request(remote="")) is None


def test_the_login_lock_uses_the_forwarded_address(settings, anonymous, applicant_a):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # Five failures from one client behind the proxy lock that client out ...
    for _ in range(5):
        anonymous.post(
            reverse("login"),
            {"username": applicant_a.email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
            **proxy,
        )
    locked = anonymous.post(
        reverse("login"),
        {"username": applicant_a.email, "password": "Correct-horse-42"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert locked.status_code == 429
    # ... but not everyone else arriving through the same proxy.
    colleague = UserFactory(email="colleague@alpha.example.cn")
    other = anonymous.post(
        reverse("login"),
        {"username": colleague.email, "password": "Correct-horse-42"},
        HTTP_X_FORWARDED_FOR="198.51.100.8",
        **proxy,
    )
    assert other.status_code == 302


def test_audit_events_record_the_forwarded_address(settings, anonymous, db):
    settings.TRUSTED_PROXY_COUNT = 1
    response = anonymous.post(
        reverse("enterprises:register"),
        {
            "email": "proxy@example.cn",
            "full_name": "经代理",
            "preferred_language": "en",
            "password1": "Quality-award-2026",
            "password2": "Quality-award-2026",
        },
        HTTP_X_FORWARDED_FOR="10.6.6.6, 198.51.100.7",
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(event=AuditEventType.USER_REGISTERED)
    assert event.ip_address == "198.51.100.7"


def test_a_counter_allows_the_limit_then_refuses_until_its_window_ends(db):
    assert [ratelimit.exceeded("t", "198.51.100.7", limit=2, window=60) for _ in range(3)] == [False, False, True]
    assert ratelimit.attempts("t", "198.51.100.7") == 3
    assert not ratelimit.exceeded("t", "198.51.100.8", limit=2, window=60)  # per address
    assert not ratelimit.exceeded("other", "198.51.100.7", limit=2, window=60)  # per scope


def test_the_window_starts_with_the_first_attempt(db, settings):
    from core.models import RateLimitCounter

    ratelimit.count("t", "198.51.100.7", window=60)
    RateLimitCounter.objects.update(window_ends_at="2000-01-01T00:00:00Z")  # the window has ended
    assert ratelimit.attempts("t", "198.51.100.7") == 0
    assert ratelimit.count("t", "198.51.100.7", window=60) == 1
