"""What an award programme's fields may hold: its address among the site's paths, its divisions."""

from __future__ import annotations

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.urls import URLResolver, get_resolver
from django.utils.translation import gettext_lazy as _

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DIVISION_RE = re.compile(r"^(?:\d{2}|\d{4}|\d{6})$")
PREFIX_RE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")
# Served outside the URL conf (the web server, the storage) or by it in a way the walk cannot see.
ALWAYS_RESERVED = frozenset({"admin", "static", "media", "programmes", "accounts"})


def _first_segments(patterns, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for p in patterns:
        route = prefix + str(p.pattern).lstrip("^")
        if isinstance(p, URLResolver) and route == "":
            found |= _first_segments(p.url_patterns)
            continue
        head = route.split("/", 1)[0]
        # A pattern that starts with a converter (the programme's own pages) reserves nothing.
        if head and "<" not in head:
            found.add(head.rstrip("$"))
    return found


@lru_cache(maxsize=1)
def reserved_slugs() -> frozenset[str]:
    """The first path segment of every page of the site: a programme may not take one as its address."""
    return frozenset(s.lower() for s in _first_segments(get_resolver().url_patterns)) | ALWAYS_RESERVED


def validate_programme_slug(value: str) -> None:
    if not SLUG_RE.match(value or ""):
        raise ValidationError(
            _("Use lower-case letters, digits and single hyphens (for example chenzhou or hunan)."), code="invalid"
        )
    if value in reserved_slugs():
        raise ValidationError(
            _("“%(slug)s” is already a path of the site; choose another address."),
            code="reserved",
            params={"slug": value},
        )


def validate_divisions(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Give at least one division code prefix."), code="empty")
    bad = [str(v) for v in value if not isinstance(v, str) or not DIVISION_RE.match(v)]
    if bad:
        raise ValidationError(
            _("Division codes have 2, 4 or 6 digits (GB/T 2260): %(bad)s."),
            code="invalid",
            params={"bad": ", ".join(bad)},
        )


def validate_number_prefix(value: str) -> None:
    if not PREFIX_RE.match(value or ""):
        raise ValidationError(
            _("Capital letters and digits, starting with a letter (2 to 12 characters)."), code="invalid"
        )


def division_admitted(divisions: list[str], district: str) -> bool:
    """Prefix match: "43" admits every Hunan code, "4310" Chenzhou's, "431002" that district only."""
    return bool(district) and any(district.startswith(d) for d in divisions or [])
