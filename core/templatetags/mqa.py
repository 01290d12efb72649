from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from core import site
from core.text import join_list

register = template.Library()

# The root's public pages and their names under /<programme>/ (portal/programme_urls.py).
_PROGRAMME_PAGES = {
    "core:home": "home",
    "committee:notice": "notice",
    "committee:notice_year": "notice_year",
    "committee:winners": "winners",
    "committee:winners_year": "winners_year",
}


@register.simple_tag
def programme_url(programme, name: str, *args) -> str:
    """A public page of `programme`: at the root for the default programme (settings.DEFAULT_PROGRAMME),
    under /<slug>/ for the others. `name` is the root page's URL name."""
    if programme is None or programme.slug == settings.DEFAULT_PROGRAMME:
        return reverse(name, args=args)
    return reverse(f"programme:{_PROGRAMME_PAGES[name]}", args=[programme.slug, *args])


@register.filter
def yuan(amount) -> str:
    """Money in yuan as readers expect it: 50万元 in Chinese, ¥500,000 in English."""
    if amount in (None, ""):
        return ""
    value = Decimal(amount)
    whole = value == value.to_integral_value()
    if not (get_language() or "").startswith("en") and whole and value and value % 10000 == 0:
        return f"{int(value) // 10000:,}万元"
    return f"¥{value:,.0f}" if whole else f"¥{value:,.2f}"


@register.filter
def listing(items) -> str:
    """Join a list with the active language's separator (、 in Chinese, ", " in English)."""
    return join_list(items)


@register.filter
def max_chars(bound_field) -> int | None:
    """The maximum length of a free-text (multi-line) field, to state next to it; None otherwise."""
    field = getattr(bound_field, "field", None)
    if getattr(bound_field, "widget_type", "") == "textarea" and getattr(field, "max_length", None):
        return field.max_length
    return None


@register.inclusion_tag("core/_audit_head.html")
def audit_head(obj, event: str = "", to_status: str = ""):
    """The audit chain's head when `obj` was published (its event's number and hash), for public pages."""
    from core.selectors import audit_event_of  # noqa: PLC0415 -- template tags load before the app registry

    return {
        "event": audit_event_of(obj, event=event, to_status=to_status) if obj is not None else None,
        "at_award": bool(to_status),
    }


@register.simple_tag
def site_display_name() -> str:
    """The site's name in the active language (settings.SITE_NAME_ZH / SITE_NAME_EN), for templates
    rendered without the context processors (Django's password-reset mail)."""
    return site.site_name()
