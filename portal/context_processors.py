from django.utils.functional import SimpleLazyObject

from awards.selectors import user_roles


def navigation(request):
    """`roles` for the navigation bar, computed only if a template asks for it."""
    return {"roles": SimpleLazyObject(lambda: user_roles(request.user))}
