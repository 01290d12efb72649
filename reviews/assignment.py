"""Automatic panel assignment: a pure function, so it can be tested and explained on its own.

Hard constraints (never broken): an expert is never put on the panel of an enterprise whose credit
code is their employer's, that they declared as a past consulting client, or with which they
declared a conflict. Soft ones, in order: every panel full, load balanced (no expert more than one
panel more than another), matching industry expertise, and no panel led by an expert whose employer
applies in the same cycle (a competitor's employee may score, but should not lead). Whatever could
not be met is reported.
The same input and seed always give the same panels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExpertCandidate:
    id: int
    employer_code: str = ""
    client_codes: frozenset[str] = frozenset()
    conflict_enterprise_ids: frozenset[int] = frozenset()
    industries: frozenset[str] = frozenset()
    load: int = 0  # panels already held in this round
    employer_applies: bool = False  # the employer has an application in the same cycle


@dataclass(frozen=True)
class PanelRequest:
    application_id: int
    enterprise_id: int
    credit_code: str
    industry: str
    existing: tuple[int, ...] = ()  # experts already on this panel (kept)


@dataclass(frozen=True)
class Problem:
    code: str  # panel_short | load_unbalanced | no_industry_match | leader_employer_applies
    application_id: int | None
    detail: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Plan:
    panels: dict[int, list[int]]  # application id -> new expert ids, in the order chosen
    leaders: dict[int, int]  # application id -> proposed leader (for panels that have none yet)
    loads: dict[int, int]
    problems: list[Problem]


def hard_conflict(expert: ExpertCandidate, request: PanelRequest) -> bool:
    """True when the expert must never score this application."""
    code = request.credit_code.upper()
    return (
        (expert.employer_code and expert.employer_code.upper() == code)
        or code in {c.upper() for c in expert.client_codes}
        or request.enterprise_id in expert.conflict_enterprise_ids
    )


def soft_conflict(expert: ExpertCandidate, request: PanelRequest) -> bool:
    """True when the expert's employer competes in the same cycle (another applicant than this one:
    their own employer is a hard conflict). Allowed on a panel; avoided for its leader."""
    return expert.employer_applies and not hard_conflict(expert, request)


def assign_panels(
    requests: list[PanelRequest], experts: list[ExpertCandidate], *, size: int = 5, seed: int = 0
) -> Plan:
    rng = random.Random(seed)
    order = sorted(requests, key=lambda r: r.application_id)
    rng.shuffle(order)
    # A fixed random rank per expert breaks ties without favouring low ids.
    tiebreak = {e.id: rng.random() for e in sorted(experts, key=lambda e: e.id)}
    loads = {e.id: e.load for e in experts}
    members: dict[int, list[int]] = {r.application_id: list(r.existing) for r in order}
    chosen: dict[int, list[int]] = {r.application_id: [] for r in order}
    by_id = {e.id: e for e in experts}

    # Fill slot by slot across all panels, so the load spreads evenly as panels fill.
    for _slot in range(size):
        for req in order:
            if len(members[req.application_id]) >= size:
                continue
            eligible = [e for e in experts if e.id not in members[req.application_id] and not hard_conflict(e, req)]
            if not eligible:
                continue
            best = min(
                eligible,
                key=lambda e: (loads[e.id], req.industry not in e.industries, tiebreak[e.id]),
            )
            members[req.application_id].append(best.id)
            chosen[req.application_id].append(best.id)
            loads[best.id] += 1

    problems: list[Problem] = []
    leaders: dict[int, int] = {}
    for req in sorted(order, key=lambda r: r.application_id):
        panel = members[req.application_id]
        if len(panel) < size:
            problems.append(Problem("panel_short", req.application_id, {"have": len(panel), "need": size}))
        matching = [x for x in panel if req.industry in by_id.get(x, ExpertCandidate(x)).industries]
        if panel and not matching:
            problems.append(Problem("no_industry_match", req.application_id, {"industry": req.industry}))
        if chosen[req.application_id] and not req.existing:
            # Prefer a leader of the industry, but above all one whose employer does not compete.
            candidates = [x for x in matching + panel if not soft_conflict(by_id.get(x, ExpertCandidate(x)), req)]
            leaders[req.application_id] = (candidates or matching or panel)[0]
            if not candidates:
                problems.append(
                    Problem("leader_employer_applies", req.application_id, {"expert": leaders[req.application_id]})
                )
    if loads and max(loads.values()) - min(loads.values()) > 1:
        problems.append(Problem("load_unbalanced", None, {"max": max(loads.values()), "min": min(loads.values())}))
    return Plan(panels=chosen, leaders=leaders, loads=loads, problems=problems)
