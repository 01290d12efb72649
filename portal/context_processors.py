from django.utils.functional import SimpleLazyObject

from awards.selectors import user_roles
from core.site import site_name


def navigation(request):
    """`roles` for the navigation bar, computed only if a template asks for it."""
    return {"roles": SimpleLazyObject(lambda: user_roles(request.user))}


def site(request):  # noqa: ARG001 -- a context processor takes the request
    """`site_display_name` (the active language's) for what belongs to no one programme: the header and
    footer of site-wide pages."""
    return {"site_display_name": site_name()}
