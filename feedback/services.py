"""Writes for feedback reports: start, save, move through the workflow, release, correct, render.

Every change checks who may make it, changes the status with a conditional update (of two concurrent
moves exactly one wins), writes its audit event in the same transaction and sends mail and tasks
through the outbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import Application, CriteriaCategory
from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed, ServiceError
from core.mail import mail_queue
from core.models import User
from core.outbox import outbox_add_tasks
from core.rules import require
from enterprises.enums import MemberRole
from enterprises.models import EnterpriseMembership

from . import rules as R
from . import selectors
from .enums import ReportActor, ReportStatus
from .models import ACTION_MAX, REASON_MAX, TEXT_MAX, THEMES_MAX, FeedbackReport, OpportunityResponse, ReportCategory
from .workflow import EDITORS, transition_for

RENDER_TASK = "feedback.tasks.render_report"


class ReportTextError(ServiceError):
    """Text refused; `errors` maps each field name to its message, shown next to that field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Please correct the fields marked below."), code="text")
        self.errors = errors


# The event each status change of a report records.
_MOVED_TO = {
    ReportStatus.DRAFT: AuditEventType.FEEDBACK_DRAFT,
    ReportStatus.REVIEW: AuditEventType.FEEDBACK_REVIEW,
    ReportStatus.APPROVED: AuditEventType.FEEDBACK_APPROVED,
    ReportStatus.RELEASED: AuditEventType.FEEDBACK_RELEASED,
    ReportStatus.SUPERSEDED: AuditEventType.FEEDBACK_SUPERSEDED,
}


def _audit(report: FeedbackReport, by: User | None, event: AuditEventType, **payload) -> None:
    audit_record(
        event=event,
        obj=report,
        by=by,
        payload={"application": report.application_id, "version": report.version, **payload},
    )


def _category_field(prefix: str, category_id: int) -> str:
    return f"{prefix}_{category_id}"


def _check_texts(application: Application, texts: dict[str, str]) -> dict[str, str]:
    """Per field: refused for its length or for a name it contains (an expert's or another applicant's)."""
    names = selectors.forbidden_names(application)
    errors = {}
    for field, text in texts.items():
        limit = THEMES_MAX if field in ("key_themes", "site_findings") else TEXT_MAX
        if len(text) > limit:
            errors[field] = _("At most %(limit)d characters (now %(n)d).") % {"limit": limit, "n": len(text)}
            continue
        found = selectors.names_in(text, names)
        if found:
            errors[field] = _(
                "The text names %(names)s: a report never names an expert or another applicant. "
                "Please rewrite it without the name."
            ) % {"names": "、".join(f"“{n}”" for n in found)}
    return errors


def report_start(*, application: Application, by: User) -> FeedbackReport:
    """Open the application's first report as a draft for its panel leader (the leader or the office)."""
    require(R.may_start_report, by, application, _("Only the panel leader or the award office may start this report."))
    if not Application.objects.filter(pk=application.pk).filter(selectors.reached_review()).exists():
        raise NotAllowed(_("This application has not reached expert review."), code="not_reviewed")
    with transaction.atomic():
        Application.objects.select_for_update().get(pk=application.pk)  # one start at a time
        existing = FeedbackReport.objects.filter(application=application).order_by("-version").first()
        if existing is not None:
            return existing
        report = FeedbackReport.objects.create(
            application=application,
            drafted_by=by,
            release_on=selectors.default_release_date(application.cycle),
        )
        _create_categories(report)
        _audit(report, by, AuditEventType.FEEDBACK_STARTED)
    return report


def _create_categories(report: FeedbackReport, copy_from: FeedbackReport | None = None) -> None:
    old = {c.category_id: c for c in copy_from.categories.all()} if copy_from else {}
    ReportCategory.objects.bulk_create(
        [
            ReportCategory(
                report=report,
                category=c,
                strengths=old[c.pk].strengths if c.pk in old else "",
                opportunities=old[c.pk].opportunities if c.pk in old else "",
            )
            for c in CriteriaCategory.objects.filter(framework_id=report.application.cycle.framework_id)
        ]
    )
    _store_figures(report)


def _store_figures(report: FeedbackReport) -> None:
    """Band, quartile and the previous report's band, as they stand now: stored, never re-derived."""
    application = report.application
    figures = selectors.cycle_figures(application.cycle).by_application.get(application.pk, {})
    previous = selectors.previous_bands(application)
    for rc in report.categories.select_related("category"):
        f = figures.get(rc.category_id)
        rc.percent, rc.band = (f.percent, f.band) if f else (None, None)
        rc.quartile, rc.cohort = (f.quartile, f.cohort) if f else (None, None)
        rc.previous_band = previous.get(rc.category.code)
        rc.save(update_fields=["percent", "band", "quartile", "cohort", "previous_band"])


def _actor_of(by: User, report: FeedbackReport) -> str | None:
    if R.is_report_office.test(by, report):
        return ReportActor.OFFICE
    if R.is_report_leader.test(by, report):
        return ReportActor.LEADER
    return None


def report_save(
    *, report: FeedbackReport, by: User, categories: dict[int, tuple[str, str]], key_themes: str, site_findings: str
) -> FeedbackReport:
    """Save the text: the leader while a draft, the office while in review. Nothing is saved if a field is refused."""
    editor = EDITORS.get(report.status)
    if editor is None:
        raise NotAllowed(_("A released report cannot change; correct it with a new version."), code="final")
    require("feedback.edit_report", by, report, _("You may not edit this report in its present state."))
    texts = {"key_themes": key_themes, "site_findings": site_findings}
    for category_id, (strengths, opportunities) in categories.items():
        texts[_category_field("strengths", category_id)] = strengths
        texts[_category_field("opportunities", category_id)] = opportunities
    errors = _check_texts(report.application, texts)
    if errors:
        raise ReportTextError(errors)
    with transaction.atomic():
        locked = FeedbackReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != report.status:
            raise Conflict(_("Someone moved this report on meanwhile; reload the page."))
        locked.key_themes, locked.site_findings = key_themes, site_findings
        locked.save(update_fields=["key_themes", "site_findings", "updated_at"])
        for rc in locked.categories.filter(category_id__in=categories):
            rc.strengths, rc.opportunities = categories[rc.category_id]
            rc.save(update_fields=["strengths", "opportunities"])
        _audit(locked, by, AuditEventType.FEEDBACK_SAVED, status=locked.status)
    return locked


def _empty_categories(report: FeedbackReport) -> list[str]:
    return [
        rc.category.code
        for rc in report.categories.select_related("category")
        if not rc.strengths.strip() or not rc.opportunities.strip()
    ]


def _release_blockers(report: FeedbackReport) -> list[str]:
    problems = []
    empty = _empty_categories(report)
    if empty:
        problems.append(
            _("Every category needs strengths and opportunities; missing in %(codes)s.") % {"codes": ", ".join(empty)}
        )
    if not selectors.panels_complete(report.application):
        problems.append(_("The panel is not complete: every expert must have submitted a sheet."))
    return problems


def _move(report: FeedbackReport, *, to: str, by: User | None, system: bool = False, **fields) -> FeedbackReport:
    """The one conditional update of a report's status (the transition table decides who may)."""
    transition = transition_for(report.status, to)
    if transition is None:
        raise NotAllowed(
            _("A report cannot go from “%(a)s” to “%(b)s”.")
            % {"a": ReportStatus(report.status).label, "b": ReportStatus(to).label},
            code="transition",
        )
    if system:
        if ReportActor.SYSTEM not in transition.actors:
            raise NotAllowed(
                _("A report cannot go from “%(a)s” to “%(b)s”.")
                % {"a": ReportStatus(report.status).label, "b": ReportStatus(to).label},
                code="transition",
            )
    else:
        require(
            lambda user, rep: R.may_make_transition(user, rep, transition),
            by,
            report,
            _("You may not make this change to the report."),
        )
    moved = FeedbackReport.objects.filter(pk=report.pk, status=report.status).update(
        status=to, updated_at=timezone.now(), **fields
    )
    if not moved:
        raise Conflict(_("Someone changed this report meanwhile; reload the page."))
    old = report.status
    report.refresh_from_db()
    _audit(report, by, _MOVED_TO[to], **{"from": old})
    return report


def report_submit(*, report: FeedbackReport, by: User) -> FeedbackReport:
    """The panel leader hands the draft to the award office."""
    empty = _empty_categories(report)
    if empty:
        raise NotAllowed(
            _("Every category needs strengths and opportunities; missing in %(codes)s.") % {"codes": ", ".join(empty)},
            code="empty",
        )
    with transaction.atomic():
        return _move(report, to=ReportStatus.REVIEW, by=by)


def report_return(*, report: FeedbackReport, by: User, note: str) -> FeedbackReport:
    """The office sends the report back to the leader with a note."""
    note = (note or "").strip()
    if not note:
        raise ReportTextError({"office_note": _("Say what the panel leader should change.")})
    if len(note) > REASON_MAX:
        raise ReportTextError({"office_note": _("At most %(limit)d characters.") % {"limit": REASON_MAX}})
    with transaction.atomic():
        return _move(report, to=ReportStatus.DRAFT, by=by, office_note=note)


def report_approve(
    *, report: FeedbackReport, by: User, accurate: bool, actionable: bool, anonymous: bool, release_on: dt.date | None
) -> FeedbackReport:
    """The office approves after its checklist; the figures are stored as they stand at this moment."""
    errors = {}
    for field, ticked in (("accurate", accurate), ("actionable", actionable), ("anonymous", anonymous)):
        if not ticked:
            errors[field] = _("Check this before approving.")
    if errors:
        raise ReportTextError(errors)
    texts = {"key_themes": report.key_themes, "site_findings": report.site_findings}
    for rc in report.categories.all():
        texts[_category_field("strengths", rc.category_id)] = rc.strengths
        texts[_category_field("opportunities", rc.category_id)] = rc.opportunities
    errors = _check_texts(report.application, texts)
    if errors:
        raise ReportTextError(errors)
    problems = _release_blockers(report)
    if problems:
        raise NotAllowed(" ".join(problems), code="incomplete")
    release_on = release_on or report.release_on or selectors.default_release_date(report.application.cycle)
    if release_on is None:
        raise ReportTextError({"release_on": _("Set the release date: the cycle has no public notice date yet.")})
    with transaction.atomic():
        _store_figures(report)
        return _move(
            report,
            to=ReportStatus.APPROVED,
            by=by,
            checked_accurate=True,
            checked_actionable=True,
            checked_anonymous=True,
            approved_by=by,
            approved_at=timezone.now(),
            release_on=release_on,
        )


def report_reopen(*, report: FeedbackReport, by: User) -> FeedbackReport:
    with transaction.atomic():
        return _move(
            report,
            to=ReportStatus.REVIEW,
            by=by,
            checked_accurate=False,
            checked_actionable=False,
            checked_anonymous=False,
        )


def report_set_release_date(*, report: FeedbackReport, by: User, release_on: dt.date) -> FeedbackReport:
    require(R.is_report_office, by, report, _("Only the award office sets the release date."))
    if report.is_final:
        raise NotAllowed(_("This report has been released already."), code="final")
    with transaction.atomic():
        if not FeedbackReport.objects.filter(pk=report.pk, status=report.status).update(release_on=release_on):
            raise Conflict(_("Someone changed this report meanwhile; reload the page."))
        report.refresh_from_db()
        _audit(report, by, AuditEventType.FEEDBACK_RELEASE_DATE, release_on=release_on.isoformat())
    return report


def report_release(
    *, report: FeedbackReport, by: User | None, system: bool = False, today: dt.date | None = None
) -> FeedbackReport:
    """Release an approved report once its date has come: render the PDF, tell the enterprise's owners.

    A corrected version replaces the released one it corrects, which becomes superseded."""
    today = today or timezone.localdate()
    if report.release_on and report.release_on > today:
        raise NotAllowed(
            _("This report is released on %(date)s, not before.") % {"date": report.release_on.isoformat()},
            code="too_early",
        )
    problems = _release_blockers(report)
    if problems:
        raise NotAllowed(" ".join(problems), code="incomplete")
    with transaction.atomic():
        old = report.supersedes
        if old is not None:
            if not FeedbackReport.objects.filter(pk=old.pk, status=ReportStatus.RELEASED).update(
                status=ReportStatus.SUPERSEDED
            ):
                raise Conflict(_("The version this corrects is no longer the released one."))
            _audit(old, by, AuditEventType.FEEDBACK_SUPERSEDED, by_version=report.version)
        report = _move(report, to=ReportStatus.RELEASED, by=by, system=system, released_at=timezone.now())
        outbox_add_tasks(
            task_name=RENDER_TASK, kwargs_list=[{"report_id": report.pk}], cycle_id=report.application.cycle_id
        )
        _tell_owners(report, corrected=old is not None)
    return report


def reports_release_due(*, today: dt.date | None = None) -> int:
    """Release every approved report whose date has come (beat, daily). Returns how many."""
    today = today or timezone.localdate()
    n = 0
    for report in FeedbackReport.objects.filter(status=ReportStatus.APPROVED, release_on__lte=today).select_related(
        "supersedes"
    ):
        try:
            report_release(report=report, by=None, system=True, today=today)
        except ServiceError:
            continue  # e.g. a panel reopened meanwhile: the office sees it on its list
        n += 1
    return n


def _tell_owners(report: FeedbackReport, *, corrected: bool) -> None:
    application = report.application
    context = {
        "enterprise": application.official_name,
        "cycle_zh": application.cycle.title_zh,
        "cycle_en": application.cycle.title_en,
        "link": settings.SITE_URL + reverse("feedback:report", args=[report.pk]),
        "corrected": corrected,
        "reason": report.correction_reason,
        "version": report.version,
    }
    owners = EnterpriseMembership.objects.filter(
        enterprise_id=application.enterprise_id, role=MemberRole.OWNER
    ).select_related("user")
    for membership in owners:
        mail_queue(
            template="feedback_released",
            context=context,
            to_user=membership.user,
            cycle=application.cycle_id,
            programme=application.cycle.programme,
        )


def report_correct(*, report: FeedbackReport, by: User, reason: str) -> FeedbackReport:
    """Start a corrected version of a released report (the office); the released one stays until it is replaced."""
    require(R.is_report_office, by, report, _("Only the award office may correct a released report."))
    reason = (reason or "").strip()
    if not reason:
        raise ReportTextError({"reason": _("Give the reason for the correction; the enterprise is told.")})
    if len(reason) > REASON_MAX:
        raise ReportTextError({"reason": _("At most %(limit)d characters.") % {"limit": REASON_MAX}})
    if report.status != ReportStatus.RELEASED:
        raise NotAllowed(_("Only the released version can be corrected."), code="not_released")
    with transaction.atomic():
        if FeedbackReport.objects.filter(
            application_id=report.application_id,
            status__in=[ReportStatus.DRAFT, ReportStatus.REVIEW, ReportStatus.APPROVED],
        ).exists():
            raise Conflict(_("A corrected version is already being prepared."))
        new = FeedbackReport.objects.create(
            application=report.application,
            version=report.version + 1,
            status=ReportStatus.REVIEW,
            key_themes=report.key_themes,
            site_findings=report.site_findings,
            release_on=timezone.localdate(),
            supersedes=report,
            correction_reason=reason,
            drafted_by=by,
        )
        _create_categories(new, copy_from=report)
        _audit(new, by, AuditEventType.FEEDBACK_CORRECTION, reason=reason, corrects=report.pk)
    return new


def report_file_name(report: FeedbackReport) -> str:
    return f"feedback/{report.application.cycle.year}/{report.application_id}-v{report.version}.pdf"


@dataclass(frozen=True)
class Rendered:
    size: int
    checksum: str


def report_render(*, report_id: int) -> Rendered | None:
    """Render a released report's PDF (what the worker task calls); the same bytes for the same report."""
    from .pdf import report_pdf  # noqa: PLC0415 -- WeasyPrint loads only in the worker

    report = selectors.report_with_categories(report_id)
    if report is None or not report.is_final:
        return None
    data = report_pdf(report)
    name = report_file_name(report)
    if report.pdf:
        report.pdf.storage.delete(report.pdf.name)
    report.pdf.save(name.rsplit("/", 1)[-1], ContentFile(data), save=False)
    FeedbackReport.objects.filter(pk=report.pk).update(
        pdf=report.pdf.name, pdf_size=len(data), pdf_rendered_at=timezone.now()
    )
    return Rendered(len(data), hashlib.sha256(data).hexdigest())


def opportunity_responses_save(*, application: Application, by: User, answers: dict[tuple[int, int], str]) -> int:
    """A returning applicant records, per opportunity of its previous report, what it did."""
    require(
        "awards.edit_application",
        by,
        application,
        _("Only the enterprise may answer, while the application can be edited."),
    )
    report, opportunities = selectors.previous_opportunities(application)
    if report is None:
        raise NotAllowed(_("There is no previous report to answer."), code="no_previous")
    errors = {
        f"action_{o.source.pk}_{o.number}": _("At most %(limit)d characters.") % {"limit": ACTION_MAX}
        for o in opportunities
        if len(answers.get((o.source.pk, o.number), "")) > ACTION_MAX
    }
    if errors:
        raise ReportTextError(errors)
    with transaction.atomic():
        for o in opportunities:
            OpportunityResponse.objects.update_or_create(
                application=application,
                source=o.source,
                number=o.number,
                defaults={"opportunity": o.text, "action_taken": answers.get((o.source.pk, o.number), "").strip()},
            )
        audit_record(
            event=AuditEventType.FEEDBACK_OPPORTUNITIES_ANSWERED,
            obj=application,
            by=by,
            payload={"report": report.pk},
        )
    return len(opportunities)
