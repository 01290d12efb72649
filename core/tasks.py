from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation

from .models import User


@shared_task(
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    acks_late=True,
)
def send_templated_mail(
    *,
    template: str,
    context: dict[str, Any],
    user_id: int | None = None,
    email: str | None = None,
    language: str | None = None,
) -> str:
    """Render and send one e-mail in the recipient's language. Returns the address used."""
    user = User.objects.filter(pk=user_id).first() if user_id else None
    address = user.email if user else email
    if not address:
        return ""
    lang = language or (user.preferred_language if user else settings.LANGUAGE_CODE)
    ctx = {**context, "recipient": user, "site_url": settings.SITE_URL}
    with translation.override(lang):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", ctx).split())
        body = render_to_string(f"emails/{template}.txt", ctx)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return address


@shared_task
def worker_health() -> dict[str, Any]:
    """A cheap round trip through the worker: proves it runs and reaches the database."""
    return {"database": connection.vendor, "users": User.objects.count()}
