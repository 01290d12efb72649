from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection

from . import outbox, ratelimit, witness
from .mail import mail_render
from .models import User


@shared_task(acks_late=True)
def send_templated_mail(
    *,
    template: str,
    context: dict[str, Any],
    user_id: int | None = None,
    email: str | None = None,
    language: str | None = None,
    outbox_id: int | None = None,
) -> str:
    """Render and send one e-mail in the recipient's language. Returns the address used.

    With `outbox_id` the row is claimed first (a message the broker delivers twice is sent once) and
    a failure is recorded on it: the outbox retries with backoff, not Celery.
    """
    if outbox_id is not None and not outbox.outbox_mail_claim(outbox_id):
        return ""
    try:
        address = _send(template=template, context=context, user_id=user_id, email=email, language=language)
    except Exception as exc:
        if outbox_id is None:
            raise
        outbox.outbox_mail_failed(outbox_id, error=f"{type(exc).__name__}: {exc}")
        return ""
    if outbox_id is not None:
        outbox.outbox_mail_sent(outbox_id)
    return address


def _send(
    *, template: str, context: dict[str, Any], user_id: int | None, email: str | None, language: str | None
) -> str:
    user = User.objects.filter(pk=user_id).first() if user_id else None
    address = user.email if user else email
    if not address:
        return ""
    lang = language or (user.preferred_language if user else settings.LANGUAGE_CODE)
    rendered = mail_render(template=template, context=context, language=lang, recipient=user)
    message = EmailMultiAlternatives(rendered.subject, rendered.text, settings.DEFAULT_FROM_EMAIL, [address])
    message.attach_alternative(rendered.html, "text/html")
    message.send()
    return address


@shared_task
def worker_health() -> dict[str, Any]:
    """A cheap round trip through the worker: proves it runs and reaches the database."""
    return {"database": connection.vendor, "users": User.objects.count()}


@shared_task(ignore_result=True)
def outbox_dispatch_due() -> str:
    """On beat, every 30 s: hand over what the requests could not (broker away, failed, lost)."""
    return str(outbox.outbox_dispatch_due())


@shared_task(ignore_result=True)
def ratelimit_purge() -> int:
    """Daily: drop expired rate-limit counters."""
    return ratelimit.counters_purge()


@shared_task(ignore_result=True)
def audit_witness(*, reason: str = "daily") -> str:
    """Daily on beat, and after each publication: a signed witness of the audit chain's head."""
    path = witness.witness_write(reason=reason)
    return str(path or "")
