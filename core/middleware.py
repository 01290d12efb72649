from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

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


class RefuseNulMiddleware:
    """Answer 400 when a query parameter or a form field (name or value) holds a NUL character.

    No text a person types contains NUL, and PostgreSQL refuses it in every string, so a request
    carrying one is malformed: it is refused here, before any view or query sees it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(_("The request contains a character that is not allowed."))
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)


class AdminSelectionMiddleware:
    """Answer 400 when an admin action names objects by ids that are not ids of that model.

    The admin's action handler filters by the posted ids without checking them (a ValueError,
    answered with an error page); the id field's own check decides here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, _view_args, _view_kwargs):
        model_admin = getattr(view_func, "model_admin", None)
        if model_admin is None or request.method != "POST":
            return None
        from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME  # noqa: PLC0415 -- admin requests only
        from django.core.exceptions import ValidationError  # noqa: PLC0415 -- admin requests only

        pk = model_admin.model._meta.pk
        try:
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                pk.get_prep_value(pk.to_python(value))
        except (ValidationError, ValueError, TypeError):
            return HttpResponseBadRequest(_("The request names objects that do not exist."))
        return None


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
