"""The tables of allowed transitions: an application's (and who may make each) and its cycle's.

The table is derived from the stages a cycle runs (`AwardCycle.stage_kinds()`, in their order):
`transitions_for(kinds)` builds it, so a stage the cycle does not run has no move into it, and the
order of the review stages is the order of the moves. `TRANSITIONS` is the table of the default
stages (the 2017 cycle's, and every cycle that has not configured its own).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .enums import Actor, ApplicationStatus, CycleStatus, StageKind


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actors: frozenset[str]
    needs_comment: bool = False


_A = frozenset({Actor.APPLICANT})
_S = frozenset({Actor.SECRETARY})
_R = frozenset({Actor.RECOMMENDER})
_D = frozenset({Actor.DEPARTMENT})

K = StageKind
# The stages of today's (and the 2017) cycle: application → eligibility → material review →
# on-site review → committee → public notice → government approval.
DEFAULT_STAGES: tuple[str, ...] = (
    K.ELIGIBILITY,
    K.MATERIAL_REVIEW,
    K.ONSITE_REVIEW,
    K.COMMITTEE,
    K.PUBLIC_NOTICE,
    K.GOVERNMENT_APPROVAL,
)
# Every cycle runs these; the others are chosen from the catalogue.
REQUIRED_STAGES = frozenset({K.ELIGIBILITY, K.MATERIAL_REVIEW, K.COMMITTEE, K.PUBLIC_NOTICE, K.GOVERNMENT_APPROVAL})
# The scored review stages and the status an application holds while each runs.
REVIEW_STAGE_STATUS = {
    K.MATERIAL_REVIEW: ApplicationStatus.MATERIAL_REVIEW,
    K.PRESENTATION: ApplicationStatus.PRESENTATION,
    K.ONSITE_REVIEW: ApplicationStatus.ONSITE_REVIEW,
    K.SOCIAL_EVALUATION: ApplicationStatus.SOCIAL_EVALUATION,
}


@lru_cache(maxsize=64)
def _derive(kinds: tuple[str, ...]) -> dict[tuple[str, str], Transition]:
    table: dict[tuple[str, str], Transition] = {}

    def add(source, target, actors, needs_comment=False):
        old = table.get((source, target))
        if old is not None:  # the same move by more than one stage: any of their actors may make it
            actors = old.actors | actors
            needs_comment = old.needs_comment or needs_comment
        table[(source, target)] = Transition(source, target, frozenset(actors), needs_comment)

    # 申报 application
    add(ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, _A)
    add(ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN, _A)
    add(ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN, _A)
    add(ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED, _A)
    add(ApplicationStatus.RETURNED, ApplicationStatus.WITHDRAWN, _A)
    add(ApplicationStatus.ELIGIBLE, ApplicationStatus.WITHDRAWN, _A)
    # 推荐 recommendation: the district's recommending body recommends or declines (with its opinion)
    eligibility_input = ApplicationStatus.SUBMITTED
    if K.RECOMMENDATION in kinds:
        add(ApplicationStatus.SUBMITTED, ApplicationStatus.RECOMMENDED, _R)
        add(ApplicationStatus.SUBMITTED, ApplicationStatus.INELIGIBLE, _R, needs_comment=True)
        add(ApplicationStatus.RECOMMENDED, ApplicationStatus.WITHDRAWN, _A)
        eligibility_input = ApplicationStatus.RECOMMENDED
    # 资格审查 eligibility review
    add(eligibility_input, ApplicationStatus.ELIGIBLE, _S)
    add(eligibility_input, ApplicationStatus.RETURNED, _S, needs_comment=True)
    add(eligibility_input, ApplicationStatus.INELIGIBLE, _S, needs_comment=True)
    # not resubmitted by the deadline (services.application_decide_eligibility checks the date)
    add(ApplicationStatus.RETURNED, ApplicationStatus.INELIGIBLE, _S, needs_comment=True)
    # 材料评审, 陈述答辩, 现场评审, 社会评价: the review stages in the cycle's order; each may end the
    # application's run; the last leads to the committee.
    chain = [REVIEW_STAGE_STATUS[k] for k in kinds if k in REVIEW_STAGE_STATUS]
    previous = ApplicationStatus.ELIGIBLE
    for status in chain:
        add(previous, status, _S)
        if previous != ApplicationStatus.ELIGIBLE:
            add(previous, ApplicationStatus.NOT_APPROVED, _S)
        previous = status
    add(previous, ApplicationStatus.NOMINATED, _S)
    if previous != ApplicationStatus.ELIGIBLE:
        add(previous, ApplicationStatus.NOT_APPROVED, _S)
    # 征求意见 department opinions: a disqualifying record (一票否决) ends the application from the
    # stage's place in the order until the committee takes it.
    if K.OPINIONS in kinds:
        at = kinds.index(K.OPINIONS)
        before = [k for k in kinds[:at] if k in REVIEW_STAGE_STATUS]
        first = REVIEW_STAGE_STATUS[before[-1]] if before else ApplicationStatus.ELIGIBLE
        for status in [ApplicationStatus.ELIGIBLE, *chain][[ApplicationStatus.ELIGIBLE, *chain].index(first) :]:
            add(status, ApplicationStatus.INELIGIBLE, _D, needs_comment=True)
    # 评审委员会审议 committee: the secretary records the ballot's outcome
    add(ApplicationStatus.NOMINATED, ApplicationStatus.APPROVED, _S)
    add(ApplicationStatus.NOMINATED, ApplicationStatus.NOT_APPROVED, _S)
    # passed the vote but no place was left within the award quotas (committee app)
    add(ApplicationStatus.APPROVED, ApplicationStatus.NOT_APPROVED, _S, needs_comment=True)
    # 公示 public notice; an upheld objection sends the candidate back to the committee
    add(ApplicationStatus.APPROVED, ApplicationStatus.PUBLIC_NOTICE, _S)
    add(ApplicationStatus.PUBLIC_NOTICE, ApplicationStatus.NOMINATED, _S, needs_comment=True)
    add(ApplicationStatus.PUBLIC_NOTICE, ApplicationStatus.NOT_APPROVED, _S, needs_comment=True)
    # 政府审定 / 表彰 approval and award; revocation of an award obtained by fraud
    add(ApplicationStatus.PUBLIC_NOTICE, ApplicationStatus.AWARDED, _S)
    add(ApplicationStatus.AWARDED, ApplicationStatus.REVOKED, _S, needs_comment=True)
    return table


def transitions_for(kinds: Sequence[str] | None = None) -> dict[tuple[str, str], Transition]:
    """The table for a cycle running `kinds` (its stages in order; the default stages for None)."""
    return _derive(tuple(kinds) if kinds else DEFAULT_STAGES)


TRANSITIONS: dict[tuple[str, str], Transition] = transitions_for(DEFAULT_STAGES)


def transition_for(source: str, target: str, kinds: Sequence[str] | None = None) -> Transition | None:
    return transitions_for(kinds).get((source, target))


def targets_from(source: str, kinds: Sequence[str] | None = None) -> list[str]:
    return [t for (s, t) in transitions_for(kinds) if s == source]


def eligibility_input(kinds: Sequence[str] | None = None) -> str:
    """The status in which an application waits for the eligibility decision."""
    return (
        ApplicationStatus.RECOMMENDED if K.RECOMMENDATION in (kinds or DEFAULT_STAGES) else ApplicationStatus.SUBMITTED
    )


def next_review_status(source: str, kinds: Sequence[str] | None = None) -> str:
    """Where an application goes when the review stage it is in (`source`) is passed."""
    forward = [
        t
        for t in targets_from(source, kinds)
        if t not in (ApplicationStatus.NOT_APPROVED, ApplicationStatus.INELIGIBLE, ApplicationStatus.WITHDRAWN)
    ]
    return forward[0] if forward else ApplicationStatus.NOMINATED


# Statuses in which the enterprise may still edit its application.
EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED})


# --- the cycle's own status ------------------------------------------------------------------------
# Every change goes through awards.services.cycle_transition (the admin too). The award office moves
# a cycle forward by hand (draft → open → reviewing); the committee's services make the later steps
# as a consequence of what the committee does: opening its meeting, publishing the notice, recording
# the government's approval.
CYCLE_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (CycleStatus.DRAFT, CycleStatus.OPEN),  # applications open
        (CycleStatus.OPEN, CycleStatus.REVIEWING),  # applications closed, the review starts
        # the committee's meeting opens (also when nobody set the cycle to "under review" first)
        (CycleStatus.OPEN, CycleStatus.DELIBERATION),
        (CycleStatus.REVIEWING, CycleStatus.DELIBERATION),
        (CycleStatus.DELIBERATION, CycleStatus.PUBLIC_NOTICE),  # the public notice is published
        (CycleStatus.PUBLIC_NOTICE, CycleStatus.CONCLUDED),  # the government's approval: winners confirmed
    }
)


def cycle_transition_allowed(source: str, target: str) -> bool:
    return (source, target) in CYCLE_TRANSITIONS


def cycle_targets_from(source: str) -> list[str]:
    """The statuses a cycle may move to from `source`, in workflow order."""
    return [status for status in CycleStatus.values if (source, status) in CYCLE_TRANSITIONS]
