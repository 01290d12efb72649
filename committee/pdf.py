"""Minutes and meeting report as PDF, rendered with WeasyPrint from templates/committee/pdf/."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone

from core.pdf import html_to_pdf

from . import selectors
from .models import Meeting


def _pdf(template: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template, {**context, "generated_at": timezone.now()}))


def minutes_context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "cycle": meeting.cycle,
        "attendance": selectors.meeting_attendance(meeting),
        "quorum": selectors.meeting_quorum(meeting),
        "attendance_events": selectors.meeting_attendance_events(meeting),
        "ballots": selectors.meeting_ballots(meeting),
        "rows": selectors.meeting_ballot_rows(meeting, AnonymousUser()),
        "levels": selectors.level_preview(meeting),
        "rule": selectors.counting_rule(meeting),
        "remarks": selectors.meeting_remarks(meeting),
    }


def render_minutes(meeting: Meeting) -> bytes:
    return _pdf("committee/pdf/minutes.html", minutes_context(meeting))


def report_context(meeting: Meeting) -> dict:
    breakdown = selectors.cycle_breakdown(meeting.cycle)
    return {
        "meeting": meeting,
        "cycle": meeting.cycle,
        "charts": {k: selectors.chart_rows(v) for k, v in breakdown.items()},
        "ballots": selectors.meeting_ballots(meeting),
        "blocks": selectors.report_blocks(meeting),
    }


def render_report(meeting: Meeting) -> bytes:
    return _pdf("committee/pdf/report.html", report_context(meeting))
