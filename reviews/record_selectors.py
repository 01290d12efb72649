"""Reads for the expert record across cycles: the ratings received and the measured facts. Kept out of
selectors.py (the score engine's module); the facts per cycle come from `selectors.expert_performance`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Count

from awards.models import AwardCycle
from core.models import User
from core.rules import allowed

from .enums import AssignmentStatus, RaterRole
from .models import Assignment, DeclaredConflict, ExpertRating, ReviewRound
from .selectors import expert_performance

DIMENSIONS = ("timeliness", "comments", "conduct")


@dataclass
class RatingNote:
    text: str
    role: str  # RaterRole label
    rater: str  # empty when the reader may not know who rated


@dataclass
class RoundRecord:
    round: ReviewRound
    count: int
    means: dict[str, float]
    notes: list[RatingNote] = field(default_factory=list)
    raters: list[str] = field(default_factory=list)


@dataclass
class CycleFacts:
    cycle: AwardCycle
    assigned: int
    submitted: int
    on_time: int
    conflicts: int
    mean_deviation: object  # Decimal | None, points from the panel's score (consensus where recorded)


@dataclass
class ExpertRecord:
    expert: User
    rounds: list[RoundRecord]
    cycles: list[CycleFacts]
    declared_conflicts: int
    overall: float | None
    ratings: int


def expert_record(*, expert: User, show_raters: bool) -> ExpertRecord:
    """Every round the expert was rated in, newest first, and the facts of every cycle they worked in.
    `show_raters` (the award office) adds who rated; the expert sees the ratings and the notes only."""
    roles = dict(RaterRole.choices)
    by_round: dict[int, list[ExpertRating]] = defaultdict(list)
    rounds: dict[int, ReviewRound] = {}
    for r in ExpertRating.objects.filter(expert=expert).select_related("round__cycle", "rated_by"):
        by_round[r.round_id].append(r)
        rounds[r.round_id] = r.round
    records = []
    for round_id, ratings in by_round.items():
        records.append(
            RoundRecord(
                round=rounds[round_id],
                count=len(ratings),
                means={d: sum(getattr(r, d) for r in ratings) / len(ratings) for d in DIMENSIONS},
                notes=[
                    RatingNote(r.note, roles[r.rater_role], str(r.rated_by) if show_raters else "")
                    for r in ratings
                    if r.note
                ],
                raters=[f"{r.rated_by} ({roles[r.rater_role]})" for r in ratings] if show_raters else [],
            )
        )
    records.sort(key=lambda r: (-r.round.cycle.year, r.round.kind))
    cycle_ids = (
        Assignment.objects.filter(expert=expert).values_list("panel__round__cycle_id", flat=True).distinct().order_by()
    )
    cycles = []
    for cycle in AwardCycle.objects.filter(pk__in=list(cycle_ids)).select_related("framework").order_by("-year"):
        mine = next((p for p in expert_performance(cycle=cycle) if p.expert.pk == expert.pk), None)
        if mine:
            cycles.append(
                CycleFacts(cycle, mine.assigned, mine.submitted, mine.on_time, mine.conflicts, mine.mean_deviation)
            )
    all_ratings = [r for rs in by_round.values() for r in rs]
    overall = (
        sum(getattr(r, d) for r in all_ratings for d in DIMENSIONS) / (3 * len(all_ratings)) if all_ratings else None
    )
    return ExpertRecord(
        expert=expert,
        rounds=records,
        cycles=cycles,
        declared_conflicts=DeclaredConflict.objects.filter(expert=expert).count(),
        overall=overall,
        ratings=len(all_ratings),
    )


def rating_summaries(expert_ids: Iterable[int]) -> dict[int, tuple[float, int]]:
    """Per expert: the mean of every rating received (all dimensions, all cycles) and how many; one query."""
    rows = (
        ExpertRating.objects.filter(expert_id__in=list(expert_ids))
        .values("expert_id")
        .order_by()
        .annotate(t=Avg("timeliness"), c=Avg("comments"), d=Avg("conduct"), n=Count("id"))
    )
    return {r["expert_id"]: ((r["t"] + r["c"] + r["d"]) / 3, r["n"]) for r in rows}


def ratable_rounds(*, cycle: AwardCycle, expert: User) -> list[ReviewRound]:
    """The rounds of the cycle in which the expert sat on a panel (a conflict's release aside)."""
    sat = Assignment.objects.filter(panel__round__cycle=cycle, expert=expert).exclude(status=AssignmentStatus.CONFLICT)
    return list(ReviewRound.objects.filter(pk__in=sat.values("panel__round_id")).order_by("kind"))


def rater_role(*, rnd: ReviewRound, expert: User, by: User) -> str | None:
    """As whom `by` may rate `expert` for the round: the award office, the leader of a panel the expert
    sat on (never oneself), or None."""
    if allowed("reviews.manage_reviews", by, rnd):
        return RaterRole.OFFICE
    if by.pk == expert.pk:
        return None
    led = (
        Assignment.objects.filter(panel__round=rnd, expert=by, is_leader=True)
        .exclude(status=AssignmentStatus.CONFLICT)
        .values("panel_id")
    )
    on = Assignment.objects.filter(panel_id__in=led, expert=expert).exclude(status=AssignmentStatus.CONFLICT)
    return RaterRole.LEADER if on.exists() else None
