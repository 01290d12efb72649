"""Score arithmetic and the database aggregates, against hand-computed values."""

from decimal import Decimal

import pytest

from reviews import scoring
from reviews.models import ItemScore
from reviews.selectors import panel_detail
from tests.factories.core import UserFactory
from tests.factories.reviews import framework_items, panel_with, submitted_sheet


@pytest.mark.parametrize(
    "raw,expected", [("0", 0), ("65", 65), (" 100 ", 100), ("55%", 55), (70, 70), ("", None), (None, None)]
)
def test_parse_percent_accepts(raw, expected):
    assert scoring.parse_percent(raw) == expected


@pytest.mark.parametrize("raw", ["-5", "105", "63", "62.5", "abc", "5.5"])
def test_parse_percent_refuses(raw):
    with pytest.raises(scoring.PercentError):
        scoring.parse_percent(raw)


def test_points():
    assert scoring.points(50, 65) == Decimal("32.50")
    assert scoring.points(15, 35) == Decimal("5.25")
    assert scoring.points(10, None) is None


def test_describe_hand_computed():
    d = scoring.describe([40, 50, 55, 60, 90])
    assert d.mean == 59.0
    assert d.median == 55
    assert d.trimmed == pytest.approx((50 + 55 + 60) / 3)
    assert d.sd == pytest.approx(284**0.5)  # squares 361+81+16+1+961 = 1420; /5 = 284
    assert (d.lo, d.hi) == (40, 90)
    # fewer than five: no trimming
    assert scoring.describe([40, 50, 90]).trimmed == pytest.approx(60.0)


def test_dispersion_flag_at_the_boundary():
    # threshold 0.30: a range of exactly 30 % is not flagged, 35 % is
    assert not scoring.is_dispersed(spread_percent=30, threshold=Decimal("0.30"))
    assert scoring.is_dispersed(spread_percent=35, threshold=Decimal("0.30"))


def test_combine_uses_weights():
    got = scoring.combine(
        material=Decimal("600"), onsite=Decimal("700"), material_weight=Decimal("0.4"), onsite_weight=Decimal("0.6")
    )
    assert got == Decimal("660.00")
    assert scoring.combine(material=Decimal(1), onsite=None, material_weight=1, onsite_weight=0) is None


def test_normalise_removes_an_experts_general_strictness():
    raw = {1: {"a": 40.0, "b": 60.0}, 2: {"a": 60.0, "b": 80.0}}
    got = scoring.normalise(raw)
    assert got[1]["a"] == pytest.approx(got[2]["a"])
    assert got[1]["b"] == pytest.approx(got[2]["b"])
    assert min(got[1].values()) >= 0 and max(got[2].values()) <= 100


@pytest.mark.django_db
def test_panel_aggregates_in_the_database_match_hand_values(application_a):
    experts = [UserFactory() for _ in range(5)]
    panel, assignments = panel_with(application_a, experts)
    items = framework_items(application_a.cycle)
    first = items[0]  # 4.1.2, 50 points
    # item 4.1.2: 40 50 55 60 70 → range 30 = exactly the threshold: not flagged
    # item 4.1.3: 40 50 55 60 75 → range 35 > 30: flagged
    values = [(40, 40), (50, 50), (55, 55), (60, 60), (70, 75)]
    for a, (v1, v2) in zip(assignments, values, strict=True):
        sheet = submitted_sheet(a, 50)
        ItemScore.objects.filter(sheet=sheet, item=first).update(percent=v1)
        ItemScore.objects.filter(sheet=sheet, item=items[1]).update(percent=v2)
    d = panel_detail(panel=panel)
    row1, row2 = d.items[0], d.items[1]
    assert row1.n == 5
    assert row1.mean == Decimal("55.00")
    assert row1.median == Decimal("55.00")
    assert row1.trimmed == Decimal("55.00")  # (50+55+60)/3
    assert row1.sd == Decimal("10.00")  # population sd of 40 50 55 60 70
    assert (row1.lo, row1.hi, row1.spread) == (40, 70, 30)
    assert row1.flagged is False
    assert row2.flagged is True and row2.spread == 35
    assert row2.mean == Decimal("56.00")
    assert row1.panel_points == Decimal("27.50")  # 50 points × 55 %
    # every other item: all at 50 %, so the total is 1000 × 50 % with the two items changed
    others = sum(i.points for i in items[2:]) * Decimal("0.5")
    assert d.total == (others + Decimal("27.50") + Decimal("16.50")).quantize(Decimal("0.01"))
    assert d.flagged_count == 1
    assert d.all_submitted


@pytest.mark.django_db
def test_trimmed_mean_only_with_five_or_more(application_a):
    panel, assignments = panel_with(application_a, [UserFactory() for _ in range(4)])
    for a, v in zip(assignments, [10, 20, 30, 80], strict=True):
        submitted_sheet(a, v)
    row = panel_detail(panel=panel).items[0]
    assert row.trimmed == row.mean == Decimal("35.00")
    assert row.median == Decimal("25.00")


@pytest.mark.django_db
def test_drafts_and_conflicts_do_not_count(application_a):
    from reviews.enums import AssignmentStatus, SheetStatus

    panel, assignments = panel_with(application_a, [UserFactory() for _ in range(3)])
    submitted_sheet(assignments[0], 60)
    submitted_sheet(assignments[1], 10, status=SheetStatus.DRAFT)
    submitted_sheet(assignments[2], 100)
    assignments[2].status = AssignmentStatus.CONFLICT
    assignments[2].save()
    row = panel_detail(panel=panel).items[0]
    assert row.n == 1 and row.mean == Decimal("60.00")
