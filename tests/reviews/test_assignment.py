"""Automatic assignment: conflicts never assigned, load balanced, deterministic, infeasible reported."""

from reviews.assignment import ExpertCandidate, PanelRequest, assign_panels, hard_conflict

CODES = [f"9143100200000000{n:02d}" for n in range(20)]


def _apps(n, industry="C"):
    return [
        PanelRequest(application_id=100 + i, enterprise_id=200 + i, credit_code=CODES[i], industry=industry)
        for i in range(n)
    ]


def _experts(n, **kw):
    return [ExpertCandidate(id=i + 1, industries=frozenset(kw.get("industries", {"C"}))) for i in range(n)]


def test_hard_conflicts_are_never_assigned():
    apps = _apps(6)
    experts = _experts(8)
    experts[0] = ExpertCandidate(id=1, employer_code=CODES[0].lower())  # employer is application 100's enterprise
    experts[1] = ExpertCandidate(id=2, client_codes=frozenset({CODES[1]}))  # past client of 101
    experts[2] = ExpertCandidate(id=3, conflict_enterprise_ids=frozenset({202}))  # declared conflict with 102
    plan = assign_panels(apps, experts, size=5, seed=1)
    assert 1 not in plan.panels[100]
    assert 2 not in plan.panels[101]
    assert 3 not in plan.panels[102]
    for app in apps:
        for expert_id in plan.panels[app.application_id]:
            assert not hard_conflict(next(e for e in experts if e.id == expert_id), app)
    assert all(len(v) == 5 for v in plan.panels.values())


def test_load_is_balanced_within_one():
    plan = assign_panels(_apps(7), _experts(9), size=5, seed=3)
    loads = plan.loads
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 35
    assert not [p for p in plan.problems if p.code == "load_unbalanced"]


def test_existing_load_counts():
    experts = [ExpertCandidate(id=i, industries=frozenset({"C"}), load=3 if i == 1 else 0) for i in range(1, 7)]
    plan = assign_panels(_apps(3), experts, size=5, seed=0)
    assert plan.loads[1] == 3  # already busiest: not given more
    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1


def test_same_seed_same_panels_and_different_seed_may_differ():
    a = assign_panels(_apps(6), _experts(11), size=5, seed=42)
    b = assign_panels(list(reversed(_apps(6))), list(reversed(_experts(11))), size=5, seed=42)
    assert a.panels == b.panels and a.leaders == b.leaders
    others = [assign_panels(_apps(6), _experts(11), size=5, seed=s).panels for s in range(5)]
    assert any(o != a.panels for o in others)


def test_matching_industry_preferred():
    experts = [ExpertCandidate(id=i, industries=frozenset({"C"} if i <= 5 else {"E"})) for i in range(1, 11)]
    plan = assign_panels(_apps(1, industry="E"), experts, size=5, seed=0)
    assert sorted(plan.panels[100]) == [6, 7, 8, 9, 10]
    assert plan.leaders[100] in {6, 7, 8, 9, 10}
    assert not plan.problems


def test_infeasible_cases_are_reported():
    # Only 4 experts for panels of 5: every panel short; and nobody knows construction.
    plan = assign_panels(_apps(2, industry="E"), _experts(4), size=5, seed=0)
    codes = sorted({p.code for p in plan.problems})
    assert codes == ["no_industry_match", "panel_short"]
    short = [p for p in plan.problems if p.code == "panel_short"]
    assert {p.application_id for p in short} == {100, 101}
    assert short[0].detail == {"have": 4, "need": 5}


def test_unbalanced_load_forced_by_conflicts_is_reported():
    # Expert 6 conflicts with everyone: others carry all the load.
    apps = _apps(3)
    experts = _experts(5) + [ExpertCandidate(id=6, conflict_enterprise_ids=frozenset({200, 201, 202}))]
    plan = assign_panels(apps, experts, size=5, seed=0)
    assert all(6 not in v for v in plan.panels.values())
    assert [p.code for p in plan.problems] == ["load_unbalanced"]


def test_existing_members_are_kept_and_topped_up():
    apps = [PanelRequest(100, 200, CODES[0], "C", existing=(1, 2))]
    plan = assign_panels(apps, _experts(6), size=5, seed=0)
    assert len(plan.panels[100]) == 3 and not {1, 2} & set(plan.panels[100])
    assert 100 not in plan.leaders  # the panel already has members (and its leader)


# --- soft conflict: the employer applies in the same cycle ------------------------------------


def test_an_expert_whose_employer_applies_may_score_but_is_not_made_leader():
    apps = _apps(3)
    # Experts 1-3 work for competitors and know the industry best; 4-7 do not know it.
    experts = [ExpertCandidate(id=i, industries=frozenset({"C"}), employer_applies=True) for i in (1, 2, 3)] + [
        ExpertCandidate(id=i) for i in (4, 5, 6, 7)
    ]
    for seed in range(10):
        plan = assign_panels(apps, experts, size=5, seed=seed)
        for app in apps:
            panel = plan.panels[app.application_id]
            assert len(panel) == 5 and any(x in (1, 2, 3) for x in panel)  # allowed on the panel
            assert plan.leaders[app.application_id] not in (1, 2, 3)
        assert not [p for p in plan.problems if p.code == "leader_employer_applies"]


def test_a_leader_whose_employer_applies_is_reported_when_unavoidable():
    apps = _apps(1)
    experts = [ExpertCandidate(id=i, employer_applies=True) for i in range(1, 6)]
    plan = assign_panels(apps, experts, size=5, seed=0)
    assert plan.leaders[100] in range(1, 6)
    problems = [p for p in plan.problems if p.code == "leader_employer_applies"]
    assert len(problems) == 1 and problems[0].application_id == 100
    assert problems[0].detail["expert"] == plan.leaders[100]


def test_the_soft_conflict_is_not_the_hard_one():
    from reviews.assignment import soft_conflict

    app = _apps(1)[0]
    own = ExpertCandidate(id=1, employer_code=CODES[0], employer_applies=True)  # works for this applicant
    rival = ExpertCandidate(id=2, employer_code=CODES[5], employer_applies=True)
    assert hard_conflict(own, app) and not soft_conflict(own, app)
    assert soft_conflict(rival, app) and not hard_conflict(rival, app)
