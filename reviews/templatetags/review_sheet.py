"""`{% band_texts row.item.kind row.band %}`: the scoring sheet's band guide of one item.

The sheet shows the six bands under each of its 23 items; written in Python here instead of a nested
template loop (138 spans with their conditions), the part of the page that cost the most to render.
The guide depends only on the language, the item's kind and its current band: each is made once.
"""

from functools import lru_cache

from django import template
from django.utils.html import format_html_join
from django.utils.translation import get_language

from reviews.scoring import BANDS

register = template.Library()


@register.simple_tag
def band_texts(kind: str, current: int | None):
    """One span per band, the item kind's text, the item's current band marked."""
    return _band_texts(get_language(), str(kind) == "results", current)


@lru_cache(maxsize=64)
def _band_texts(_language: str | None, results: bool, current: int | None):
    return format_html_join(
        "",
        '<span class="band-text{}" data-low="{}" data-high="{}">{}–{} %: {}</span>',
        (
            (" band-current" if current == i else "", low, high, low, high, r if results else p)
            for i, (low, high, p, r) in enumerate(BANDS)
        ),
    )
