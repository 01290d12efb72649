"""Which of the site's award programmes an enterprise may apply to, for the enterprise's own pages.

The enterprises app sits below awards and cannot ask for programmes itself; its templates load this
library instead. The programmes are read once per rendered page, however many enterprises it lists."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from awards.models import AwardProgramme
from awards.selectors import programmes_all
from core.text import join_list
from enterprises import divisions

register = template.Library()


@dataclass(frozen=True)
class Admission:
    district: str  # the division's name in the reader's language
    admitted: list[AwardProgramme]
    refused: list[AwardProgramme]

    @property
    def admitted_names(self) -> str:
        return join_list(p.name for p in self.admitted)

    @property
    def refused_names(self) -> str:
        return join_list(p.name for p in self.refused)


@register.simple_tag(takes_context=True)
def programmes_for(context, district: str) -> Admission:
    """The programmes whose divisions admit `district` (an enterprise's district code), and the others."""
    cache = context.render_context
    if "programmes_all" not in cache:
        cache["programmes_all"] = programmes_all()
    programmes = cache["programmes_all"]
    return Admission(
        district=divisions.name(district),
        admitted=[p for p in programmes if p.admits(district)],
        refused=[p for p in programmes if not p.admits(district)],
    )
