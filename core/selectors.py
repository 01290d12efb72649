"""Reads of core's own tables: outbox counts, audit events. (The roles a user holds: awards.selectors;
the outbox rows an office role covers: portal.selectors.)"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .enums import AuditEventType, OutboxStatus
from .models import AuditEvent, OutboxMessage

# --- the outbox (e-mails and tasks) -----------------------------------------------------------------


def outbox_counts(qs: QuerySet[OutboxMessage]) -> dict[str, int]:
    """How many messages in each status (zeros included)."""
    found = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in OutboxStatus.values}


def audit_event_of(obj, *, event: str = "", to_status: str = "") -> AuditEvent | None:
    """The audit event that recorded `obj`'s publication (`event`, an AuditEventType value) or status
    change (to `to_status`): its number and hash are the chain's head at that moment, shown on the
    public pages."""
    qs = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    if event:
        qs = qs.filter(event=AuditEventType(event))
    if to_status:
        qs = qs.filter(event=AuditEventType.APPLICATION_STATUS_CHANGED, payload__to=to_status)
    return qs.order_by("-seq").first()
