"""A review round runs inside its stage's window (awards.CycleStage): refused otherwise, both when
the round is set and when the stage's window moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import StageKind
from awards.models import AwardCycle, CycleStage
from awards.stages import Problem, StageSpec, outside_window, window_guard

from .enums import RoundKind
from .models import ReviewRound

ROUND_STAGE = {RoundKind.MATERIAL: StageKind.MATERIAL_REVIEW, RoundKind.ONSITE: StageKind.ONSITE_REVIEW}


def round_stage(cycle: AwardCycle, kind: str) -> CycleStage | None:
    """The stage a round of this kind runs in, when the cycle configures it."""
    return CycleStage.objects.filter(cycle=cycle, kind=ROUND_STAGE.get(kind)).first()


def round_outside(stage: CycleStage | None, opens_at: dt.datetime, closes_at: dt.datetime) -> tuple[str, str] | None:
    """Which end of the round is outside its stage's window and why (None when it fits)."""
    if stage is None:
        return None
    return outside_window(
        stage.get_kind_display(),
        stage.starts_on,
        stage.ends_on,
        timezone.localtime(opens_at).date(),
        timezone.localtime(closes_at).date(),
    )


@window_guard
def rounds_outside_windows(cycle, specs: Sequence[StageSpec]) -> list[Problem]:
    """The stage windows that would leave out an existing round of the cycle."""
    at = {spec.kind: i for i, spec in enumerate(specs)}
    problems = []
    for rnd in ReviewRound.objects.filter(cycle=cycle):
        i = at.get(ROUND_STAGE.get(rnd.kind))
        if i is None:
            continue
        spec = specs[i]
        outside = outside_window(
            spec.label,
            spec.starts_on,
            spec.ends_on,
            timezone.localtime(rnd.opens_at).date(),
            timezone.localtime(rnd.closes_at).date(),
        )
        if outside:
            problems.append(
                Problem(
                    i,
                    _(
                        "The “%(round)s” round runs %(opens)s → %(closes)s: the stage's window must include"
                        " those days (move the round first)."
                    )
                    % {
                        "round": rnd.get_kind_display(),
                        "opens": timezone.localtime(rnd.opens_at).date().isoformat(),
                        "closes": timezone.localtime(rnd.closes_at).date().isoformat(),
                    },
                )
            )
    return problems
