"""The one table of a feedback report's allowed transitions and who may make each.

draft (panel leader) → review (the award office edits, with its checklist) → approved → released on the
release date (the system, or the office once the date has come) → superseded by a corrected version.
"""

from __future__ import annotations

from dataclasses import dataclass

from .enums import ReportActor, ReportStatus


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actors: frozenset[str]


TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t
    for t in [
        Transition(ReportStatus.DRAFT, ReportStatus.REVIEW, frozenset({ReportActor.LEADER})),
        Transition(
            ReportStatus.REVIEW, ReportStatus.DRAFT, frozenset({ReportActor.OFFICE})
        ),  # back to the leader with a note
        Transition(ReportStatus.REVIEW, ReportStatus.APPROVED, frozenset({ReportActor.OFFICE})),
        Transition(
            ReportStatus.APPROVED, ReportStatus.REVIEW, frozenset({ReportActor.OFFICE})
        ),  # reopened before release
        Transition(ReportStatus.APPROVED, ReportStatus.RELEASED, frozenset({ReportActor.OFFICE, ReportActor.SYSTEM})),
        Transition(ReportStatus.RELEASED, ReportStatus.SUPERSEDED, frozenset({ReportActor.OFFICE})),
    ]
}

# Who writes the text in each state; released and superseded reports never change.
EDITORS = {ReportStatus.DRAFT: ReportActor.LEADER, ReportStatus.REVIEW: ReportActor.OFFICE}


def transition_for(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((source, target))
