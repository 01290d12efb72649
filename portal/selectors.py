"""Reads of the office's outbox page and the dashboard: the outbox rows the user's office role covers."""

from __future__ import annotations

import datetime as dt

import rules
from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from awards.selectors import cycles_run_by
from core.enums import OutboxStatus
from core.models import OutboxMessage, User


def outbox_for_office(user: User, *, status: str = "", cycle_id: int | None = None) -> QuerySet[OutboxMessage]:
    """Messages the user's office role covers: all for an admin; for a secretary, those of their cycles
    and those of no cycle (registration, invitations). Newest first."""
    qs = OutboxMessage.objects.select_related("cycle")
    if not user.is_superuser:
        qs = qs.filter(Q(cycle__isnull=True) | Q(cycle_id__in=cycles_run_by(user).values("pk")))
    if status:
        qs = qs.filter(status=status)
    if cycle_id:
        qs = qs.filter(cycle_id=cycle_id)
    return qs.order_by("-created_at", "-pk")


def outbox_message_for_office(*, user: User, pk: int) -> OutboxMessage:
    """A message of the user's office (`core.retry_outboxmessage`, as a queryset); 404 for anyone
    else's, and for anyone who is not the award office at all."""
    if not rules.has_perm("core.view_outbox", user):
        raise Http404
    return get_object_or_404(outbox_for_office(user), pk=pk)


def outbox_overdue_count(user: User, *, now: dt.datetime | None = None) -> int:
    """Messages still not handed over (or not sent) after OUTBOX_WARN_PENDING_SECONDS: the dashboard warns."""
    now = now or timezone.now()
    before = now - dt.timedelta(seconds=settings.OUTBOX_WARN_PENDING_SECONDS)
    return (
        outbox_for_office(user)
        .filter(status__in=[OutboxStatus.PENDING, OutboxStatus.QUEUED, OutboxStatus.SENDING], created_at__lt=before)
        .count()
    )
