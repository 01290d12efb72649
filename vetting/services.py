"""Writes for recommendation. Each decision goes through application_transition, in one transaction
with its record and audit event; the enterprise hears of it through the outbox."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import (
    Actor,
    ApplicationStatus,
    CycleRole,
    OpinionAnswer,
    RecommendationDecision,
    RecordCategory,
    StageKind,
)
from awards.models import Application, ApplicationSnapshot, AwardCycle, CycleMembership, CycleStage
from awards.rules import is_applicant, is_district_recommender
from awards.services import application_notify_members, application_transition
from awards.workflow import transition_for
from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.mail import mail_queue
from core.models import User
from core.rules import require
from core.uploads import discard_stored, store_upload, validate_upload

from . import selectors
from .enums import InvitationResponse, SessionStatus
from .models import (
    OpinionRequest,
    PresentationNote,
    PresentationResult,
    PresentationScore,
    PresentationSession,
    PresentationSlot,
    Recommendation,
)
from .rules import is_asked_department


def application_recommend(
    *, application: Application, by: User, decision: str, opinion: str, scan=None, notify: bool = True
) -> Recommendation:
    """The district's recommending body recommends the submitted version, or declines with its
    opinion (which ends the application: it is not recommended). A signed scan may be attached;
    it is checked by content like every upload."""
    if StageKind.RECOMMENDATION not in application.cycle.stage_kinds():
        raise NotAllowed(_("This cycle has no recommendation stage."), code="no_stage")
    require(
        is_district_recommender,
        by,
        application,
        _("Only the recommending body of the enterprise's district may recommend it."),
    )
    opinion = (opinion or "").strip()
    if not opinion:
        raise NotAllowed(_("Please give your opinion."), code="opinion_required")
    if decision not in RecommendationDecision.values:
        raise NotAllowed(_("Choose whether you recommend the application."), code="decision")
    if application.status != ApplicationStatus.SUBMITTED:
        raise NotAllowed(_("This application is not waiting for a recommendation."), code="decided")
    window = CycleStage.objects.filter(cycle_id=application.cycle_id, kind=StageKind.RECOMMENDATION).first()
    today = timezone.localdate()
    if window and window.ends_on and today > window.ends_on:
        raise NotAllowed(
            _("The recommendation window closed on %(day)s.") % {"day": window.ends_on.isoformat()}, code="closed"
        )
    mime = validate_upload(scan, max_bytes=settings.ATTACHMENT_MAX_BYTES) if scan else ""
    membership = CycleMembership.objects.filter(
        user=by, cycle_id=application.cycle_id, role=CycleRole.RECOMMENDER, district=application.enterprise.district
    ).first()
    snapshot = ApplicationSnapshot.objects.filter(application=application).order_by("-number").first()
    recommended = decision == RecommendationDecision.RECOMMENDED
    stored = ""
    with transaction.atomic():
        app = application_transition(
            application=application,
            to_status=ApplicationStatus.RECOMMENDED if recommended else ApplicationStatus.INELIGIBLE,
            by=by,
            comment=opinion if not recommended else "",
            payload={"recommendation": decision, "unit": membership.unit, "snapshot": snapshot.number},
        )
        record = Recommendation(
            application=app,
            snapshot=snapshot,
            decision=decision,
            opinion=opinion,
            by=by,
            unit=membership.unit,
            district=membership.district,
            decided_at=timezone.now(),
        )
        if scan:
            digest = hashlib.sha256()
            for chunk in scan.chunks():
                digest.update(chunk)
            scan.seek(0)
            stored = store_upload(scan, folder=f"recommendations/{app.pk}", mime=mime)
            record.scan.name = stored
            record.scan_name = scan.name[:200]
            record.scan_mime = mime
            record.scan_size = scan.size
            record.scan_sha256 = digest.hexdigest()
        try:
            record.save()
            audit_record(
                event=AuditEventType.RECOMMENDATION_MADE,
                obj=record,
                by=by,
                payload={
                    "application": app.pk,
                    "decision": decision,
                    "unit": record.unit,
                    "scan_sha256": record.scan_sha256,
                },
            )
        except BaseException:
            if stored:
                discard_stored(stored)
            raise
        if notify:
            application_notify_members(
                application=app,
                template="vetting_outcome",
                context={
                    "outcome": "recommended" if recommended else "not_recommended",
                    "enterprise": app.official_name,
                    "body": record.unit,
                    "reason": opinion if not recommended else "",
                    "cycle_zh": app.cycle.title_zh,
                    "cycle_en": app.cycle.title_en,
                    "receipt_number": app.receipt_number or "",
                    "application_id": app.pk,
                },
            )
    return record


# --- 征求意见 department opinions -------------------------------------------------------------------


def _veto_possible(application: Application) -> bool:
    """The cycle asks departments, and the application is where a department's record can still end it."""
    move = transition_for(application.status, ApplicationStatus.INELIGIBLE, application.cycle.stage_kinds())
    return move is not None and Actor.DEPARTMENT in move.actors


def opinion_requests_send(
    *, application: Application, departments: list[User], deadline, by: User
) -> list[OpinionRequest]:
    """The office asks each department for its records on the enterprise, with a deadline; each
    department is mailed through the outbox. A department asked before is not asked twice."""
    require("awards.manage_cycle", by, application, _("Only the award office may ask departments for their opinions."))
    if StageKind.OPINIONS not in application.cycle.stage_kinds():
        raise NotAllowed(_("This cycle does not ask departments for their opinions."), code="no_stage")
    if not _veto_possible(application):
        raise NotAllowed(
            _("“%(status)s” applications are not sent to departments.") % {"status": application.get_status_display()},
            code="wrong_status",
        )
    if deadline is None or deadline < timezone.localdate():
        raise NotAllowed(_("Give a deadline from today on."), code="deadline")
    if not departments:
        raise NotAllowed(_("Choose at least one department."), code="departments")
    units = dict(
        CycleMembership.objects.filter(
            cycle_id=application.cycle_id, role=CycleRole.DEPARTMENT, user__in=departments
        ).values_list("user_id", "unit")
    )
    if set(units) != {d.pk for d in departments}:
        raise NotAllowed(_("Only the cycle's consulted departments can be asked."), code="not_department")
    now = timezone.now()
    created = []
    with transaction.atomic():
        for department in departments:
            req, made = OpinionRequest.objects.get_or_create(
                application=application,
                department=department,
                defaults={
                    "unit": units[department.pk] or department.get_full_name(),
                    "deadline": deadline,
                    "sent_by": by,
                    "sent_at": now,
                },
            )
            if not made:
                continue
            created.append(req)
            audit_record(
                event=AuditEventType.OPINION_REQUESTED,
                obj=req,
                by=by,
                payload={"application": application.pk, "unit": req.unit},
            )
            _mail_department(req, template="vetting_opinion_request")
    return created


def _mail_department(req: OpinionRequest, *, template: str) -> None:
    app = req.application
    mail_queue(
        template=template,
        to_user=req.department,
        cycle=app.cycle_id,
        programme=app.cycle.programme,
        context={
            "enterprise": app.official_name,
            "credit_code": app.credit_code,
            "receipt_number": app.receipt_number or "",
            "deadline": req.deadline.isoformat(),
            "cycle_zh": app.cycle.title_zh,
            "cycle_en": app.cycle.title_en,
            "request_id": req.pk,
        },
    )


def opinion_requests_remind(*, cycle_id: int, by: User | None = None, days: int = 2) -> int:
    """Remind, once, each department whose answer is due within `days` days and still missing.
    Harmless when run twice. Without `by` it is the scheduled reminder."""
    if by is not None:
        require("awards.manage_cycle", by, _cycle(cycle_id), _("Only the award office may send reminders."))
    today = timezone.localdate()
    due = OpinionRequest.objects.filter(
        application__cycle_id=cycle_id,
        answered_at__isnull=True,
        reminded_at__isnull=True,
        deadline__gte=today,
        deadline__lte=today + dt.timedelta(days=days),
    ).select_related("application__cycle", "application__enterprise", "department")
    sent = 0
    with transaction.atomic():
        for req in due:
            if OpinionRequest.objects.filter(pk=req.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                _mail_department(req, template="vetting_opinion_reminder")
                sent += 1
    return sent


def _cycle(cycle_id: int):
    return AwardCycle.objects.get(pk=cycle_id)


def opinion_answer(
    *, request: OpinionRequest, by: User, answer: str, category: str = "", details: str = "", evidence=None
) -> OpinionRequest:
    """The department answers "no record" or "record found" with details and evidence, by the
    deadline. A record in a category the cycle marks as disqualifying ends the application
    (ineligible, with the department and the reason; the enterprise is told); any other record
    goes into the dossier the experts and the committee read."""
    require(is_asked_department, by, request, _("Only the department asked may answer."))
    if request.answered_at is not None:
        raise NotAllowed(_("This request has been answered."), code="answered")
    if timezone.localdate() > request.deadline:
        raise NotAllowed(
            _("The deadline for this answer was %(day)s; ask the award office.")
            % {"day": request.deadline.isoformat()},
            code="deadline",
        )
    details = (details or "").strip()
    if answer not in OpinionAnswer.values:
        raise NotAllowed(_("Choose an answer."), code="answer")
    found = answer == OpinionAnswer.RECORD_FOUND
    if found and (category not in RecordCategory.values or not details):
        raise NotAllowed(_("For a record found, give its category and the details."), code="details_required")
    mime = validate_upload(evidence, max_bytes=settings.ATTACHMENT_MAX_BYTES) if evidence else ""
    app = Application.objects.select_related("cycle", "enterprise").get(pk=request.application_id)
    disqualifying = found and category in (app.cycle.disqualifying_categories or [])
    stored = ""
    with transaction.atomic():
        locked = OpinionRequest.objects.select_for_update().get(pk=request.pk)
        if locked.answered_at is not None:
            raise NotAllowed(_("This request has been answered."), code="answered")
        locked.answer = answer
        locked.category = category if found else ""
        locked.details = details
        locked.disqualifying = disqualifying
        locked.answered_at = timezone.now()
        if evidence:
            digest = hashlib.sha256()
            for chunk in evidence.chunks():
                digest.update(chunk)
            evidence.seek(0)
            stored = store_upload(evidence, folder=f"opinions/{app.pk}", mime=mime)
            locked.evidence.name = stored
            locked.evidence_name = evidence.name[:200]
            locked.evidence_mime = mime
            locked.evidence_sha256 = digest.hexdigest()
        try:
            locked.save()
            audit_record(
                event=AuditEventType.OPINION_ANSWERED,
                obj=locked,
                by=by,
                payload={
                    "application": app.pk,
                    "answer": answer,
                    "category": locked.category,
                    "disqualifying": disqualifying,
                },
            )
            if disqualifying:
                reason = f"{locked.unit}：{RecordCategory(category).label}。{details}"
                application_transition(
                    application=app,
                    to_status=ApplicationStatus.INELIGIBLE,
                    by=by,
                    comment=reason,
                    payload={"opinion": locked.pk, "unit": locked.unit, "category": category},
                )
                application_notify_members(
                    application=app,
                    template="vetting_outcome",
                    context={
                        "outcome": "vetoed",
                        "enterprise": app.official_name,
                        "body": locked.unit,
                        "reason": f"{RecordCategory(category).label}: {details}",
                        "cycle_zh": app.cycle.title_zh,
                        "cycle_en": app.cycle.title_en,
                        "receipt_number": app.receipt_number or "",
                        "application_id": app.pk,
                    },
                )
        except BaseException:
            if stored:
                discard_stored(stored)
            raise
    return locked


def opinion_reminders_send_all() -> int:
    """The scheduled reminder over every cycle with open requests (vetting.tasks)."""
    cycles = (
        OpinionRequest.objects.filter(answered_at__isnull=True, reminded_at__isnull=True)
        .values_list("application__cycle_id", flat=True)
        .distinct()
    )
    return sum(opinion_requests_remind(cycle_id=cycle_id) for cycle_id in list(cycles))


# --- 陈述答辩 presentation and defence -------------------------------------------------------------


def _office(by: User, cycle: AwardCycle, message: str) -> None:
    require("awards.manage_cycle", by, cycle, message)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def _in_window(cycle: AwardCycle, starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    """Inside the presentation stage's window, when the cycle gives it one."""
    window = CycleStage.objects.filter(cycle=cycle, kind=StageKind.PRESENTATION).first()
    if window is None:
        return
    first, last = _local(starts_at).date(), _local(ends_at).date()
    if (window.starts_on and first < window.starts_on) or (window.ends_on and last > window.ends_on):
        raise NotAllowed(
            _("The session must lie within the presentation stage's window, %(start)s to %(end)s.")
            % {
                "start": window.starts_on.isoformat() if window.starts_on else "…",
                "end": window.ends_on.isoformat() if window.ends_on else "…",
            },
            code="window",
        )


def _slots_fit(session: PresentationSession, slots: list[tuple[dt.datetime, dt.datetime]]) -> None:
    """Each slot lies inside the session and no two overlap."""
    for start, end in slots:
        if start < session.starts_at or end > session.ends_at:
            raise NotAllowed(_("A slot must lie within the session's time."), code="slot_outside")
    ordered = sorted(slots)
    for (_s1, end), (start, _e2) in zip(ordered, ordered[1:], strict=False):
        if start < end:
            raise NotAllowed(_("Two slots overlap: give each application its own time."), code="overlap")


def presentation_session_save(
    *,
    cycle: AwardCycle,
    by: User,
    starts_at: dt.datetime,
    duration_minutes: int,
    place: str,
    is_public: bool,
    panel: list[User],
    session: PresentationSession | None = None,
) -> PresentationSession:
    """The office creates a session, or edits one not yet closed: its time, place, whether the public
    may attend, and its panel (required)."""
    _office(by, cycle, _("Only the award office may arrange presentation sessions."))
    if StageKind.PRESENTATION not in cycle.stage_kinds():
        raise NotAllowed(_("This cycle has no presentation and defence."), code="no_stage")
    if session is not None and (session.cycle_id != cycle.pk or session.status == SessionStatus.CLOSED):
        raise NotAllowed(_("A closed session cannot be changed."), code="closed")
    place = (place or "").strip()
    if not panel:
        raise NotAllowed(_("A presentation session needs a panel: choose its members."), code="no_panel")
    if not place:
        raise NotAllowed(_("Give the place of the session."), code="place")
    if starts_at is None or not duration_minutes or duration_minutes <= 0:
        raise NotAllowed(_("The session ends before it starts: give a positive duration."), code="duration")
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    _in_window(cycle, starts_at, ends_at)
    with transaction.atomic():
        created = session is None
        if created:
            session = PresentationSession(cycle=cycle, created_by=by)
        else:
            session = PresentationSession.objects.select_for_update().get(pk=session.pk)
        session.starts_at, session.duration_minutes = starts_at, duration_minutes
        session.place, session.is_public = place, bool(is_public)
        if not created:
            _slots_fit(session, [(s.starts_at, s.ends_at) for s in session.slots.all()])
        session.save()
        session.panel.set(panel)
        audit_record(
            event=AuditEventType.PRESENTATION_SESSION_CREATED
            if created
            else AuditEventType.PRESENTATION_SESSION_CHANGED,
            obj=session,
            by=by,
            payload={
                "starts_at": starts_at.isoformat(),
                "duration": duration_minutes,
                "place": place,
                "public": bool(is_public),
                "panel": sorted(u.pk for u in panel),
            },
        )
    return session


def presentation_schedule(
    *, session: PresentationSession, application: Application, starts_at: dt.datetime, minutes: int, by: User
) -> PresentationSlot:
    """The office schedules an application (at the presentation stage) in the session, or moves its
    slot; a moved slot is invited again."""
    _office(by, session.cycle, _("Only the award office may schedule presentations."))
    if session.status == SessionStatus.CLOSED:
        raise NotAllowed(_("A closed session cannot be changed."), code="closed")
    if application.cycle_id != session.cycle_id or application.status != ApplicationStatus.PRESENTATION:
        raise NotAllowed(_("Only applications at the presentation stage can be scheduled."), code="wrong_status")
    if starts_at is None or not minutes or minutes <= 0:
        raise NotAllowed(_("Give the slot's time and a positive length."), code="slot")
    end = starts_at + dt.timedelta(minutes=minutes)
    with transaction.atomic():
        session = PresentationSession.objects.select_for_update().get(pk=session.pk)
        others = [(s.starts_at, s.ends_at) for s in session.slots.exclude(application=application)]
        _slots_fit(session, [*others, (starts_at, end)])
        slot, created = PresentationSlot.objects.get_or_create(
            session=session, application=application, defaults={"starts_at": starts_at, "minutes": minutes}
        )
        if not created:
            slot.starts_at, slot.minutes = starts_at, minutes
            slot.invited_at = slot.responded_at = slot.responded_by = slot.reminded_at = None
            slot.response, slot.reschedule_reason = InvitationResponse.PENDING, ""
            slot.save()
        audit_record(
            event=AuditEventType.PRESENTATION_SCHEDULED if created else AuditEventType.PRESENTATION_MOVED,
            obj=slot,
            by=by,
            payload={
                "session": session.pk,
                "application": application.pk,
                "starts_at": starts_at.isoformat(),
                "minutes": minutes,
            },
        )
    return slot


def presentation_unschedule(*, slot: PresentationSlot, by: User, reason: str) -> None:
    """The office removes an application's slot from a session still planned (nothing is recorded
    before the session opens), with a reason; an enterprise already invited is told by mail."""
    session = slot.session
    _office(by, session.cycle, _("Only the award office may remove a scheduled presentation."))
    reason = (reason or "").strip()
    if not reason:
        raise NotAllowed(_("Say why the presentation is removed from the session."), code="reason_required")
    app = Application.objects.select_related("cycle", "enterprise").get(pk=slot.application_id)
    with transaction.atomic():
        locked = PresentationSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.PLANNED:
            raise NotAllowed(
                _("Only a planned session's schedule can be cut: this session is “%(status)s”.")
                % {"status": locked.get_status_display()},
                code="wrong_status",
            )
        current = PresentationSlot.objects.filter(pk=slot.pk, session=locked).first()
        if current is None:
            raise NotAllowed(_("This presentation is no longer in the session."), code="gone")
        audit_record(
            event=AuditEventType.PRESENTATION_UNSCHEDULED,
            obj=current,
            by=by,
            payload={
                "session": locked.pk,
                "application": app.pk,
                "starts_at": current.starts_at.isoformat(),
                "invited": current.invited_at is not None,
                "reason": reason,
            },
        )
        if current.invited_at is not None:
            application_notify_members(
                application=app,
                template="vetting_presentation_unscheduled",
                context={
                    "enterprise": app.official_name,
                    "starts": _local(current.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "place": locked.place,
                    "reason": reason,
                    "cycle_zh": app.cycle.title_zh,
                    "cycle_en": app.cycle.title_en,
                    "receipt_number": app.receipt_number or "",
                    "application_id": app.pk,
                },
            )
        current.delete()
        presentation_results_refresh(application_ids=[app.pk])


def presentation_invite(*, slot: PresentationSlot, by: User) -> PresentationSlot:
    """The office invites the enterprise: its owners and editors are mailed the time and place."""
    session = slot.session
    _office(by, session.cycle, _("Only the award office may invite enterprises."))
    if session.status == SessionStatus.CLOSED:
        raise NotAllowed(_("A closed session cannot be changed."), code="closed")
    app = Application.objects.select_related("cycle", "enterprise").get(pk=slot.application_id)
    with transaction.atomic():
        now = timezone.now()
        PresentationSlot.objects.filter(pk=slot.pk).update(invited_at=now)
        slot.invited_at = now
        audit_record(
            event=AuditEventType.PRESENTATION_INVITED,
            obj=slot,
            by=by,
            payload={"application": app.pk, "session": session.pk},
        )
        application_notify_members(
            application=app,
            template="vetting_presentation_invitation",
            context=_invitation_context(app, slot, session),
        )
    return slot


def _invitation_context(app: Application, slot: PresentationSlot, session: PresentationSession) -> dict:
    return {
        "enterprise": app.official_name,
        "starts": _local(slot.starts_at).strftime("%Y-%m-%d %H:%M"),
        "minutes": slot.minutes,
        "place": session.place,
        "cycle_zh": app.cycle.title_zh,
        "cycle_en": app.cycle.title_en,
        "receipt_number": app.receipt_number or "",
        "slot_id": slot.pk,
    }


def presentation_reminders_send_all(*, now: dt.datetime | None = None) -> int:
    """The scheduled reminder (vetting.tasks): an invitation still unanswered on its reminder day
    (two working days before the slot) is recalled to the enterprise, once per slot (a moved slot is
    invited, and so reminded, afresh). Not on the day of the invitation itself. Harmless when run twice."""
    now = now or timezone.now()
    today = _local(now).date()
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    # Two working days back never span more than a month, even over the Spring Festival.
    candidates = PresentationSlot.objects.filter(
        invited_at__lt=start_of_today,
        response=InvitationResponse.PENDING,
        reminded_at__isnull=True,
        session__status__in=[SessionStatus.PLANNED, SessionStatus.OPEN],
        starts_at__gt=now,
        starts_at__lte=now + dt.timedelta(days=31),
    ).select_related("session", "application__cycle", "application__enterprise")
    sent = 0
    for slot in candidates:
        day = selectors.invitation_reminder_day(slot)
        if day is None or day > today:
            continue
        with transaction.atomic():
            if PresentationSlot.objects.filter(
                pk=slot.pk, reminded_at__isnull=True, response=InvitationResponse.PENDING
            ).update(reminded_at=now):
                application_notify_members(
                    application=slot.application,
                    template="vetting_presentation_reminder",
                    context=_invitation_context(slot.application, slot, slot.session),
                )
                sent += 1
    return sent


def presentation_respond(*, slot: PresentationSlot, by: User, response: str, reason: str = "") -> PresentationSlot:
    """The enterprise confirms its slot, or asks to reschedule with a reason (the office then moves
    the slot, which invites it again). It may change its answer until the session closes."""
    require(is_applicant, by, slot.application, _("Only the enterprise invited may answer."))
    if slot.invited_at is None:
        raise NotAllowed(_("This presentation has not been offered yet."), code="not_invited")
    if slot.session.status == SessionStatus.CLOSED:
        raise NotAllowed(_("The session is closed."), code="closed")
    reason = (reason or "").strip()
    if response not in (InvitationResponse.CONFIRMED, InvitationResponse.RESCHEDULE):
        raise NotAllowed(_("Choose whether you confirm."), code="response")
    if response == InvitationResponse.RESCHEDULE and not reason:
        raise NotAllowed(_("Say why the time does not suit you."), code="reason_required")
    with transaction.atomic():
        now = timezone.now()
        PresentationSlot.objects.filter(pk=slot.pk).update(
            response=response,
            reschedule_reason=reason if response == InvitationResponse.RESCHEDULE else "",
            responded_at=now,
            responded_by=by,
        )
        slot.refresh_from_db()
        audit_record(
            event=AuditEventType.PRESENTATION_ANSWERED,
            obj=slot,
            by=by,
            payload={"response": response, "reason": slot.reschedule_reason},
        )
    return slot


def _recordable(slot: PresentationSlot, by: User) -> None:
    require("vetting.record_presentation", by, slot.session, _("Only the session's panel may record the presentation."))
    if slot.session.status != SessionStatus.OPEN:
        raise NotAllowed(_("The session is not open for recording."), code="not_open")


def presentation_note_record(
    *, slot: PresentationSlot, by: User, category: str, question: str, answer: str = ""
) -> PresentationNote:
    """A panel member records a question on a GB/T 19580 category and the enterprise's answer."""
    _recordable(slot, by)
    codes = set(slot.session.cycle.framework.categories.values_list("code", flat=True))
    question, answer = (question or "").strip(), (answer or "").strip()
    if category not in codes:
        raise NotAllowed(_("Choose the category the question is about."), code="category")
    if not question:
        raise NotAllowed(_("Write the question."), code="question")
    with transaction.atomic():
        note = PresentationNote.objects.create(
            slot=slot, category=category, question=question, answer=answer, by=by, recorded_at=timezone.now()
        )
        audit_record(
            event=AuditEventType.PRESENTATION_NOTE,
            obj=note,
            by=by,
            payload={"slot": slot.pk, "category": category},
        )
    return note


def presentation_score_record(*, slot: PresentationSlot, by: User, score) -> PresentationScore:
    """A panel member scores the presentation on the cycle's scale; the scale and the weight in force
    are stored with the score. Scoring again replaces the member's score while the session is open."""
    _recordable(slot, by)
    cycle = slot.session.cycle
    try:
        value = Decimal(str(score)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        raise NotAllowed(_("Give the score as a number."), code="score") from None
    if not value.is_finite() or value < 0 or value > cycle.presentation_scale_max:
        raise NotAllowed(
            _("The score must be between 0 and %(max)s.") % {"max": cycle.presentation_scale_max}, code="score"
        )
    with transaction.atomic():
        row, created = PresentationScore.objects.update_or_create(
            slot=slot,
            by=by,
            defaults={
                "score": value,
                "scale_max": cycle.presentation_scale_max,
                "weight": cycle.presentation_weight,
                "given_at": timezone.now(),
            },
        )
        audit_record(
            event=AuditEventType.PRESENTATION_SCORED if created else AuditEventType.PRESENTATION_RESCORED,
            obj=row,
            by=by,
            payload={
                "slot": slot.pk,
                "score": str(value),
                "scale_max": row.scale_max,
                "weight": row.weight,
            },
        )
        presentation_results_refresh(application_ids=[slot.application_id])
    return row


def presentation_results_refresh(*, application_ids) -> None:
    """Store each application's presentation figure (`PresentationResult`) from its scores, or drop
    it when none is left. Every service that writes or removes a score calls it in its transaction;
    the ranking and every page read the stored row."""
    ids = sorted({int(pk) for pk in application_ids})
    figures = selectors.presentation_figures_from_scores(ids)
    cycles = dict(Application.objects.filter(pk__in=ids).values_list("pk", "cycle_id"))
    now = timezone.now()
    with transaction.atomic():
        PresentationResult.objects.filter(application_id__in=ids).exclude(application_id__in=list(figures)).delete()
        PresentationResult.objects.bulk_create(
            [
                PresentationResult(
                    application_id=app_id,
                    cycle_id=cycles[app_id],
                    n=f.n,
                    fraction=f.fraction,
                    scale_max=f.scale_max,
                    weight=f.weight,
                    updated_at=now,
                )
                for app_id, f in figures.items()
            ],
            update_conflicts=True,
            unique_fields=["application"],
            update_fields=["cycle", "n", "fraction", "scale_max", "weight", "updated_at"],
        )


def _session_move(
    session: PresentationSession, by: User, source: str, target: str, event: AuditEventType
) -> PresentationSession:
    _office(by, session.cycle, _("Only the award office may open or close a session."))
    changes = {"status": target}
    if target == SessionStatus.CLOSED:
        changes["closed_at"] = timezone.now()
    with transaction.atomic():
        if not PresentationSession.objects.filter(pk=session.pk, status=source).update(**changes):
            raise NotAllowed(
                _("The session is “%(status)s”.") % {"status": session.get_status_display()}, code="wrong_status"
            )
        audit_record(event=event, obj=session, by=by)
    session.refresh_from_db()
    return session


def presentation_session_open(*, session: PresentationSession, by: User) -> PresentationSession:
    """The office opens a planned session for the panel's recording (at least one application scheduled)."""
    if not session.slots.exists():
        raise NotAllowed(_("Schedule at least one application first."), code="empty")
    return _session_move(session, by, SessionStatus.PLANNED, SessionStatus.OPEN, AuditEventType.PRESENTATION_OPENED)


def presentation_session_close(*, session: PresentationSession, by: User) -> PresentationSession:
    """The office closes an open session: nothing more is recorded in it."""
    return _session_move(session, by, SessionStatus.OPEN, SessionStatus.CLOSED, AuditEventType.PRESENTATION_CLOSED)
