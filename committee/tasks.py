"""Thin tasks: keyword ids, call the service."""

from celery import shared_task
from django.utils import translation

from .services import meeting_pdf_render


@shared_task(acks_late=True, ignore_result=True)
def render_minutes(*, meeting_id: int) -> str:
    with translation.override("zh-hans"):
        return meeting_pdf_render(meeting_id=meeting_id, kind="minutes")


@shared_task(acks_late=True, ignore_result=True)
def render_report(*, meeting_id: int) -> str:
    with translation.override("zh-hans"):
        return meeting_pdf_render(meeting_id=meeting_id, kind="report")
