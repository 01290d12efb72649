"""The client's network address, also behind reverse proxies we trust.

Behind `TRUSTED_PROXY_COUNT` proxies (the TLS terminator in production) every request arrives from
the proxy, and the client's address is the one the nearest trusted proxy appended to
X-Forwarded-For: counting from the right, entry number TRUSTED_PROXY_COUNT. Entries further left
were written by the client and prove nothing. With no trusted proxy REMOTE_ADDR is the client.
Audit events, rate limits and the log-in lock-out (django-axes) all use this one function.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(hops) < proxies:
        return remote  # not (entirely) through our proxies: the direct peer is all we know
    return _valid(hops[-proxies]) or remote


def login_username(request, credentials) -> str | None:
    """The username axes records for a log-in attempt, at most 254 characters (the e-mail column)."""
    if credentials:
        value = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        value = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return None if value is None else str(value)[:254]
