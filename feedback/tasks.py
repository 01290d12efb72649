from __future__ import annotations

from celery import shared_task

from .services import report_render, reports_release_due


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def render_report(*, report_id: int) -> int | None:
    """Render one released report's PDF. Safe to run twice: the same report gives the same PDF."""
    rendered = report_render(report_id=report_id)
    return rendered.size if rendered else None


@shared_task(ignore_result=True)
def release_due_reports() -> int:
    """On beat, daily: release approved reports whose release date has come."""
    return reports_release_due()
