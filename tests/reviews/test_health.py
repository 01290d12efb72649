"""Review health: the arithmetic against published and hand-computed values, and the selector."""

import itertools
import math
import random
import statistics

import pytest

from reviews import health, scoring

# Shrout & Fleiss (1979), Table 2: six targets rated by four judges.
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def _icc1_by_variances(rows):
    """An independent ICC(1,1) and ICC(1,k) for a balanced design, from variances of the statistics
    module: MSW is the mean within-target sample variance, MSB k times the sample variance of the means."""
    k = len(rows[0])
    msw = statistics.mean(statistics.variance(r) for r in rows)
    msb = k * statistics.variance([statistics.mean(r) for r in rows])
    return (msb - msw) / (msb + (k - 1) * msw), (msb - msw) / msb


def test_icc_matches_the_values_shrout_and_fleiss_published():
    a = health.icc_oneway(SHROUT_FLEISS)
    # published (Table 4): ICC(1,1) = .17, ICC(1,4) = .44; the ANOVA of Table 3: BMS 11.24, WMS 6.26
    assert round(a.single, 2) == 0.17 and round(a.average, 2) == 0.44
    assert round(a.ms_between, 2) == 11.24 and round(a.ms_within, 2) == 6.26
    assert (a.df1, a.df2, a.k, a.targets, a.ratings) == (5, 18, 4.0, 6, 24)
    single, average = _icc1_by_variances(SHROUT_FLEISS)
    assert a.single == pytest.approx(single, abs=1e-12) and a.average == pytest.approx(average, abs=1e-12)


def test_icc_interval_is_the_exact_f_interval():
    a = health.icc_oneway(SHROUT_FLEISS)
    # F(5, 18) = 1.79; F.975(5, 18) = 3.382 and F.975(18, 5) = 6.362 (F tables); the interval of
    # McGraw & Wong (1996), Table 7, case 1: FL = F / F.975(df1, df2), FU = F × F.975(df2, df1).
    assert round(a.f, 2) == 1.79
    fl, fu = a.f / 3.382, a.f * 6.362
    assert a.single_low == pytest.approx((fl - 1) / (fl + 3), abs=1e-3)
    assert a.single_high == pytest.approx((fu - 1) / (fu + 3), abs=1e-3)
    assert a.average_low == pytest.approx(1 - 1 / fl, abs=1e-3)
    assert a.average_high == pytest.approx(1 - 1 / fu, abs=1e-3)
    assert (round(a.single_low, 2), round(a.single_high, 2)) == (-0.13, 0.72)
    assert (round(a.average_low, 2), round(a.average_high, 2)) == (-0.88, 0.91)


def test_f_quantile_against_the_closed_form_for_two_numerator_degrees():
    # For F(2, d): P(F <= x) = 1 - (1 + 2x/d)^(-d/2), so the p-quantile is d/2 × ((1-p)^(-2/d) - 1).
    for d in (3, 10, 40):
        for p in (0.025, 0.5, 0.95, 0.975):
            assert health.f_quantile(p, 2, d) == pytest.approx(d / 2 * ((1 - p) ** (-2 / d) - 1), rel=1e-9)
            assert health.f_cdf(health.f_quantile(p, 2, d), 2, d) == pytest.approx(p, abs=1e-12)


def test_icc_with_unequal_panels_uses_the_average_panel_size():
    groups = [[10, 12], [20, 21, 19], [30, 28, 31, 29]]
    a = health.icc_oneway(groups)
    n = 9
    k0 = (n - (4 + 9 + 16) / n) / 2
    assert a.k == pytest.approx(k0)
    grand = sum(map(sum, groups)) / n
    msb = sum(len(g) * (statistics.mean(g) - grand) ** 2 for g in groups) / 2
    msw = sum(sum((x - statistics.mean(g)) ** 2 for x in g) for g in groups) / (n - 3)
    assert a.single == pytest.approx((msb - msw) / (msb + (k0 - 1) * msw))
    assert a.single > 0.9 and a.single_low < a.single < a.single_high


def test_icc_needs_two_targets_with_two_ratings_and_some_spread():
    assert health.icc_oneway([[1, 2]]) is None
    assert health.icc_oneway([[1], [2], [3]]) is None
    assert health.icc_oneway([[5, 5], [7, 7]]) is None  # no disagreement at all: nothing to measure
    assert health.icc_oneway([[4, 6], [6, 4]]) is None  # no difference between the targets


def test_leniency_by_hand():
    panels = {
        "p1": {"ann": 600, "bo": 500, "cy": 400},  # mean 500
        "p2": {"ann": 700, "bo": 650},  # mean 675
        "p3": {"cy": 300},  # alone: not counted
    }
    rows = {r.expert: (r.deviation, r.count) for r in health.leniency(panels)}
    assert rows == {"ann": (62.5, 2), "bo": (-12.5, 2), "cy": (-100.0, 1)}
    assert [r.expert for r in health.leniency(panels)] == ["ann", "bo", "cy"]


def test_drift_by_hand():
    material = {1: {"4.1": 50.0, "4.7": 200.0}, 2: {"4.1": 60.0, "4.7": 250.0}, 3: {"4.1": 70.0}}
    onsite = {1: {"4.1": 55.0, "4.7": 180.0}, 2: {"4.1": 66.0, "4.7": 250.0}}
    rows, means = health.drift(material, onsite)
    assert [(r.key, r.material, r.onsite, r.change) for r in rows] == [(1, 250.0, 235.0, -15.0), (2, 310.0, 316.0, 6.0)]
    assert rows[0].categories == {"4.1": 5.0, "4.7": -20.0}
    assert means == {"4.1": 5.5, "4.7": -10.0}


def _kendall_brute(x, y):
    c = d = tx = ty = 0
    for i, j in itertools.combinations(range(len(x)), 2):
        a, b = x[i] - x[j], y[i] - y[j]
        c += a * b > 0
        d += a * b < 0
        tx += a == 0 and b != 0
        ty += b == 0 and a != 0
    return (c - d) / math.sqrt((c + d + tx) * (c + d + ty))


def test_kendall_tau_b_against_the_pairwise_definition():
    rng = random.Random(7)
    for n in (2, 3, 17, 200):
        x = [rng.randint(0, 8) for _ in range(n)]
        y = [v + rng.randint(-3, 3) for v in x]
        if len(set(x)) > 1 and len(set(y)) > 1:
            assert health.kendall_tau_b(x, y) == pytest.approx(_kendall_brute(x, y), abs=1e-12)
    assert health.kendall_tau_b([1, 2, 3], [3, 2, 1]) == pytest.approx(-1)


def test_spearman_by_hand():
    # ranks 1..5 against 2,1,4,3,5: d² = 1+1+1+1+0 = 4; rho = 1 - 6×4/(5×24) = 0.8
    assert health.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) == pytest.approx(0.8)
    assert health.average_ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]


def test_reordering_rank_changes_and_the_cut_off_line():
    raw = {"a": 700, "b": 650, "c": 600, "d": 550, "e": 500}
    normalised = {"a": 690, "b": 560, "c": 640, "d": 600, "e": 480}
    r = health.reordering(raw, normalised, cut=2)
    assert [(x.key, x.raw_rank, x.normalised_rank, x.change) for x in r.rows] == [
        ("a", 1, 1, 0),
        ("b", 2, 4, -2),
        ("c", 3, 2, 1),
        ("d", 4, 3, 1),
        ("e", 5, 5, 0),
    ]
    assert (r.moved, r.largest, r.cut, r.crossed) == (3, 2, 2, 1)  # c moves above the line, b below it
    assert r.spearman == pytest.approx(1 - 6 * (0 + 4 + 1 + 1 + 0) / (5 * 24))
    assert r.kendall == pytest.approx(_kendall_brute(list(raw.values()), list(normalised.values())))
    assert health.reordering(raw, raw, cut=None).crossed == 0


# --- the selector --------------------------------------------------------------------------------


@pytest.fixture
def scored(cycle):
    """Three applications, material panels of three experts (the strict one on every panel), and an
    on-site round for the first."""
    from awards.enums import ApplicationStatus
    from reviews.enums import RoundKind
    from reviews.models import Panel
    from tests.factories.awards import ApplicationFactory
    from tests.factories.core import UserFactory
    from tests.factories.reviews import AssignmentFactory, ReviewRoundFactory, submitted_sheet

    experts = [UserFactory(full_name=n) for n in ("Strict", "Kind", "Plain", "Visitor")]
    material = ReviewRoundFactory(cycle=cycle)
    onsite = ReviewRoundFactory(cycle=cycle, kind=RoundKind.ONSITE)
    apps = [ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW) for _ in range(3)]
    grid = [[40, 70, 55], [30, 60, 50], [50, 80, 60]]  # per application, the three experts' percentage
    for app, row in zip(apps, grid, strict=True):
        panel = Panel.objects.create(round=material, application=app)
        for e, pct in zip(experts, row, strict=False):
            submitted_sheet(AssignmentFactory(panel=panel, expert=e), pct)
    panel = Panel.objects.create(round=onsite, application=apps[0])
    for e, pct in zip(experts[1:], [60, 65, 70], strict=True):
        submitted_sheet(AssignmentFactory(panel=panel, expert=e), pct)
    return apps, experts


def test_review_health_record_by_hand(scored, django_assert_max_num_queries):
    from reviews.health_selectors import review_health

    apps, experts = scored
    with django_assert_max_num_queries(8):
        record = review_health(cycle=apps[0].cycle)
    material, onsite = record["rounds"]
    assert material["kind"] == "material" and material["panels"] == 3
    # totals are 10 × the percentage (1000 points): agreement from those
    totals = [[400, 700, 550], [300, 600, 500], [500, 800, 600]]
    single, average = _icc1_by_variances(totals)
    assert material["agreement"]["single"] == round(single, 3)
    assert material["agreement"]["average"] == round(average, 3)
    # leniency: panel means 550, 466.7, 633.3; Strict −150, −166.7, −133.3 → −150.0 over 3 panels
    lenient = {x["name"]: (x["deviation"], x["count"]) for x in material["leniency"]}
    assert lenient == {"Kind": (150.0, 3), "Plain": (0.0, 3), "Strict": (-150.0, 3)}
    # drift: app 0 material mean 550, on-site mean 650 (4.7 is 400 of the 1000 points: +40)
    (drift_row,) = record["drift"]["rows"]
    assert (drift_row["id"], drift_row["material"], drift_row["onsite"], drift_row["change"]) == (
        apps[0].pk,
        550.0,
        650.0,
        100.0,
    )
    assert drift_row["categories"]["4.7"] == 40.0 and record["drift"]["means"]["4.1"] == 11.0
    assert onsite["agreement"] is None  # one panel: no agreement to measure
    assert [x["raw_rank"] for x in material["reordering"]["rows"]] == [1, 2, 3]


def test_normalised_totals_in_sql_equal_scoring_normalise(scored):
    from awards.models import CriteriaItem
    from reviews.health_selectors import review_health
    from reviews.models import ItemScore

    apps, experts = scored
    rows = ItemScore.objects.filter(sheet__assignment__panel__round__kind="material").values_list(
        "sheet__assignment__expert_id", "sheet__assignment__panel__application_id", "item_id", "percent"
    )
    raw = {}
    for expert_id, app_id, item_id, pct in rows:
        raw.setdefault(expert_id, {})[(app_id, item_id)] = float(pct)
    points = dict(CriteriaItem.objects.values_list("pk", "points"))
    per_app = {}
    for per in scoring.normalise(raw).values():
        sums = {}
        for (app_id, item_id), z in per.items():
            sums[app_id] = sums.get(app_id, 0.0) + points[item_id] * z / 100
        for app_id, s in sums.items():
            per_app.setdefault(app_id, []).append(s)
    expected = {a: round(sum(v) / len(v), 1) for a, v in per_app.items()}
    material = review_health(cycle=apps[0].cycle)["rounds"][0]
    assert {x["id"]: x["normalised"] for x in material["reordering"]["rows"]} == expected


def test_review_health_is_empty_without_scores(cycle):
    from reviews.health_selectors import health_context, review_health

    assert review_health(cycle=cycle) == {} and health_context({}) is None


def _figures(record: dict) -> dict:
    """A record without the time it was computed at."""
    return {k: v for k, v in record.items() if k != "computed_at"}


def test_the_live_figures_are_computed_once_per_state_of_the_scores(scored, django_assert_num_queries):
    """Pages that show the health live read it from the cache until a score or a cut-off changes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.enums import ApplicationStatus
    from reviews import panel_scores
    from reviews.health_selectors import review_health, review_health_now
    from reviews.models import ItemScore

    apps, _experts = scored
    cycle = apps[0].cycle
    panel_scores.refresh_cycle(cycle)
    first = review_health_now(cycle=cycle)
    assert _figures(first) == _figures(review_health(cycle=cycle)) and first["rounds"]
    with django_assert_num_queries(2):  # the fingerprint only
        assert review_health_now(cycle=cycle) == first
    # a score changes (as sheet_reopen / sheet_submit do: the stored panel score is rewritten)
    score = ItemScore.objects.filter(sheet__assignment__panel__application=apps[1]).order_by("pk").first()
    ItemScore.objects.filter(pk=score.pk).update(percent=100)
    panel_scores.refresh(panel_ids=[score.sheet.assignment.panel_id])
    changed = review_health_now(cycle=cycle)
    assert _figures(changed) == _figures(review_health(cycle=cycle)) != _figures(first)
    # an application is shortlisted: the cut-off line moves, so the figures are computed again
    type(apps[0]).objects.filter(pk=apps[2].pk).update(status=ApplicationStatus.ONSITE_REVIEW)
    with CaptureQueriesContext(connection) as seen:
        again = review_health_now(cycle=cycle)
    assert len(seen) > 2 and _figures(again) == _figures(review_health(cycle=cycle))


def test_the_live_figures_without_a_cache_are_computed(scored, monkeypatch, caplog):
    from reviews import health_selectors, panel_scores

    apps, _experts = scored
    panel_scores.refresh_cycle(apps[0].cycle)

    def unreachable(*_args, **_kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(health_selectors.cache, "get", unreachable)
    live = health_selectors.review_health_now(cycle=apps[0].cycle)
    assert _figures(live) == _figures(health_selectors.review_health(cycle=apps[0].cycle))
    assert "cache, which is unreachable" in caplog.text
