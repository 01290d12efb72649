"""The recommending body's pages, and the office's record of who recommended what and when."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import sections
from awards import selectors as award_selectors
from awards.enums import ApplicationStatus
from awards.models import AwardCycle
from core.errors import ServiceError
from core.pagination import paginate
from core.uploads import download_name

from . import selectors, services
from .forms import OpinionAnswerForm, OpinionSendForm, RecommendationForm
from .models import OpinionRequest, Recommendation


@login_required
def recommendation_queue(request):
    """Recommending bodies: the submitted applications of their district, waiting ones first."""
    if not request.user.has_perm("vetting.access_recommendations"):
        raise PermissionDenied
    page = paginate(request, selectors.applications_for_recommender(request.user))
    return render(request, "vetting/queue.html", {"applications": page, "page": page})


@login_required
def recommendation_decide(request, pk):
    """The district's recommending body: the submitted version, and its recommendation."""
    application = selectors.application_for_recommender(request.user, pk)
    form = RecommendationForm(request.POST or None, request.FILES or None)
    waiting = application.status == ApplicationStatus.SUBMITTED
    if request.method == "POST":
        if not waiting:
            messages.warning(request, _("This application is not waiting for a recommendation."))
            return redirect("vetting:recommend", pk=application.pk)
        if form.is_valid():
            try:
                services.application_recommend(
                    application=application,
                    by=request.user,
                    decision=form.cleaned_data["decision"],
                    opinion=form.cleaned_data["opinion"],
                    scan=form.cleaned_data.get("scan"),
                )
            except (ServiceError, ValidationError) as exc:
                form.add_error(None, getattr(exc, "message", None) or "; ".join(exc.messages))
            else:
                messages.success(request, _("Your decision is recorded; the enterprise and the award office see it."))
                return redirect("vetting:queue")
    snapshots = award_selectors.application_snapshots(application)
    latest = snapshots[-1] if snapshots else None
    categories = award_selectors.framework_categories(application.cycle)
    return render(
        request,
        "vetting/recommend.html",
        {
            "application": application,
            "form": form,
            "waiting": waiting,
            "snapshot": latest,
            "view": sections.snapshot_view(latest.data, categories) if latest else None,
            "recommendations": selectors.recommendations_of(application),
        },
    )


@login_required
def recommendation_scan(request, pk):
    """The signed scan: the body that made the recommendation, the cycle's office, admins."""
    record = get_object_or_404(Recommendation.objects.select_related("application"), pk=pk)
    if not record.scan or not request.user.has_perm("vetting.view_recommendations", record.application):
        raise Http404
    response = FileResponse(
        record.scan.open("rb"),
        content_type=record.scan_mime,
        as_attachment=True,
        filename=download_name(record.scan_name, record.scan_mime, fallback="recommendation"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def office_recommendations(request, cycle_id):
    """The award office: who recommended what and when in a cycle."""
    cycle = get_object_or_404(AwardCycle, pk=cycle_id)
    if not request.user.has_perm("awards.manage_cycle", cycle):
        raise PermissionDenied
    page = paginate(request, selectors.recommendations_of_cycle(cycle))
    return render(request, "vetting/office_recommendations.html", {"cycle": cycle, "records": page, "page": page})


# --- department opinions --------------------------------------------------------------------------


@login_required
def opinion_queue(request):
    """Consulted departments: the requests sent to them, open ones first."""
    if not request.user.has_perm("vetting.access_opinions"):
        raise PermissionDenied
    page = paginate(request, selectors.opinion_requests_for_department(request.user))
    return render(request, "vetting/opinions.html", {"requests": page, "page": page})


@login_required
def opinion_answer(request, pk):
    """The department asked: its answer, by the deadline."""
    req = selectors.opinion_request_for_department(request.user, pk)
    form = OpinionAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_answer(
                request=req,
                by=request.user,
                answer=form.cleaned_data["answer"],
                category=form.cleaned_data.get("category") or "",
                details=form.cleaned_data.get("details") or "",
                evidence=form.cleaned_data.get("evidence"),
            )
        except (ServiceError, ValidationError) as exc:
            form.add_error(None, getattr(exc, "message", None) or "; ".join(exc.messages))
        else:
            messages.success(request, _("Your answer is recorded."))
            return redirect("vetting:opinions")
    return render(request, "vetting/opinion_answer.html", {"req": req, "form": form, "today": timezone.localdate()})


@login_required
def opinion_evidence(request, pk):
    """The evidence a department attached: that department, the cycle's office, admins."""
    req = get_object_or_404(OpinionRequest.objects.select_related("application"), pk=pk)
    allowed = req.department_id == request.user.pk or request.user.has_perm("awards.manage_cycle", req.application)
    if not req.evidence or not allowed:
        raise Http404
    response = FileResponse(
        req.evidence.open("rb"),
        content_type=req.evidence_mime,
        as_attachment=True,
        filename=download_name(req.evidence_name, req.evidence_mime, fallback="evidence"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def office_opinions(request, cycle_id):
    """The award office: send requests to departments, see the answers, send reminders."""
    cycle = get_object_or_404(AwardCycle, pk=cycle_id)
    if not request.user.has_perm("awards.manage_cycle", cycle):
        raise PermissionDenied
    form = OpinionSendForm(
        request.POST or None,
        applications=selectors.applications_to_consult(cycle),
        departments=selectors.cycle_departments(cycle),
    )
    if request.method == "POST" and "remind" in request.POST:
        n = services.opinion_requests_remind(cycle_id=cycle.pk, by=request.user)
        messages.success(request, _("Reminders sent: %(n)s.") % {"n": n})
        return redirect("vetting:office_opinions", cycle_id=cycle.pk)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.opinion_requests_send(
                application=form.cleaned_data["application"],
                departments=list(form.cleaned_data["departments"]),
                deadline=form.cleaned_data["deadline"],
                by=request.user,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Requests sent: %(n)s.") % {"n": len(sent)})
            return redirect("vetting:office_opinions", cycle_id=cycle.pk)
    page = paginate(request, selectors.opinion_requests_of_cycle(cycle))
    return render(
        request, "vetting/office_opinions.html", {"cycle": cycle, "form": form, "requests": page, "page": page}
    )
