"""Writes of the on-site workbench. Each checks the permission, changes state in a transaction and
records an audit event in it; the enterprise's mail goes through the outbox."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import ApplicationStatus
from awards.models import Application, CriteriaItem
from awards.services import application_notify_members
from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import User
from core.rules import allowed, require
from core.uploads import discard_stored, store_upload, validate_upload
from reviews.enums import AssignmentStatus, RoundKind
from reviews.models import Assignment

from .enums import Finding, IssueKind, LogKind, PlanEntryKind, VisitStatus
from .models import ItemConsensus, ItemFlag, LogEvidence, PlanEntry, SiteVisit, VisitIssue, VisitLog
from .rules import may_open_visit
from .selectors import onsite_panel_of

# Photos and files of one log: at most this many.
MAX_EVIDENCE_PER_LOG = 5


def _audit(event: AuditEventType, obj, by: User | None, **payload) -> None:
    audit_record(event=event, obj=obj, by=by, payload=payload)


def _item_of_cycle(item: CriteriaItem, cycle_framework_id: int) -> None:
    if item.category.framework_id != cycle_framework_id:
        raise NotAllowed(_("This item is not part of the cycle's criteria."), code="wrong_item")


def _locked_open(visit: SiteVisit) -> SiteVisit:
    """The visit row locked for the transaction; refused once closed (a close may have just committed)."""
    locked = SiteVisit.objects.select_for_update().get(pk=visit.pk)
    if locked.status == VisitStatus.CLOSED:
        raise NotAllowed(_("The visit is closed: nothing more can be logged or changed."), code="visit_closed")
    return locked


def _refuse_if_closed(visit: SiteVisit, by: User) -> None:
    """Who may see a closed visit is told it is closed (nobody may log or lead on it any more)."""
    if visit.is_closed and allowed("onsite.view_visit", by, visit):
        raise NotAllowed(_("The visit is closed: nothing more can be logged or changed."), code="visit_closed")


def _require_member(visit: SiteVisit, by: User) -> None:
    _refuse_if_closed(visit, by)
    require("onsite.log_visit", by, visit, _("Only the experts of this visit's team may log their work here."))


def _require_leader(visit: SiteVisit, by: User) -> None:
    _refuse_if_closed(visit, by)
    require("onsite.lead_visit", by, visit, _("Only the team leader of this visit may do this."))


# --- the material review's flags ------------------------------------------------------------------


def item_flag_save(*, assignment: Assignment, item: CriteriaItem, kind: str, note: str, by: User) -> ItemFlag | None:
    """Flag an item of a material-review sheet for the site visit, change the flag, or (kind "") remove it.

    Flags are read when the visit opens; after that they are the visit's issues and stay as they were.
    """
    require("onsite.flag_items", by, assignment, _("Only the expert of this material review may flag its items."))
    application = assignment.panel.application
    _item_of_cycle(item, application.cycle.framework_id)
    if SiteVisit.objects.filter(application=application).exists():
        raise NotAllowed(
            _("The site visit has started: its issues are fixed. Tell the team leader instead."), code="visit_open"
        )
    note = (note or "").strip()
    with transaction.atomic():
        if not kind:
            deleted, _rows = ItemFlag.objects.filter(assignment=assignment, item=item).delete()
            if deleted:
                _audit(AuditEventType.ONSITE_FLAG_REMOVED, assignment, by, item=item.code)
            return None
        if kind not in IssueKind.values:
            raise ValidationError(_("Choose “verify” or “clarify”."), code="kind")
        if not note:
            raise ValidationError(_("Say what the team should look at on site."), code="note_required")
        flag, _created = ItemFlag.objects.update_or_create(
            assignment=assignment, item=item, defaults={"kind": kind, "note": note[:2000]}
        )
        _audit(AuditEventType.ONSITE_FLAG_SAVED, assignment, by, item=item.code, kind=kind)
    return flag


# --- opening and planning the visit ---------------------------------------------------------------


def visit_open(*, application: Application, by: User) -> SiteVisit:
    """Open the workbench of a shortlisted application: each material-review expert's flagged items become
    the visit's issues. Harmless when called twice (the visit that exists is returned)."""
    panel = onsite_panel_of(application)
    if panel is None:
        require(
            "reviews.manage_reviews",
            by,
            application.cycle,
            _("Only the award office or the on-site team leader may open the visit."),
        )
        raise NotAllowed(_("Set up the on-site panel first: its experts are the visit's team."), code="no_panel")
    require(may_open_visit, by, panel, _("Only the award office or the on-site team leader may open the visit."))
    if application.status != ApplicationStatus.ONSITE_REVIEW:
        raise NotAllowed(
            _("Only an application shortlisted for on-site review has a site visit; this one is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="wrong_status",
        )
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        existing = SiteVisit.objects.filter(application=application).first()
        if existing is not None:
            return existing
        round_ = panel.round
        visit = SiteVisit.objects.create(
            application=application,
            panel=panel,
            starts_on=timezone.localdate(round_.opens_at),
            ends_on=timezone.localdate(round_.closes_at),
        )
        flags = (
            ItemFlag.objects.filter(
                assignment__panel__application=application,
                assignment__panel__round__kind=RoundKind.MATERIAL,
            )
            .exclude(assignment__status=AssignmentStatus.CONFLICT)
            .select_related("assignment")
            .order_by("item__category__order", "item__order", "pk")
        )
        issues = [
            VisitIssue(
                visit=visit,
                item_id=f.item_id,
                kind=f.kind,
                text=f.note,
                raised_by_id=f.assignment.expert_id,
                source_flag=f,
            )
            for f in flags
        ]
        VisitIssue.objects.bulk_create(issues)
        _audit(AuditEventType.ONSITE_VISIT_OPENED, visit, by, application=application.pk, issues=len(issues))
    return visit


def visit_dates_set(*, visit: SiteVisit, starts_on: dt.date, ends_on: dt.date, by: User) -> SiteVisit:
    _require_leader(visit, by)
    if ends_on < starts_on:
        raise ValidationError(_("The last day cannot be before the first day."), code="dates_order")
    with transaction.atomic():
        _locked_open(visit)
        SiteVisit.objects.filter(pk=visit.pk).update(starts_on=starts_on, ends_on=ends_on)
        _audit(
            AuditEventType.ONSITE_VISIT_DATES, visit, by, starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat()
        )
    visit.refresh_from_db()
    return visit


def plan_entry_add(
    *, visit: SiteVisit, kind: str, title: str, detail: str = "", starts_at: dt.datetime | None = None, by: User
) -> PlanEntry:
    _require_leader(visit, by)
    if kind not in PlanEntryKind.values:
        raise ValidationError(_("Choose agenda, site or interviewee."), code="kind")
    if not title.strip():
        raise ValidationError(_("Say what it is."), code="title_required")
    with transaction.atomic():
        _locked_open(visit)
        entry = PlanEntry.objects.create(
            visit=visit,
            kind=kind,
            title=title.strip()[:200],
            detail=detail.strip()[:300],
            starts_at=starts_at,
            added_by=by,
        )
        _audit(AuditEventType.ONSITE_PLAN_ADDED, visit, by, entry=entry.pk, kind=kind, title=entry.title)
    return entry


def plan_entry_remove(*, entry: PlanEntry, by: User) -> None:
    visit = entry.visit
    _require_leader(visit, by)
    with transaction.atomic():
        _locked_open(visit)
        _audit(AuditEventType.ONSITE_PLAN_REMOVED, visit, by, entry=entry.pk, title=entry.title)
        entry.delete()


def issue_add(*, visit: SiteVisit, item: CriteriaItem, kind: str, text: str, by: User) -> VisitIssue:
    """A team member adds an issue found on site that the material review did not flag."""
    _require_member(visit, by)
    _item_of_cycle(item, visit.application.cycle.framework_id)
    if kind not in IssueKind.values:
        raise ValidationError(_("Choose “verify” or “clarify”."), code="kind")
    if not text.strip():
        raise ValidationError(_("Describe the issue."), code="text_required")
    with transaction.atomic():
        _locked_open(visit)
        issue = VisitIssue.objects.create(visit=visit, item=item, kind=kind, text=text.strip(), raised_by=by)
        _audit(AuditEventType.ONSITE_ISSUE_ADDED, visit, by, issue=issue.pk, item=item.code)
    return issue


# --- during the visit -----------------------------------------------------------------------------


def log_add(
    *, visit: SiteVisit, issue: VisitIssue, kind: str, subject: str, notes: str, files: Sequence = (), by: User
) -> VisitLog:
    """Log a document seen or an interview held against an issue, with photos and files (checked by content)."""
    _require_member(visit, by)
    if issue.visit_id != visit.pk:
        raise NotAllowed(_("This issue belongs to another visit."), code="wrong_issue")
    if kind not in LogKind.values:
        raise ValidationError(_("Choose a document or an interview."), code="kind")
    if not subject.strip() or not notes.strip():
        raise ValidationError(_("Name the document or the person, and say what was found."), code="required")
    if len(files) > MAX_EVIDENCE_PER_LOG:
        raise ValidationError(_("At most %(n)s files per log.") % {"n": MAX_EVIDENCE_PER_LOG}, code="too_many_files")
    checked = []
    for upload in files:
        mime = validate_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        checked.append((upload, mime, digest.hexdigest()))
    stored: list[str] = []
    try:
        with transaction.atomic():
            _locked_open(visit)
            log = VisitLog.objects.create(
                visit=visit, issue=issue, kind=kind, subject=subject.strip()[:200], notes=notes.strip(), author=by
            )
            for upload, mime, sha in checked:
                ev = LogEvidence(log=log, original_name=upload.name[:200], size=upload.size, mime_type=mime, sha256=sha)
                ev.file.name = store_upload(upload, folder=f"onsite/{visit.pk}", mime=mime)
                stored.append(ev.file.name)
                ev.save()
            _audit(
                AuditEventType.ONSITE_LOG_ADDED,
                visit,
                by,
                log=log.pk,
                issue=issue.pk,
                kind=kind,
                files=[sha for _u, _m, sha in checked],
            )
    except BaseException:
        for name in stored:
            discard_stored(name)
        raise
    return log


def consensus_record(*, visit: SiteVisit, item: CriteriaItem, finding: str, text: str, by: User) -> ItemConsensus:
    """The team leader records the team's agreed finding on one item (again: it is replaced, audited)."""
    _require_leader(visit, by)
    _item_of_cycle(item, visit.application.cycle.framework_id)
    if finding not in Finding.values:
        raise ValidationError(_("Choose a finding."), code="finding")
    if not text.strip():
        raise ValidationError(_("Write the statement the team agreed on."), code="text_required")
    with transaction.atomic():
        _locked_open(visit)
        row, created = ItemConsensus.objects.update_or_create(
            visit=visit,
            item=item,
            defaults={"finding": finding, "text": text.strip(), "recorded_by": by, "recorded_at": timezone.now()},
        )
        _audit(AuditEventType.ONSITE_CONSENSUS, visit, by, item=item.code, finding=finding, replaced=not created)
    return row


def visit_close(*, visit: SiteVisit, summary: str, by: User) -> SiteVisit:
    """Close the visit with the closing-meeting summary; the enterprise is told and can read it."""
    _require_leader(visit, by)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError(_("Write the closing-meeting summary the enterprise will receive."), code="summary")
    now = timezone.now()
    with transaction.atomic():
        updated = SiteVisit.objects.filter(pk=visit.pk, status=VisitStatus.PLANNING).update(
            status=VisitStatus.CLOSED, closing_summary=summary, closed_at=now, closed_by=by
        )
        if not updated:
            raise NotAllowed(_("The visit is closed already."), code="visit_closed")
        visit.refresh_from_db()
        _audit(AuditEventType.ONSITE_VISIT_CLOSED, visit, by, findings=visit.findings.count())
        application = visit.application
        application_notify_members(
            application=application,
            template="onsite_closed",
            context={
                "enterprise": application.official_name,
                "cycle_zh": application.cycle.title_zh,
                "cycle_en": application.cycle.title_en,
                "summary": summary,
                "visit_id": visit.pk,
            },
        )
    return visit
