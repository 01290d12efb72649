from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .services import TRANSIENT_ERRORS, certificate_render, certificates_requeue_stuck


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.CERTIFICATE_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.CERTIFICATE_RENDER_TIME_LIMIT,
)
def render_certificate(self, *, certificate_id: int) -> str:
    """Render one certificate. Safe to run twice: a ready certificate is left unchanged."""
    outcome = certificate_render(certificate_id=certificate_id)
    if outcome.busy_for is not None:
        # Another worker holds a live claim; come back once it is finished or has gone stale.
        raise self.retry(countdown=outcome.busy_for + 1, max_retries=50)
    return outcome.status


@shared_task(ignore_result=True)
def requeue_stuck_certificates() -> int:
    """On beat, every few minutes: renders abandoned by a dead worker or lost with the queue."""
    return certificates_requeue_stuck()
