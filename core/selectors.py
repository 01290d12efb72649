"""Reads about people and their roles, cached per user object for one request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .enums import OutboxStatus
from .models import AuditEvent, OutboxMessage, User


@dataclass(frozen=True)
class Roles:
    is_admin: bool = False
    is_secretary: bool = False
    is_expert: bool = False
    is_committee: bool = False
    is_applicant: bool = False
    is_recommender: bool = False
    is_department: bool = False

    @property
    def any(self) -> bool:
        return any(
            (
                self.is_admin,
                self.is_secretary,
                self.is_expert,
                self.is_committee,
                self.is_applicant,
                self.is_recommender,
                self.is_department,
            )
        )


def user_roles(user: User) -> Roles:
    if not user.is_authenticated:
        return Roles()
    cached = getattr(user, "_mqa_roles", None)
    if cached is not None:
        return cached
    from awards.enums import CycleRole
    from awards.models import CycleMembership
    from enterprises.models import EnterpriseMembership

    cycle_roles = set(CycleMembership.objects.filter(user=user).values_list("role", flat=True).distinct())
    roles = Roles(
        is_admin=user.is_superuser,
        is_secretary=CycleRole.SECRETARY in cycle_roles,
        is_expert=CycleRole.EXPERT in cycle_roles,
        is_committee=CycleRole.COMMITTEE in cycle_roles,
        is_applicant=EnterpriseMembership.objects.filter(user=user).exists(),
        is_recommender=CycleRole.RECOMMENDER in cycle_roles,
        is_department=CycleRole.DEPARTMENT in cycle_roles,
    )
    user._mqa_roles = roles
    return roles


# --- the outbox (e-mails and tasks) -----------------------------------------------------------------


def outbox_for_office(user: User, *, status: str = "", cycle_id: int | None = None) -> QuerySet[OutboxMessage]:
    """Messages the user's office role covers: all for an admin; for a secretary, those of their cycles
    and those of no cycle (registration, invitations). Newest first."""
    qs = OutboxMessage.objects.select_related("cycle")
    if not user.is_superuser:
        from awards.enums import CycleRole  # noqa: PLC0415 -- awards imports core: avoid a circular import
        from awards.models import CycleMembership  # noqa: PLC0415 -- same

        mine = CycleMembership.objects.filter(user=user, role=CycleRole.SECRETARY).values("cycle_id")
        qs = qs.filter(Q(cycle__isnull=True) | Q(cycle_id__in=mine))
    if status:
        qs = qs.filter(status=status)
    if cycle_id:
        qs = qs.filter(cycle_id=cycle_id)
    return qs.order_by("-created_at", "-pk")


def outbox_counts(qs: QuerySet[OutboxMessage]) -> dict[str, int]:
    """How many messages in each status (zeros included)."""
    found = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in OutboxStatus.values}


def outbox_overdue_count(user: User, *, now: dt.datetime | None = None) -> int:
    """Messages still not handed over (or not sent) after OUTBOX_WARN_PENDING_SECONDS: the dashboard warns."""
    now = now or timezone.now()
    before = now - dt.timedelta(seconds=settings.OUTBOX_WARN_PENDING_SECONDS)
    return (
        outbox_for_office(user)
        .filter(status__in=[OutboxStatus.PENDING, OutboxStatus.QUEUED, OutboxStatus.SENDING], created_at__lt=before)
        .count()
    )


def audit_event_of(obj, *, event: str = "", to_status: str = "") -> AuditEvent | None:
    """The audit event that recorded `obj`'s publication (payload "event") or status change ("to"): its
    number and hash are the chain's head at that moment, shown on the public pages."""
    qs = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    if event:
        qs = qs.filter(payload__event=event)
    if to_status:
        qs = qs.filter(payload__to=to_status)
    return qs.order_by("-seq").first()
