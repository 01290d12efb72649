"""Feedback report pages. Each view says who may use it; one loader per kind of object."""

from __future__ import annotations

import zipfile
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awards.selectors import application_for
from core.errors import ServiceError
from core.pagination import paginate
from reviews.enums import RoundKind
from reviews.rules import is_pool_expert

from . import rules as R
from . import selectors, services
from .enums import ReportStatus
from .forms import ApproveForm, CorrectionForm, OpportunitiesForm, ReleaseDateForm, ReportForm, ReturnForm
from .models import FeedbackReport


@login_required
@require_GET
def cycle_reports(request, cycle_id: int):
    """The cycle's secretary and admins: every application that reached review and its report's state."""
    cycle = selectors.cycle_for_office(user=request.user, pk=cycle_id)
    page = paginate(request, selectors.reports_of_cycle(cycle))
    rows = [(a, next(iter(a.feedback_reports.all()), None)) for a in page]
    return render(request, "feedback/cycle.html", {"cycle": cycle, "page": page, "rows": rows})


@login_required
@require_GET
def leader_reports(request):
    """Experts of the pool (admins too): the reports of the applications whose panel they lead."""
    if not (request.user.is_superuser or is_pool_expert.test(request.user)):
        raise PermissionDenied
    page = paginate(request, selectors.reports_for_leader(request.user))
    rows = [(a, next(iter(a.feedback_reports.all()), None)) for a in page]
    return render(request, "feedback/leader.html", {"page": page, "rows": rows})


@login_required
@require_POST
def report_start(request, application_id: int):
    """The application's panel leader, or its cycle's office: open the draft."""
    application = selectors.application_for_report(user=request.user, pk=application_id)
    try:
        report = services.report_start(application=application, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("feedback:leader")
    return redirect("feedback:edit", pk=report.pk)


def _report_form(report, data=None) -> ReportForm:
    """Site-visit findings only for an application that was reviewed on site."""
    return ReportForm(
        data,
        categories=list(report.categories.all()),
        show_findings=report.application.panels.filter(round__kind=RoundKind.ONSITE).exists(),
        initial={"key_themes": report.key_themes, "site_findings": report.site_findings},
    )


def _edit_context(request, report, form, approve_form=None, return_form=None):
    categories = list(report.categories.all())
    comments = selectors.expert_comments(report.application)
    rows = [(rc, form[s], form[o], comments.get(rc.category_id, [])) for rc, s, o in form.category_rows]
    office = R.is_report_office.test(request.user, report)
    return {
        "report": report,
        "form": form,
        "rows": rows,
        "categories": categories,
        "office": office,
        "approve_form": approve_form or ApproveForm(initial={"release_on": report.release_on}),
        "return_form": return_form or ReturnForm(),
        "panel_complete": selectors.panels_complete(report.application),
    }


@login_required
def report_edit(request, pk: int):
    """The panel leader while a draft, the office while in review: write the merged text."""
    report = selectors.report_for(user=request.user, pk=pk)
    if not request.user.has_perm("feedback.edit_report", report):
        return redirect("feedback:report", pk=report.pk)
    form = _report_form(report, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                report=report,
                by=request.user,
                categories=form.category_texts(),
                key_themes=form.cleaned_data.get("key_themes", ""),
                site_findings=form.cleaned_data.get("site_findings", report.site_findings),
            )
        except services.ReportTextError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            action = request.POST.get("then")
            if action == "submit":
                try:
                    services.report_submit(report=report, by=request.user)
                except ServiceError as exc:
                    messages.error(request, exc.message)
                    return redirect("feedback:edit", pk=report.pk)
                messages.success(request, _("The report has been handed to the award office."))
                return redirect("feedback:report", pk=report.pk)
            messages.success(request, _("Saved."))
            return redirect("feedback:edit", pk=report.pk)
    return render(request, "feedback/edit.html", _edit_context(request, report, form))


@login_required
@require_POST
def report_approve(request, pk: int):
    """The cycle's office, on a report in review: the checklist, the release date, approval."""
    report = selectors.report_for(user=request.user, pk=pk)
    if not R.is_report_office.test(request.user, report):
        raise PermissionDenied
    approve_form = ApproveForm(request.POST)
    if approve_form.is_valid():
        try:
            services.report_approve(
                report=report,
                by=request.user,
                accurate=approve_form.cleaned_data["accurate"],
                actionable=approve_form.cleaned_data["actionable"],
                anonymous=approve_form.cleaned_data["anonymous"],
                release_on=approve_form.cleaned_data["release_on"],
            )
        except services.ReportTextError as exc:
            for field, message in exc.errors.items():
                approve_form.add_error(field if field in approve_form.fields else None, message)
        except ServiceError as exc:
            approve_form.add_error(None, exc.message)
        else:
            messages.success(request, _("The report is approved."))
            return redirect("feedback:report", pk=report.pk)
    if report.status != ReportStatus.REVIEW:
        messages.error(request, _("Only a report in review can be approved."))
        return redirect("feedback:report", pk=report.pk)
    form = _report_form(report)
    return render(request, "feedback/edit.html", _edit_context(request, report, form, approve_form=approve_form))


@login_required
@require_POST
def report_return(request, pk: int):
    """The cycle's office: back to the panel leader with a note."""
    report = selectors.report_for(user=request.user, pk=pk)
    if not R.is_report_office.test(request.user, report):
        raise PermissionDenied
    return_form = ReturnForm(request.POST)
    if return_form.is_valid():
        try:
            services.report_return(report=report, by=request.user, note=return_form.cleaned_data["office_note"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The report went back to the panel leader."))
        return redirect("feedback:report", pk=report.pk)
    if report.status != ReportStatus.REVIEW:
        return redirect("feedback:report", pk=report.pk)
    form = _report_form(report)
    return render(request, "feedback/edit.html", _edit_context(request, report, form, return_form=return_form))


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    """The cycle's office: reopen an approved report, or release it once its date has come."""
    report = selectors.report_for(user=request.user, pk=pk)
    if not R.is_report_office.test(request.user, report):
        raise PermissionDenied
    do = {"reopen": services.report_reopen, "release": services.report_release}.get(action)
    if do is None:
        raise Http404
    try:
        do(report=report, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("feedback:report", pk=report.pk)


@login_required
def report_release_date(request, pk: int):
    """The cycle's office: set the date the report is released on."""
    report = selectors.report_for(user=request.user, pk=pk)
    if not R.is_report_office.test(request.user, report):
        raise PermissionDenied
    form = ReleaseDateForm(request.POST or None, initial={"release_on": report.release_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_set_release_date(report=report, by=request.user, release_on=form.cleaned_data["release_on"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Release date saved."))
            return redirect("feedback:report", pk=report.pk)
    return render(request, "feedback/form.html", {"report": report, "form": form, "title": _("Release date")})


@login_required
def report_correct(request, pk: int):
    """The cycle's office: start a corrected version of a released report, with the reason."""
    report = selectors.report_for(user=request.user, pk=pk)
    if not R.is_report_office.test(request.user, report):
        raise PermissionDenied
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.report_correct(report=report, by=request.user, reason=form.cleaned_data["reason"])
        except services.ReportTextError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("A corrected version has been started."))
            return redirect("feedback:edit", pk=new.pk)
    return render(request, "feedback/form.html", {"report": report, "form": form, "title": _("Correct the report")})


@login_required
@require_GET
def report_detail(request, pk: int):
    """The enterprise (its own, once released), the panel leader and the office: the report."""
    report = selectors.report_for(user=request.user, pk=pk)
    return render(
        request,
        "feedback/report.html",
        {
            "report": report,
            "rows": selectors.report_rows(report),
            "office": R.is_report_office.test(request.user, report),
            "may_edit": request.user.has_perm("feedback.edit_report", report),
            "leader": R.is_report_leader.test(request.user, report),
        },
    )


def _pdf_name(report: FeedbackReport) -> str:
    name = report.application.official_name.replace("/", "_").replace("\\", "_")
    return f"{report.application.cycle.year}-{name}-v{report.version}.pdf"


@login_required
@require_GET
def report_pdf(request, pk: int):
    """Whoever may read the report, once it is released and rendered."""
    report = selectors.report_for(user=request.user, pk=pk)
    if not report.is_final or not report.pdf:
        raise Http404
    try:
        handle = report.pdf.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename=\"feedback-{report.pk}.pdf\"; filename*=UTF-8''{quote(_pdf_name(report))}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


class _Chunks:
    """A write-only file for zipfile that hands each written chunk to the response."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.position = 0

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def _zip_stream(reports):
    out = _Chunks()
    with zipfile.ZipFile(out, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for report in reports.iterator():
            if not report.pdf:
                continue
            try:
                handle = report.pdf.open("rb")
            except FileNotFoundError:
                continue
            with handle, archive.open(_pdf_name(report), mode="w") as entry:
                while block := handle.read(64 * 1024):
                    entry.write(block)
                    yield out.take()
        yield out.take()
    yield out.take()


@login_required
@require_GET
def cycle_archive(request, cycle_id: int):
    """The cycle's secretary and admins: every released report of the cycle as one zip, streamed."""
    cycle = selectors.cycle_for_office(user=request.user, pk=cycle_id)
    response = StreamingHttpResponse(
        _zip_stream(selectors.released_reports_of_cycle(cycle)), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="feedback-{cycle.year}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


def _grouped(form: OpportunitiesForm) -> list[tuple]:
    groups: list[tuple] = []
    for o, name in form.rows:
        if not groups or groups[-1][0] != o.source.category:
            groups.append((o.source.category, []))
        groups[-1][1].append(form[name])
    return groups


@login_required
def opportunities(request, application_id: int):
    """The enterprise, on its new application: what it did about each opportunity of its previous report."""
    application = application_for(user=request.user, pk=application_id)
    if not R.is_applicant.test(request.user, application):
        raise Http404  # the award office sees the application, but this page is the enterprise's alone
    previous, items = selectors.previous_opportunities(application)
    if previous is None:
        raise Http404
    editable = request.user.has_perm("awards.edit_application", application)
    form = OpportunitiesForm(request.POST or None, opportunities=items)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.opportunity_responses_save(application=application, by=request.user, answers=form.answers())
            except services.ReportTextError as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("feedback:opportunities", application_id=application.pk)
    return render(
        request,
        "feedback/opportunities.html",
        {
            "application": application,
            "previous": previous,
            "form": form,
            "groups": _grouped(form),
            "editable": editable,
        },
    )
