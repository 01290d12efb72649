"""The audit log service: one function writes every event, chained by SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone, translation

from .context import client_ip
from .enums import AuditEventType
from .models import AuditEvent, User

GENESIS = "0" * 64
_CHAIN_LOCK_KEY = 7_190_580  # any constant: serialises writers of the chain on PostgreSQL


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)


def event_digest(event: AuditEvent, *, legacy: bool = False) -> str:
    """The event's hash. `legacy`: as events written before the `event` column were hashed (without it)."""
    content = {
        "seq": event.seq,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "ip": event.ip_address,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "payload": event.payload,
        "prev": event.prev_hash,
    }
    if not legacy:
        content["event"] = event.event
    return hashlib.sha256(_canonical(content).encode()).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _repr(obj) -> str:
    """The object as text in the site's language, whatever language the actor was using."""
    if obj is None:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return str(obj)[:255]


def audit_record(
    *,
    event: AuditEventType,
    obj: models.Model | None = None,
    by: User | None = None,
    payload: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Append an event. Call it inside the transaction of the action it records.

    `event` must be a member of `AuditEventType`: a raw string, or a payload naming its own
    "event", is refused, so that every event has one name and words in both languages."""
    if not isinstance(event, AuditEventType):
        raise TypeError(f"audit_record() needs an AuditEventType member, not {event!r}")
    if payload and "event" in payload:
        raise ValueError("The event is named by `event`, not by the payload.")
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        if obj is not None:
            object_type = object_type or obj._meta.label_lower
            object_id = object_id or str(obj.pk)
        actor = by if (by is not None and by.is_authenticated) else None
        event = AuditEvent(
            seq=seq,
            created_at=timezone.now(),
            actor=actor,
            actor_label=actor.email if actor else "system",
            ip_address=client_ip.get(),
            event=event.value,
            action=event.value,  # the column the chain covered before `event`: derived here only
            object_type=object_type,
            object_id=str(object_id),
            object_repr=_repr(obj),
            # Normalised through JSON so that the stored value hashes the same when read back.
            payload=json.loads(_canonical(payload or {})),
            prev_hash=prev,
        )
        event.hash = event_digest(event)
        event.save()
        return event


@dataclass
class ChainReport:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def audit_verify() -> ChainReport:
    """Walk the chain in order; report the first event whose link or content does not hold."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainReport(checked, event.seq, f"missing event(s) before #{event.seq}")
        if event.prev_hash != prev:
            return ChainReport(checked, event.seq, "link to the previous event does not match")
        if event.hash not in (event_digest(event), event_digest(event, legacy=True)):
            return ChainReport(checked, event.seq, "content does not match its hash")
        prev = event.hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked)
