"""The tables of allowed transitions: an application's (and who may make each) and its cycle's."""

from __future__ import annotations

from dataclasses import dataclass

from .enums import Actor, CycleStatus
from .enums import ApplicationStatus as S


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actors: frozenset[str]
    needs_comment: bool = False


_A = frozenset({Actor.APPLICANT})
_S = frozenset({Actor.SECRETARY})

TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in [
        # 申报 application
        Transition(S.DRAFT, S.SUBMITTED, _A),
        Transition(S.DRAFT, S.WITHDRAWN, _A),
        # 资格审查 eligibility review
        Transition(S.SUBMITTED, S.ELIGIBLE, _S),
        Transition(S.SUBMITTED, S.RETURNED, _S, needs_comment=True),
        Transition(S.SUBMITTED, S.INELIGIBLE, _S, needs_comment=True),
        Transition(S.SUBMITTED, S.WITHDRAWN, _A),
        Transition(S.RETURNED, S.SUBMITTED, _A),
        Transition(S.RETURNED, S.WITHDRAWN, _A),
        # not resubmitted by the deadline (services.application_decide_eligibility checks the date)
        Transition(S.RETURNED, S.INELIGIBLE, _S, needs_comment=True),
        Transition(S.ELIGIBLE, S.WITHDRAWN, _A),
        # 资料评审 material review, 现场评审 on-site review
        Transition(S.ELIGIBLE, S.MATERIAL_REVIEW, _S),
        Transition(S.MATERIAL_REVIEW, S.ONSITE_REVIEW, _S),
        Transition(S.MATERIAL_REVIEW, S.NOT_APPROVED, _S),
        Transition(S.ONSITE_REVIEW, S.NOMINATED, _S),
        Transition(S.ONSITE_REVIEW, S.NOT_APPROVED, _S),
        # 评审委员会审议 committee: the secretary records the ballot's outcome
        Transition(S.NOMINATED, S.APPROVED, _S),
        Transition(S.NOMINATED, S.NOT_APPROVED, _S),
        # passed the vote but no place was left within the award quotas (committee app)
        Transition(S.APPROVED, S.NOT_APPROVED, _S, needs_comment=True),
        # 公示 public notice; an upheld objection sends the candidate back to the committee
        Transition(S.APPROVED, S.PUBLIC_NOTICE, _S),
        Transition(S.PUBLIC_NOTICE, S.NOMINATED, _S, needs_comment=True),
        Transition(S.PUBLIC_NOTICE, S.NOT_APPROVED, _S, needs_comment=True),
        # 政府审定 / 表彰 approval and award; revocation of an award obtained by fraud
        Transition(S.PUBLIC_NOTICE, S.AWARDED, _S),
        Transition(S.AWARDED, S.REVOKED, _S, needs_comment=True),
    ]
}


def transition_for(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))


# Statuses in which the enterprise may still edit its application.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.RETURNED})


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
