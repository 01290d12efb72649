"""Writes of the core app that people make (the outbox retry); the audit log and mail have their modules."""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .enums import AuditEventType, OutboxStatus
from .errors import NotAllowed
from .models import OutboxMessage, User
from .outbox import dispatch_on_commit


def outbox_message_retry(*, message: OutboxMessage, by: User) -> OutboxMessage:
    """The office sends a failed message again: it becomes pending, due now, and is dispatched on commit."""
    if not rules.has_perm("core.retry_outboxmessage", by, message):
        raise PermissionDenied(_("Only the award office may retry this message."))
    with transaction.atomic():
        changed = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, next_attempt_at=timezone.now()
        )
        if not changed:
            raise NotAllowed(_("Only a failed message can be retried."), code="not_failed")
        audit_record(
            event=AuditEventType.OUTBOX_RETRY,
            obj=message,
            by=by,
            payload={"attempts": message.attempts, "error": message.last_error[:200]},
        )
        dispatch_on_commit([message.pk])
    message.refresh_from_db()
    return message
