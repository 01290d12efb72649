"""Bands and quartiles against a hand-computed small cycle (tests/feedback/conftest.py)."""

from decimal import Decimal

import pytest

from awards import sections
from feedback import figures, selectors

pytestmark = pytest.mark.django_db


def test_quartiles_of_four_distinct_values():
    cohort = [Decimal(v) for v in (40, 30, 20, 10)]
    assert [figures.quartile(v, cohort) for v in cohort] == [1, 2, 3, 4]


def test_ties_share_the_quartile():
    cohort = [Decimal(v) for v in (40, 40, 40, 40)]
    assert {figures.quartile(v, cohort) for v in cohort} == {1}
    eight = [Decimal(v) for v in (80, 70, 70, 50, 40, 30, 20, 10)]
    # 70 has one higher of eight: 1 * 4 // 8 + 1 = 1; 50 has three higher: 3 * 4 // 8 + 1 = 2
    assert figures.quartile(Decimal(70), eight) == 1
    assert figures.quartile(Decimal(50), eight) == 2
    assert figures.quartile(Decimal(10), eight) == 4


def test_category_percent_rounds_to_the_step():
    assert figures.category_percent(Decimal("77.0"), 110) == 70
    assert figures.category_percent(Decimal("30.25"), 110) == 30  # 27.5 % rounds half up to 30
    assert figures.category_percent(Decimal("29.70"), 110) == 25  # 27.0 % → 25
    assert figures.category_percent(Decimal("0"), 110) == 0


def test_bands_come_from_the_sections_tables():
    assert figures.band_label("process", 2) == sections.PROCESS_BANDS[2]
    assert figures.band_label("results", 5) == sections.RESULTS_BANDS[5]
    assert figures.band_label("results", 6) is None


def test_cycle_figures_match_the_hand_computed_cycle(small_cycle):
    result = selectors.cycle_figures(small_cycle["a"].cycle)
    cats = {c.code: c.pk for c in small_cycle["a"].cycle.framework.categories.all()}
    a, b, c, d = (result.by_application[small_cycle[k].pk] for k in "abcd")
    # 4.1 Leadership (110 points): 70 % → 77 points, band 70–85 (index 4); b 50 % → band 50–65 (3)
    assert a[cats["4.1"]].points == Decimal("77.00")
    assert (a[cats["4.1"]].percent, a[cats["4.1"]].band, a[cats["4.1"]].quartile) == (70, 4, 1)
    assert (b[cats["4.1"]].percent, b[cats["4.1"]].band, b[cats["4.1"]].quartile) == (50, 3, 2)
    assert (c[cats["4.1"]].percent, c[cats["4.1"]].band, c[cats["4.1"]].quartile) == (30, 2, 3)
    assert (d[cats["4.1"]].percent, d[cats["4.1"]].band, d[cats["4.1"]].quartile) == (10, 1, 4)
    # 4.3: everyone 40 % → all in the top quarter (ties), band 30–45 (index 2)
    assert {x[cats["4.3"]].quartile for x in (a, b, c, d)} == {1}
    assert {x[cats["4.3"]].band for x in (a, b, c, d)} == {2}
    # 4.7 results: d 10 % → band 10–25
    assert d[cats["4.7"]].band == 1 and d[cats["4.7"]].cohort == 4
    assert all(result.complete[small_cycle[k].pk] for k in "abcd")
