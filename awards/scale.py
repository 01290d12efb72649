"""The GB/T 19580 scoring scale, defined once: the step of a percentage and the six bands.

The application form (self-assessment), the expert's scoring sheet, its live preview in the browser
(given the scale by the page, `scale_for_page`) and every figure of the review read the scale from
here. The arithmetic on it lives in `reviews.scoring`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STEP = 5  # percentages go 0, 5, 10, … 100
PERCENTAGES = list(range(0, 101, STEP))

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
PROCESS_BANDS = [(low, high, process) for low, high, process, _results in BANDS]
RESULTS_BANDS = [(low, high, results) for low, high, _process, results in BANDS]


def band_for(percent: int) -> int:
    """Index into BANDS for a percentage."""
    for i, (low, high, *_rest) in enumerate(BANDS):
        if low <= percent <= high:
            return i
    return len(BANDS) - 1


def scale_for_page() -> dict:
    """The scale as the browser's live preview reads it (rendered with `json_script`)."""
    return {"step": STEP, "min": PERCENTAGES[0], "max": PERCENTAGES[-1], "bands": [[lo, hi] for lo, hi, *_t in BANDS]}
