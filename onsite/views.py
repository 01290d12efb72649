"""On-site workbench pages, phone first. Each view loads its visit through selectors.visit_for (404 for
anyone the visit is not theirs to know of), then calls a service; refusals come back as messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awards.models import CriteriaItem
from core.errors import ServiceError
from core.pagination import paginate
from core.uploads import download_name, open_stored

from . import selectors, services
from .forms import CloseForm, ConsensusForm, DatesForm, FlagForm, IssueForm, LogForm, PlanEntryForm
from .models import PlanEntry


def _errors_of(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def visit_url(visit) -> str:
    return reverse("onsite:visit", kwargs={"visit_id": visit.pk})


def _back(visit):
    return redirect("onsite:visit", visit_id=visit.pk)


@login_required
def my_visits(request):
    """Experts on an on-site team and the award office: the visits they work on or oversee."""
    if not (request.user.has_perm("reviews.edit_own_profile") or request.user.has_perm("awards.access_office")):
        raise PermissionDenied
    page = paginate(request, selectors.visits_for(request.user))
    # A handful at most (the shortlist of one cycle); the first 20 are shown.
    to_open = list(selectors.panels_to_open(request.user)[:20])
    return render(request, "onsite/visits.html", {"page": page, "to_open": to_open})


def _workbench_context(request, visit, **forms):
    lead = request.user.has_perm("onsite.lead_visit", visit)
    log = request.user.has_perm("onsite.log_visit", visit)
    context = {
        "visit": visit,
        "wb": selectors.workbench(visit),
        "may_lead": lead,
        "may_log": log,
        "dates_form": forms.get("dates_form")
        or DatesForm(initial={"starts_on": visit.starts_on, "ends_on": visit.ends_on}),
        "plan_form": forms.get("plan_form") or PlanEntryForm(),
        "issue_form": forms.get("issue_form") or IssueForm(items=selectors.framework_items(visit)),
    }
    return context


@login_required
def visit_detail(request, visit_id):
    """The team and the award office: the workbench (issues per item, logs, plan, findings, closing)."""
    visit = selectors.visit_for(user=request.user, pk=visit_id)
    return render(request, "onsite/visit.html", _workbench_context(request, visit))


@login_required
@require_POST
def visit_open(request, app_pk):
    """The award office or the on-site team leader: open the workbench of a shortlisted application."""
    application = selectors.application_for_visit(user=request.user, pk=app_pk)
    try:
        visit = services.visit_open(application=application, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("onsite:my_visits")
    messages.success(request, _("The site visit is open; the material review's flags are its issues."))
    return _back(visit)


@login_required
@require_POST
def visit_dates(request, visit_id):
    """The team leader: the visit's first and last day."""
    visit = selectors.visit_for(user=request.user, pk=visit_id)
    if not request.user.has_perm("onsite.lead_visit", visit):
        raise PermissionDenied
    form = DatesForm(request.POST)
    if form.is_valid():
        try:
            services.visit_dates_set(visit=visit, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The visit's dates are saved."))
            return _back(visit)
    return render(request, "onsite/visit.html", _workbench_context(request, visit, dates_form=form), status=400)


@login_required
@require_POST
def plan_add(request, visit_id):
    """The team leader: add an agenda slot, a site or an interviewee to the plan."""
    visit = selectors.visit_for(user=request.user, pk=visit_id)
    if not request.user.has_perm("onsite.lead_visit", visit):
        raise PermissionDenied
    form = PlanEntryForm(request.POST)
    if form.is_valid():
        try:
            services.plan_entry_add(visit=visit, by=request.user, **form.cleaned_data)
        except (ServiceError, ValidationError) as exc:
            form.add_error(None, exc.message if isinstance(exc, ServiceError) else _errors_of(exc))
        else:
            messages.success(request, _("Added to the visit plan."))
            return redirect(f"{visit_url(visit)}#plan")
    return render(request, "onsite/visit.html", _workbench_context(request, visit, plan_form=form), status=400)


@login_required
@require_POST
def plan_remove(request, visit_id, entry_id):
    """The team leader: remove a line of the plan."""
    visit = selectors.visit_for(user=request.user, pk=visit_id)
    entry = get_object_or_404(PlanEntry, pk=entry_id, visit=visit)
    try:
        services.plan_entry_remove(entry=entry, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Removed from the visit plan."))
    return redirect(f"{visit_url(visit)}#plan")


@login_required
@require_POST
def issue_add(request, visit_id):
    """A team member: an issue found on site that the material review did not flag."""
    visit = selectors.visit_for(user=request.user, pk=visit_id)
    if not request.user.has_perm("onsite.log_visit", visit):
        raise PermissionDenied
    form = IssueForm(request.POST, items=selectors.framework_items(visit))
    if form.is_valid():
        try:
            services.issue_add(visit=visit, by=request.user, **form.cleaned_data)
        except (ServiceError, ValidationError) as exc:
            form.add_error(None, exc.message if isinstance(exc, ServiceError) else _errors_of(exc))
        else:
            messages.success(request, _("The issue is added."))
            return _back(visit)
    return render(request, "onsite/visit.html", _workbench_context(request, visit, issue_form=form), status=400)


@login_required
def log_add(request, visit_id):
    """A team member, during the visit: log a document seen or an interview held, with photos and files."""
    visit = selectors.visit_for(user=request.user, pk=visit_id)
    if not request.user.has_perm("onsite.log_visit", visit):
        if visit.is_closed:
            messages.error(request, _("The visit is closed: nothing more can be logged or changed."))
            return _back(visit)
        raise PermissionDenied
    issues = selectors.visit_issues(visit)
    initial = {}
    if request.GET.get("issue", "").isdigit():
        initial["issue"] = int(request.GET["issue"])
    form = LogForm(request.POST or None, request.FILES or None, issues=issues, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_add(
                visit=visit,
                issue=data["issue"],
                kind=data["kind"],
                subject=data["subject"],
                notes=data["notes"],
                files=data["files"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(
                "files" if exc.code in {"file_type", "too_large", "empty", "storage", "too_many_files"} else None,
                _errors_of(exc),
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Logged."))
            return redirect(f"{visit_url(visit)}#item-{data['issue'].item_id}")
    return render(request, "onsite/log_form.html", {"visit": visit, "form": form}, status=400 if form.errors else 200)


@login_required
def consensus(request, visit_id, item_pk):
    """The team leader: record the team's agreed finding on one item."""
    visit = selectors.visit_for(user=request.user, pk=visit_id)
    if not request.user.has_perm("onsite.lead_visit", visit):
        raise PermissionDenied
    item = get_object_or_404(selectors.framework_items(visit), pk=item_pk)
    current = visit.findings.filter(item=item).first()
    initial = {"finding": current.finding, "text": current.text} if current else {}
    form = ConsensusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.consensus_record(visit=visit, item=item, by=request.user, **form.cleaned_data)
        except (ServiceError, ValidationError) as exc:
            form.add_error(None, exc.message if isinstance(exc, ServiceError) else _errors_of(exc))
        else:
            messages.success(request, _("The team's finding on %(item)s is recorded.") % {"item": item.code})
            return redirect(f"{visit_url(visit)}#item-{item.pk}")
    return render(
        request,
        "onsite/consensus_form.html",
        {"visit": visit, "item": item, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def visit_close(request, visit_id):
    """The team leader: close the visit with the closing-meeting summary the enterprise receives."""
    visit = selectors.visit_for(user=request.user, pk=visit_id)
    if not request.user.has_perm("onsite.lead_visit", visit):
        raise PermissionDenied
    form = CloseForm(request.POST or None, initial={"summary": visit.closing_summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_close(visit=visit, summary=form.cleaned_data["summary"], by=request.user)
        except (ServiceError, ValidationError) as exc:
            form.add_error(None, exc.message if isinstance(exc, ServiceError) else _errors_of(exc))
        else:
            messages.success(request, _("The visit is closed; the enterprise has been sent the summary."))
            return _back(visit)
    return render(request, "onsite/close_form.html", {"visit": visit, "form": form}, status=400 if form.errors else 200)


@login_required
def evidence_download(request, visit_id, evidence_id):
    """The team and the award office: a photo or file logged during the visit."""
    visit = selectors.visit_for(user=request.user, pk=visit_id)
    ev = selectors.evidence_of(visit, evidence_id)
    response = FileResponse(
        open_stored(ev.file),
        content_type=ev.mime_type,
        as_attachment=not ev.is_image,
        filename=download_name(ev.original_name, ev.mime_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def summary(request, visit_id):
    """The enterprise (once closed), the team and the office: the closing summary and the findings per item."""
    visit = selectors.visit_summary_for(user=request.user, pk=visit_id)
    return render(
        request, "onsite/summary.html", {"visit": visit, "findings": selectors.site_visit_findings(visit.application)}
    )


@login_required
def flags(request, assignment_id):
    """A material-review expert: flag items of their sheet for the site visit (verify / clarify)."""
    assignment = selectors.material_assignment_for(user=request.user, pk=assignment_id)
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        item = (
            CriteriaItem.objects.filter(
                pk=request.POST.get("item") if str(request.POST.get("item", "")).isdigit() else None
            )
            .select_related("category")
            .first()
        )
        if item is None:
            messages.error(request, _("Choose an item of the criteria."))
            status = 400
        elif form.is_valid():
            try:
                services.item_flag_save(assignment=assignment, item=item, by=request.user, **form.cleaned_data)
            except (ServiceError, ValidationError) as exc:
                messages.error(request, exc.message if isinstance(exc, ServiceError) else _errors_of(exc))
                status = 400
            else:
                messages.success(request, _("Saved for %(item)s.") % {"item": item.code})
                return redirect(f"{request.path}#flag-{item.pk}")
        else:
            status = 400
    rows = selectors.flags_for(assignment)
    return render(
        request,
        "onsite/flags.html",
        {"assignment": assignment, "rows": rows, "form": form, "posted_item": request.POST.get("item", "")},
        status=status,
    )
