"""Reads for enterprises. Applicant-side lookups only ever find the user's own enterprises."""

from __future__ import annotations

import rules
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from awards.enums import ApplicationStatus, CycleRole
from awards.models import Application, AwardProgramme, CycleMembership
from core.models import User

from .enums import MemberRole, NameChangeStatus
from .models import Enterprise, EnterpriseMembership, Invitation, NameChangeRequest


def mask_email(email: str) -> str:
    """z***@example.cn: enough for a colleague to recognise, not enough to harvest."""
    local, _, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def enterprise_owner_emails(credit_code: str) -> list[str]:
    return list(
        EnterpriseMembership.objects.filter(enterprise__credit_code=credit_code, role=MemberRole.OWNER)
        .order_by("created_at")
        .values_list("user__email", flat=True)
    )


def enterprises_of_user(user: User) -> QuerySet[Enterprise]:
    """The user's enterprises with their member count, and the user's role in each."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return (
        # Filter by a subquery: filtering through the join would make the count see only this user's row.
        Enterprise.objects.filter(pk__in=EnterpriseMembership.objects.filter(user=user).values("enterprise_id"))
        .annotate(n_members=Count("memberships", distinct=True))
        .order_by("name_zh", "name_en")
    )


def enterprise_for_member(user: User, pk: int) -> Enterprise:
    """The enterprise if the user is one of its members; 404 otherwise, so existence does not leak."""
    enterprise = enterprises_of_user(user).filter(pk=pk).first()
    if enterprise is None:
        raise Http404
    return enterprise


def enterprise_members(enterprise: Enterprise) -> QuerySet[EnterpriseMembership]:
    return enterprise.memberships.select_related("user").order_by("role", "created_at")


def invitations_pending(enterprise: Enterprise) -> QuerySet[Invitation]:
    return (
        enterprise.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_by_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("enterprise", "invited_by").filter(token=token).first()
    if invitation is None:
        raise Http404
    return invitation


def enterprises_for_office(user: User) -> QuerySet[Enterprise]:
    """The enterprises an award office sees, by name: those registered in the divisions of the
    programmes whose cycles the user runs as secretary (who may apply to them), and those that applied
    to one of those cycles; every enterprise for an administrator. Filtered by `enterprises.filters`,
    paged by the view."""
    qs = Enterprise.objects.annotate(n_members=Count("memberships", distinct=True)).order_by("name_zh", "name_en", "pk")
    if user.is_superuser:
        return qs
    runs = CycleMembership.objects.filter(user=user, role=CycleRole.SECRETARY)
    prefixes = {
        prefix
        for divisions in AwardProgramme.objects.filter(cycles__memberships__in=runs).values_list("divisions", flat=True)
        for prefix in divisions
    }
    visible = Q(pk__in=Application.objects.filter(cycle__memberships__in=runs).values("enterprise_id"))
    for prefix in sorted(prefixes):
        visible |= Q(district__startswith=prefix)
    return qs.filter(visible)


# --- changes of name or credit code --------------------------------------------------------------


def enterprise_identity_locked(enterprise: Enterprise) -> bool:
    """An application past draft holds names of record: the names and code change only by request."""
    return enterprise.applications.exclude(status=ApplicationStatus.DRAFT).exists()


def name_change_pending(enterprise: Enterprise) -> NameChangeRequest | None:
    return enterprise.name_changes.filter(status=NameChangeStatus.PENDING).first()


def name_changes_of(enterprise: Enterprise) -> QuerySet[NameChangeRequest]:
    return enterprise.name_changes.select_related("requested_by", "decided_by").order_by("-requested_at", "-pk")


def name_changes_for_office(user: User, *, status: str = "") -> QuerySet[NameChangeRequest]:
    """Every request for the award office (none for anyone else); pending ones first, oldest first."""
    if not rules.has_perm("enterprises.decide_name_change", user):
        return NameChangeRequest.objects.none()
    qs = NameChangeRequest.objects.select_related("enterprise", "requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    pending_first = Case(When(status=NameChangeStatus.PENDING, then=Value(0)), default=Value(1))
    return qs.order_by(pending_first, "requested_at", "pk")


def name_change_for_office(user: User, pk: int) -> NameChangeRequest:
    change = name_changes_for_office(user).filter(pk=pk).first()
    if change is None:
        raise Http404
    return change


def earlier_names(enterprise: Enterprise, *, since) -> list[NameChangeRequest]:
    """Approved changes decided after `since` (e.g. the award): the names the enterprise had before."""
    return list(
        enterprise.name_changes.filter(status=NameChangeStatus.APPROVED, decided_at__gte=since).order_by("decided_at")
    )


def office_recipients_for(enterprise: Enterprise) -> list[User]:
    """Who hears of a change request: the secretaries of the cycles the enterprise applied to past
    draft (all secretaries when there is none)."""
    secretaries = CycleMembership.objects.filter(role=CycleRole.SECRETARY)
    cycles = enterprise.applications.exclude(status=ApplicationStatus.DRAFT).values("cycle_id")
    mine = secretaries.filter(cycle_id__in=cycles)
    ids = (mine if mine.exists() else secretaries).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))
