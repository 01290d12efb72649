"""The scoring sheet's item rows, written in Python instead of a nested template loop.

`{% sheet_rows cat.items scale %}` writes the rows of one category (23 items on the sheet, each with
its label, number input, points output, band guide and error), byte for byte what the template loop
wrote before. What does not depend on the expert's values (the label, the input's attributes, the
item's data attributes) is made once per language, item (its pk, code, title, points and kind) and
scale, and kept in the process: an edit of the criteria changes the key, so it gives new HTML.

`{% band_texts kind band %}`: the band guide of one item (six spans), made once per language, item
kind and current band.
"""

from functools import lru_cache

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext

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


def _num(value) -> str:
    """A number as `{{ value }}` writes it (localized, escaped)."""
    return conditional_escape(localize(value))


@lru_cache(maxsize=512)
def _row_parts(_language, pk, code, title, points, kind, s_min, s_max, s_step):
    """The parts of one item's row that do not depend on the sheet's values: (head, middle, tail)."""
    n = _num(pk)
    head = format_html(
        '" id="item-{}" data-points="{}" data-kind="{}">\n'
        '        <label for="id_item-{}"><strong>{}</strong> {} <span class="muted">({})</span></label>\n'
        '        <div class="item-input">\n'
        '          <input type="number" id="id_item-{}" name="item-{}" min="{}" max="{}" step="{}"'
        ' inputmode="numeric"\n'
        '                 value="',
        n,
        _num(points),
        kind,
        n,
        code,
        title,
        mark_safe(gettext("%(n)s points") % {"n": _num(points)}),  # noqa: S308 - escaped number
        n,
        n,
        _num(s_min),
        _num(s_max),
        _num(s_step),
    )
    middle = f'" aria-describedby="band-{n}'
    output = f'<output class="item-points" for="id_item-{n}">'
    tail = (
        f"</output> {conditional_escape(pgettext('score earned', 'points'))}\n"
        "        </div>\n"
        f'        <p class="help band" id="band-{n}">'
    )
    return head, middle, output, tail, n


@register.simple_tag
def sheet_rows(rows, scale):
    """Every row of one category, as the template loop wrote them."""
    language = get_language()
    out = []
    for row in rows:
        item = row.item
        head, middle, output, tail, n = _row_parts(
            language,
            item.pk,
            item.code,
            item.title,
            item.points,
            str(item.kind),
            scale["min"],
            scale["max"],
            scale["step"],
        )
        if row.typed is not None:
            value = conditional_escape(row.typed)
        elif row.percent is not None:
            value = _num(row.percent)
        else:
            value = ""
        error = row.error
        out.append('\n      <div class="item-row field-error' if error else '\n      <div class="item-row')
        out.append(head)
        out.append(value)
        out.append(middle)
        if error:
            out.append(f" err-{n}")
        out.append('"> %\n          ')
        out.append(output)
        out.append(_num(row.points) if row.points is not None else "—")
        out.append(tail)
        out.append(_band_texts(language, str(item.kind) == "results", row.band))
        out.append("</p>\n        ")
        if error:
            out.append(f'<p class="error" id="err-{n}">{conditional_escape(error)}</p>')
        out.append("\n      </div>\n      ")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
