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
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import condition

from .models import AuditEvent

logger = logging.getLogger(__name__)


def last_change(request, *args, **kwargs) -> dt.datetime | None:
    """The time of the newest audit event or admin edit (cached on the request)."""
    if not hasattr(request, "_public_last_change"):
        times = [
            AuditEvent.objects.order_by("-seq").values_list("created_at", flat=True).first(),
            LogEntry.objects.order_by("-action_time").values_list("action_time", flat=True).first(),
        ]
        times = [t for t in times if t is not None]
        request._public_last_change = max(times) if times else None
    return request._public_last_change


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
