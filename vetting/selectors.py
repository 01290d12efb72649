"""Reads for recommendation: each recommending body sees the submitted applications of its district."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from awards.enums import ApplicationStatus, CycleRole
from awards.models import Application, AwardCycle, CycleMembership
from core.models import User

from .models import Recommendation


def recommender_memberships(user: User) -> QuerySet[CycleMembership]:
    return CycleMembership.objects.filter(user=user, role=CycleRole.RECOMMENDER).exclude(district="")


def applications_for_recommender(user: User) -> QuerySet[Application]:
    """Submitted applications of the enterprises in the user's districts, in the cycles where the
    user recommends: those waiting first, then the ones decided. Never a draft."""
    if not user.is_authenticated:
        return Application.objects.none()
    mine = recommender_memberships(user).filter(
        cycle_id=OuterRef("cycle_id"), district=OuterRef("enterprise__district")
    )
    return (
        Application.objects.filter(Exists(mine), submitted_at__isnull=False)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("enterprise", "cycle")
        .order_by("-cycle__year", "status", "submitted_at", "pk")
    )


def application_for_recommender(user: User, pk: int) -> Application:
    """The application if it is one the user recommends on; 404 otherwise (not even existence leaks)."""
    return get_object_or_404(applications_for_recommender(user).select_related("cycle__framework"), pk=pk)


def recommendations_of(application: Application) -> list[Recommendation]:
    return list(application.recommendations.select_related("by", "snapshot").order_by("-decided_at", "-pk"))


def recommendations_of_cycle(cycle: AwardCycle) -> QuerySet[Recommendation]:
    """For the office: who recommended what and when, newest first."""
    return (
        Recommendation.objects.filter(application__cycle=cycle)
        .select_related("application__enterprise", "by", "snapshot")
        .order_by("-decided_at", "-pk")
    )
