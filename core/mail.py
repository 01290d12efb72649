"""Queue e-mails after commit; the task renders them in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import User


def mail_queue(
    *,
    template: str,
    context: dict[str, Any] | None = None,
    to_user: User | None = None,
    to_email: str | None = None,
    language: str | None = None,
) -> None:
    """Send `emails/<template>_subject.txt` and `emails/<template>.txt` once the transaction commits.

    `context` must be JSON-serialisable: it travels through the broker.
    """
    from .tasks import send_templated_mail

    if to_user is None and not to_email:
        raise ValueError("mail_queue needs to_user or to_email")
    kwargs = {
        "template": template,
        "context": context or {},
        "user_id": to_user.pk if to_user else None,
        "email": to_email,
        "language": language,
    }
    transaction.on_commit(lambda: send_templated_mail.delay(**kwargs))
