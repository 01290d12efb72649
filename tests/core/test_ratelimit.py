import logging
import threading

import pytest
from django.db import connection
from django.test import override_settings

from core import ratelimit
from core.models import RateLimitCounter
from core.scopes import in_every_programme

pytestmark = pytest.mark.django_db


def test_it_counts_within_the_window_and_starts_again_after_it():
    assert [ratelimit.count("verify", "10.0.0.1", window=60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.attempts("verify", "10.0.0.1") == 3
    assert ratelimit.attempts("verify", "10.0.0.2") == 0
    RateLimitCounter.objects.update(window_ends_at="2000-01-01T00:00:00Z")
    assert ratelimit.attempts("verify", "10.0.0.1") == 0
    assert ratelimit.count("verify", "10.0.0.1", window=60) == 1


def test_exceeded_lets_the_limit_through_and_refuses_the_next():
    results = [ratelimit.exceeded("register", "10.0.0.1", limit=3, window=60) for _ in range(5)]
    assert results == [False, False, False, True, True]


def test_expired_counters_are_purged():
    ratelimit.count("verify", "10.0.0.1", window=60)
    RateLimitCounter.objects.update(window_ends_at="2000-01-01T00:00:00Z")
    assert ratelimit.counters_purge() == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_counts_in_one_statement_and_keeps_the_sessions_durability():
    """A request's counter (no transaction around it): PostgreSQL counts with UPDATE … RETURNING in a
    transaction of its own whose commit does not wait for the disk; later transactions still do."""
    assert [ratelimit.count("verify", "10.0.0.7", window=60) for _ in range(3)] == [1, 2, 3]
    RateLimitCounter.objects.update(window_ends_at="2000-01-01T00:00:00Z")
    assert ratelimit.count("verify", "10.0.0.7", window=60) == 1
    assert RateLimitCounter.objects.get().count == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_cannot_all_pass():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections (PostgreSQL)")
    barrier = threading.Barrier(12)
    passed = []

    def attempt():
        try:
            barrier.wait()
            if not ratelimit.exceeded("objections", "10.9.9.9", limit=5, window=3600):
                passed.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=in_every_programme(attempt)) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passed) == 5
    assert RateLimitCounter.objects.get().count == 12


@override_settings(
    RATELIMIT_STORE="redis",
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nobody listens here
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    },
)
def test_an_unreachable_store_lets_the_request_through_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="core.ratelimit"):
        assert ratelimit.exceeded("verify", "10.0.0.1", limit=0, window=60) is False
        assert ratelimit.attempts("verify", "10.0.0.1") == 0
    assert "unreachable" in caplog.text


@override_settings(
    RATELIMIT_STORE="redis",
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}},
)
def test_the_public_verification_page_answers_while_the_cache_is_down(client):
    response = client.get("/certificates/verify/not-a-real-code/")
    assert response.status_code in (200, 404)
