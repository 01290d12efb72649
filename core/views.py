from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from core import devmail
from core.draining import draining


@require_POST
def language_switch(request):
    """Switch the interface language; a signed-in user keeps it as their preference. Anyone may use."""
    response = set_language(request)
    lang = request.POST.get("language")
    if request.user.is_authenticated and lang and check_for_language(lang):
        get_user_model().objects.filter(pk=request.user.pk).update(preferred_language=lang)
    return response


def favicon(_request):
    """Anyone: the site icon, resolved when asked (the hashed name exists only after collectstatic)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def healthz(_request):
    """Liveness for the container healthcheck: the app answers and reaches its database. A replica
    that is stopping says so (503) while it still serves, so the load balancer stops sending to it."""
    if draining():
        return JsonResponse({"status": "draining"}, status=503)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request, exception=None):  # noqa: ARG001 -- Django passes exception= by name
    return render(request, "403.html", status=403)


def error_404(request, exception=None):  # noqa: ARG001 -- Django passes exception= by name
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def _debug_only() -> None:
    # The development mailbox exists only with DEBUG on (make run); anywhere else it is not there.
    if not settings.DEBUG:
        raise Http404


def dev_mailbox(request):
    """Anyone, with DEBUG on only: the e-mails `make run` sent, newest first."""
    _debug_only()
    return render(request, "core/dev_mailbox.html", {"mails": devmail.dev_mails()})


def dev_mail(request, mail_id: str):
    """Anyone, with DEBUG on only: one e-mail, its links clickable."""
    _debug_only()
    message = devmail.dev_mail(mail_id)
    if message is None:
        raise Http404
    return render(request, "core/dev_mail.html", {"mail": message})
