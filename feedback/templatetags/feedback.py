"""Small pieces other apps' templates include: a returning applicant's previous opportunities, and the
previous report's band beside an expert's sheet."""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("feedback/_previous_opportunities.html", takes_context=True)
def previous_opportunities(context, application):  # noqa: ARG001 -- Django requires the name with takes_context
    report, items = selectors.previous_opportunities(application)
    answered = sum(1 for o in items if o.action_taken)
    return {"application": application, "previous": report, "items": items, "answered": answered}


@register.simple_tag
def previous_bands(application) -> dict:
    """Category code → (low, high, description) of the band in the enterprise's previous report."""
    return selectors.previous_band_labels(application)


@register.simple_tag
def previous_answers(application) -> dict:
    """Category code → what the applicant said it did about each opportunity of its previous report."""
    return selectors.opportunity_answers(application)


@register.filter
def lookup(mapping, key):
    return (mapping or {}).get(key)
