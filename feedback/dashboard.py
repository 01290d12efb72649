"""Dashboard sections (core.dashboard.SECTION_PROVIDERS): the enterprise's released reports, the
panel leader's reports to draft. Each one partial template, so it can be included anywhere."""

from __future__ import annotations

from core.dashboard import Section

from .selectors import cycles_for_office, released_reports_of_user, report_rows, reports_for_leader


def enterprise_feedback(request) -> list[Section]:
    reports = []
    for report in released_reports_of_user(request.user)[:10]:
        rows = report_rows(report)
        reports.append((report, rows, any(row.previous for row in rows)))
    if not reports:
        return []
    return [Section("feedback/_dashboard_enterprise.html", {"reports": reports})]


def leader_feedback(request) -> list[Section]:
    count = reports_for_leader(request.user).count()
    if not count:
        return []
    return [Section("feedback/_dashboard_leader.html", {"count": count})]


def office_feedback(request) -> list[Section]:

    cycles = list(cycles_for_office(request.user))
    if not cycles:
        return []
    return [Section("feedback/_dashboard_office.html", {"cycles": cycles})]
