"""The enterprise dashboard's certificates section (portal.dashboard.SECTION_PROVIDERS)."""

from __future__ import annotations

from core.dashboard import Section

from .selectors import certificates_of_user_enterprises


def enterprise_certificates(request) -> list[Section]:
    certificates = list(certificates_of_user_enterprises(request.user).select_related("application"))
    if not certificates:
        return []
    return [Section("certificates/_dashboard.html", {"certificates": certificates})]
