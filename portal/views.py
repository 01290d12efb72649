"""The roof's pages: the public home page, the dashboard and the office's outbox."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awards import selectors as award_selectors
from core import selectors as core_selectors
from core import services as core_services
from core.enums import OutboxStatus
from core.errors import ServiceError
from core.http_cache import public_page
from core.models import AuditEvent
from core.scopes import in_every_programme

from . import selectors
from .dashboard import dashboard_sections

HOME_WINNER_YEARS = 3


@in_every_programme  # public: its selectors show published rows of any programme
@require_GET
@public_page
def home(request, programme=None):
    """Public: a programme's current cycle (the default programme's at the root), its timeline, how
    to apply, the winners of the latest years. Anyone may view."""
    programme = award_selectors.programme_public(programme)
    cycle = award_selectors.cycle_current(programme)
    timeline = award_selectors.cycle_timeline(cycle) if cycle else []
    now_step = award_selectors.timeline_now(cycle, timeline) if cycle else None
    return render(
        request,
        "core/home.html",
        {
            "cycle": cycle,
            "timeline": timeline,
            "now_step": now_step,
            "now_label": next((e.label for e in timeline if e.kind == now_step), ""),
            "winners": award_selectors.winners_by_year(years=HOME_WINNER_YEARS, programme=programme),
            "programme": programme,
        },
    )


@in_every_programme  # public: its selectors show published rows of any programme
@require_GET
@public_page
def programmes(request):
    """Public: the province's award programmes, each with its latest cycle. Anyone may view."""
    return render(request, "core/programmes.html", {"programmes": award_selectors.programmes_listed()})


@login_required
def dashboard(request):
    """Signed-in users: one section per role they hold."""
    user = request.user
    roles = award_selectors.user_roles(user)
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
    cycles = list(award_selectors.cycles_to_choose(request.user))
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
                for (v, label), n in zip(OutboxStatus.choices, core_selectors.outbox_counts(rows).values(), strict=True)
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
    """The award office retries a failed message of its office (the service checks it may)."""
    message = selectors.outbox_message_for_office(user=request.user, pk=pk)
    try:
        core_services.outbox_message_retry(message=message, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Message #%(pk)s will be sent again.") % {"pk": message.pk})
    back = request.POST.get("next", "")
    # Back to the filtered list the button was on; never to another site.
    return redirect(back if back.startswith("/office/outbox/") else "core:outbox")
