"""The report's figures: a category's band and its quartile in the cohort. Pure functions.

Bands and their descriptions are the project's (reviews/scoring.py `band_for` and `STEP`,
awards/sections.py `PROCESS_BANDS` / `RESULTS_BANDS`); nothing is restated here.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from awards import sections
from reviews import scoring

QUARTERS = 4


def category_percent(points: Decimal, category_points: int) -> int:
    """A category's panel points as a percentage of its maximum, on the scoring step (half up)."""
    if not category_points:
        return 0
    raw = Decimal(points) * 100 / Decimal(category_points)
    steps = (raw / scoring.STEP).quantize(Decimal(1), ROUND_HALF_UP)
    return max(0, min(100, int(steps) * scoring.STEP))


def band_of(percent: int) -> int:
    return scoring.band_for(percent)


def bands_for(kind: str) -> list[tuple]:
    return sections.RESULTS_BANDS if kind == "results" else sections.PROCESS_BANDS


def band_label(kind: str, band: int | None) -> tuple[int, int, object] | None:
    """(low %, high %, description) of a band of a process or results category; None past the top."""
    rows = bands_for(kind)
    if band is None or not 0 <= band < len(rows):
        return None
    return rows[band]


def quartile(value: Decimal, cohort: Sequence[Decimal]) -> int:
    """1 (top quarter) … 4 (bottom): by the share of the cohort that scored strictly higher.

    Ties share a quartile. With 4 applications scoring 40, 30, 20, 10 they are in quarters 1, 2, 3, 4.
    """
    n = len(cohort)
    if not n:
        return 1
    higher = sum(1 for v in cohort if v > value)
    return min(QUARTERS, higher * QUARTERS // n + 1)
