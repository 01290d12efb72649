"""Conditional GET for the public pages (home, notice, winners): ETag and Last-Modified.

What these pages show changes only when something is recorded: every state change writes an audit
event (core.audit) and every Django admin edit a LogEntry, so the newest of the two is the pages'
last change, found with two indexed one-row queries. The ETag adds what else the HTML depends on:
the language, the visitor (the header names a signed-in user), the CSRF cookie (the forms carry a
token made from it) and the local date (a notice period opens and ends without any write). A
visitor with messages waiting always gets the full page, so no message is swallowed by a 304.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import condition

from .models import AuditEvent

logger = logging.getLogger(__name__)


def last_change(request, *args, **kwargs) -> dt.datetime | None:
    """The time of the newest audit event or admin edit (cached on the request)."""
    if not hasattr(request, "_public_last_change"):
        request._public_last_change = newest_change()
    return request._public_last_change


def newest_change() -> dt.datetime | None:
    """The newest audit event's or admin edit's time: one statement of two indexed one-row lookups,
    written out rather than built by the ORM because every kept page asks it on every request."""
    events, log = AuditEvent._meta, LogEntry._meta
    sql = (
        f"SELECT (SELECT {events.get_field('created_at').column} FROM {events.db_table} "  # noqa: S608 -- names from the models
        f"ORDER BY {events.get_field('seq').column} DESC LIMIT 1), "
        f"(SELECT {log.get_field('action_time').column} FROM {log.db_table} "
        f"ORDER BY {log.get_field('action_time').column} DESC LIMIT 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    times = [_as_datetime(t) for t in row if t is not None]
    return max(times) if times else None


def _as_datetime(value) -> dt.datetime:
    """A time read by a raw statement: PostgreSQL returns an aware datetime, SQLite its text (UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def public_etag(request, *args, **kwargs) -> str:
    if len(get_messages(request)):
        return uuid.uuid4().hex  # never matches: the page must show the messages
    changed = last_change(request)
    parts = [
        changed.isoformat() if changed else "",
        get_language() or "",
        str(request.user.pk or "") if hasattr(request, "user") else "",
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        timezone.localdate().isoformat(),
        request.get_full_path(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def public_page(view):
    """Decorate a public GET page: 304 Not Modified when nothing it shows has changed; browsers
    keep the page but ask again each time (private: the HTML carries the visitor's CSRF token)."""
    conditional = condition(etag_func=public_etag, last_modified_func=last_change)(view)

    def wrapper(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True)
        return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    wrapper.__wrapped__ = view
    return wrapper


def fragment_per_state(request, name: str, render: Callable[[], str], *, state: str = "", timeout: int = 300) -> str:
    """The HTML `render()` makes for a page's main content, kept in the cache under the site's state:
    the last change (see `last_change`: every state change writes an audit event, every admin edit
    a LogEntry; two one-row queries, which the public pages' ETag already makes), the language, the
    local date and the address with its query string. For content that is the same for everyone who
    may see the page (the view checks the permission first): no form with a CSRF token, no name of
    the signed-in user, no script nonce. `state` adds what else the content follows (a page whose
    figures may also be written outside a recorded change). A cache that cannot be reached is skipped."""
    changed = last_change(request)
    parts = [
        name,
        state,
        changed.isoformat() if changed else "",
        get_language() or "",
        timezone.localdate().isoformat(),
        request.get_full_path(),
    ]
    key = "public-fragment:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    try:
        html = cache.get(key)
    except Exception as exc:  # an unreachable cache must not cost the page
        logger.warning("Public page cache not read: %s", exc)
        return mark_safe(render())  # noqa: S308 -- rendered by a template, escaped there
    if html is None:
        html = render()
        try:
            cache.set(key, html, timeout)
        except Exception as exc:
            logger.warning("Public page cache not written: %s", exc)
    return mark_safe(html)  # noqa: S308 -- rendered by a template, escaped there
