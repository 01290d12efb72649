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
from core.errors import ServiceError
from core.pagination import paginate
from core.rules import require
from core.scopes import in_every_programme
from core.uploads import download_name, open_stored

from . import selectors, services
from .enums import SessionStatus
from .forms import (
    OpinionAnswerForm,
    OpinionSendForm,
    PresentationNoteForm,
    PresentationResponseForm,
    PresentationScheduleForm,
    PresentationScoreForm,
    PresentationSessionForm,
    RecommendationForm,
)
from .models import PresentationSlot


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
    application = selectors.application_for_recommender(user=request.user, pk=pk)
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
    record = selectors.recommendation_for(user=request.user, pk=pk)
    if not record.scan:
        raise Http404
    response = FileResponse(
        open_stored(record.scan),
        content_type=record.scan_mime,
        as_attachment=True,
        filename=download_name(record.scan_name, record.scan_mime, fallback="recommendation"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def office_recommendations(request, cycle_id):
    """The award office: who recommended what and when in a cycle."""
    cycle = selectors.cycle_for_office(user=request.user, pk=cycle_id)
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
    req = selectors.opinion_request_for_department(user=request.user, pk=pk)
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
    req = selectors.opinion_request_for(user=request.user, pk=pk)
    if not req.evidence:
        raise Http404
    response = FileResponse(
        open_stored(req.evidence),
        content_type=req.evidence_mime,
        as_attachment=True,
        filename=download_name(req.evidence_name, req.evidence_mime, fallback="evidence"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def office_opinions(request, cycle_id):
    """The award office: send requests to departments, see the answers, send reminders."""
    cycle = selectors.cycle_for_office(user=request.user, pk=cycle_id)
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


# --- 陈述答辩 presentation and defence -------------------------------------------------------------


def _refused(form, exc: ServiceError) -> None:
    form.add_error(None, exc.message)


@login_required
def office_presentations(request, cycle_id):
    """The award office: the cycle's presentation sessions, and a new one."""
    cycle = selectors.cycle_for_office(user=request.user, pk=cycle_id)
    form = PresentationSessionForm(
        request.POST or None,
        candidates=selectors.panel_candidates(cycle),
        initial={"panel": selectors.stage_panel(cycle)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.presentation_session_save(cycle=cycle, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The session is arranged; now schedule the applications."))
            return redirect("vetting:office_presentation", session_id=session.pk)
    page = paginate(request, selectors.sessions_of_cycle(cycle))
    return render(
        request, "vetting/office_presentations.html", {"cycle": cycle, "form": form, "sessions": page, "page": page}
    )


@login_required
def office_presentation(request, session_id):
    """The award office: one session — its details, its schedule, invitations, opening and closing."""
    session = selectors.session_for(user=request.user, pk=session_id)
    require("awards.manage_cycle", request.user, session)  # its panel sees the session, the office runs it
    cycle = session.cycle
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if post else None
    initial = {
        "starts_at": timezone.localtime(session.starts_at),
        "duration_minutes": session.duration_minutes,
        "place": session.place,
        "is_public": session.is_public,
        "panel": list(session.panel.all()),
    }
    form = PresentationSessionForm(
        post if action == "save" else None,
        initial=initial,
        candidates=selectors.panel_candidates(cycle),
        prefix="session",
    )
    schedule = PresentationScheduleForm(
        post if action == "schedule" else None,
        applications=selectors.schedulable_applications(cycle),
        prefix="slot",
        initial={"starts_at": timezone.localtime(session.starts_at)},
    )
    if action in ("save", "schedule"):
        bound = form if action == "save" else schedule
        if bound.is_valid():
            try:
                if action == "save":
                    services.presentation_session_save(
                        cycle=cycle, by=request.user, session=session, **form.cleaned_data
                    )
                else:
                    services.presentation_schedule(session=session, by=request.user, **schedule.cleaned_data)
            except ServiceError as exc:
                _refused(bound, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("vetting:office_presentation", session_id=session.pk)
    elif action in ("invite", "unschedule", "open", "close"):
        try:
            if action in ("invite", "unschedule"):
                slot_id = request.POST.get("slot", "")
                if not (slot_id.isascii() and slot_id.isdigit()):
                    raise Http404
                slot = get_object_or_404(PresentationSlot, pk=int(slot_id), session=session)
            if action == "invite":
                services.presentation_invite(slot=slot, by=request.user)
                messages.success(request, _("The enterprise is invited by e-mail."))
            elif action == "unschedule":
                services.presentation_unschedule(slot=slot, by=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("The presentation is removed from the session."))
            elif action == "open":
                services.presentation_session_open(session=session, by=request.user)
                messages.success(request, _("The session is open: the panel can record questions and scores."))
            else:
                services.presentation_session_close(session=session, by=request.user)
                messages.success(request, _("The session is closed."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("vetting:office_presentation", session_id=session.pk)
    slots = selectors.session_slots(session)
    figures = selectors.presentation_figures(s.application_id for s in slots)
    for s in slots:
        s.figure = figures.get(s.application_id)
        s.reminder_day = selectors.invitation_reminder_day(s)
    return render(
        request,
        "vetting/office_presentation.html",
        {"cycle": cycle, "session": session, "form": form, "schedule": schedule, "slots": slots},
    )


@login_required
def presentation_invitation(request, slot_id):
    """The enterprise invited: the time and place, and its answer."""
    slot = selectors.slot_for_applicant(user=request.user, pk=slot_id)
    form = PresentationResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.presentation_respond(
                slot=slot, by=request.user, response=form.cleaned_data["response"], reason=form.cleaned_data["reason"]
            )
        except ServiceError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Your answer is sent to the award office."))
            return redirect("awards:application", pk=slot.application_id)
    return render(request, "vetting/presentation_invitation.html", {"slot": slot, "form": form})


@login_required
def presentation_queue(request):
    """Panel members: the presentations they hear."""
    if not request.user.has_perm("vetting.access_presentations"):
        raise PermissionDenied
    page = paginate(request, selectors.slots_for_panel_member(request.user))
    return render(request, "vetting/presentation_queue.html", {"slots": page, "page": page})


@login_required
def presentation_record(request, slot_id):
    """A panel member, during the session: questions and answers per category, and a score."""
    slot = selectors.slot_for_panel_member(user=request.user, pk=slot_id)
    cycle = slot.session.cycle
    categories = [(c.code, f"{c.code} {c.title}") for c in award_selectors.framework_categories(cycle)]
    action = request.POST.get("action") if request.method == "POST" else None
    mine = selectors.score_of_member(slot, request.user)
    note_form = PresentationNoteForm(request.POST if action == "note" else None, categories=categories)
    score_form = PresentationScoreForm(
        request.POST if action == "score" else None,
        scale_max=cycle.presentation_scale_max,
        initial={"score": mine.score if mine else None},
    )
    bound = note_form if action == "note" else score_form if action == "score" else None
    if bound is not None and bound.is_valid():
        try:
            if action == "note":
                services.presentation_note_record(slot=slot, by=request.user, **note_form.cleaned_data)
                messages.success(request, _("The question and answer are recorded."))
            else:
                services.presentation_score_record(slot=slot, by=request.user, score=score_form.cleaned_data["score"])
                messages.success(request, _("Your score is recorded."))
        except ServiceError as exc:
            _refused(bound, exc)
        else:
            return redirect("vetting:presentation", slot_id=slot.pk)
    return render(
        request,
        "vetting/presentation_record.html",
        {
            "slot": slot,
            "session": slot.session,
            "cycle": cycle,
            "notes": selectors.notes_of(slot),
            "note_form": note_form,
            "score_form": score_form,
            "mine": mine,
            "recording": slot.session.status == SessionStatus.OPEN,
        },
    )


@in_every_programme  # public: its selectors show published rows of any programme
def public_presentations(request):
    """Public: the schedule of the sessions open to the public (no scores; an enterprise is named
    once it has confirmed)."""
    page = paginate(request, selectors.public_sessions(), default_size=10)
    return render(request, "vetting/public_presentations.html", {"sessions": page, "page": page})
