"""The committee's arithmetic at its boundaries."""

import pytest

from committee.decisions import (
    Candidate,
    Level,
    allocate_levels,
    approvals_needed,
    ballot_passes,
    has_quorum,
    quorum_needed,
)

TWO_THIRDS = {"numerator": 2, "denominator": 3}


@pytest.mark.parametrize(("present", "expected"), [(7, True), (5, True), (4, False), (0, False)])
def test_quorum_of_seven_members(present, expected):
    assert has_quorum(present=present, members=7, **TWO_THIRDS) is expected


def test_quorum_needed_rounds_up():
    assert quorum_needed(members=7, **TWO_THIRDS) == 5
    assert quorum_needed(members=6, **TWO_THIRDS) == 4
    assert not has_quorum(present=0, members=0, **TWO_THIRDS)


@pytest.mark.parametrize(("approvals", "expected"), [(5, True), (4, True), (3, False), (0, False)])
def test_pass_of_five_voting(approvals, expected):
    assert ballot_passes(approvals=approvals, base=5, **TWO_THIRDS) is expected


def test_nobody_voting_never_passes_and_needed_counts():
    assert not ballot_passes(approvals=0, base=0, **TWO_THIRDS)
    assert approvals_needed(base=5, **TWO_THIRDS) == 4
    assert approvals_needed(base=6, **TWO_THIRDS) == 4


LEVELS = [Level("mayor", 3), Level("nomination", 5)]


def test_levels_by_rank_within_quotas():
    cands = [Candidate(k, r) for k, r in [("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)]]
    result = allocate_levels(cands, LEVELS)
    assert result.complete
    assert result.levels == {"a": "mayor", "b": "mayor", "c": "mayor", "d": "nomination", "e": "nomination"}
    assert result.vacancies == {"nomination": 3}


def test_levels_may_stay_vacant():
    result = allocate_levels([Candidate("a", 1)], LEVELS)
    assert result.levels == {"a": "mayor"}
    assert result.vacancies == {"mayor": 2, "nomination": 5}
    assert allocate_levels([], LEVELS).vacancies == {"mayor": 3, "nomination": 5}


def test_tie_at_quota_boundary_is_returned_not_resolved():
    cands = [Candidate("a", 1), Candidate("b", 2), Candidate("c", 3), Candidate("d", 3), Candidate("e", 5)]
    result = allocate_levels(cands, LEVELS)
    assert not result.complete
    assert len(result.ties) == 1
    tie = result.ties[0]
    assert (tie.level, tie.places, set(tie.candidates)) == ("mayor", 1, {"c", "d"})
    assert "c" not in result.levels and "d" not in result.levels and "e" not in result.levels


def test_tie_within_quota_is_no_tie():
    cands = [Candidate("a", 1), Candidate("b", 1), Candidate("c", 1)]
    result = allocate_levels(cands, LEVELS)
    assert result.complete
    assert set(result.levels.values()) == {"mayor"}


def test_tie_decided_by_the_committee():
    cands = [Candidate("a", 1), Candidate("b", 2), Candidate("c", 3, 2), Candidate("d", 3, 1), Candidate("e", 5)]
    result = allocate_levels(cands, LEVELS)
    assert result.complete
    assert result.levels["d"] == "mayor"
    assert result.levels["c"] == "nomination"
    assert result.levels["e"] == "nomination"


def test_tie_at_last_boundary_and_no_place_beyond_quotas():
    levels = [Level("mayor", 1), Level("nomination", 1)]
    result = allocate_levels([Candidate("a", 1), Candidate("b", 2), Candidate("c", 2)], levels)
    assert result.ties[0].level == "nomination"
    result = allocate_levels([Candidate("a", 1), Candidate("b", 2), Candidate("c", 3)], levels)
    assert result.levels == {"a": "mayor", "b": "nomination", "c": None}
    assert result.vacancies == {}


def test_zero_quota_level_is_skipped():
    result = allocate_levels([Candidate("a", 1)], [Level("mayor", 0), Level("nomination", 2)])
    assert result.levels == {"a": "nomination"}
