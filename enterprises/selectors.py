"""Reads for enterprises. Applicant-side lookups only ever find the user's own enterprises."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone

from core.models import User

from .enums import MemberRole
from .models import Enterprise, EnterpriseMembership, Invitation


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


def enterprises_for_office() -> QuerySet[Enterprise]:
    """Every enterprise for the award office, by name; filtered by `enterprises.filters`, paged by the view."""
    return Enterprise.objects.annotate(n_members=Count("memberships", distinct=True)).order_by(
        "name_zh", "name_en", "pk"
    )
