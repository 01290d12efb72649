"""Writes for recommendation. Each decision goes through application_transition, in one transaction
with its record and audit event; the enterprise hears of it through the outbox."""

from __future__ import annotations

import datetime as dt
import hashlib

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
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
from awards.rules import is_district_recommender
from awards.services import application_notify_members, application_transition
from awards.workflow import transition_for
from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.mail import mail_queue
from core.models import User
from core.uploads import discard_stored, store_upload, validate_upload

from .models import OpinionRequest, Recommendation


def application_recommend(
    *, application: Application, by: User, decision: str, opinion: str, scan=None, notify: bool = True
) -> Recommendation:
    """The district's recommending body recommends the submitted version, or declines with its
    opinion (which ends the application: it is not recommended). A signed scan may be attached;
    it is checked by content like every upload."""
    if StageKind.RECOMMENDATION not in application.cycle.stage_kinds():
        raise NotAllowed(_("This cycle has no recommendation stage."), code="no_stage")
    if not is_district_recommender(by, application):
        raise PermissionDenied(_("Only the recommending body of the enterprise's district may recommend it."))
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
    if not rules.has_perm("awards.manage_cycle", by, application):
        raise PermissionDenied(_("Only the award office may ask departments for their opinions."))
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
    if by is not None and not rules.has_perm("awards.manage_cycle", by, _cycle(cycle_id)):
        raise PermissionDenied(_("Only the award office may send reminders."))
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
    if request.department_id != by.pk:
        raise PermissionDenied(_("Only the department asked may answer."))
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
