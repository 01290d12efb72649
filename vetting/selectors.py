"""Reads for recommendation: each recommending body sees the submitted applications of its district."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from awards.enums import Actor, ApplicationStatus, CycleRole, OpinionAnswer
from awards.models import Application, AwardCycle, CycleMembership
from awards.workflow import transitions_for
from core.models import User

from .models import OpinionRequest, Recommendation


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


def opinion_requests_for_department(user: User) -> QuerySet[OpinionRequest]:
    """A department's requests: open ones first (earliest deadline first), then the answered."""
    if not user.is_authenticated:
        return OpinionRequest.objects.none()
    return (
        OpinionRequest.objects.filter(department=user)
        .select_related("application__enterprise", "application__cycle")
        .order_by(F("answered_at").desc(nulls_first=True), "deadline", "pk")
    )


def opinion_request_for_department(user: User, pk: int) -> OpinionRequest:
    return get_object_or_404(opinion_requests_for_department(user), pk=pk)


def opinion_requests_of_cycle(cycle: AwardCycle) -> QuerySet[OpinionRequest]:
    return (
        OpinionRequest.objects.filter(application__cycle=cycle)
        .select_related("application__enterprise", "department")
        .order_by("application__receipt_number", "unit", "pk")
    )


def dossier_records(application: Application) -> list[OpinionRequest]:
    """Records found that did not disqualify: the experts and the committee read them."""
    return list(
        OpinionRequest.objects.filter(
            application=application, answer=OpinionAnswer.RECORD_FOUND, disqualifying=False
        ).order_by("unit", "pk")
    )


def applications_to_consult(cycle: AwardCycle) -> QuerySet[Application]:
    """Applications the office may send to departments now (where a record can still end them)."""
    statuses = {
        s
        for (s, t), tr in transitions_for(cycle.stage_kinds()).items()
        if t == ApplicationStatus.INELIGIBLE and Actor.DEPARTMENT in tr.actors
    }
    return (
        Application.objects.filter(cycle=cycle, status__in=statuses)
        .select_related("enterprise")
        .order_by("receipt_number")
    )


def cycle_departments(cycle: AwardCycle) -> QuerySet[User]:
    return User.objects.filter(cycle_memberships__cycle=cycle, cycle_memberships__role=CycleRole.DEPARTMENT).order_by(
        "email"
    )
