"""Reads for recommendation: each recommending body sees the submitted applications of its district."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from awards.enums import Actor, ApplicationStatus, CycleRole, OpinionAnswer, StageKind
from awards.models import Application, AwardCycle, CycleMembership, CycleStage
from awards.selectors import cycles_run_by
from awards.workflow import transitions_for
from core import workdays
from core.models import User

from .models import (
    OpinionRequest,
    PresentationNote,
    PresentationResult,
    PresentationScore,
    PresentationSession,
    PresentationSlot,
    Recommendation,
)


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


def application_for_recommender(*, user: User, pk: int) -> Application:
    """The application if it is one the user recommends on; 404 otherwise (not even existence leaks)."""
    return get_object_or_404(applications_for_recommender(user).select_related("cycle__framework"), pk=pk)


def recommendation_for(*, user: User, pk: int) -> Recommendation:
    """A recommendation the user may see (`vetting.view_recommendations`: the district's body, the
    cycle's office); 404 otherwise."""
    record = get_object_or_404(Recommendation.objects.select_related("application__enterprise"), pk=pk)
    if not user.has_perm("vetting.view_recommendations", record.application):
        raise Http404
    return record


def cycle_for_office(*, user: User, pk: int) -> AwardCycle:
    """A cycle the user runs (its secretary; any for an admin): the office's vetting pages."""
    return get_object_or_404(cycles_run_by(user).select_related("framework"), pk=pk)


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


def opinion_request_for_department(*, user: User, pk: int) -> OpinionRequest:
    """A request sent to this department; 404 for anyone else's."""
    return get_object_or_404(opinion_requests_for_department(user), pk=pk)


def opinion_request_for(*, user: User, pk: int) -> OpinionRequest:
    """A request the user may see: the department asked, or the application's cycle's office."""
    if not user.is_authenticated:
        raise Http404
    visible = Q(department=user) | Q(application__cycle__in=cycles_run_by(user))
    return get_object_or_404(OpinionRequest.objects.filter(visible).select_related("application"), pk=pk)


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


# --- 陈述答辩 presentation and defence -------------------------------------------------------------


FRACTION_PLACES = Decimal("0.0000000001")  # PresentationResult.fraction


@dataclass(frozen=True)
class PresentationFigure:
    """The panel's presentation score of one application: the mean of its members' scores, each
    read on the scale it was given on; the weight is the one stored with the latest score."""

    n: int
    mean: Decimal  # on the scale of the latest score
    scale_max: int
    fraction: Decimal  # mean of score / scale maximum, 0–1
    weight: int  # percent


def sessions_of_cycle(cycle: AwardCycle) -> QuerySet[PresentationSession]:
    return (
        PresentationSession.objects.filter(cycle=cycle)
        .annotate(n_slots=Count("slots", distinct=True), n_panel=Count("panel", distinct=True))
        .order_by("starts_at", "pk")
    )


def session_for(*, user: User, pk: int) -> PresentationSession:
    """A presentation session of a cycle the user runs, or one whose panel the user sits on (who
    then may not run it: 403 on the office's page)."""
    if not user.is_authenticated:
        raise Http404
    visible = Q(cycle__in=cycles_run_by(user)) | Q(pk__in=user.presentation_sessions.values("pk"))
    return get_object_or_404(PresentationSession.objects.filter(visible).select_related("cycle"), pk=pk)


def session_slots(session: PresentationSession) -> list[PresentationSlot]:
    """The session's schedule for the office, with each slot's count of Q&A and scores."""
    return list(
        session.slots.select_related("application__enterprise", "responded_by")
        .annotate(n_notes=Count("notes", distinct=True), n_scores=Count("scores", distinct=True))
        .order_by("starts_at", "pk")
    )


# An invitation still unanswered this many working days before its slot is recalled, once.
REMINDER_WORKING_DAYS = 2


def invitation_reminder_day(slot: PresentationSlot) -> dt.date | None:
    """The day an unanswered invitation is recalled to the enterprise: two working days before the
    slot, and never on the day of the invitation itself (an invitation sent later than that is
    recalled the next day). None when that day would come after the slot's own day."""
    slot_day = timezone.localtime(slot.starts_at).date()
    day = workdays.working_day_before(slot_day, REMINDER_WORKING_DAYS)
    if slot.invited_at is not None:
        day = max(day, timezone.localtime(slot.invited_at).date() + dt.timedelta(days=1))
    return day if day <= slot_day else None


def schedulable_applications(cycle: AwardCycle) -> QuerySet[Application]:
    """Applications at the presentation stage of the cycle's table (none if it has no such stage)."""
    if StageKind.PRESENTATION not in cycle.stage_kinds():
        return Application.objects.none()
    return (
        Application.objects.filter(cycle=cycle, status=ApplicationStatus.PRESENTATION)
        .select_related("enterprise")
        .order_by("receipt_number", "pk")
    )


def panel_candidates(cycle: AwardCycle) -> QuerySet[User]:
    """Whom the office may put on a panel: the cycle's experts and committee members."""
    return (
        User.objects.filter(
            cycle_memberships__cycle=cycle, cycle_memberships__role__in=[CycleRole.EXPERT, CycleRole.COMMITTEE]
        )
        .distinct()
        .order_by("full_name", "email")
    )


def stage_panel(cycle: AwardCycle) -> list[User]:
    """The panel the cycle's presentation stage names: a new session starts with it (those of its
    members the office may still put on a panel)."""
    stage = CycleStage.objects.filter(cycle=cycle, kind=StageKind.PRESENTATION).first()
    if stage is None:
        return []
    return list(panel_candidates(cycle).filter(stage_panels=stage))


def slots_for_panel_member(user: User) -> QuerySet[PresentationSlot]:
    """The slots of the sessions whose panel the user sits on, the coming ones first."""
    if not user.is_authenticated:
        return PresentationSlot.objects.none()
    return (
        PresentationSlot.objects.filter(session__panel=user)
        .select_related("session__cycle", "application__enterprise")
        .order_by("session__status", "starts_at", "pk")
    )


def slot_for_panel_member(*, user: User, pk: int) -> PresentationSlot:
    """A slot of a session whose panel the user sits on; 404 otherwise."""
    return get_object_or_404(slots_for_panel_member(user).select_related("session__cycle__framework"), pk=pk)


def slot_for_applicant(*, user: User, pk: int) -> PresentationSlot:
    """An invitation of one of the user's enterprises; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        PresentationSlot.objects.filter(
            invited_at__isnull=False, application__enterprise__memberships__user=user
        ).select_related("session__cycle", "application__enterprise"),
        pk=pk,
    )


def invitations_of(application: Application) -> list[PresentationSlot]:
    """The presentation invitations sent for an application (its page shows them)."""
    return list(
        PresentationSlot.objects.filter(application=application, invited_at__isnull=False)
        .select_related("session")
        .order_by("starts_at")
    )


def notes_of(slot: PresentationSlot) -> list[PresentationNote]:
    return list(slot.notes.select_related("by").order_by("category", "recorded_at", "pk"))


def notes_of_application(application: Application) -> list[PresentationNote]:
    """Every question and answer recorded on the application's presentation (the committee reads them)."""
    return list(
        PresentationNote.objects.filter(slot__application=application)
        .select_related("by")
        .order_by("category", "recorded_at", "pk")
    )


def score_of_member(slot: PresentationSlot, user: User) -> PresentationScore | None:
    return PresentationScore.objects.filter(slot=slot, by=user).first()


def presentation_results_state(cycle: AwardCycle) -> str:
    """The number and newest time of the cycle's stored presentation figures, in one query: a page
    that keeps what it shows per state (the ranking) follows every presentation score with it."""
    seen = PresentationResult.objects.filter(cycle=cycle).aggregate(n=Count("pk"), at=Max("updated_at"))
    return f"{seen['n']}-{seen['at'].timestamp() if seen['at'] else 0}"


def presentation_annotations() -> dict:
    """Each application's stored presentation figures (`PresentationResult`, kept by the services
    with every score) as annotations: one LEFT JOIN with the ranking, not a subquery per row. Read
    them back with `presentation_figure`."""
    return {
        "presentation_n": F("presentation_result__n"),
        "presentation_fraction": F("presentation_result__fraction"),
        "presentation_scale": F("presentation_result__scale_max"),
        "presentation_weight": F("presentation_result__weight"),
    }


def _figure(n: int, fraction, scale_max: int, weight: int) -> PresentationFigure:
    fraction = Decimal(fraction)
    return PresentationFigure(
        n=n,
        mean=(fraction * scale_max).quantize(Decimal("0.01"), ROUND_HALF_UP),
        scale_max=scale_max,
        fraction=fraction,
        weight=weight,
    )


def presentation_figure(application) -> PresentationFigure | None:
    """The figure of an application annotated by `presentation_annotations` (None without scores)."""
    n = getattr(application, "presentation_n", None)
    if not n:
        return None
    return _figure(
        n, application.presentation_fraction, application.presentation_scale, application.presentation_weight
    )


def presentation_figures(application_ids: Iterable[int]) -> dict[int, PresentationFigure]:
    """The presentation figure per application, from the stored results: one query."""
    return {
        app_id: _figure(n, fraction, scale_max, weight)
        for app_id, n, fraction, scale_max, weight in PresentationResult.objects.filter(
            application_id__in=list(application_ids)
        ).values_list("application_id", "n", "fraction", "scale_max", "weight")
    }


def presentation_figures_from_scores(application_ids: Iterable[int]) -> dict[int, PresentationFigure]:
    """The presentation figure per application computed from its scores (the services store it as
    `PresentationResult`; everything else reads that): the mean of score / own scale maximum, the
    scale and weight of the latest score. One query."""
    rows = defaultdict(list)
    for app_id, score, scale_max, weight in (
        PresentationScore.objects.filter(slot__application_id__in=list(application_ids))
        .order_by("given_at", "pk")
        .values_list("slot__application_id", "score", "scale_max", "weight")
    ):
        rows[app_id].append((score, scale_max, weight))
    figures = {}
    for app_id, scores in rows.items():
        _score, scale_max, weight = scores[-1]
        fraction = sum(Decimal(s) / Decimal(m) for s, m, _w in scores) / len(scores)
        figures[app_id] = _figure(len(scores), fraction.quantize(FRACTION_PLACES), scale_max, weight)
    return figures


def public_sessions() -> QuerySet[PresentationSession]:
    """Sessions marked open to the public, the coming ones first, with their slots."""
    return (
        PresentationSession.objects.filter(is_public=True)
        .select_related("cycle")
        .prefetch_related(
            Prefetch(
                "slots",
                queryset=PresentationSlot.objects.select_related("application__enterprise").order_by("starts_at"),
            )
        )
        .order_by("-starts_at", "pk")
    )
