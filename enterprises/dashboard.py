"""The "My enterprise" dashboard section (registered in portal.dashboard.SECTION_PROVIDERS)."""

from __future__ import annotations

import rules

from core.dashboard import Section

from .selectors import enterprises_of_user


def sections(request) -> list[Section]:
    user = request.user
    if not user.is_authenticated:
        return []
    enterprises = list(enterprises_of_user(user))
    unverified = not user.email_verified
    may_create = not enterprises and rules.has_perm("enterprises.register_enterprise", user)
    if not (enterprises or unverified or may_create):
        return []  # experts, committee members, the office: nothing to show here
    return [
        Section(
            "enterprises/_dashboard.html",
            {"enterprises": enterprises, "unverified": unverified, "may_create": may_create, "email": user.email},
        )
    ]
