"""Writes for cycles and applications. Every status change of an application goes through
application_transition, every status change of a cycle through cycle_transition."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed
from core.mail import mail_queue
from core.models import User
from core.rules import require
from core.uploads import discard_stored, store_upload, validate_upload
from enterprises.models import Enterprise, EnterpriseMembership
from enterprises.rules import is_enterprise_member

from . import sections
from .enums import ApplicationStatus, AttachmentKind, CycleStatus, EligibilityDecision, StageKind
from .models import (
    Application,
    ApplicationAttachment,
    ApplicationSnapshot,
    ApplicationTransition,
    AwardCycle,
    CycleStage,
    SectionComment,
)
from .rules import is_applicant as rules_is_applicant
from .rules import is_editable as rules_is_editable
from .rules import may_make_transition
from .stages import StageSpec, stage_problems, window_problems
from .workflow import EDITABLE_STATUSES, cycle_transition_allowed, transition_for


def application_transition(
    *,
    application: Application,
    to_status: str,
    by: User | None,
    comment: str = "",
    payload: dict[str, Any] | None = None,
    extra_fields: dict[str, Any] | None = None,
    system: bool = False,
    notify: bool = True,
) -> Application:
    """Move an application to `to_status` if the table allows it and `by` may make the move.

    The enterprise's members are told of each step after the eligibility decision (`STEP_MAILS`),
    in the same transaction (an outbox row each), unless `notify=False`.

    The status changes with a conditional update, so of two concurrent transitions from the same
    status exactly one succeeds; the other gets a Conflict. `system=True` is for the project's own
    scheduled work and skips the role check (never for a request made by a person).
    """
    from_status = application.status
    transition = transition_for(from_status, to_status, application.cycle.stage_kinds())
    if transition is None:
        raise NotAllowed(
            _("An application that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ApplicationStatus(from_status).label, "to": ApplicationStatus(to_status).label},
            code="illegal_transition",
        )
    if not system:
        require(
            lambda user, app: may_make_transition(user, app, transition),
            by,
            application,
            _("You may not make this change to the application."),
        )
    if transition.needs_comment and not comment.strip():
        raise NotAllowed(_("Please give a reason for this decision."), code="comment_required")

    now = timezone.now()
    fields = {"status": to_status, "status_changed_at": now, "version": F("version") + 1, "updated_at": now}
    fields.update(extra_fields or {})
    with transaction.atomic():
        updated = Application.objects.filter(pk=application.pk, status=from_status).update(**fields)
        if updated == 0:
            raise Conflict(
                _(
                    "The application was changed by someone else a moment ago. Please reload the page and check its status."  # noqa: E501
                )
            )
        ApplicationTransition.objects.create(
            application=application,
            from_status=from_status,
            to_status=to_status,
            by=by if by is not None and by.is_authenticated else None,
            at=now,
            comment=comment,
        )
        audit_record(
            event=AuditEventType.APPLICATION_STATUS_CHANGED,
            obj=application,
            by=by,
            payload={"from": from_status, "to": to_status, "comment": comment, **(payload or {})},
        )
        application.refresh_from_db()
        if notify and to_status in STEP_MAILS:
            _notify_step(application, comment=comment, payload=payload or {})
    return application


# Steps after the eligibility decision that the enterprise hears about (that decision has its own mail).
STEP_MAILS = frozenset(
    {
        ApplicationStatus.ONSITE_REVIEW,
        ApplicationStatus.NOMINATED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.NOT_APPROVED,
        ApplicationStatus.PUBLIC_NOTICE,
        ApplicationStatus.AWARDED,
        ApplicationStatus.REVOKED,
    }
)


def _notify_step(application: Application, *, comment: str, payload: dict[str, Any]) -> None:
    level = application.award_level
    cycle = application.cycle
    application_notify_members(
        application=application,
        template="application_step",
        context={
            "status": application.status,
            "comment": comment,
            "enterprise": application.enterprise.official_name,
            "cycle_zh": cycle.title_zh,
            "cycle_en": cycle.title_en,
            "receipt_number": application.receipt_number or "",
            "level_zh": level.name_zh if level else "",
            "level_en": level.name_en if level else "",
            "decree_number": str(payload.get("decree_number", "")),
            "decree_date": str(payload.get("decree_date", "")),
            "onsite_from": str(payload.get("onsite_from", "")),
            "onsite_to": str(payload.get("onsite_to", "")),
            "application_id": application.pk,
        },
    )


# --- the application itself ---------------------------------------------------------------------


def application_notify_members(*, application: Application, template: str, context: dict[str, Any]) -> None:
    """Mail every member of the enterprise (after commit), each in their own language."""
    for membership in EnterpriseMembership.objects.filter(enterprise_id=application.enterprise_id).select_related(
        "user"
    ):
        mail_queue(
            template=template,
            context=context,
            to_user=membership.user,
            cycle=application.cycle_id,
            programme=application.cycle.programme,
        )


def _require_admitted(*, district: str, cycle: AwardCycle) -> None:
    """An enterprise applies only to a programme whose divisions include its district (prefix match)."""
    programme = cycle.programme
    if not programme.admits(district):
        raise NotAllowed(
            _(
                "The %(programme)s is open to enterprises registered in its own area only "
                "(division codes %(divisions)s…); this enterprise is registered in %(district)s."
            )
            % {"programme": programme.name, "divisions": ", ".join(programme.divisions), "district": district or "—"},
            code="outside_divisions",
        )


def application_start(*, enterprise: Enterprise, cycle: AwardCycle, by: User) -> Application:
    """Create the enterprise's draft for the cycle, basic information copied from its profile.

    Harmless when called twice: the existing application is returned.
    """
    require(is_enterprise_member, by, enterprise, _("Only members of the enterprise may start its application."))
    existing = Application.objects.filter(enterprise=enterprise, cycle=cycle).first()
    if existing is not None:
        return existing
    if not cycle.is_application_window_open():
        raise NotAllowed(_("Applications for this cycle are not open."), code="window_closed")
    _require_admitted(district=enterprise.district, cycle=cycle)
    with transaction.atomic():
        application, created = Application.objects.get_or_create(
            enterprise=enterprise, cycle=cycle, defaults={"basic_info": sections.basic_from_profile(enterprise)}
        )
        if created:
            audit_record(event=AuditEventType.APPLICATION_STARTED, obj=application, by=by, payload={"cycle": cycle.pk})
    return application


def application_section_save(
    *, application: Application, section: str, data: dict[str, Any], version: int, by: User
) -> Application:
    """Save one section if nobody saved that section since `version` (its section version, see
    `Application.section_version`) was read.

    A stale version raises Conflict and changes nothing, so two colleagues never overwrite each
    other silently; colleagues working on different sections do not get in each other's way.
    """
    if section not in sections.SECTION_FIELDS:
        raise NotAllowed(_("Unknown section."), code="unknown_section")
    if not rules_is_editable(by, application) and rules_is_applicant(by, application):
        raise NotAllowed(_("This application has been submitted and can no longer be edited."), code="locked")
    require("awards.edit_application", by, application, _("You may not edit this application."))
    if section == sections.BASIC:
        data = _basic_with_identity(application, data)
    column = sections.SECTION_FIELDS[section]
    version_column = sections.SECTION_VERSION_FIELDS[section]
    with transaction.atomic():
        updated = Application.objects.filter(
            pk=application.pk, status__in=list(EDITABLE_STATUSES), **{version_column: version}
        ).update(
            **{column: data, version_column: F(version_column) + 1},
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        if updated == 0:
            current = Application.objects.get(pk=application.pk)
            if current.status not in EDITABLE_STATUSES:
                raise NotAllowed(_("This application has been submitted and can no longer be edited."), code="locked")
            raise Conflict(
                _(
                    "A colleague saved this section after you opened it. Your text was not saved: "
                    "compare it with the saved version below, then save again."
                )
            )
        audit_record(
            event=AuditEventType.APPLICATION_SECTION_SAVED, obj=application, by=by, payload={"section": section}
        )
    application.refresh_from_db()
    return application


def _basic_with_identity(application: Application, data: dict[str, Any]) -> dict[str, Any]:
    """The basic information with the names and code of the registered profile; refused if the data
    tries to change them (they change through the enterprise's name change request)."""
    identity = sections.identity_from_profile(Enterprise.objects.get(pk=application.enterprise_id))
    for key, value in identity.items():
        sent = data.get(key)
        if sent is not None and str(sent).strip().upper() != str(value).strip().upper():
            raise NotAllowed(
                _(
                    "The names and the credit code come from the enterprise's profile and cannot be changed on the "
                    "application. The owner can ask the award office to change them."
                ),
                code="identity_locked",
            )
    return {**data, **identity}


def attachment_add(
    *, application: Application, kind: str, upload, by: User, declaration: str = "", description: str = ""
) -> ApplicationAttachment:
    """Store a checked file (see core.uploads) if the application's total stays within its limit.
    A file of the kind "other" must say what it is (`description`)."""
    require("awards.edit_application", by, application, _("You may not edit this application."))
    description = description.strip()
    if kind == AttachmentKind.OTHER and not description:
        raise ValidationError(_("Say what this file is."), code="description_required")
    mime = validate_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        # Lock the application so that two uploads at once cannot both slip under the limit.
        Application.objects.select_for_update().filter(pk=application.pk).first()
        attachment_total_check(application=application, adding=upload.size, name=upload.name)
        attachment = ApplicationAttachment(
            application=application,
            kind=kind,
            declaration=declaration,
            description=description[:200],
            original_name=upload.name[:200],
            size=upload.size,
            mime_type=mime,
            sha256=digest.hexdigest(),
            uploaded_by=by,
        )
        # A generated name with the extension of the detected type; the enterprise's name is kept
        # in original_name only. A disk error raises a ValidationError and rolls the row back.
        attachment.file.name = store_upload(upload, folder=f"applications/{application.pk}", mime=mime)
        try:
            attachment.save()
            audit_record(
                event=AuditEventType.APPLICATION_ATTACHMENT_ADDED,
                obj=attachment,
                by=by,
                payload={
                    "application": application.pk,
                    "kind": kind,
                    "description": attachment.description,
                    "sha256": attachment.sha256,
                    "size": upload.size,
                },
            )
        except BaseException:
            discard_stored(attachment.file.name)
            raise
    return attachment


def attachment_total_check(*, application: Application, adding: int, name: str) -> None:
    used = (
        ApplicationAttachment.objects.filter(application=application, removed_at__isnull=True).aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )
    limit = settings.APPLICATION_ATTACHMENTS_MAX_BYTES
    if used + adding > limit:
        raise ValidationError(
            _(
                "“%(name)s” would bring this application's attachments to %(total)s; "
                "the limit is %(limit)s per application."
            )
            % {"name": name, "total": filesizeformat(used + adding), "limit": filesizeformat(limit)},
            code="total_too_large",
        )


def attachment_remove(*, attachment: ApplicationAttachment, by: User) -> None:
    """Hide a file from the draft. The file stays: an earlier submitted version may refer to it."""
    application = attachment.application
    require("awards.edit_application", by, application, _("You may not edit this application."))
    with transaction.atomic():
        if ApplicationAttachment.objects.filter(pk=attachment.pk, removed_at__isnull=True).update(
            removed_at=timezone.now()
        ):
            audit_record(
                event=AuditEventType.APPLICATION_ATTACHMENT_REMOVED,
                obj=attachment,
                by=by,
                payload={"application": application.pk},
            )


def application_submit(*, application: Application, by: User, notify: bool = True) -> Application:
    """Submit (or resubmit) the application: window open, every part complete.

    In one transaction: a gapless receipt number (first submission only), the status change, and
    an immutable snapshot of everything submitted. A second click finds the application already
    submitted and changes nothing.
    """
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("cycle", "enterprise").get(pk=application.pk)
        if app.status not in EDITABLE_STATUSES:
            raise NotAllowed(_("This application has already been submitted."), code="already_submitted")
        require(rules_is_applicant, by, app, _("Only members of the enterprise may submit its application."))
        # The district as submitted (the basic information), else the profile's.
        _require_admitted(district=(app.basic_info or {}).get("district") or app.enterprise.district, cycle=app.cycle)
        now = timezone.now()
        deadline = app.submission_deadline
        if not app.may_be_submitted(now):
            raise NotAllowed(
                _("Submissions closed at %(deadline)s (China Standard Time). Your draft is kept.")
                % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
                code="deadline",
            )
        attachments = list(app.attachments.filter(removed_at__isnull=True).order_by("kind", "uploaded_at"))
        missing = sections.missing_by_section(app, attachments=attachments)
        if any(missing.values()):
            lines = [f"{sections.SECTION_TITLES[s]}: {'; '.join(items)}" for s, items in missing.items() if items]
            raise NotAllowed(
                _("The application is not complete yet. Still missing: %(list)s") % {"list": " · ".join(lines)},
                code="incomplete",
            )
        receipt = app.receipt_number
        if not receipt:
            cycle = AwardCycle.objects.select_for_update().get(pk=app.cycle_id)
            AwardCycle.objects.filter(pk=cycle.pk).update(receipts_issued=F("receipts_issued") + 1)
            receipt = f"{cycle.programme.receipt_prefix}-{cycle.year}-{cycle.receipts_issued + 1:04d}"
        number = app.snapshots.count() + 1
        app = application_transition(
            application=app,
            to_status=ApplicationStatus.SUBMITTED,
            by=by,
            payload={"receipt_number": receipt, "submission": number},
            extra_fields={
                "receipt_number": receipt,
                "submitted_at": now,
                "resubmit_by": None,
                **sections.names_of_record(app.enterprise),
            },
        )
        ApplicationSnapshot.objects.create(
            application=app,
            number=number,
            receipt_number=receipt,
            data=sections.snapshot_data(app, attachments),
            submitted_by=by,
            created_at=now,
        )
        if notify:
            application_notify_members(
                application=app,
                template="application_received",
                context={
                    "receipt_number": receipt,
                    "enterprise": app.official_name,
                    "cycle_zh": app.cycle.title_zh,
                    "cycle_en": app.cycle.title_en,
                    "submitted_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
                    "submission": number,
                    "application_id": app.pk,
                },
            )
    return app


def application_withdraw(*, application: Application, by: User, reason: str = "") -> Application:
    """The enterprise withdraws its application (allowed until the material review starts)."""
    return application_transition(application=application, to_status=ApplicationStatus.WITHDRAWN, by=by, comment=reason)


def _title_in(section: str, language: str) -> str:
    with translation.override(language):
        return str(sections.SECTION_TITLES.get(section, section))


def application_decide_eligibility(
    *,
    application: Application,
    by: User,
    decision: str,
    reason: str = "",
    section_comments: dict[str, str] | None = None,
    resubmit_by=None,
    notify: bool = True,
) -> Application:
    """The secretary's eligibility decision: eligible, returned for revision, or ineligible; and
    ineligible for a returned application not resubmitted by its deadline.

    The enterprise is told by e-mail; return comments are kept per section.
    """
    section_comments = {k: v.strip() for k, v in (section_comments or {}).items() if v and v.strip()}
    if application.status == ApplicationStatus.RETURNED:
        # A returned application is decided again only when it was not resubmitted in time.
        if decision != EligibilityDecision.INELIGIBLE:
            raise NotAllowed(_("A returned application is decided once it is resubmitted."), code="returned")
        if not application.returned_not_resubmitted_in_time():
            raise NotAllowed(
                _("The enterprise may resubmit until %(date)s.")
                % {"date": timezone.localtime(application.resubmit_by).strftime("%Y-%m-%d %H:%M")},
                code="deadline_running",
            )
    if decision == EligibilityDecision.RETURNED:
        if not section_comments and not reason.strip():
            raise NotAllowed(_("Say what the enterprise must revise."), code="comment_required")
        if resubmit_by is None or resubmit_by <= timezone.now():
            raise NotAllowed(_("Give a resubmission deadline in the future."), code="deadline_required")
        reason = reason.strip() or _("Please revise the sections commented on.")
    with transaction.atomic():
        extra = {"resubmit_by": resubmit_by} if decision == EligibilityDecision.RETURNED else {}
        app = application_transition(
            application=application,
            to_status=decision,
            by=by,
            comment=reason,
            payload={"section_comments": section_comments} if section_comments else None,
            extra_fields=extra,
        )
        transition = app.transitions.order_by("-at", "-pk").first()
        SectionComment.objects.bulk_create(
            SectionComment(transition=transition, section=s, text=t) for s, t in section_comments.items()
        )
        if notify:
            application_notify_members(
                application=app,
                template="application_decision",
                context={
                    "decision": decision,
                    "reason": reason,
                    # Each comment under its section's title, in both languages (the mail picks the reader's).
                    "section_comments": [
                        {"section": s, "title_zh": _title_in(s, "zh-hans"), "title_en": _title_in(s, "en"), "text": t}
                        for s, t in section_comments.items()
                    ],
                    "resubmit_by": timezone.localtime(resubmit_by).strftime("%Y-%m-%d %H:%M") if resubmit_by else "",
                    "receipt_number": app.receipt_number or "",
                    "enterprise": app.official_name,
                    "cycle_zh": app.cycle.title_zh,
                    "cycle_en": app.cycle.title_en,
                    # What happens next, with the cycle's planned dates where the office has set them.
                    "material_review_due": _date_or_blank(_stage_day(app.cycle, StageKind.MATERIAL_REVIEW, "ends_on")),
                    "onsite_from": _date_or_blank(_stage_day(app.cycle, StageKind.ONSITE_REVIEW, "starts_on")),
                    "onsite_to": _date_or_blank(_stage_day(app.cycle, StageKind.ONSITE_REVIEW, "ends_on")),
                    "application_id": app.pk,
                },
            )
    return app


def _stage_day(cycle: AwardCycle, kind: str, which: str):
    """A day of the cycle's window for a stage (None where the stage is not run or not dated)."""
    stage = CycleStage.objects.filter(cycle=cycle, kind=kind).first()
    return getattr(stage, which) if stage else None


def _date_or_blank(day) -> str:
    return day.isoformat() if day else ""


def cycle_transition(
    *,
    cycle: AwardCycle,
    to: str,
    by: User | None,
    reason: str = "",
    extra_fields: dict[str, Any] | None = None,
    system: bool = False,
) -> AwardCycle:
    """Move a cycle to `to` if the cycle table (awards.workflow.CYCLE_TRANSITIONS) allows it and `by`
    runs the cycle (`system=True`: a service that checked its own permission makes the move as a
    consequence, e.g. the committee's meeting opening).

    A conditional update: of two concurrent moves from the same status one succeeds, the other gets a
    Conflict. The audit event is written in the same transaction."""
    from_status = cycle.status
    if not cycle_transition_allowed(from_status, to):
        raise NotAllowed(
            _("A cycle that is “%(from)s” cannot become “%(to)s”.")
            % {"from": CycleStatus(from_status).label, "to": CycleStatus(to).label},
            code="illegal_cycle_transition",
        )
    if not system:
        require("awards.manage_cycle", by, cycle, _("You may not change this cycle's status."))
    fields = {"status": to, **(extra_fields or {})}
    with transaction.atomic():
        if AwardCycle.objects.filter(pk=cycle.pk, status=from_status).update(**fields) == 0:
            raise Conflict(_("The cycle was changed by someone else a moment ago. Please reload the page."))
        audit_record(
            event=AuditEventType.CYCLE_STATUS_CHANGED,
            obj=cycle,
            by=by,
            payload={"from": from_status, "to": to, "reason": reason},
        )
        for name, value in fields.items():
            setattr(cycle, name, value)
    return cycle


# --- the cycle's stages --------------------------------------------------------------------------


class StagesRefused(ValidationError):
    """The configuration cannot work; `problems` says why, stage by stage (see awards/stages.py)."""

    def __init__(self, problems):
        super().__init__([p.message for p in problems], code="stages")
        self.problems = problems


def cycle_stages_set(*, cycle: AwardCycle, stages: list[StageSpec], by: User, reason: str = "") -> list[CycleStage]:
    """Configure the cycle's stages, in order, with their windows (an end counted from a length in
    calendar or working days is computed here and stored).

    Refused with the reasons when the configuration cannot work, or when a window would leave out
    what already runs in it (a review round: `stages.window_problems`). Once an application has been
    submitted the stages and their order are fixed: only the windows (and a panel's members) may
    change, with a reason, audited.
    """
    require("awards.manage_cycle", by, cycle, _("Only the award office may configure the cycle's stages."))
    specs = [s.counted() for s in stages]
    problems = stage_problems(specs) or window_problems(cycle, specs)
    if problems:
        raise StagesRefused(problems)
    with transaction.atomic():
        locked_cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        current = list(CycleStage.objects.filter(cycle=cycle).order_by("order"))
        before = [_stage_record(s) for s in current]
        locked = locked_cycle.receipts_issued > 0
        event = AuditEventType.CYCLE_STAGES_SET
        if locked:
            if [s.kind for s in current] != [s.kind for s in specs]:
                raise NotAllowed(
                    _(
                        "Applications have been submitted to this cycle: its stages are fixed, only their windows can move."  # noqa: E501
                    ),
                    code="stages_locked",
                )
            if not reason.strip():
                raise NotAllowed(_("Please give the reason for moving the windows."), code="reason_required")
            event = AuditEventType.CYCLE_STAGE_WINDOWS_MOVED
            rows = current
            for row, spec in zip(rows, specs, strict=True):
                row.starts_on, row.ends_on, row.length, row.day_count = (
                    spec.starts_on,
                    spec.ends_on,
                    spec.length,
                    spec.day_count,
                )
                row.save(update_fields=["starts_on", "ends_on", "length", "day_count"])
        else:
            CycleStage.objects.filter(cycle=cycle).delete()
            rows = [
                CycleStage.objects.create(
                    cycle=cycle,
                    kind=spec.kind,
                    order=n,
                    starts_on=spec.starts_on,
                    ends_on=spec.ends_on,
                    length=spec.length,
                    day_count=spec.day_count,
                )
                for n, spec in enumerate(specs, start=1)
            ]
        for row, spec in zip(rows, specs, strict=True):
            row.panel.set(list(spec.panel))
        audit_record(
            event=event,
            obj=cycle,
            by=by,
            payload={
                "reason": reason.strip(),
                "before": before,
                "stages": [_stage_record(s) for s in rows],
            },
        )
    return rows


def _stage_record(stage: CycleStage) -> dict[str, Any]:
    return {
        "kind": stage.kind,
        "starts_on": _date_or_blank(stage.starts_on),
        "ends_on": _date_or_blank(stage.ends_on),
        "length": stage.length,
        "day_count": stage.day_count,
    }
