"""The stored panel scores: kept current by every service that changes their inputs, and one figure
everywhere: the panel page, the ranking (function and page), the dossier's summary and the export
agree to the cent, on seed_demo's data and on a generated cycle with consensus items.
(The sheet's live preview in the browser is checked in tests/browser/test_score_preview.py.)"""

import importlib
from collections import defaultdict
from decimal import Decimal

import pytest
from django.apps import apps as live_apps
from django.core.management import call_command
from django.urls import reverse

from awards.enums import ApplicationStatus, CycleRole
from awards.models import AwardCycle
from reviews import panel_scores, scoring, services
from reviews.enums import RankingBasis, RoundKind
from reviews.exports import export_tables
from reviews.models import Panel, PanelScore
from reviews.selectors import application_score_summary, cycle_ranking, panel_detail, ranking_row, sheet_totals
from tests.factories.awards import ApplicationFactory, CycleMembershipFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import (
    AssignmentFactory,
    PanelFactory,
    ReviewRoundFactory,
    framework_items,
    recorded_consensus,
    submitted_sheet,
)

from .conftest import set_status

pytestmark = pytest.mark.django_db


def _stored(panel):
    return PanelScore.objects.filter(panel=panel).first()


# ---------------------------------------------------------------- every service that changes inputs


def _save_and_submit(assignment, pct, items):
    services.sheet_save(assignment=assignment, by=assignment.expert, scores={i.pk: str(pct) for i in items})
    return services.sheet_submit(assignment=assignment, by=assignment.expert)


def test_submit_stores_the_panel_score_and_each_submit_updates_it(review, cycle):
    panel, lead, peers = review
    items = framework_items(cycle)
    assert _stored(panel) is None
    _save_and_submit(lead, 40, items)
    first = _stored(panel)
    assert first.total == Decimal("400.00") and first.items_scored == len(items)
    for a, pct in zip(peers, [50, 55, 60, 80], strict=True):
        _save_and_submit(a, pct, items)
    # five sheets: 40 and 80 are dropped, the trimmed mean is 55 → 550 points
    stored = _stored(panel)
    assert stored.total == Decimal("550.00") == panel_detail(panel=panel).total
    assert stored.categories == {c: str(v) for c, v in _categories(panel).items()}


def test_reopen_takes_the_sheet_out_of_the_stored_score(review, cycle, secretary):
    panel, lead, peers = review
    items = framework_items(cycle)
    sheet = _save_and_submit(lead, 40, items)
    _save_and_submit(peers[0], 60, items)
    assert _stored(panel).total == Decimal("500.00")  # mean of 40 and 60
    services.sheet_reopen(sheet=sheet, by=secretary, reason="请复核4.1")
    assert _stored(panel).total == Decimal("600.00")  # only the peer's sheet counts
    sheet_peer = peers[0].sheet
    services.sheet_reopen(sheet=sheet_peer, by=secretary, reason="请复核")
    assert _stored(panel) is None  # no sheet counts: no score


def test_refused_reopen_leaves_the_stored_score(review, cycle, secretary, expert):
    from django.core.exceptions import PermissionDenied

    panel, lead, _peers = review
    sheet = _save_and_submit(lead, 40, framework_items(cycle))
    before = _stored(panel).total
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(sheet=sheet, by=expert, reason="不行")
    assert _stored(panel).total == before


def test_consensus_updates_the_stored_score(review, cycle, expert):
    panel, lead, peers = review
    items = framework_items(cycle)
    for a, pct in zip([lead, *peers], [40, 50, 55, 60, 80], strict=True):
        _save_and_submit(a, pct, items)
    item = items[0]
    assert _stored(panel).total == Decimal("550.00")
    services.consensus_record(panel=panel, item=item, percent="75", rationale="经讨论", by=expert)
    expected = Decimal("550.00") + scoring.points(item.points, 75) - scoring.points(item.points, 55)
    assert _stored(panel).total == expected == panel_detail(panel=panel).total
    services.consensus_record(panel=panel, item=item, percent=55, rationale="复议", by=expert)
    assert _stored(panel).total == Decimal("550.00")


def test_the_backfill_command_gives_what_the_services_stored(review, cycle, expert):
    panel, lead, peers = review
    items = framework_items(cycle)
    for a, pct in zip([lead, *peers], [40, 50, 55, 60, 80], strict=True):
        _save_and_submit(a, pct, items)
    services.consensus_record(panel=panel, item=items[0], percent="75", rationale="经讨论", by=expert)
    stored = _stored(panel)
    PanelScore.objects.all().delete()
    call_command("refresh_panel_scores", stdout=open("/dev/null", "w"))  # noqa: SIM115
    again = _stored(panel)
    assert (again.total, again.results, again.categories) == (stored.total, stored.results, stored.categories)


def test_the_backfill_command_refuses_an_unknown_cycle():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("refresh_panel_scores", "999999")


# ---------------------------------------------------------------- one figure everywhere


def _categories(panel) -> dict[str, Decimal]:
    detail = panel_detail(panel=panel)
    return {c.code: v for c, v in detail.categories if any(r.item.category_id == c.pk and r.n for r in detail.items)}


def assert_one_figure_everywhere(cycle, client):
    """Panel page = stored = ranking (function, page, one row) = dossier summary = export, to the cent."""
    panels = list(Panel.objects.filter(round__cycle=cycle).select_related("round"))
    assert panels
    rows = {r.application.pk: r for r in cycle_ranking(cycle=cycle)}
    basis = RankingBasis.COMBINED if any(r.onsite is not None for r in rows.values()) else RankingBasis.MATERIAL
    page = client.get(reverse("reviews:ranking", args=[cycle.pk]) + "?size=200")
    assert page.status_code == 200
    on_page = {r.application.pk: r for r in page.context["rows"]}
    # the ranking sheet: rank, name, English name, credit code, status, material, on-site, combined, …
    exported = {row[3]: row for row in export_tables(cycle=cycle)[0][2]}
    column = {RoundKind.MATERIAL: 5, RoundKind.ONSITE: 6}
    checked = 0
    for panel in panels:
        detail = panel_detail(panel=panel)
        if detail.total is None:
            continue
        kind = panel.round.kind
        stored = _stored(panel)
        row = rows[panel.application_id]
        figure = row.material if kind == RoundKind.MATERIAL else row.onsite
        assert stored.total == detail.total == figure, panel
        assert on_page[panel.application_id].score(kind) == detail.total
        assert ranking_row(cycle=cycle, application=panel.application, basis=basis).score(kind) == detail.total
        assert row.categories_by_round[kind] == _categories(panel)
        (summary,) = [r for r in application_score_summary(application=panel.application).rounds if r.kind == kind]
        assert summary.total == detail.total and summary.categories == _categories(panel)
        line = exported[panel.application.credit_code]
        assert Decimal(str(line[column[kind]])) == detail.total
        checked += 1
    assert checked
    # The export's item rows add up to each expert's total on the panel page.
    sheets: dict[tuple, Decimal] = defaultdict(Decimal)
    for kind_label, _zh, _en, code, email, _item, _pts, _pct, points in export_tables(cycle=cycle)[1][2]:
        sheets[(str(kind_label), code, email)] += Decimal(str(points))
    for panel in panels:
        detail = panel_detail(panel=panel)
        label = str(panel.round.get_kind_display())
        for member, total, _normalised in detail.member_rows:
            if total is not None:
                assert sheets[(label, panel.application.credit_code, member.expert.email)] == total
    # The stored experts' totals (the report's agreement figures) are the panel page's.
    stored_totals = {(p, e): t for p, e, t, _n in sheet_totals(cycle=cycle)}
    for panel in panels:
        detail = panel_detail(panel=panel)
        for member, total, _normalised in detail.member_rows:
            assert stored_totals.get((panel.pk, member.expert_id)) == total
    # and the combined figure is the cycle's weights applied to both rounds' panel scores
    for r in rows.values():
        assert r.combined == scoring.combine(
            material=r.material,
            onsite=r.onsite,
            material_weight=cycle.material_weight,
            onsite_weight=cycle.onsite_weight,
        )


def test_one_figure_everywhere_on_the_demo_data(client_for):
    from core.models import User

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    secretary = User.objects.get(email="secretary@demo.mqa.cn")
    client = client_for(secretary)
    cycle = AwardCycle.objects.get(year=2017)
    assert PanelScore.objects.filter(panel__round__cycle=cycle, panel__consensus__isnull=False).exists()
    assert_one_figure_everywhere(cycle, client)


@pytest.fixture
def generated(cycle, secretary):
    """Four applications scored in both rounds by five experts with spread-out percentages, so that the
    trimmed means are fractions of a percent and several items get a consensus score."""
    experts = [
        CycleMembershipFactory(cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email=f"gen{i}@pool.cn")).user
        for i in range(5)
    ]
    items = framework_items(cycle)
    material = ReviewRoundFactory(cycle=cycle)
    onsite = ReviewRoundFactory(cycle=cycle, kind=RoundKind.ONSITE)
    patterns = [[10, 15, 25, 30, 90], [0, 35, 50, 65, 100], [5, 20, 45, 70, 95], [55, 60, 60, 65, 70]]
    for n in range(4):
        app = ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW)
        for rnd in (material, onsite):
            panel = Panel.objects.create(round=rnd, application=app)
            for k, e in enumerate(experts):
                a = AssignmentFactory(panel=panel, expert=e, is_leader=k == 0)
                shift = (n + k + (rnd.kind == RoundKind.ONSITE)) % 5
                submitted_sheet(a, {i.code: patterns[(j + n) % 4][(k + shift + j) % 5] for j, i in enumerate(items)})
            for j, item in enumerate(items[n : n + 3]):
                recorded_consensus(panel=panel, item=item, percent=[35, 50, 65][j], recorded_by=experts[0])
        set_status(app, ApplicationStatus.ONSITE_REVIEW)
    return cycle


def test_one_figure_everywhere_on_a_generated_cycle_with_consensus(generated, secretary, client_for):
    fractions = [
        r
        for p in Panel.objects.filter(round__cycle=generated)
        for r in panel_detail(panel=p).items
        if r.panel_percent is not None and r.panel_percent != r.panel_percent.to_integral_value()
    ]
    assert fractions  # the arithmetic is exercised on fractional trimmed means
    assert_one_figure_everywhere(generated, client_for(secretary))


def test_the_ranking_page_is_paged_with_the_counts_and_cut_off_on_every_page(generated, secretary, client_for):
    c = client_for(secretary)
    full = cycle_ranking(cycle=generated)
    first = c.get(reverse("reviews:ranking", args=[generated.pk]) + "?size=25&cut=2")
    assert [r.application.pk for r in first.context["rows"]] == [r.application.pk for r in full]
    summary = first.context["summary"]
    assert (summary.ranked, summary.cut, summary.cut_score) == (4, 2, full[1].combined)
    assert summary.shortlisted == 4  # every application has an on-site score
    by_material = c.get(reverse("reviews:ranking", args=[generated.pk]) + "?basis=material&cut=1")
    assert by_material.context["basis"] == RankingBasis.MATERIAL
    ordered = sorted(full, key=lambda r: (-r.material, r.application.submitted_at, r.application.pk))
    assert [r.application.pk for r in by_material.context["rows"]] == [r.application.pk for r in ordered]
    assert by_material.context["summary"].cut_score == ordered[0].material
    odd = c.get(reverse("reviews:ranking", args=[generated.pk]) + "?basis=nonsense&cut=x&page=99")
    assert odd.status_code == 200 and odd.context["basis"] == RankingBasis.COMBINED


def test_stored_rows_are_what_compute_gives(generated):
    ids = list(Panel.objects.filter(round__cycle=generated).values_list("pk", flat=True))
    fresh = panel_scores.compute(ids)
    for s in PanelScore.objects.filter(panel_id__in=ids):
        assert (s.total, s.results, s.categories) == (
            fresh[s.panel_id].total,
            fresh[s.panel_id].results,
            fresh[s.panel_id].categories,
        )


def test_each_stored_row_names_its_panels_application_and_round(generated):
    """The ranking looks a score up by (application, round kind), so both copies must be the panel's."""
    rows = PanelScore.objects.filter(panel__round__cycle=generated).select_related("panel__round")
    kinds = set()
    for s in rows:
        assert (s.application_id, s.kind) == (s.panel.application_id, s.panel.round.kind)
        kinds.add(s.kind)
    assert kinds == {RoundKind.MATERIAL, RoundKind.ONSITE}


def test_the_place_backfill_copies_application_and_round_kind(generated):
    """Migration 0005's backfill, run on rows whose copies are wrong, restores them from the panel."""
    module = importlib.import_module("reviews.migrations.0005_panel_score_place")
    row = PanelScore.objects.filter(panel__round__cycle=generated, kind=RoundKind.MATERIAL).first()
    other = ApplicationFactory(cycle=generated)  # no scores: the wrong copy breaks no uniqueness
    PanelScore.objects.filter(pk=row.pk).update(application=other, kind=RoundKind.ONSITE)
    module.place(live_apps, None)
    row.refresh_from_db()
    assert (row.application_id, row.kind) == (row.panel.application_id, RoundKind.MATERIAL)
    assert not PanelScore.objects.filter(application=other).exists()


def test_the_chart_shows_the_same_leaders_on_every_page(cycle, secretary, client_for):
    """Page 1 lends its first rows to the chart; any other page reads the leaders itself: same chart."""
    rnd = ReviewRoundFactory(cycle=cycle, kind=RoundKind.MATERIAL)
    for i in range(30):
        app = ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW)
        panel = PanelFactory(round=rnd, application=app)
        PanelScore.objects.create(
            panel=panel,
            application=app,
            kind=RoundKind.MATERIAL,
            total=Decimal(900 - 7 * i),
            results=Decimal(300),
            categories={"4.1": str(900 - 7 * i)},
            items_scored=23,
        )
    c = client_for(secretary)
    url = reverse("reviews:ranking", args=[cycle.pk]) + "?size=25"
    first, second = c.get(url), c.get(url + "&page=2")
    assert len(first.context["rows"]) == 25 and len(second.context["rows"]) == 5
    leaders = [r.application.display_name for r in cycle_ranking(cycle=cycle)[:25]]
    assert first.context["chart"]["labels"] == leaders == second.context["chart"]["labels"]
    assert first.context["chart"]["series"] == second.context["chart"]["series"]
