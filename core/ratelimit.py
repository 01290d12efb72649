"""Counting attempts per client address in the cache, for public forms and look-ups.

A counter starts with the first attempt and expires `window` seconds later; until then at most
`limit` attempts pass. In production the cache is Redis, shared by every web process; in
development it is the process's memory.
"""

from __future__ import annotations

from django.core.cache import cache


def _key(scope: str, who: str | None) -> str:
    return f"ratelimit:{scope}:{who or 'unknown'}"


def attempts(scope: str, who: str | None) -> int:
    """How many attempts were counted in the current window."""
    return cache.get(_key(scope, who), 0)


def count(scope: str, who: str | None, *, window: int) -> int:
    """Count one attempt; returns the number in the current window, this one included."""
    key = _key(scope, who)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def exceeded(scope: str, who: str | None, *, limit: int, window: int) -> bool:
    """Count one attempt and say whether it is over the limit."""
    return count(scope, who, window=window) > limit
