"""Queue e-mails through the outbox; the task renders them in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .models import User
from .outbox import outbox_add_mail


def mail_queue(
    *,
    template: str,
    context: dict[str, Any] | None = None,
    to_user: User | None = None,
    to_email: str | None = None,
    language: str | None = None,
    cycle: Any = None,
) -> None:
    """Send `emails/<template>_subject.txt` and `emails/<template>.txt` once the transaction commits.

    The message is an outbox row of the current transaction (nothing is sent if it rolls back).
    `context` must be JSON-serialisable: it travels through the broker. `cycle` (optional) files the
    message under its award cycle on the office's outbox page.
    """
    if to_user is None and not to_email:
        raise ValueError("mail_queue needs to_user or to_email")
    lang = language or (to_user.preferred_language if to_user else settings.LANGUAGE_CODE)
    outbox_add_mail(
        template=template,
        context=context or {},
        user_id=to_user.pk if to_user else None,
        email=to_email,
        recipient=to_user.email if to_user else to_email,
        language=lang,
        cycle_id=getattr(cycle, "pk", cycle),
    )
