"""The feedback report as a bilingual PDF (labels in Chinese and English), rendered with core.pdf."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from core.pdf import html_to_pdf

from . import selectors
from .enums import Quartile
from .models import FeedbackReport

LABELS = {
    "title": gettext_noop("Feedback report"),
    "strengths": gettext_noop("Strengths"),
    "opportunities": gettext_noop("Opportunities for improvement"),
    "band": gettext_noop("Scoring band reached"),
    "next_band": gettext_noop("What the next band looks like"),
    "top_band": gettext_noop("This is the highest band."),
    "quartile": gettext_noop("Position in this cycle's cohort"),
    "change": gettext_noop("Change since the previous report"),
    "themes": gettext_noop("Key themes across categories"),
    "findings": gettext_noop("Site-visit findings"),
    "version": gettext_noop("Version"),
    "released": gettext_noop("Released on"),
    "corrected": gettext_noop("This version corrects an earlier one. Reason"),
    "about": gettext_noop(
        "Bands are the GB/T 19580 scoring bands of the panel's score for the category; no expert's individual "
        "score is shown. The quartile compares the category with the other applicants of the cycle, who are not named."
    ),
}


def _both(text) -> tuple[str, str]:
    with translation.override("zh-hans"):
        zh = str(translation.gettext(text) if isinstance(text, str) else text)
    with translation.override("en"):
        en = str(translation.gettext(text) if isinstance(text, str) else text)
    return zh, en


def _band(row_band):
    if row_band is None:
        return None
    low, high, description = row_band
    return {"low": low, "high": high, "text": _both(description)}


def report_context(report: FeedbackReport) -> dict:
    rows = []
    for row in selectors.report_rows(report):
        rows.append(
            {
                "row": row,
                "band": _band(row.band),
                "next_band": _band(row.next_band),
                "previous": _band(row.previous),
                "quartile": _both(Quartile(row.quartile).label) if row.quartile else None,
            }
        )
    return {
        "report": report,
        "application": report.application,
        "rows": rows,
        "L": {k: _both(v) for k, v in LABELS.items()},
        "generated_at": timezone.now(),
    }


def report_pdf(report: FeedbackReport) -> bytes:
    with translation.override("zh-hans"):
        html = render_to_string("feedback/pdf/report.html", report_context(report))
    return html_to_pdf(html)
