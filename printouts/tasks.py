from __future__ import annotations

from celery import shared_task

from .services import printout_render


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=5, max_retries=5)
def render_printout(*, printout_id: int) -> str:
    """Render one printout. Safe to run twice: a ready printout is left unchanged."""
    return printout_render(printout_id=printout_id)
