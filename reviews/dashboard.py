"""The review section of the dashboard: an expert's open work; a secretary's review links."""

from __future__ import annotations

from django.utils import timezone

from awards.selectors import user_roles
from core.dashboard import Section

from . import selectors


def review_sections(request) -> list[Section]:
    roles = user_roles(request.user)
    sections = []
    if roles.is_expert:
        now = timezone.now()
        rows = [(a, selectors.cell_status(a, now)) for a in selectors.assignments_of_expert(request.user)]
        open_rows = [r for r in rows if r[1] in ("not_declared", "in_progress", "overdue")]
        sections.append(Section("reviews/_dashboard_expert.html", {"open": open_rows, "total": len(rows)}))
    if roles.is_secretary or roles.is_admin:
        sections.append(
            Section("reviews/_dashboard_office.html", {"cycles": list(selectors.cycles_with_reviews_for(request.user))})
        )
    return sections
