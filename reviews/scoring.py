"""The one place for score arithmetic: points, panel statistics, the panel's score, weights.

The scale (the 5 % step and the GB/T 19580 bands) is `awards.scale`, re-exported here. The panel
page, the consensus check and `reviews.panel_scores` (which stores each panel's score when a sheet
is submitted or reopened or a consensus recorded) compute a panel's points with `panel_points`;
the ranking, the exports, the committee's meeting page, report and dossier read the stored rows,
and the sheet's live preview gets the scale from the page. Statistics are computed in the database
(`item_statistics`); the pure functions here work on the rows it returns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    StdDev,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext_lazy as _

# The scale is awards.scale's; BANDS and band_for are re-exported for the review's pages.
from awards.scale import BANDS, PERCENTAGES, STEP, band_for  # noqa: F401

PERCENT_CHOICES = [(p, f"{p} %") for p in PERCENTAGES]
TRIM_MIN_PANEL = 5  # with 5 or more scores the highest and the lowest are dropped
CENT = Decimal("0.01")
PROCESS_DIMENSIONS = [_("approach"), _("deployment"), _("learning"), _("integration")]
RESULTS_DIMENSIONS = [_("levels"), _("trends"), _("comparisons"), _("integration")]


class PercentError(ValueError):
    pass


def parse_percent(raw) -> int | None:
    """'' → None (not scored yet); otherwise an int in 0–100 on the 5 % step, else PercentError."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = Decimal(str(raw).strip().rstrip("%").strip())
    except Exception:
        raise PercentError(_("Enter a whole percentage such as 65."))
    if not value.is_finite():  # NaN, sNaN and Infinity compare with nothing
        raise PercentError(_("Enter a whole percentage such as 65."))
    if value < 0 or value > 100:
        raise PercentError(_("A score must lie between 0 % and 100 %."))
    if value != value.to_integral_value() or int(value) % STEP:
        raise PercentError(_("Scores go in steps of 5 % (0, 5, 10, … 100)."))
    return int(value)


def points(item_points: int | Decimal, percent: int | Decimal | float | None) -> Decimal | None:
    """Points an item earns at a percentage: item points × percentage, to the cent."""
    if percent is None:
        return None
    return (Decimal(item_points) * Decimal(str(percent)) / 100).quantize(CENT, ROUND_HALF_UP)


def as_decimal(value: float | Decimal | None, places: Decimal = CENT) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(places, ROUND_HALF_UP)


class Median(Aggregate):
    """Median of a column: percentile_cont on PostgreSQL, a registered aggregate on SQLite."""

    function = "MEDIAN"
    name = "Median"
    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
        )


class SQLiteMedian:
    """The MEDIAN aggregate for SQLite (registered on each connection in apps.py)."""

    def __init__(self):
        self.values: list[float] = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        if not self.values:
            return None
        v = sorted(self.values)
        mid = len(v) // 2
        return float(v[mid]) if len(v) % 2 else (v[mid - 1] + v[mid]) / 2


def item_statistics(scores, *, median: bool = True):
    """Per (panel, item) statistics of the percentages of submitted sheets, computed in the database.

    `scores` is an ItemScore queryset already limited to what should count (submitted sheets of
    active assignments). Each row: panel, item, n, mean, median, trimmed, sd, lo, hi, spread.
    The trimmed mean drops the highest and the lowest score when there are 5 or more; the
    standard deviation is the population one (the panel is the whole population of its scores).
    """
    pct = Cast("percent", FloatField())
    qs = (
        scores.values(panel=F("sheet__assignment__panel_id"), item_ref=F("item_id"))
        .order_by()
        .annotate(
            n=Count("id"),
            total=Sum(pct),
            mean=Avg(pct),
            sd=StdDev(pct, sample=False),
            lo=Min(pct),
            hi=Max(pct),
        )
        .annotate(
            trimmed=Case(
                When(n__gte=TRIM_MIN_PANEL, then=(F("total") - F("lo") - F("hi")) / (F("n") - Value(2.0))),
                default=F("mean"),
                output_field=FloatField(),
            ),
            spread=F("hi") - F("lo"),
        )
    )
    if median:
        qs = qs.annotate(median=Median(pct))
    return qs


def is_dispersed(*, spread_percent: float | Decimal, threshold: Decimal) -> bool:
    """An item is flagged when its range exceeds threshold × item points (i.e. threshold × 100 %)."""
    return Decimal(str(spread_percent)) > Decimal(threshold) * 100


def panel_percent(*, trimmed: float | None, consensus: int | None) -> Decimal | None:
    """The panel's percentage for an item: the consensus where recorded, else the trimmed mean."""
    if consensus is not None:
        return Decimal(consensus)
    return None if trimmed is None else Decimal(str(trimmed))


def panel_points(*, item_points: int, trimmed: float | None, consensus: int | None) -> Decimal | None:
    """The points a panel gives an item: item points × the panel's percentage, to the cent."""
    return points(item_points, panel_percent(trimmed=trimmed, consensus=consensus))


def total_of(values: Iterable[Decimal | None]) -> Decimal | None:
    """A sum of points that is only a total when every part is there (None as soon as one is missing)."""
    result = Decimal("0")
    for v in values:
        if v is None:
            return None
        result += v
    return result


def expert_total(pairs: Iterable[tuple[int, int | None]]) -> Decimal | None:
    """One expert's total: the points of every item (item points, percentage); None if one is unscored."""
    return total_of(points(item_points, percent) for item_points, percent in pairs)


def combine(*, material: Decimal | None, onsite: Decimal | None, material_weight, onsite_weight) -> Decimal | None:
    """The combined score: the cycle's weights applied to both rounds' panel scores."""
    if material is None or onsite is None:
        return None
    return (material * Decimal(material_weight) + onsite * Decimal(onsite_weight)).quantize(CENT, ROUND_HALF_UP)


def with_presentation(*, panel_score, panel_max, presentation_fraction, weight_percent, scored):
    """The ranking score with the presentation weighted in, as a database expression (the ranking
    sorts and pages by it, and every page shows it: this is the one place of the arithmetic):
    ((1 − w) · panel / panel max + w · presentation share) · panel max, w = weight / 100, to the cent.
    The arguments are expressions; NULL unless `scored` (a Q: a presentation score with a weight > 0)."""
    money = DecimalField(max_digits=12, decimal_places=2)
    mixed = ExpressionWrapper(
        ((100 - weight_percent) * panel_score / panel_max + weight_percent * presentation_fraction) * panel_max / 100,
        output_field=DecimalField(max_digits=30, decimal_places=12),
    )
    return Case(When(scored, then=Round(mixed, 2, output_field=money)), default=None, output_field=money)


@dataclass(frozen=True)
class Describe:
    n: int
    mean: float
    median: float
    trimmed: float
    sd: float
    lo: float
    hi: float


def describe(values: Iterable[float]) -> Describe:
    """The same statistics as `item_statistics`, in Python, for figures that never were rows (totals)."""
    v = sorted(float(x) for x in values)
    n = len(v)
    if not n:
        return Describe(0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    mean = sum(v) / n
    mid = n // 2
    median = v[mid] if n % 2 else (v[mid - 1] + v[mid]) / 2
    trimmed = (sum(v) - v[0] - v[-1]) / (n - 2) if n >= TRIM_MIN_PANEL else mean
    sd = math.sqrt(sum((x - mean) ** 2 for x in v) / n)
    return Describe(n, mean, median, trimmed, sd, v[0], v[-1])


def normalise(scores: Mapping[int, Mapping[object, float]]) -> dict[int, dict[object, float]]:
    """Per-expert z-scores rescaled to the raw range.

    Each expert's percentages are turned into z-scores against that expert's own mean and
    spread over everything they scored in the round, then mapped back onto the mean and spread of
    all experts' scores together, and kept within 0–100. A generally strict or generous expert
    then counts like an average one; the raw scores stay the official ones.
    """
    everything = [x for per in scores.values() for x in per.values()]
    if not everything:
        return {}
    pooled = describe(everything)
    result: dict[int, dict[object, float]] = {}
    for expert, per in scores.items():
        own = describe(per.values())
        result[expert] = {
            key: max(0.0, min(100.0, pooled.mean + ((x - own.mean) / own.sd * pooled.sd if own.sd else 0.0)))
            for key, x in per.items()
        }
    return result


def mean_pairwise_gap(values: list[float]) -> float | None:
    """Mean absolute difference between every two experts' totals: how far apart a panel is."""
    if len(values) < 2:
        return None
    gaps = [abs(a - b) for i, a in enumerate(values) for b in values[i + 1 :]]
    return sum(gaps) / len(gaps)
