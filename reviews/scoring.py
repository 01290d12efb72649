"""The one place for score arithmetic: steps, points, panel statistics, the panel's score, weights.

The scoring page, the consensus page, the ranking, the exports and the committee's selectors all
call these functions, so a figure means the same everywhere. Statistics are computed in the
database (`item_statistics`); the few pure functions here work on the rows it returns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Aggregate, Avg, Case, Count, F, FloatField, Max, Min, StdDev, Sum, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

STEP = 5
PERCENT_CHOICES = [(p, f"{p} %") for p in range(0, 101, STEP)]
TRIM_MIN_PANEL = 5  # with 5 or more scores the highest and the lowest are dropped
CENT = Decimal("0.01")

# Band descriptions (domain.md): (low, high, process, results)
BANDS = [
    (0, 5, _("No systematic approach."), _("No or poor results reported.")),
    (
        10,
        25,
        _("The beginning of a systematic approach; early deployment."),
        _("Few results; some early good levels."),
    ),
    (
        30,
        45,
        _("A systematic approach to the basic requirements, deployed in most areas."),
        _("Improvement in many areas; early trends."),
    ),
    (
        50,
        65,
        _("An effective approach, well deployed, with fact-based evaluation and improvement."),
        _("Good trends in most key areas; some favourable comparisons."),
    ),
    (
        70,
        85,
        _("An effective approach to the overall requirements, well integrated; learning is evident."),
        _("Good to excellent levels, sustained trends, many favourable comparisons."),
    ),
    (
        90,
        100,
        _("Exemplary, fully integrated; innovation is evident."),
        _("Excellent levels, industry leadership, fully integrated."),
    ),
]
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


def band_for(percent: int) -> int:
    """Index into BANDS for a percentage."""
    for i, (low, high, *_rest) in enumerate(BANDS):
        if low <= percent <= high:
            return i
    return len(BANDS) - 1


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


def category_points(stats) -> list[tuple[int, int, Decimal, int]]:
    """Per (panel, category): the panel's points, summed in the database from `item_statistics` rows.

    Per item the panel's percentage is the consensus where recorded, else the trimmed mean (see
    `panel_percent`); points = item points × percentage / 100, to the cent per item (as `points` and
    the panel page do), then summed. Rows: (panel, category, points, items).
    """
    from django.db import connection, transaction

    from awards.models import CriteriaItem

    from .models import Consensus

    inner, params = stats.values("panel", "item_ref", "trimmed").query.sql_with_params()
    item_t, cons_t = CriteriaItem._meta.db_table, Consensus._meta.db_table
    sql = f"""
        SELECT st.panel, i.category_id,
               SUM(ROUND(CAST(i.points * COALESCE(c.percent, st.trimmed) / 100.0 AS NUMERIC), 2)), COUNT(*)
        FROM ({inner}) st
        JOIN {item_t} i ON i.id = st.item_ref
        LEFT JOIN {cons_t} c ON c.panel_id = st.panel AND c.item_id = st.item_ref
        GROUP BY st.panel, i.category_id
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Grouping every item score of a large cycle sorts on disk with the default 4 MB.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        return [(p, c, as_decimal(v, Decimal("0.0001")), n) for p, c, v, n in cursor.fetchall()]


def is_dispersed(*, spread_percent: float | Decimal, threshold: Decimal) -> bool:
    """An item is flagged when its range exceeds threshold × item points (i.e. threshold × 100 %)."""
    return Decimal(str(spread_percent)) > Decimal(threshold) * 100


def panel_percent(*, trimmed: float | None, consensus: int | None) -> Decimal | None:
    """The panel's percentage for an item: the consensus where recorded, else the trimmed mean."""
    if consensus is not None:
        return Decimal(consensus)
    return None if trimmed is None else Decimal(str(trimmed))


def combine(*, material: Decimal | None, onsite: Decimal | None, material_weight, onsite_weight) -> Decimal | None:
    """The combined score: the cycle's weights applied to both rounds' panel scores."""
    if material is None or onsite is None:
        return None
    return (material * Decimal(material_weight) + onsite * Decimal(onsite_weight)).quantize(CENT, ROUND_HALF_UP)


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
