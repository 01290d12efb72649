"""Small pieces other apps' templates include: a returning applicant's previous opportunities, and the
previous report's band beside an expert's sheet."""

from __future__ import annotations

from django import template

from .. import figures, selectors

register = template.Library()


@register.inclusion_tag("feedback/_previous_opportunities.html", takes_context=True)
def previous_opportunities(context, application):
    report, items = selectors.previous_opportunities(application)
    answered = sum(1 for o in items if o.action_taken)
    return {"application": application, "previous": report, "items": items, "answered": answered}


@register.simple_tag
def previous_bands(application) -> dict:
    """Category code → (low, high, description) of the band in the enterprise's previous report."""
    return {code: figures.band_label(kind, band) for code, (kind, band) in _bands_with_kind(application).items()}


def _bands_with_kind(application) -> dict:
    report = selectors.previous_report(application)
    if report is None:
        return {}
    return {
        code: (kind, band)
        for code, kind, band in report.categories.filter(band__isnull=False).values_list(
            "category__code", "category__kind", "band"
        )
    }


@register.filter
def lookup(mapping, key):
    return (mapping or {}).get(key)
