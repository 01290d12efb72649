"""The committee's arithmetic in one place: quorum, pass rule and award levels by rank.

Pure functions (no database), used by the services, the pages and the PDFs alike.

Pass rule: a ballot passes when approvals × pass_denominator ≥ base × pass_numerator (exact integers,
no rounding). The base is a cycle setting (awards.enums.PassBase):
- "present" (default, 到会委员): the members present and not recused, whether they voted or not, so a
  present member who casts nothing counts against: 7 members, 6 present, 3 approve and 3 silent is
  3 × 3 < 2 × 6, not passed; 4 approve is 12 ≥ 12, passed. A member who voted and left before the
  close stays in the base (the vote was cast while present).
- "members": all members of the committee not recused: 4 of 7 is 12 < 14, not passed; 5 of 7 passes.
- "cast": the votes cast (approve, reject, abstain): 3 approve and 3 silent is 3 of 3, passed.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field


def has_quorum(*, present: int, members: int, numerator: int, denominator: int) -> bool:
    """Quorum: present × denominator ≥ members × numerator (7 members, 2/3: 5 present is a quorum, 4 is not)."""
    return members > 0 and present * denominator >= members * numerator


def present_and_voting(*, members: set, present: set, voters: set, recused: set) -> set:
    """Who may vote on a ballot: the members present now or who voted while present, not recused."""
    return ((present | voters) & members) - recused


def quorum_needed(*, members: int, numerator: int, denominator: int) -> int:
    """The smallest number present that makes a quorum."""
    return -(-members * numerator // denominator) if members else 0


PRESENT, MEMBERS, CAST = "present", "members", "cast"


def count_base(rule: str, *, eligible: int, members: int, cast: int) -> int:
    """The base of the pass fraction under `rule`: eligible (present, not recused), members (not
    recused) or votes cast."""
    if rule == MEMBERS:
        return members
    if rule == CAST:
        return cast
    return eligible


def ballot_passes(*, approvals: int, base: int, numerator: int, denominator: int) -> bool:
    """Passes when approvals × denominator ≥ base × numerator; an empty base never passes."""
    return base > 0 and approvals * denominator >= base * numerator


def approvals_needed(*, base: int, numerator: int, denominator: int) -> int:
    return -(-base * numerator // denominator) if base else 0


@dataclass(frozen=True)
class Level:
    key: Hashable
    quota: int


@dataclass(frozen=True)
class Candidate:
    key: Hashable
    rank: int
    # The committee's explicit order within a tie (1 first); None until the committee decides.
    tie_order: int | None = None


@dataclass(frozen=True)
class Tie:
    """Candidates sharing a rank across a quota boundary: `places` of them fit in `level`."""

    level: Hashable
    places: int
    candidates: tuple[Hashable, ...]


@dataclass
class LevelAllocation:
    levels: dict[Hashable, Hashable | None] = field(default_factory=dict)  # candidate -> level (None: no place)
    ties: list[Tie] = field(default_factory=list)
    vacancies: dict[Hashable, int] = field(default_factory=dict)  # level -> places left vacant

    @property
    def complete(self) -> bool:
        return not self.ties


def allocate_levels(candidates: Sequence[Candidate], levels: Sequence[Level]) -> LevelAllocation:
    """Give passing candidates award levels by rank: the highest level within its quota, then the next.

    `levels` are ordered highest first. Candidates of equal rank form a group; a group that does not
    fit in the places left at a level is a tie at the quota boundary. Unless the committee has set a
    `tie_order` for every member of the group, the tie is returned (and nothing below it is assigned):
    it is never resolved silently. Places not filled stay vacant.
    """
    groups: dict[int, list[Candidate]] = {}
    for c in candidates:
        groups.setdefault(c.rank, []).append(c)
    queue: list[list[Candidate]] = [groups[r] for r in sorted(groups)]
    result = LevelAllocation()
    level_index = 0
    left = levels[0].quota if levels else 0
    while queue:
        group = queue.pop(0)
        while level_index < len(levels) and left == 0:
            level_index += 1
            left = levels[level_index].quota if level_index < len(levels) else 0
        if level_index >= len(levels):
            for c in [*group, *(c for g in queue for c in g)]:
                result.levels[c.key] = None
            queue = []
            break
        level = levels[level_index]
        if len(group) <= left:
            for c in group:
                result.levels[c.key] = level.key
            left -= len(group)
            continue
        if all(c.tie_order is not None for c in group):
            ordered = sorted(group, key=lambda c: c.tie_order)
            for c in ordered[:left]:
                result.levels[c.key] = level.key
            rest = ordered[left:]
            left = 0
            # The rest compete, in the committee's order, for the next level's places.
            queue = [[Candidate(c.key, i) for i, c in enumerate(rest)], *queue] if rest else queue
            queue = _split_ordered(queue)
            continue
        result.ties.append(Tie(level=level.key, places=left, candidates=tuple(c.key for c in group)))
        return _with_vacancies(result, levels)
    return _with_vacancies(result, levels)


def _split_ordered(queue: list[list[Candidate]]) -> list[list[Candidate]]:
    """After a decided tie the losers keep the committee's order: one group each."""
    head, *tail = queue
    if len({c.rank for c in head}) == len(head):
        return [[c] for c in sorted(head, key=lambda c: c.rank)] + tail
    return queue


def _with_vacancies(result: LevelAllocation, levels: Sequence[Level]) -> LevelAllocation:
    if result.ties:
        return result
    for level in levels:
        vacant = level.quota - sum(1 for v in result.levels.values() if v == level.key)
        if vacant > 0:
            result.vacancies[level.key] = vacant
    return result
