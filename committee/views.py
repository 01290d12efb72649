"""Committee pages. Members (view, vote) and the award office (manage); the notice and winners are public."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards import selectors as award_selectors
from awards.models import Application, AwardProgramme
from core import workdays
from core.errors import ServiceError
from core.http_cache import fragment_per_state, public_page
from core.net import client_address
from core.pagination import DEFAULT_PAGE_SIZE, paginate
from core.rules import require
from core.scopes import in_every_programme
from core.uploads import download_name, mime_of_stored, open_stored
from vetting import selectors as vetting_selectors

from . import selectors, services
from .filters import ObjectionFilter
from .forms import (
    AttendanceForm,
    CancelForm,
    ConfirmForm,
    MeetingForm,
    NoticePeriodForm,
    ObjectionForm,
    ObjectionHandleForm,
    RankForm,
    RecusalForm,
    RemarkForm,
    RescheduleForm,
    TieForm,
    VoteForm,
    posted_ballot_ids,
)
from .models import PublicNotice

VIEW, MANAGE = "committee.view_meeting", "committee.manage_meeting"


def _run(request, fn, success: str, **kwargs):
    try:
        result = fn(**kwargs)
    except ServiceError as e:
        messages.error(request, e.message)
        return None
    messages.success(request, success)
    return result if result is not None else True


# Service refusals that concern one field: shown next to it (the others above the form).
FIELD_OF_CODE = {
    "starts_past": "starts_at",
    "below_minimum": "ends_on",
    "ends_past": "ends_on",
    "unchanged": "ends_on",
    "decree_early": "decree_date",
    "reason_required": "reason",
}


def _form_error(form, error: ServiceError) -> None:
    field = FIELD_OF_CODE.get(error.code)
    form.add_error(field if field in form.fields else None, error.message)


def _back(meeting, anchor=""):
    return redirect(reverse("committee:meeting", args=[meeting.pk]) + anchor)


# --- the committee of a cycle and its meetings ----------------------------------------------------


@login_required
def my_committee(request):
    """Committee members and the office: the cycles whose committee they sit on or run."""
    cycles = selectors.cycles_for_committee_user(request.user)
    if not cycles:
        raise PermissionDenied
    return render(request, "committee/index.html", {"cycles": cycles})


@login_required
def cycle_committee(request, cycle_id):
    """Committee members and the office: the members, meetings, notice and winners of a cycle."""
    cycle = selectors.cycle_for_committee(user=request.user, pk=cycle_id)
    return render(
        request,
        "committee/cycle.html",
        {
            "cycle": cycle,
            "members": selectors.committee_members(cycle),
            "meetings": selectors.meetings_of_cycle(cycle),
            "notices": cycle.notices.order_by("-starts_on"),
            "open_objections": selectors.open_objection_count(cycle),
            "can_manage": request.user.has_perm(MANAGE, cycle),
            "approval": getattr(cycle, "government_approval", None),
            "rule": selectors.cycle_rule(cycle),
            "holiday_data_ends": workdays.LAST_YEAR,
        },
    )


@login_required
def meeting_new(request, cycle_id):
    """Office only: schedule a meeting with the nominated candidates on the agenda."""
    cycle = selectors.cycle_for_committee(user=request.user, pk=cycle_id)
    require(MANAGE, request.user, cycle)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(cycle=cycle, by=request.user, **form.cleaned_data)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The meeting is scheduled. Invite the members when the agenda is final."))
            return redirect("committee:meeting", meeting.pk)
    nominated = (
        cycle.applications.filter(status="nominated").select_related("enterprise").order_by("status_changed_at", "pk")
    )
    return render(request, "committee/meeting_form.html", {"cycle": cycle, "form": form, "nominated": nominated})


@login_required
def meeting_reschedule(request, pk):
    """Office only: move or cancel a meeting that has not opened (the members are e-mailed the reason)."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require(MANAGE, request.user, meeting)
    if meeting.status != "scheduled":
        messages.error(request, _("Only a meeting that has not opened can be rescheduled or cancelled."))
        return _back(meeting)
    initial = {"starts_at": timezone.localtime(meeting.starts_at), "place": meeting.place}
    form = RescheduleForm(request.POST if "reschedule" in request.POST else None, initial=initial)
    cancel_form = CancelForm(request.POST if "cancel" in request.POST else None, prefix="cancel")
    if "reschedule" in request.POST and form.is_valid():
        try:
            services.meeting_reschedule(meeting=meeting, by=request.user, **form.cleaned_data)
        except ServiceError as e:
            _form_error(form, e)
        else:
            messages.success(request, _("The meeting is moved; the members are told by e-mail."))
            return _back(meeting)
    if "cancel" in request.POST and cancel_form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, by=request.user, reason=cancel_form.cleaned_data["reason"])
        except ServiceError as e:
            _form_error(cancel_form, e)
        else:
            messages.success(request, _("The meeting is cancelled; the members are told by e-mail."))
            return redirect("committee:cycle", meeting.cycle_id)
    return render(
        request,
        "committee/meeting_reschedule.html",
        {"meeting": meeting, "cycle": meeting.cycle, "form": form, "cancel_form": cancel_form},
    )


@login_required
def meeting_detail(request, pk):
    """Members and the office. Members vote here; the office runs the meeting. The ballots open for
    voting are on top of every page; below them the rest of the agenda, paged."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    user = request.user
    can_manage = user.has_perm(MANAGE, meeting)
    members = list(selectors.committee_members(meeting.cycle))
    page = paginate(request, selectors.meeting_agenda(meeting))
    open_ballots = selectors.open_ballots(meeting)
    present_ids = selectors.present_member_ids(meeting)
    shown = selectors.meeting_ballot_rows(
        meeting,
        user,
        ballots=[*open_ballots, *page.object_list],
        member_ids={m.user_id for m in members},
        present=present_ids,
    )
    open_rows, rows = shown[: len(open_ballots)], shown[len(open_ballots) :]
    levels = selectors.level_preview(meeting)
    context = {
        "meeting": meeting,
        "cycle": meeting.cycle,
        "open_rows": open_rows,
        "rows": rows,
        "page": page,
        "agenda": selectors.agenda_counts(meeting),
        "can_manage": can_manage,
        "is_member": user.has_perm("committee.vote", meeting),
        "i_am_present": user.pk in present_ids,
        "attendance": selectors.meeting_attendance(meeting),
        "attendance_events": selectors.meeting_attendance_events(meeting),
        "quorum": selectors.meeting_quorum(meeting, members=len(members), present=len(present_ids)),
        "remarks": selectors.meeting_remarks(meeting),
        "levels": levels,
        "vote_form": VoteForm(),
        "recusal_form": RecusalForm(),
        "pass_rule": (meeting.cycle.pass_numerator, meeting.cycle.pass_denominator),
        "schedule_changes": meeting.schedule_changes.order_by("changed_at"),
        "rule": selectors.counting_rule(meeting),
    }
    if can_manage:
        # The rank and remark forms name the candidates shown (the open ballots and this page), not the whole agenda.
        on_page = [r.ballot for r in shown]
        context.update(
            attendance_form=AttendanceForm(members=members, initial={"present": sorted(present_ids)}),
            rank_form=RankForm(ballots=on_page),
            remark_form=RemarkForm(members=members, ballots=on_page),
            tie_forms=[(t, TieForm(ballots=t["ballots"])) for t in levels["ties"]],
            secretary_recusal_form=RecusalForm(members=members),
            page_query=_page_query(request.GET),
        )
    return render(request, "committee/meeting.html", context)


def _page_query(params) -> str:
    """`?page=…&size=…` of the agenda page a form was sent from (digits only), to come back to it."""
    kept = {k: params.get(k, "") for k in ("page", "size")}
    kept = {k: v for k, v in kept.items() if v.isascii() and v.isdigit() and len(v) < 7}
    return ("?" + urlencode(kept)) if kept else ""


def _back_to_ballot(ballot):
    """The meeting page where the ballot is now: on top if open, else its page of the agenda."""
    ballot.refresh_from_db(fields=["status", "rank", "tie_order"])
    position = selectors.agenda_position(ballot)
    query = "" if position is None else "?" + urlencode({"page": position // DEFAULT_PAGE_SIZE + 1})
    return redirect(reverse("committee:meeting", args=[ballot.meeting_id]) + query + f"#ballot-{ballot.pk}")


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require(MANAGE, request.user, meeting)
    n = _run(
        request,
        services.meeting_invite,
        _("Invitations with the agenda are on their way."),
        meeting=meeting,
        by=request.user,
    )
    if n:
        messages.info(request, _("%(n)s members invited.") % {"n": n})
    return _back(meeting)


@login_required
@require_POST
def meeting_agenda(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require(MANAGE, request.user, meeting)
    n = _run(request, services.meeting_agenda_sync, _("The agenda is up to date."), meeting=meeting, by=request.user)
    if n:
        messages.info(
            request,
            ngettext("%(n)s candidate added to the agenda.", "%(n)s candidates added to the agenda.", n) % {"n": n},
        )
    return _back(meeting, "#agenda")


@login_required
@require_POST
def meeting_open(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require(MANAGE, request.user, meeting)
    _run(request, services.meeting_open, _("The meeting is in session."), meeting=meeting, by=request.user)
    return _back(meeting, "#attendance")


@login_required
@require_POST
def meeting_attendance(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require(MANAGE, request.user, meeting)
    form = AttendanceForm(request.POST, members=selectors.committee_members(meeting.cycle))
    if form.is_valid():
        _run(
            request,
            services.attendance_record,
            _("Attendance recorded."),
            meeting=meeting,
            by=request.user,
            present_ids=form.cleaned_data["present"],
            at=form.at_datetime(),
        )
    else:
        messages.error(request, _("Please tick the members present and give a valid time."))
    return _back(meeting, "#attendance")


@login_required
@require_POST
def meeting_ranks(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require(MANAGE, request.user, meeting)
    # The ranks of the page the form was sent from: the ballots named, if they are this meeting's.
    form = RankForm(
        request.POST, ballots=selectors.meeting_ballots(meeting, ids=posted_ballot_ids(request.POST, "rank_"))
    )
    if not form.fields:
        messages.error(request, _("This page of the agenda has changed; please reload it."))
    elif form.is_valid():
        _run(
            request,
            services.ballot_ranks_set,
            _("Rank order recorded."),
            meeting=meeting,
            by=request.user,
            ranks=form.ranks(),
        )
    else:
        messages.error(request, _("A rank is a whole number from 1."))
    return redirect(reverse("committee:meeting", args=[meeting.pk]) + _page_query(request.GET) + "#agenda")


@login_required
@require_POST
def meeting_tie(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require(MANAGE, request.user, meeting)
    ties = selectors.level_preview(meeting)["ties"]
    ballot_ids = TieForm.posted_ballot_ids(request.POST)
    tie = next((t for t in ties if {b.pk for b in t["ballots"]} == ballot_ids), None)
    if tie is None:
        messages.error(request, _("This tie has changed; please reload the page."))
        return _back(meeting, "#levels")
    form = TieForm(request.POST, ballots=tie["ballots"])
    if form.is_valid():
        _run(
            request,
            services.ballot_tie_decide,
            _("The committee's decision on the tie is recorded."),
            meeting=meeting,
            by=request.user,
            order=form.order(),
        )
    else:
        messages.error(request, _("Give each tied candidate a different place: 1, 2, 3 …"))
    return _back(meeting, "#levels")


@login_required
@require_POST
def meeting_remark(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require(MANAGE, request.user, meeting)
    # The candidate named, if on this meeting's agenda (the form offers the candidates of one page).
    named = request.POST.get("application", "")
    ballots = (
        selectors.meeting_ballots(meeting, application_ids=[int(named)])
        if named.isascii() and named.isdigit() and len(named) < 19
        else []
    )
    form = RemarkForm(request.POST, members=selectors.committee_members(meeting.cycle), ballots=ballots)
    if form.is_valid():
        apps = {b.application_id: b.application for b in ballots}
        _run(
            request,
            services.remark_add,
            _("Suggestion recorded."),
            meeting=meeting,
            by=request.user,
            text=form.cleaned_data["text"],
            member=next(
                (
                    m.user
                    for m in selectors.committee_members(meeting.cycle)
                    if m.user_id == form.cleaned_data["member"]
                ),
                None,
            ),
            application=apps.get(form.cleaned_data["application"]),
        )
    elif "application" in form.errors:
        messages.error(request, _("This candidate is not on the meeting's agenda."))
    else:
        messages.error(request, _("Please write the suggestion or remark."))
    return redirect(reverse("committee:meeting", args=[meeting.pk]) + _page_query(request.GET) + "#remarks")


@login_required
@require_POST
def meeting_close(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require(MANAGE, request.user, meeting)
    _run(
        request,
        services.meeting_close,
        _("The meeting is closed; the minutes are being rendered."),
        meeting=meeting,
        by=request.user,
    )
    return _back(meeting)


# --- ballots ---------------------------------------------------------------------------------------


@login_required
@require_POST
def ballot_open(request, pk):
    ballot = selectors.ballot_for(user=request.user, pk=pk)
    require(MANAGE, request.user, ballot.meeting)
    _run(request, services.ballot_open, _("The ballot is open."), ballot=ballot, by=request.user)
    return _back_to_ballot(ballot)


@login_required
@require_http_methods(["GET", "POST"])
def ballot_close(request, pk):
    """Office only. Closing before every eligible member has voted asks for confirmation first (GET
    shows that confirmation for an open ballot)."""
    ballot = selectors.ballot_for(user=request.user, pk=pk)
    require(MANAGE, request.user, ballot.meeting)
    if request.method == "GET":
        if ballot.status != "open":
            return _back_to_ballot(ballot)
        return _close_confirm(request, ballot, message="")
    try:
        services.ballot_close(ballot=ballot, by=request.user, confirm_incomplete=request.POST.get("confirm") == "1")
    except ServiceError as e:
        if e.code != "incomplete":
            messages.error(request, e.message)
            return _back_to_ballot(ballot)
        return _close_confirm(request, ballot, message=e.message)
    messages.success(request, _("The ballot is closed."))
    return _back_to_ballot(ballot)


def _close_confirm(request, ballot, *, message: str):
    missing = selectors.ballot_missing(ballot)
    if not message:
        message = _(
            "%(x)s of %(y)s eligible members have voted. Confirm to close the ballot and record the others as "
            "not voting."
        ) % {"x": missing["voted"], "y": missing["eligible"]}
    return render(
        request,
        "committee/ballot_close_confirm.html",
        {"ballot": ballot, "meeting": ballot.meeting, "message": message, **missing},
    )


@login_required
@require_POST
def ballot_vote(request, pk):
    """Committee members of the cycle only (the service checks presence, recusal and the ballot's state)."""
    ballot = selectors.ballot_for(user=request.user, pk=pk)
    if not request.user.has_perm("committee.vote", ballot.meeting):
        raise PermissionDenied
    form = VoteForm(request.POST)
    if form.is_valid():
        _run(
            request,
            services.vote_cast,
            _("Your vote is recorded. It is secret and cannot be changed.")
            if ballot.secret
            else _("Your vote is recorded. You may change it until the ballot closes."),
            ballot=ballot,
            by=request.user,
            choice=form.cleaned_data["choice"],
        )
    else:
        messages.error(request, _("Choose approve, reject or abstain."))
    return _back_to_ballot(ballot)


@login_required
@require_POST
def ballot_recuse(request, pk):
    """A member declares a conflict with the candidate, or the office records one for a member."""
    ballot = selectors.ballot_for(user=request.user, pk=pk)
    meeting = ballot.meeting
    manage = request.user.has_perm(MANAGE, meeting) and "member" in request.POST
    members = list(selectors.committee_members(meeting.cycle))
    form = RecusalForm(request.POST, members=members if manage else None)
    if not form.is_valid():
        messages.error(request, _("Please give the reason for the recusal."))
        return _back_to_ballot(ballot)
    if manage:
        member = next((m.user for m in members if m.user_id == form.cleaned_data["member"]), None)
    else:
        member = request.user
    if member is None:
        raise PermissionDenied
    _run(
        request,
        services.recusal_record,
        _("The recusal is recorded."),
        ballot=ballot,
        member=member,
        by=request.user,
        reason=form.cleaned_data["reason"],
    )
    return _back_to_ballot(ballot)


# --- report, dossier, PDFs --------------------------------------------------------------------------


@login_required
def meeting_report(request, pk):
    """Members and the office: the cycle's applications and the nominees, with charts."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)

    def content() -> str:
        breakdown = selectors.cycle_breakdown(meeting.cycle)
        # A page of the nominees (the PDF, rendered by the worker, lists them all).
        page = paginate(request, selectors.report_nominees(meeting))
        ballots = list(page.object_list)
        context = {
            "meeting": meeting,
            "charts": {k: selectors.chart_rows(v) for k, v in breakdown.items()},
            "chart_data": breakdown,
            "ballots": ballots,
            "page": page,
            "blocks": selectors.report_blocks(meeting, ballots),
        }
        return render_to_string("committee/_report_content.html", context, request)

    # The figures, charts and nominees are the same for every member and the office until something
    # is recorded (a vote, a decision, a sheet, an admin edit) or a stored panel score or presentation
    # figure is written: made once per state and kept. The PDF form (its CSRF token) is drawn each time.
    return render(
        request,
        "committee/report.html",
        {
            "meeting": meeting,
            "cycle": meeting.cycle,
            "content": fragment_per_state(
                request, f"meeting-report:{meeting.pk}", content, state=selectors.report_state(meeting)
            ),
        },
    )


def _pdf_response(field, name):
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type="application/pdf", filename=name)


@login_required
def meeting_report_pdf(request, pk):
    """Members and the office: GET downloads the rendered report; POST asks for a fresh rendering."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    if request.method == "POST":
        services.meeting_report_request(meeting=meeting, by=request.user)
        messages.success(request, _("The report is being rendered; reload this page in a moment."))
        return redirect("committee:report", meeting.pk)
    return _pdf_response(meeting.report_pdf, f"report-{meeting.cycle.year}.pdf")


@login_required
def meeting_minutes_pdf(request, pk):
    """Members and the office: the minutes of a closed meeting."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    return _pdf_response(meeting.minutes_pdf, f"minutes-{meeting.cycle.year}.pdf")


@login_required
def dossier(request, pk):
    """Members and the office: one candidate's dossier."""
    ballot = selectors.ballot_for(user=request.user, pk=pk)
    return render(
        request,
        "committee/dossier.html",
        {
            "ballot": ballot,
            "meeting": ballot.meeting,
            "application": ballot.application,
            "enterprise": ballot.application.enterprise,
            "history": selectors.candidate_history(ballot),
            "blocks": selectors.dossier_blocks(ballot),
            "opinion_records": vetting_selectors.dossier_records(ballot.application),
            "presentation_notes": vetting_selectors.notes_of_application(ballot.application),
        },
    )


# --- public notice, objections, confirmation ----------------------------------------------------------


@login_required
@require_POST
def notice_publish(request, cycle_id):
    cycle = selectors.cycle_for_committee(user=request.user, pk=cycle_id)
    require(MANAGE, request.user, cycle)
    _run(
        request,
        services.notice_publish,
        _("The proposed winners are published for public notice."),
        cycle=cycle,
        by=request.user,
    )
    return redirect("committee:cycle", cycle.pk)


@login_required
def objections(request, cycle_id):
    """Office only: the objections lodged against a cycle's proposed winners."""
    cycle = selectors.cycle_for_committee(user=request.user, pk=cycle_id)
    require(MANAGE, request.user, cycle)
    filters = ObjectionFilter(request.GET, queryset=selectors.objections_of_cycle(cycle))
    page = paginate(request, filters.qs)
    return render(
        request, "committee/objections.html", {"cycle": cycle, "form": filters.form, "objections": page, "page": page}
    )


@login_required
def objection_handle(request, pk):
    """Office only: dismiss with a reply, or uphold."""
    objection = selectors.objection_for_office(user=request.user, pk=pk)
    form = ObjectionHandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_handle(objection=objection, by=request.user, **form.cleaned_data)
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The objection is handled."))
            return redirect("committee:objections", objection.notice.cycle_id)
    return render(request, "committee/objection_handle.html", {"objection": objection, "form": form})


@login_required
def objection_evidence(request, pk):
    """Office only: the evidence file of an objection."""
    objection = selectors.objection_for_office(user=request.user, pk=pk)
    if not objection.evidence:
        raise Http404
    mime = mime_of_stored(objection.evidence.name)
    response = FileResponse(
        open_stored(objection.evidence),
        content_type=mime,
        as_attachment=True,
        filename=download_name(f"objection-{objection.pk}", mime),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def winners_confirm(request, cycle_id):
    """Office only: record the government's approval and confirm the winners."""
    cycle = selectors.cycle_for_committee(user=request.user, pk=cycle_id)
    require(MANAGE, request.user, cycle)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.winners_confirm(cycle=cycle, by=request.user, **form.cleaned_data)
        except ServiceError as e:
            _form_error(form, e)
        else:
            messages.success(request, _("The winners are confirmed."))
            return redirect("committee:cycle", cycle.pk)
    approval = getattr(cycle, "government_approval", None)
    shown = "awarded" if approval else "public_notice"  # once confirmed: the winners as recorded
    candidates = cycle.applications.filter(status=shown).select_related("enterprise", "award_level")
    return render(
        request,
        "committee/confirm.html",
        {
            "cycle": cycle,
            "approval": approval,
            "form": form,
            "candidates": candidates,
            "notice": cycle.notices.order_by("-ends_on").first(),
            "open_objections": selectors.open_objection_count(cycle),
        },
    )


@login_required
def notice_period(request, pk):
    """Office only: extend or shorten a published notice period, with a reason."""
    notice = selectors.notice_for(user=request.user, pk=pk)
    require(MANAGE, request.user, notice)
    form = NoticePeriodForm(request.POST or None, initial={"ends_on": notice.ends_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_period_change(notice=notice, by=request.user, **form.cleaned_data)
        except ServiceError as e:
            _form_error(form, e)
        else:
            messages.success(request, _("The notice period is changed; the notice page shows the change."))
            return redirect("committee:cycle", notice.cycle_id)
    return render(
        request,
        "committee/notice_period.html",
        {"notice": notice, "cycle": notice.cycle, "form": form, "changes": notice.period_changes.all()},
    )


@in_every_programme  # public: its selectors show published rows of any programme
@require_GET
@public_page
def notice_public(request, programme=None):
    """Public: a programme's proposed winners on notice (the default programme's at the root), the
    period, and how to object; links to past years."""
    programme = award_selectors.programme_public(programme)
    notices = list(selectors.notices_current(programme))
    for n in notices:
        n.is_open = selectors.notice_is_open(n)
    return render(
        request,
        "committee/notice.html",
        {"notices": notices, "years": selectors.notice_years(programme), "programme": programme},
    )


@in_every_programme  # public: its selectors show published rows of any programme
def notice_year(request, year, programme=None):
    """Public: a programme's notice of a year, kept after the confirmation, with the objections anonymised."""
    programme = award_selectors.programme_public(programme)
    record = selectors.notice_of_year(year, programme)
    if record is None:
        raise Http404
    for n in record["notices"]:
        n.is_open = selectors.notice_is_open(n)
    return render(request, "committee/notice_year.html", {**record, "programme": programme})


@in_every_programme  # public: its selectors show published rows of any programme
def objection_new(request, notice_id):
    """Public: lodge a real-name objection during the notice period (rate-limited per address)."""
    notice = get_object_or_404(PublicNotice.objects.select_related("cycle"), pk=notice_id)
    listed = list(
        notice.applications.filter(status="public_notice").select_related("enterprise").order_by("enterprise__name_zh")
    )
    if not listed:
        raise Http404
    initial = {"application": request.GET.get("candidate")} if request.GET.get("candidate") else None
    form = ObjectionForm(request.POST or None, request.FILES or None, applications=listed, initial=initial)
    is_open = selectors.notice_is_open(notice)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_lodge(
                notice=notice,
                application=Application.objects.get(pk=form.cleaned_data["application"]),
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                reasons=form.cleaned_data["reasons"],
                evidence=form.cleaned_data.get("evidence"),
                ip=client_address(request),
            )
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            return redirect("committee:objection_done", notice.pk)
    elif request.method == "POST" and not is_open:
        form.add_error(
            None,
            _("Objections are accepted from %(start)s to %(end)s only.")
            % {"start": notice.starts_on, "end": notice.ends_on},
        )
    return render(request, "committee/objection_form.html", {"notice": notice, "form": form, "is_open": is_open})


@in_every_programme  # public: its selectors show published rows of any programme
def objection_done(request, notice_id):
    """Public: the confirmation shown after an objection is lodged."""
    notice = get_object_or_404(PublicNotice, pk=notice_id)
    return render(request, "committee/objection_done.html", {"notice": notice})


WINNER_YEARS_PER_PAGE = 3


def _kept_programme(request, slug: str) -> AwardProgramme:
    """The programme a public page under /<slug>/ names in its header, kept per state with the page
    (`fragment_per_state`: its names change only by a recorded edit), so that a page from the cache
    costs no query for it. An unknown address is a 404, never kept. For display only: never saved."""

    def fields() -> str:
        p = award_selectors.programme_public(slug)
        return json.dumps(
            {f: getattr(p, f) for f in ("pk", "slug", "name_zh", "name_en", "organiser_zh", "organiser_en")}
        )

    return AwardProgramme(**json.loads(fragment_per_state(request, "programme-header", fields, state=slug)))


@in_every_programme  # public: its selectors show published rows of any programme
@require_GET
@public_page
def winners(request, year=None, programme=None):
    """Public: the winners by year and level, a few years a page (or one year's).

    The list is the same for every visitor until something is recorded: it is rendered once per
    state (`fragment_per_state`) and the page around it (layout, the visitor's header) each time."""

    slug = programme
    # A programme's own page names it in the header; the root's header is the site's.
    named = _kept_programme(request, slug) if slug is not None else None

    def content() -> str:
        # The root's programme is read here, so its page from the cache costs no query for it.
        programme = named or award_selectors.programme_public(None)
        all_years = selectors.winner_years(programme)
        page = None
        if year is not None:
            if year not in all_years:
                raise Http404
            shown = [year]
        else:
            page = paginate(request, all_years, default_size=WINNER_YEARS_PER_PAGE, sizes=())
            shown = list(page)
        years = selectors.winners_by_year_and_level(programme=programme, years=shown) if shown else []
        context = {"years": years, "year": year, "all_years": all_years, "page": page, "programme": programme}
        return render_to_string("committee/_winners.html", context, request)

    return render(
        request,
        "committee/winners.html",
        {"year": year, "programme": named, "content": fragment_per_state(request, "winners", content)},
    )
