"""Dashboard sections: committee members (upcoming meeting, open ballots), the office (status, objections)."""

from __future__ import annotations

from awards.selectors import user_roles
from core.dashboard import Section

from . import selectors


def sections(request) -> list[Section]:
    user = request.user
    roles = user_roles(user)
    out: list[Section] = []
    if roles.is_committee:
        out.append(Section("committee/_dashboard_member.html", selectors.member_upcoming(user)))
    if roles.is_secretary or roles.is_admin:
        rows = selectors.secretary_overview(user)
        if rows:
            out.append(Section("committee/_dashboard_secretary.html", {"cycles": rows}))
    return out
