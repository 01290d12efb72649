"""The HTML and PDF of the printable application and the acceptance receipt (WeasyPrint via core.pdf)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from awards import sections
from awards.models import ApplicationSnapshot
from awards.selectors import framework_categories
from certificates.rendering import seal_svg
from core.pdf import html_to_pdf

from .enums import Document

TEMPLATES = {Document.APPLICATION: "pdf/application.html", Document.RECEIPT: "pdf/receipt.html"}


def printout_context(snapshot: ApplicationSnapshot) -> dict:
    application = snapshot.application
    categories = framework_categories(application.cycle)
    attachments = [
        {**a, "kind_label": sections.attachment_label(a)} for a in snapshot.data.get(sections.ATTACHMENTS) or []
    ]
    return {
        "snapshot": snapshot,
        "application": application,
        "cycle": application.cycle,
        "view": sections.snapshot_view(snapshot.data, categories),
        "sections": [sections.SECTION_TITLES[s] for s in sections.SECTIONS],
        "attachments": attachments,
        "submitted_local": timezone.localtime(snapshot.created_at),
        # The award office's seal (the certificate carries the committee's, AwardProgramme.seal_text).
        "seal_svg": mark_safe(seal_svg(application.cycle.programme.office_seal_text)),  # noqa: S308 - escaped there
    }


def printout_html(snapshot: ApplicationSnapshot, document: str, language: str = "zh-hans") -> str:
    with translation.override(language):
        return render_to_string(TEMPLATES[document], printout_context(snapshot))


def printout_pdf(snapshot: ApplicationSnapshot, document: str, language: str = "zh-hans") -> bytes:
    return html_to_pdf(printout_html(snapshot, document, language))
