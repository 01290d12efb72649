from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation

from .context import client_ip
from .net import client_address
from .views import error_404


class RequestContextMiddleware:
    """Make the client's address (see core.net) available to the audit log for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)


class UserLanguageMiddleware:
    """A signed-in user without an explicit language choice gets their preferred language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.preferred_language
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class OwnNotFoundPageMiddleware:
    """With DEBUG on (make run), answer unknown addresses and Http404 with the project's own 404 page
    rather than Django's technical page listing every URL pattern, unless DEBUG_TECHNICAL_404 is set.
    Sits after CommonMiddleware, which still redirects a missing trailing slash."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _active(self) -> bool:
        return settings.DEBUG and not settings.DEBUG_TECHNICAL_404

    def __call__(self, request):
        if self._active():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                return error_404(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if self._active() and isinstance(exception, Http404):
            return error_404(request, exception)
        return None
