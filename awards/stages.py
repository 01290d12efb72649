"""A cycle's stage configuration: what can work, checked before it is saved.

The catalogue is `enums.StageKind`; `workflow.transitions_for` turns a valid order into the
application's transition table. Problems are worded for the award office, which sees them next to
the stage they concern.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core import workdays

from .enums import DayCount, StageKind
from .workflow import REQUIRED_STAGES, REVIEW_STAGE_STATUS

K = StageKind
# Stages the committee deliberates on: all of them come before it.
BEFORE_COMMITTEE = frozenset({K.RECOMMENDATION, K.ELIGIBILITY, K.OPINIONS, *REVIEW_STAGE_STATUS})


@dataclass
class StageSpec:
    kind: str
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    length: int | None = None
    day_count: str = DayCount.CALENDAR
    panel: Sequence[int] = field(default_factory=tuple)

    def counted(self) -> StageSpec:
        """The spec with its end counted from start and length, where a length is given."""
        if self.starts_on and self.length:
            p = workdays.period(self.starts_on, self.length, self.day_count)
            return StageSpec(self.kind, p.starts_on, p.ends_on, self.length, self.day_count, tuple(self.panel))
        return self

    @property
    def label(self) -> str:
        return str(StageKind(self.kind).label)


@dataclass(frozen=True)
class Problem:
    index: int | None  # the stage concerned (its place in the list), None for the whole configuration
    message: str


def stage_problems(specs: Sequence[StageSpec]) -> list[Problem]:
    """Why a configuration cannot work; empty when it can. `specs` in the cycle's order, counted."""
    problems: list[Problem] = []
    kinds = [s.kind for s in specs]
    position = {k: i for i, k in enumerate(kinds)}
    for i, kind in enumerate(kinds):
        if kinds.index(kind) != i:
            problems.append(Problem(i, _("“%(stage)s” is listed twice.") % {"stage": specs[i].label}))
    for kind in StageKind:
        if kind in REQUIRED_STAGES and kind not in position:
            problems.append(Problem(None, _("Every cycle runs the “%(stage)s”.") % {"stage": kind.label}))

    def before(first, then, message):
        if first in position and then in position and position[first] > position[then]:
            problems.append(Problem(position[first], message))

    before(K.RECOMMENDATION, K.ELIGIBILITY, _("The recommendation comes before the eligibility review."))
    before(K.ELIGIBILITY, K.OPINIONS, _("Departments are asked for their opinions after the eligibility review."))
    if K.ELIGIBILITY in position and K.MATERIAL_REVIEW in position:
        between = [k for k in kinds[position[K.ELIGIBILITY] + 1 : position[K.MATERIAL_REVIEW]] if k != K.OPINIONS]
        if position[K.MATERIAL_REVIEW] < position[K.ELIGIBILITY] or between:
            problems.append(
                Problem(
                    position[K.MATERIAL_REVIEW],
                    _("The material review follows the eligibility review (department opinions may run between them)."),
                )
            )
    for kind in (K.PRESENTATION, K.ONSITE_REVIEW, K.SOCIAL_EVALUATION):
        before(
            K.MATERIAL_REVIEW,
            kind,
            _("The “%(stage)s” comes after the material review.") % {"stage": StageKind(kind).label},
        )
    if K.COMMITTEE in position:
        for kind in BEFORE_COMMITTEE:
            if kind in position and position[kind] > position[K.COMMITTEE]:
                problems.append(
                    Problem(
                        position[K.COMMITTEE],
                        _("The committee cannot deliberate before the “%(stage)s”: move it after.")
                        % {"stage": StageKind(kind).label},
                    )
                )
    before(K.COMMITTEE, K.PUBLIC_NOTICE, _("The public notice follows the committee's deliberation."))
    before(K.PUBLIC_NOTICE, K.GOVERNMENT_APPROVAL, _("The government approves after the public notice."))
    for i, spec in enumerate(specs):
        if spec.kind == K.PRESENTATION and not spec.panel:
            problems.append(Problem(i, _("The presentation and defence needs a panel: choose its members.")))
        if spec.starts_on and spec.ends_on and spec.ends_on < spec.starts_on:
            problems.append(Problem(i, _("The window ends before it starts.")))
    dated = [(i, s) for i, s in enumerate(specs) if s.starts_on and s.ends_on]
    for (i, spec), (_j, nxt) in zip(dated, dated[1:], strict=False):
        if spec.ends_on >= nxt.starts_on:
            problems.append(
                Problem(
                    i,
                    _("The window overlaps the next stage, “%(next)s”, which starts on %(day)s.")
                    % {"next": nxt.label, "day": nxt.starts_on.isoformat()},
                )
            )
    return problems


def beyond_holiday_data(specs: Sequence[StageSpec]) -> list[StageSpec]:
    """Stages counted in working days that run past the last year of the official holiday data."""
    return [s for s in specs if s.day_count == DayCount.WORKING and s.ends_on and workdays.beyond_data(s.ends_on)]


def outside_window(
    label: str, starts_on: dt.date | None, ends_on: dt.date | None, opens_on: dt.date, closes_on: dt.date
) -> tuple[str, str] | None:
    """Why a period (a review round's days, local time) does not fit its stage's window, and which
    end is wrong ("opens" or "closes"); None when it fits or the stage has no dates. Both ends of a
    window are days included."""
    if starts_on and opens_on < starts_on:
        return "opens", _("The “%(stage)s” stage starts on %(day)s: the round cannot open before it.") % {
            "stage": label,
            "day": starts_on.isoformat(),
        }
    if ends_on and closes_on > ends_on:
        return "closes", _("The “%(stage)s” stage ends on %(day)s: the round cannot close after it.") % {
            "stage": label,
            "day": ends_on.isoformat(),
        }
    return None


# Checks the apps above awards add on a cycle's stage windows (reviews: its rounds must stay inside
# their stage's window). Each takes the cycle and the counted specs and returns the problems; awards
# cannot import those apps, so they register here from their AppConfig.ready.
WindowGuard = Callable[[object, Sequence[StageSpec]], list[Problem]]
WINDOW_GUARDS: list[WindowGuard] = []


def window_guard(check: WindowGuard) -> WindowGuard:
    if check not in WINDOW_GUARDS:
        WINDOW_GUARDS.append(check)
    return check


def window_problems(cycle, specs: Sequence[StageSpec]) -> list[Problem]:
    return [p for check in WINDOW_GUARDS for p in check(cycle, specs)]
