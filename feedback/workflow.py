"""The one table of a feedback report's allowed transitions and who may make each.

draft (panel leader) → review (the award office edits, with its checklist) → approved → released on the
release date (the system, or the office once the date has come) → superseded by a corrected version.
"""

from __future__ import annotations

from dataclasses import dataclass

from .enums import ReportActor as A
from .enums import ReportStatus as S


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actors: frozenset[str]


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in [
        Transition(S.DRAFT, S.REVIEW, frozenset({A.LEADER})),
        Transition(S.REVIEW, S.DRAFT, frozenset({A.OFFICE})),  # back to the leader with a note
        Transition(S.REVIEW, S.APPROVED, frozenset({A.OFFICE})),
        Transition(S.APPROVED, S.REVIEW, frozenset({A.OFFICE})),  # reopened before release
        Transition(S.APPROVED, S.RELEASED, frozenset({A.OFFICE, A.SYSTEM})),
        Transition(S.RELEASED, S.SUPERSEDED, frozenset({A.OFFICE})),
    ]
}

# Who writes the text in each state; released and superseded reports never change.
EDITORS = {S.DRAFT: A.LEADER, S.REVIEW: A.OFFICE}


def transition_for(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))
