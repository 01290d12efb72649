"""`{% band_texts row.item.kind row.band %}`: the scoring sheet's band guide of one item.

The sheet shows the six bands under each of its 23 items; written in Python here instead of a nested
template loop (138 spans with their conditions), the part of the page that cost the most to render.
"""

from django import template
from django.utils.html import format_html_join

from reviews.scoring import BANDS

register = template.Library()


@register.simple_tag
def band_texts(kind: str, current: int | None):
    """One span per band, the item kind's text, the item's current band marked."""
    results = kind == "results"
    return format_html_join(
        "",
        '<span class="band-text{}" data-low="{}" data-high="{}">{}–{} %: {}</span>',
        (
            (" band-current" if current == i else "", low, high, low, high, r if results else p)
            for i, (low, high, p, r) in enumerate(BANDS)
        ),
    )
