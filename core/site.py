"""The site's own name (settings.SITE_NAME_ZH / SITE_NAME_EN), for what belongs to no one programme."""

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language


def site_name(language: str | None = None) -> str:
    """In `language`, or the active one."""
    language = language or get_language() or ""
    return settings.SITE_NAME_EN if language.startswith("en") else settings.SITE_NAME_ZH


# For strings set once at import time that must follow the reader's language (the admin's header).
site_name_lazy = lazy(site_name, str)
