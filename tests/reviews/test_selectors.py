"""The contract for the committee app, and constant query counts for list pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.enums import ApplicationStatus
from reviews.enums import RankingBasis, RoundKind
from reviews.models import ItemScore, Panel
from reviews.selectors import (
    application_score_summary,
    cycle_category_averages,
    cycle_ranking,
    cycle_score_distribution,
    expert_performance,
    material_for_expert,
    ranking_positions,
    ranking_row,
)
from tests.factories.awards import ApplicationFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import (
    AssignmentFactory,
    ReviewRoundFactory,
    framework_items,
    recorded_consensus,
    submitted_sheet,
)

T0 = timezone.now() - dt.timedelta(days=30)


def _app(cycle, rnd, experts, pcts, *, submitted_at=None, results=None):
    """An application whose panel gave each item pcts[k] (expert k); `results` overrides 4.7.x items."""
    app = ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW, submitted_at=submitted_at or T0)
    panel = Panel.objects.create(round=rnd, application=app)
    for k, e in enumerate(experts):
        values = {i.code: pcts[k] for i in framework_items(cycle)}
        if results is not None:
            values.update({i.code: results[k] for i in framework_items(cycle) if i.code.startswith("4.7")})
        submitted_sheet(AssignmentFactory(panel=panel, expert=e, is_leader=k == 0), values)
    return app


@pytest.fixture
def five(db):
    return [UserFactory() for _ in range(5)]


def test_cycle_ranking_rows_and_tie_breaks(cycle, five):
    rnd = ReviewRoundFactory(cycle=cycle)
    # a and b: the same total (600). b has the better results score; c and d tie fully: earlier submission first.
    a = _app(cycle, rnd, five, [60] * 5)
    b = _app(cycle, rnd, five, [50] * 5, results=[75] * 5)  # 600×0.5 + 400×0.75 = 600
    c = _app(cycle, rnd, five, [40] * 5, submitted_at=T0 + dt.timedelta(hours=2))
    d = _app(cycle, rnd, five, [40] * 5, submitted_at=T0 + dt.timedelta(hours=1))
    rows = cycle_ranking(cycle=cycle)
    assert [r.application.pk for r in rows] == [b.pk, a.pk, d.pk, c.pk]
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    top = rows[0]
    assert top.material == Decimal("600.00") and top.onsite is None and top.combined is None
    assert top.categories["4.7"] == Decimal("300.00") and top.categories["4.1"] == Decimal("55.00")
    assert top.enterprise == b.enterprise and top.complete == {"material": True}


def test_ranking_positions_number_the_whole_ranking_and_return_only_the_rows_asked(cycle, five):
    rnd = ReviewRoundFactory(cycle=cycle)
    a = _app(cycle, rnd, five, [60] * 5)
    b = _app(cycle, rnd, five, [50] * 5, results=[75] * 5)
    c = _app(cycle, rnd, five, [40] * 5, submitted_at=T0 + dt.timedelta(hours=2))
    d = _app(cycle, rnd, five, [40] * 5, submitted_at=T0 + dt.timedelta(hours=1))
    unscored = ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW)
    Panel.objects.create(round=rnd, application=unscored)
    no_panel = ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW)
    whole = {r.application.pk: r for r in cycle_ranking(cycle=cycle)}
    basis = RankingBasis.MATERIAL
    page = ranking_positions(cycle=cycle, basis=basis, application_ids=[c.pk, a.pk, unscored.pk, no_panel.pk])
    assert set(page) == {c.pk, a.pk, unscored.pk}  # only the rows asked, and only with a panel
    assert (page[a.pk].rank, page[c.pk].rank) == (whole[a.pk].rank, whole[c.pk].rank) == (2, 4)
    assert page[a.pk].material == whole[a.pk].material == Decimal("600.00")
    assert (page[unscored.pk].position, page[unscored.pk].rank) == (5, None)  # last, unranked
    assert ranking_positions(cycle=cycle, basis=basis, application_ids=[]) == {}
    assert ranking_row(cycle=cycle, application=d, basis=basis).rank == 3
    assert ranking_row(cycle=cycle, application=no_panel, basis=basis) is None
    assert b.pk in whole


def test_trimmed_mean_and_consensus_drive_the_panel_score(cycle, five):
    rnd = ReviewRoundFactory(cycle=cycle)
    app = _app(cycle, rnd, five, [0, 50, 50, 50, 100])  # trimmed mean 50 → 500 points
    assert cycle_ranking(cycle=cycle)[0].material == Decimal("500.00")
    panel = app.panels.get()
    item = framework_items(cycle)[0]  # 50 points
    recorded_consensus(panel=panel, item=item, percent=70, recorded_by=five[0])
    assert cycle_ranking(cycle=cycle)[0].material == Decimal("510.00")


def test_combined_uses_the_cycles_weights(cycle, five):
    rnd = ReviewRoundFactory(cycle=cycle)
    onsite = ReviewRoundFactory(cycle=cycle, kind=RoundKind.ONSITE)
    app = _app(cycle, rnd, five, [60] * 5)
    panel = Panel.objects.create(round=onsite, application=app)
    for k, e in enumerate(five):
        submitted_sheet(AssignmentFactory(panel=panel, expert=e, is_leader=k == 0), 70)
    row = cycle_ranking(cycle=cycle)[0]
    assert (row.material, row.onsite) == (Decimal("600.00"), Decimal("700.00"))
    assert row.combined == Decimal("660.00")  # 0.4 × 600 + 0.6 × 700
    assert row.categories["4.7"] == Decimal("264.00")  # 0.4 × 240 + 0.6 × 280


def test_application_score_summary(cycle, five):
    from reviews.models import CategoryFeedback

    rnd = ReviewRoundFactory(cycle=cycle)
    app = _app(cycle, rnd, five, [60] * 5)
    panel = app.panels.get()
    sheet = panel.assignments.get(is_leader=True).sheet
    cat = framework_items(cycle)[0].category
    CategoryFeedback.objects.create(sheet=sheet, category=cat, strengths="领导重视", opportunities="需加强测量")
    recorded_consensus(panel=panel, item=framework_items(cycle)[0], percent=60, recorded_by=five[0])
    summary = application_score_summary(application=app)
    (material,) = summary.rounds
    assert material.kind == "material" and material.total == Decimal("600.00")
    assert material.categories["4.1"] == Decimal("66.00")
    assert material.feedback == {"4.1": [("领导重视", "需加强测量")]}
    assert [c.item.code for c in material.consensus_items] == ["4.1.2"]
    assert material.members[0] == (str(five[0]), True) and len(material.members) == 5
    assert material.complete


def test_category_averages_and_distribution(cycle, five):
    rnd = ReviewRoundFactory(cycle=cycle)
    _app(cycle, rnd, five, [60] * 5)
    _app(cycle, rnd, five, [40, 40, 40, 40, 60])  # trimmed 40 → 400; experts' totals 400 ×4, 600
    averages = cycle_category_averages(cycle=cycle)
    assert averages["4.1"] == Decimal("55.00")  # (66 + 44) / 2
    assert sum(averages.values()) == Decimal("500.00")
    dist = cycle_score_distribution(cycle=cycle)
    material = dist["material"]
    assert material.totals == [Decimal("600.00"), Decimal("400.00")]
    # panel 1: all equal (gap 0); panel 2: 4 of 10 pairs differ by 200 → 80; mean (0 + 80) / 2 = 40
    assert material.mean_pairwise_gap == Decimal("40.00")
    assert material.mean_sd == Decimal("40.00")  # sd 0 and 80


def test_the_distribution_is_kept_per_state_of_the_stored_scores(cycle, five, django_assert_num_queries):
    rnd = ReviewRoundFactory(cycle=cycle)
    _app(cycle, rnd, five, [60] * 5)
    assert cycle_score_distribution(cycle=cycle)["material"].totals == [Decimal("600.00")]
    with django_assert_num_queries(1):  # the state of the stored scores; the figures from the cache
        assert cycle_score_distribution(cycle=cycle)["material"].totals == [Decimal("600.00")]
    _app(cycle, rnd, five, [40] * 5)  # a panel submits: its stored score is written
    assert cycle_score_distribution(cycle=cycle)["material"].totals == [Decimal("600.00"), Decimal("400.00")]


def test_expert_performance(cycle, five, material_round=None):
    rnd = ReviewRoundFactory(cycle=cycle)
    from awards.enums import CycleRole
    from tests.factories.awards import CycleMembershipFactory

    for e in five:
        CycleMembershipFactory(cycle=cycle, user=e, role=CycleRole.EXPERT)
    _app(cycle, rnd, five, [40, 40, 40, 40, 60])
    perf = {p.expert.pk: p for p in expert_performance(cycle=cycle)}
    assert perf[five[4].pk].mean_deviation == Decimal("200.00")
    assert perf[five[0].pk].mean_deviation == Decimal("0.00")
    assert perf[five[0].pk].on_time == perf[five[0].pk].submitted == 1


def test_material_for_expert_shows_what_exists(application_a):
    view = material_for_expert(application_a)
    flat = {str(label): value for s in view.sections for label, value in s.rows}
    assert application_a.enterprise.credit_code in flat.values()
    assert view.snapshot is None and view.view is None  # never submitted: no submitted version to show


# ---------------------------------------------------------------- query counts


def _many(cycle, n, five):
    rnd = ReviewRoundFactory(cycle=cycle)
    for _ in range(n):
        _app(cycle, rnd, five, [55] * 5)
    return rnd


@pytest.mark.parametrize("n", [1, 6])
def test_ranking_and_exports_do_not_grow_with_rows(
    client_for, secretary, cycle, five, n, django_assert_max_num_queries
):
    _many(cycle, n, five)
    c = client_for(secretary)
    with django_assert_max_num_queries(18):
        assert c.get(reverse("reviews:ranking", args=[cycle.pk])).status_code == 200
    with django_assert_max_num_queries(17):
        response = c.get(reverse("reviews:export", args=[cycle.pk, "csv"]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)  # the item scores are read while streaming


@pytest.mark.parametrize("n", [1, 6])
def test_matrix_and_experts_pages_do_not_grow(client_for, secretary, cycle, five, n, django_assert_max_num_queries):
    from awards.enums import CycleRole
    from tests.factories.awards import CycleMembershipFactory

    for e in five:
        CycleMembershipFactory(cycle=cycle, user=e, role=CycleRole.EXPERT)
    rnd = _many(cycle, n, five)
    c = client_for(secretary)
    with django_assert_max_num_queries(14):
        assert c.get(reverse("reviews:cycle", args=[cycle.pk])).status_code == 200
    with django_assert_max_num_queries(20):  # + the experts' ratings (one query)
        assert c.get(reverse("reviews:experts", args=[cycle.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert c.get(reverse("reviews:panels", args=[rnd.pk])).status_code == 200


def test_panel_page_query_count(client_for, secretary, cycle, five, django_assert_max_num_queries):
    rnd = _many(cycle, 3, five)
    panel = Panel.objects.filter(round=rnd).first()
    c = client_for(secretary)
    with django_assert_max_num_queries(16):
        assert c.get(reverse("reviews:panel", args=[panel.pk])).status_code == 200
    assert ItemScore.objects.count() == 3 * 5 * 23


def test_the_panel_page_and_the_ranking_give_the_same_total(cycle, material_round, secretary, five):
    # Five experts whose trimmed means leave thirds of a point: rounding per item and rounding the
    # sum differ here unless both places follow one rule.
    from reviews.selectors import cycle_ranking, panel_detail
    from tests.factories.awards import ApplicationFactory
    from tests.factories.reviews import AssignmentFactory, PanelFactory, submitted_sheet

    app = ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW)
    panel = PanelFactory(round=material_round, application=app)
    for i, (e, pct) in enumerate(zip(five, (55, 60, 60, 65, 75), strict=True)):
        submitted_sheet(AssignmentFactory(panel=panel, expert=e, is_leader=i == 0), pct)
    detail = panel_detail(panel=panel)
    (row,) = [r for r in cycle_ranking(cycle=cycle) if r.application.pk == app.pk]
    assert detail.total == row.material
