"""`{% presentation_invitations_of application as invitations %}`: for the enterprise's pages of other apps."""

from django import template

from vetting.rules import can_access_presentations
from vetting.selectors import invitations_of

register = template.Library()


@register.simple_tag
def presentation_invitations_of(application):
    return invitations_of(application)


@register.simple_tag(takes_context=True)
def on_presentation_panel(context):
    """Whether the signed-in user sits on a presentation panel (the role menu links their page)."""
    request = context.get("request")
    return bool(request and can_access_presentations(request.user))
