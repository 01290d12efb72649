"""Writes for recommendation. Each decision goes through application_transition, in one transaction
with its record and audit event; the enterprise hears of it through the outbox."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import ApplicationStatus, CycleRole, RecommendationDecision, StageKind
from awards.models import Application, ApplicationSnapshot, CycleMembership, CycleStage
from awards.rules import is_district_recommender
from awards.services import application_notify_members, application_transition
from core.audit import audit_record
from core.enums import AuditAction
from core.errors import NotAllowed
from core.models import User
from core.uploads import discard_stored, store_upload, validate_upload

from .models import Recommendation


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
                action=AuditAction.DECISION,
                obj=record,
                by=by,
                payload={
                    "event": "recommendation.made",
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
