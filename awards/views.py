"""The enterprise's application and the secretary's eligibility review.

Every view fetches the application through selectors.application_for, which answers 404 to anyone
who may not see it at all (an applicant of another enterprise, an expert, a stranger); a person who
may see it but not do the action gets 403.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import workdays
from core.errors import Conflict, ServiceError
from core.http_cache import fragment_per_state
from core.pagination import paginate
from core.rules import require
from core.uploads import download_name, open_stored
from enterprises.models import Enterprise

from . import sections, selectors, services
from .enums import AttachmentKind, EligibilityDecision
from .filters import ApplicationQueueFilter
from .forms import (
    AttachmentForm,
    BasicInfoForm,
    CommitmentForm,
    DeclarationsForm,
    EligibilityDecisionForm,
    KeyResultsForm,
    SelfAssessmentForm,
    StagesForm,
    StartForm,
    WithdrawForm,
)
from .rules import is_applicant
from .selectors import user_roles
from .workflow import EDITABLE_STATUSES, eligibility_input

# Sections edited with a form on the section page; the attachments have their own page.
EDIT_SECTIONS = [s for s in sections.SECTIONS if s in sections.SECTION_FIELDS]


def _section_url(application, section: str | None) -> str:
    """Where a section is edited; the overview once there is no section left."""
    if section is None:
        return reverse("awards:application", kwargs={"pk": application.pk})
    if section == sections.ATTACHMENTS:
        return reverse("awards:attachments", kwargs={"pk": application.pk})
    return reverse("awards:section", kwargs={"pk": application.pk, "section": section})


def _section_form(section, application, data=None, files=None, categories=None):
    version = {"version": application.section_version(section)} if section in sections.SECTION_FIELDS else {}
    if section == sections.BASIC:
        identity = sections.identity_from_profile(application.enterprise)
        return BasicInfoForm(data, initial={**application.basic_info, **identity, **version})
    if section == sections.ELIGIBILITY:
        return DeclarationsForm(data, files, initial={**application.declarations, **version}, cycle=application.cycle)
    if section == sections.SELF_ASSESSMENT:
        initial = {**SelfAssessmentForm.initial_from(application.self_assessment), **version}
        return SelfAssessmentForm(data, initial=initial, categories=categories)
    if section == sections.RESULTS:
        initial = {**KeyResultsForm.initial_from(application.key_results), **version}
        return KeyResultsForm(data, initial=initial, years=sections.result_years(application.cycle))
    if section == sections.COMMITMENT:
        return CommitmentForm(data, initial={**application.commitment, **version})
    raise Http404


def _progress(application, attachments, categories):
    missing = sections.missing_by_section(application, attachments=attachments, categories=categories)
    rows = [(s, sections.SECTION_TITLES[s], missing[s]) for s in sections.SECTIONS]
    done = sum(1 for _s, _t, m in rows if not m)
    return rows, done


@login_required
def my_application(request):
    """Applicants: for each of their enterprises, the open cycles of the programmes it may apply to,
    with its application to each or a button to start one."""
    roles = user_roles(request.user)
    if not roles.is_applicant:
        raise PermissionDenied
    enterprises = list(Enterprise.objects.filter(memberships__user=request.user).order_by("name_zh"))
    rows = selectors.cycles_offered_to(enterprises)
    offered = [pair for _ent, pairs in rows for pair in pairs]
    if len(rows) == 1 and len(offered) == 1 and offered[0][1] is not None:
        return redirect("awards:application", pk=offered[0][1].pk)
    past = selectors.applications_of_user_enterprises(request.user)
    return render(request, "awards/my_application.html", {"rows": rows, "past": past})


@login_required
@require_POST
def application_start(request):
    """Applicants: start their enterprise's application for the open cycle."""
    form = StartForm(request.POST)
    if not form.is_valid():
        raise Http404  # the buttons post ids of the user's enterprises and open cycles only
    enterprise = get_object_or_404(
        Enterprise.objects.filter(memberships__user=request.user), pk=form.cleaned_data["enterprise"]
    )
    cycle = selectors.cycle_to_apply_to(pk=form.cleaned_data["cycle"])
    try:
        application = services.application_start(enterprise=enterprise, cycle=cycle, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("awards:mine")
    return redirect("awards:application", pk=application.pk)


@login_required
def application_overview(request, pk):
    """Applicants: sections with their completeness, what is missing, submit and withdraw; after
    submission the submitted version read-only. The award office is sent to its review page."""
    application = selectors.application_for(user=request.user, pk=pk)
    if not is_applicant(request.user, application):
        return redirect("awards:review", pk=application.pk)
    categories = selectors.framework_categories(application.cycle)
    attachments = selectors.attachments_active(application)
    rows, done = _progress(application, attachments, categories)
    snapshots = selectors.application_snapshots(application)
    editable = application.status in EDITABLE_STATUSES
    latest = snapshots[-1] if snapshots else None
    return render(
        request,
        "awards/application.html",
        {
            "application": application,
            "rows": rows,
            "done": done,
            "total": len(rows),
            "complete": done == len(rows),
            "editable": editable,
            "deadline": application.submission_deadline,
            "window_open": application.may_be_submitted(),
            "snapshots": snapshots,
            "latest": latest,
            "view": sections.snapshot_view(latest.data, categories) if latest and not editable else None,
            "messages_office": selectors.office_messages(application),
            "checks": sections.eligibility_checks(application, attachments=attachments),
            "can_withdraw": selectors.can_withdraw(application),
            "section_titles": sections.SECTION_TITLES,
            "commented": selectors.open_return_comments(application, attachments),
        },
    )


@login_required
def application_section(request, pk, section):
    """Applicants: edit one section. Explicit save (POST) and htmx autosave (same POST, HX-Request)."""
    application = selectors.application_for(user=request.user, pk=pk)
    require(is_applicant, request.user, application)  # the award office sees it but does not act for the enterprise
    if section not in EDIT_SECTIONS:
        raise Http404
    if application.status not in EDITABLE_STATUSES:
        locked = _("This application has been submitted and can no longer be edited.")
        if request.headers.get("HX-Request") == "true":
            return render(request, "awards/_save_status.html", {"conflict": locked})
        messages.info(request, locked)
        return redirect("awards:application", pk=application.pk)
    categories = selectors.framework_categories(application.cycle) if section == sections.SELF_ASSESSMENT else None
    autosave = request.headers.get("HX-Request") == "true"
    conflict = None
    saved_view = None
    if request.method == "POST":
        form = _section_form(section, application, request.POST, None if autosave else request.FILES, categories)
        if form.is_valid():
            try:
                application = services.application_section_save(
                    application=application,
                    section=section,
                    data=form.section_data(),
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
                if section == sections.ELIGIBILITY and not autosave:
                    for key, upload in form.evidence_files().items():
                        services.attachment_add(
                            application=application,
                            kind=AttachmentKind.DECLARATION_EVIDENCE,
                            declaration=key,
                            upload=upload,
                            by=request.user,
                        )
            except Conflict as exc:
                conflict = exc.message
            except ValidationError as exc:
                form.add_error(None, exc)
            except ServiceError as exc:
                if autosave:
                    return render(request, "awards/_save_status.html", {"conflict": exc.message})
                messages.error(request, exc.message)
                return redirect("awards:application", pk=application.pk)
            else:
                if autosave:
                    response = render(
                        request,
                        "awards/_save_status.html",
                        {"application": application, "saved_at": timezone.now()},
                    )
                    # awards.js puts the new version into the form, so the next save is not stale.
                    response["HX-Trigger"] = json.dumps(
                        {"mqa:saved": {"version": application.section_version(section)}}
                    )
                    return response
                messages.success(request, _("“%(section)s” saved.") % {"section": sections.SECTION_TITLES[section]})
                if "next" in request.POST:
                    return redirect(_section_url(application, sections.section_after(section)))
                return redirect("awards:section", pk=application.pk, section=section)
        if autosave:
            # Only this status line is replaced: name the fields and their problems here.
            invalid_fields = [
                {"id": form[name].id_for_label, "label": form.fields[name].label, "message": errors[0]}
                for name, errors in form.errors.items()
                if name in form.fields
            ] + [{"id": "", "label": "", "message": e} for e in form.non_field_errors()]
            return render(
                request,
                "awards/_save_status.html",
                {
                    "application": application,
                    "conflict": conflict,
                    "invalid": not form.is_valid(),
                    "invalid_fields": invalid_fields,
                },
            )
        if conflict:
            # Keep the user's text in the form; carry the current version so that saving again is a
            # deliberate choice made after seeing the colleague's version, shown next to it.
            application.refresh_from_db()
            data = request.POST.copy()
            data["version"] = application.section_version(section)
            form = _section_form(section, application, data, None, categories)
            form.is_valid()
            saved = _section_form(section, application, None, None, categories)
            saved_view = saved
    else:
        form = _section_form(section, application, categories=categories)
    attachments = selectors.attachments_active(application)
    rows, done = _progress(application, attachments, categories or selectors.framework_categories(application.cycle))
    commented = selectors.open_return_comments(application, attachments)
    return render(
        request,
        "awards/section.html",
        {
            "application": application,
            "section": section,
            "title": sections.SECTION_TITLES[section],
            "form": form,
            "conflict": conflict,
            "saved_form": saved_view,
            "rows": rows,
            "done": done,
            "evidence": [a for a in attachments if a.kind == AttachmentKind.DECLARATION_EVIDENCE],
            "checks": sections.eligibility_checks(application, attachments=attachments)
            if section == sections.ELIGIBILITY
            else None,
            "years": sections.result_years(application.cycle),
            "is_last": sections.section_after(section) is None,
            "commented": commented,
            "return_comments": commented.get(section, []),
        },
    )


@login_required
def application_attachments(request, pk):
    """Applicants: list, upload and remove evidence files."""
    application = selectors.application_for(user=request.user, pk=pk)
    require(is_applicant, request.user, application)  # the award office sees it but does not act for the enterprise
    editable = application.status in EDITABLE_STATUSES
    form = AttachmentForm(application=application)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = AttachmentForm(request.POST, request.FILES, application=application)
        if form.is_valid():
            try:
                services.attachment_add(
                    application=application,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, _("“%(name)s” uploaded.") % {"name": form.cleaned_data["file"].name})
                return redirect("awards:attachments", pk=application.pk)
    attachments = selectors.attachments_active(application)
    rows, done = _progress(application, attachments, selectors.framework_categories(application.cycle))
    commented = selectors.open_return_comments(application, attachments)
    return render(
        request,
        "awards/attachments.html",
        {
            "application": application,
            "section": sections.ATTACHMENTS,
            "title": sections.SECTION_TITLES[sections.ATTACHMENTS],
            "form": form,
            "attachments": attachments,
            "editable": editable,
            "required": [AttachmentKind(k).label for k in sections.REQUIRED_ATTACHMENTS],
            "used": sum(a.size for a in attachments),
            "limits": {"per_file": settings.ATTACHMENT_MAX_BYTES, "total": settings.APPLICATION_ATTACHMENTS_MAX_BYTES},
            "rows": rows,
            "done": done,
            "next_url": _section_url(application, sections.section_after(sections.ATTACHMENTS)),
            "next_title": sections.SECTION_TITLES.get(sections.section_after(sections.ATTACHMENTS)),
            "commented": commented,
            "return_comments": commented.get(sections.ATTACHMENTS, []),
        },
    )


@login_required
@require_POST
def attachment_remove(request, pk, attachment_id):
    """Applicants: remove a file from the draft."""
    application = selectors.application_for(user=request.user, pk=pk)
    require(is_applicant, request.user, application)  # the award office sees it but does not act for the enterprise
    attachment = get_object_or_404(application.attachments, pk=attachment_id, removed_at__isnull=True)
    services.attachment_remove(attachment=attachment, by=request.user)
    messages.success(request, _("“%(name)s” removed.") % {"name": attachment.original_name})
    if request.POST.get("back") == sections.ELIGIBILITY:
        return redirect("awards:section", pk=application.pk, section=sections.ELIGIBILITY)
    return redirect("awards:attachments", pk=application.pk)


@login_required
def attachment_download(request, pk, attachment_id):
    """Applicants of the enterprise, the cycle's secretary, admins, and the panel's experts (reviews/rules.py)."""
    attachment = selectors.attachment_for(user=request.user, application_id=pk, pk=attachment_id)
    response = FileResponse(
        open_stored(attachment.file),
        content_type=attachment.mime_type,
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.mime_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def application_submit(request, pk):
    """Applicants: submit (or resubmit) the application. GET (or a POST without `confirm`) shows
    what will be locked and asks to confirm; the confirming POST submits and leads to the receipt."""
    application = selectors.application_for(user=request.user, pk=pk)
    require(is_applicant, request.user, application)  # the award office sees it but does not act for the enterprise
    if request.method == "POST" and "confirm" in request.POST:
        try:
            application = services.application_submit(application=application, by=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("awards:application", pk=application.pk)
        messages.success(
            request,
            _("Your application has been submitted. Receipt number: %(receipt)s. A confirmation e-mail is on its way.")
            % {"receipt": application.receipt_number},
        )
        return redirect("awards:receipt", pk=application.pk)
    if application.status not in EDITABLE_STATUSES:
        messages.info(request, _("This application has already been submitted."))
        return redirect("awards:application", pk=application.pk)
    categories = selectors.framework_categories(application.cycle)
    attachments = selectors.attachments_active(application)
    rows, done = _progress(application, attachments, categories)
    return render(
        request,
        "awards/submit_confirm.html",
        {
            "application": application,
            "rows": rows,
            "complete": done == len(rows),
            "window_open": application.may_be_submitted(),
            "deadline": application.submission_deadline,
            "attachments": attachments,
        },
    )


@login_required
def application_receipt(request, pk):
    """Applicants: the receipt of the latest submission, laid out to be printed."""
    application = selectors.application_for(user=request.user, pk=pk)
    require(is_applicant, request.user, application)  # the award office sees it but does not act for the enterprise
    snapshots = selectors.application_snapshots(application)
    if not snapshots:
        raise Http404
    snapshot = snapshots[-1]
    return render(
        request,
        "awards/receipt.html",
        {
            "application": application,
            "snapshot": snapshot,
            "sections": [sections.SECTION_TITLES[s] for s in sections.SECTIONS],
            "attachments": [
                {**a, "kind_label": sections.attachment_label(a)} for a in snapshot.data.get(sections.ATTACHMENTS) or []
            ],
        },
    )


@login_required
def application_withdraw(request, pk):
    """Applicants: withdraw the application, after confirming."""
    application = selectors.application_for(user=request.user, pk=pk)
    require(is_applicant, request.user, application)  # the award office sees it but does not act for the enterprise
    if not selectors.can_withdraw(application):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("awards:application", pk=application.pk)
    return render(request, "awards/withdraw.html", {"application": application, "form": form})


@login_required
def snapshot_detail(request, pk, number):
    """Applicants and the award office: one submitted version, exactly as submitted."""
    application = selectors.application_for(user=request.user, pk=pk)
    snapshot = get_object_or_404(application.snapshots.select_related("submitted_by"), number=number)
    categories = selectors.framework_categories(application.cycle)
    return render(
        request,
        "awards/snapshot.html",
        {"application": application, "snapshot": snapshot, "view": sections.snapshot_view(snapshot.data, categories)},
    )


# --- the award office --------------------------------------------------------------------------


@login_required
def eligibility_queue(request):
    """Secretaries (and admins): the cycle's applications, filtered by status, district and industry."""
    if not request.user.has_perm("awards.access_office"):
        raise PermissionDenied
    cycles = list(selectors.cycles_to_choose(request.user))
    if not cycles:
        raise PermissionDenied
    cycle = next((c for c in cycles if str(c.pk) == request.GET.get("cycle")), cycles[0])
    made: dict = {}

    def context() -> dict:
        if not made:
            queue = selectors.eligibility_queue(request.user, cycle=cycle)
            filters = ApplicationQueueFilter(request.GET, queryset=queue)
            page = paginate(request, filters.qs)
            made.update(cycle=cycle, form=filters.form, applications=page, page=page)
        return made

    # The filter fields and the page of applications, kept per state (`fragment_per_state`: every
    # submission, decision and edit of an enterprise is a recorded change; the address holds the
    # filters and the page) for this user, who runs the cycle (checked above). The cycle choice
    # around them names the user's own cycles and is drawn each time.
    state = f"{request.user.pk}:{cycle.pk}"
    return render(
        request,
        "awards/queue.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "filters_html": fragment_per_state(
                request,
                "queue-filters",
                lambda: render_to_string("awards/_queue_filters.html", context(), request),
                state=state,
            ),
            "table_html": fragment_per_state(
                request,
                "queue-table",
                lambda: render_to_string("awards/_queue_table.html", context(), request),
                state=state,
            ),
        },
    )


def _decided_meanwhile(request, application):
    """A decision posted for an application that can no longer be decided (another secretary was
    quicker, or it left the queue): say so above the page, which shows what it is now."""
    status = {"status": application.get_status_display()}
    if application.status in EligibilityDecision.values:
        text = _(
            "Someone else decided this application a moment ago: it is now “%(status)s”. "
            "Your decision was not recorded."
        )
    else:
        text = _("This application is “%(status)s” and cannot be decided now. Your decision was not recorded.")
    messages.warning(request, text % status)
    return redirect("awards:review", pk=application.pk)


@login_required
def eligibility_review(request, pk):
    """Secretaries (and admins): the submitted application, automatic checks, changes since the
    previous submission, and the decision."""
    application = selectors.application_for(user=request.user, pk=pk)
    if not request.user.has_perm("awards.manage_cycle", application):
        raise PermissionDenied
    form = EligibilityDecisionForm(request.POST or None)
    if request.method == "POST" and not (
        application.status == eligibility_input(application.cycle.stage_kinds())
        or application.returned_not_resubmitted_in_time()
    ):
        return _decided_meanwhile(request, application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_decide_eligibility(
                application=application,
                by=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                section_comments=form.section_comments(),
                resubmit_by=form.cleaned_data.get("resubmit_by"),
            )
        except Conflict:
            application.refresh_from_db()
            return _decided_meanwhile(request, application)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Decision recorded; the enterprise has been told by e-mail."))
            return redirect("awards:queue")
    categories = selectors.framework_categories(application.cycle)
    snapshots = selectors.application_snapshots(application)
    latest = snapshots[-1] if snapshots else None
    diff, unchanged = None, []
    if len(snapshots) >= 2:
        changes = sections.snapshot_diff(snapshots[-2].data, latest.data, categories)
        diff = [(sections.SECTION_TITLES[s], c) for s, c in changes.items() if c]
        unchanged = [sections.SECTION_TITLES[s] for s, c in changes.items() if not c]
    attachments = selectors.attachments_active(application)
    return render(
        request,
        "awards/review.html",
        {
            "application": application,
            "checks": sections.eligibility_checks(application, attachments=attachments),
            "snapshots": snapshots,
            "latest": latest,
            "previous": snapshots[-2] if len(snapshots) >= 2 else None,
            "diff": diff,
            "unchanged": unchanged,
            "view": sections.snapshot_view(latest.data, categories) if latest else None,
            "form": form,
            "can_decide": application.status == eligibility_input(application.cycle.stage_kinds()),
            # Returned and not resubmitted in time: the office may close it as ineligible.
            "late_return": application.returned_not_resubmitted_in_time(),
            "messages_office": selectors.office_messages(application),
            "history": selectors.application_history(application),
        },
    )


@login_required
def cycle_stages(request, pk):
    """The award office: the cycle's stages, in order, with their windows. A configuration that
    cannot work is refused with the reason next to the stage; after the first submission only the
    windows move, with a reason."""
    cycle = selectors.cycle_for_office(user=request.user, pk=pk)
    locked = selectors.cycle_stages_locked(cycle)
    form = StagesForm(
        request.POST or None,
        stages=selectors.cycle_stages(cycle),
        experts=selectors.cycle_experts(cycle),
        locked=locked,
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        try:
            services.cycle_stages_set(
                cycle=cycle,
                stages=[spec for _row, spec in chosen],
                by=request.user,
                reason=form.reason.cleaned_data.get("reason", ""),
            )
        except services.StagesRefused as exc:
            for problem in exc.problems:
                if problem.index is None:
                    form.non_row_errors.append(problem.message)
                else:
                    chosen[problem.index][0].add_error(None, problem.message)
        except ServiceError as exc:
            form.non_row_errors.append(exc.message)
        else:
            messages.success(request, _("The stages are saved; the public timeline shows them."))
            return redirect("awards:stages", pk=cycle.pk)
    timeline = selectors.cycle_timeline(cycle)
    return render(
        request,
        "awards/stages.html",
        {
            "cycle": cycle,
            "form": form,
            "locked": locked,
            "timeline": timeline,
            "beyond_holiday_data": selectors.stages_beyond_holiday_data(timeline),
            "holiday_data_ends": workdays.LAST_YEAR,
            "transitions": selectors.transition_rows(cycle),
        },
    )
