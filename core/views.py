import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from awards import selectors as award_selectors
from core import devmail, selectors, services
from core.dashboard import dashboard_sections
from core.enums import OutboxStatus
from core.errors import ServiceError
from core.http_cache import public_page
from core.models import AuditEvent, OutboxMessage
from core.selectors import user_roles

HOME_WINNER_YEARS = 3


@require_GET
@public_page
def home(request):
    """Public: the current cycle, its timeline, how to apply, the winners of the latest years.
    Anyone may view."""
    cycle = award_selectors.cycle_current()
    return render(
        request,
        "core/home.html",
        {
            "cycle": cycle,
            "timeline": award_selectors.cycle_timeline(cycle) if cycle else [],
            "winners": award_selectors.winners_by_year(years=HOME_WINNER_YEARS),
        },
    )


@login_required
def dashboard(request):
    """Signed-in users: one section per role they hold."""
    user = request.user
    roles = user_roles(user)
    context = {"roles": roles}
    if roles.is_admin or roles.is_secretary:
        cycles = list(award_selectors.cycles_for_office(user))
        context["office_cycles"] = [(c, award_selectors.application_status_counts(c)) for c in cycles]
        context["outbox_overdue"] = selectors.outbox_overdue_count(user)
    if roles.is_admin:
        # The audit log spans every cycle (and names objectors and voters): administrators only.
        context["recent_events"] = AuditEvent.objects.select_related("actor").order_by("-seq")[:10]
    if roles.is_applicant:
        context["my_applications"] = award_selectors.applications_of_user_enterprises(user)
    context["memberships"] = award_selectors.memberships_of(user)
    context["sections"] = dashboard_sections(request)
    return render(request, "core/dashboard.html", context)


@login_required
def office_outbox(request):
    """The award office (secretaries for their cycles, admins): e-mails and tasks, pending, sent, failed."""
    if not rules.has_perm("core.view_outbox", request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in OutboxStatus.values:
        status = ""
    cycles = list(award_selectors.cycles_for_office(request.user))
    try:
        cycle_id = int(request.GET.get("cycle", ""))
    except ValueError:
        cycle_id = None
    if cycle_id not in {c.pk for c in cycles}:
        cycle_id = None
    rows = selectors.outbox_for_office(request.user, cycle_id=cycle_id)
    return render(
        request,
        "core/outbox.html",
        {
            "outbox": (rows.filter(status=status) if status else rows)[:300],
            "counts": [
                (v, label, n)
                for (v, label), n in zip(OutboxStatus.choices, selectors.outbox_counts(rows).values(), strict=True)
            ],
            "statuses": OutboxStatus.choices,
            "status": status,
            "cycles": cycles,
            "cycle_id": cycle_id,
        },
    )


@login_required
@require_POST
def office_outbox_retry(request, pk: int):
    """The award office retries a failed message (its permission is checked by the service)."""
    message = get_object_or_404(OutboxMessage, pk=pk)
    if not rules.has_perm("core.retry_outboxmessage", request.user, message):
        raise PermissionDenied
    try:
        services.outbox_message_retry(message=message, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Message #%(pk)s will be sent again.") % {"pk": message.pk})
    back = request.POST.get("next", "")
    # Back to the filtered list the button was on; never to another site.
    return redirect(back if back.startswith("/office/outbox/") else "core:outbox")


@require_POST
def language_switch(request):
    """Switch the interface language; a signed-in user keeps it as their preference. Anyone may use."""
    response = set_language(request)
    lang = request.POST.get("language")
    if request.user.is_authenticated and lang and check_for_language(lang):
        get_user_model().objects.filter(pk=request.user.pk).update(preferred_language=lang)
    return response


def favicon(request):
    """Anyone: the site icon, resolved when asked (the hashed name exists only after collectstatic)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def healthz(request):
    """Liveness for the container healthcheck: the app answers and reaches its database."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
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
