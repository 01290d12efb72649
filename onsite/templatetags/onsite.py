"""`{% site_visit_of application as visit %}`: the application's site visit, for pages of other apps."""

from django import template

from onsite.selectors import visit_of_application

register = template.Library()


@register.simple_tag
def site_visit_of(application):
    return visit_of_application(application)
