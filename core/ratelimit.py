"""Counting attempts per client address, for public forms and look-ups.

A counter starts with the first attempt and expires `window` seconds later; until then at most
`limit` attempts pass. Counting and reading the count are one step (Redis INCR, or an SQL
`UPDATE … SET count = count + 1` in the database), so parallel requests cannot all slip through,
and the counter is shared by every web process: Redis in production, the database in `make run`
(`RATELIMIT_STORE`). When the store is unreachable the request is let through and a warning
logged: a missing rate limit is better than an error page on the public forms.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateLimitCounter

logger = logging.getLogger(__name__)


def _key(scope: str, who: str | None) -> str:
    return f"ratelimit:{scope}:{who or 'unknown'}"


def _store() -> str:
    return settings.RATELIMIT_STORE


def _redis_client(key: str):
    cache = caches["default"]
    return cache._cache.get_client(key, write=True), cache.make_and_validate_key(key)


def attempts(scope: str, who: str | None) -> int:
    """How many attempts were counted in the current window (0 if the store is unreachable)."""
    key = _key(scope, who)
    try:
        if _store() == "redis":
            client, k = _redis_client(key)
            return int(client.get(k) or 0)
        row = RateLimitCounter.objects.filter(key=key, window_ends_at__gt=timezone.now()).first()
        return row.count if row else 0
    except Exception as exc:
        logger.warning("Rate limit %s not checked, the store is unreachable: %s", scope, exc)
        return 0


def count(scope: str, who: str | None, *, window: int) -> int:
    """Count one attempt; returns the number in the current window, this one included (0 on a fault)."""
    key = _key(scope, who)
    try:
        if _store() == "redis":
            client, k = _redis_client(key)
            pipe = client.pipeline(transaction=True)
            pipe.incr(k)
            pipe.expire(k, window, nx=True)
            return int(pipe.execute()[0])
        return _count_in_database(key, window)
    except Exception as exc:
        logger.warning("Rate limit %s not counted, the store is unreachable: %s", scope, exc)
        return 0


# PostgreSQL: count in one statement, and do not wait for the commit to reach the disk when the
# counter is the transaction's only write (a counter lost with a crash of the server lets one more
# attempt through; waiting for the flush made each public look-up several times the cost of its page).
_PG_COUNT = (
    "SET LOCAL synchronous_commit TO OFF; "
    f"UPDATE {RateLimitCounter._meta.db_table} SET count = count + 1 WHERE key = %s AND window_ends_at > %s "
    "RETURNING count"
)


def _count_in_database(key: str, window: int) -> int:
    now = timezone.now()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_PG_COUNT, [key, now])
            row = cursor.fetchone()
        if row is not None:
            return row[0]
    with transaction.atomic():
        live = RateLimitCounter.objects.filter(key=key, window_ends_at__gt=now)
        if live.update(count=F("count") + 1):
            # Our UPDATE holds the row until commit: the count read here is ours.
            return live.values_list("count", flat=True).get()
        RateLimitCounter.objects.filter(key=key, window_ends_at__lte=now).delete()
        try:
            with transaction.atomic():
                RateLimitCounter.objects.create(key=key, window_ends_at=now + dt.timedelta(seconds=window), count=1)
            return 1
        except IntegrityError:  # a parallel request opened the window first
            live.update(count=F("count") + 1)
            return live.values_list("count", flat=True).get()


def exceeded(scope: str, who: str | None, *, limit: int, window: int) -> bool:
    """Count one attempt and say whether it is over the limit."""
    return count(scope, who, window=window) > limit


def counters_purge(*, now: dt.datetime | None = None) -> int:
    """Drop expired database counters (beat, daily)."""
    return RateLimitCounter.objects.filter(window_ends_at__lte=now or timezone.now()).delete()[0]
