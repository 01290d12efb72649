"""Writes for expert review. Each checks permission, changes state in one transaction with its audit
event, and queues mails on commit. Application status changes go through application_transition."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import ApplicationStatus, CycleRole
from awards.models import Application, AwardCycle, CriteriaItem, CycleMembership
from awards.rules import is_admin
from awards.services import application_transition
from awards.workflow import next_review_status
from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed
from core.mail import mail_queue
from core.models import User
from core.rules import require
from core.text import TEXT_LONG, TEXT_MEDIUM, join_list

from . import panel_scores, selectors
from .assignment import Plan, assign_panels, hard_conflict
from .enums import AssignmentStatus, RankingBasis, RoundKind, SheetStatus
from .models import (
    Assignment,
    CategoryFeedback,
    Consensus,
    DeclaredConflict,
    ExpertProfile,
    ExpertRating,
    ItemScore,
    Panel,
    PastClient,
    RankingDecision,
    ReviewRound,
    ScoreSheet,
)
from .record_selectors import rater_role
from .rules import is_own_assignment, is_self
from .scoring import parse_percent
from .selectors import cycle_ranking, panel_detail
from .stage_windows import round_outside, round_stage

SHEET_TEXT_MAX = TEXT_LONG  # each strengths / opportunities box and the overall comment
RATING_NOTE_MAX = TEXT_MEDIUM  # the optional note of an expert's rating

# What the secretary's decision leads to (what each round takes as input: selectors.ROUND_INPUT).
ROUND_INPUT = selectors.ROUND_INPUT
round_applications = selectors.round_applications
ROUND_DECISION = {
    RoundKind.MATERIAL: (ApplicationStatus.MATERIAL_REVIEW, ApplicationStatus.ONSITE_REVIEW),
    RoundKind.ONSITE: (ApplicationStatus.ONSITE_REVIEW, ApplicationStatus.NOMINATED),
}


def _secretaries(cycle_id: int):
    return User.objects.filter(cycle_memberships__cycle_id=cycle_id, cycle_memberships__role=CycleRole.SECRETARY)


# ---------------------------------------------------------------- expert pool


def expert_profile_save(
    *,
    user: User,
    by: User,
    title: str,
    employer: str,
    employer_credit_code: str,
    industries: Sequence[str],
    district: str,
    past_clients: Sequence[tuple[str, str]],
    time_zone: str | None = None,
) -> ExpertProfile:
    """An expert keeps their own profile; the office (or an admin) may keep anyone's.
    `time_zone` None keeps the one on record."""
    require(is_self | is_admin, by, user, _("You may not do this."))
    with transaction.atomic():
        profile, _created = ExpertProfile.objects.get_or_create(user=user)
        profile.title, profile.employer = title, employer
        profile.employer_credit_code = employer_credit_code.upper()
        profile.industries, profile.district = sorted(set(industries)), district
        if time_zone is not None:
            try:
                zoneinfo.ZoneInfo(time_zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
                raise NotAllowed(_("“%(zone)s” is not a known time zone.") % {"zone": time_zone}) from exc
            profile.time_zone = time_zone
        profile.save()
        profile.past_clients.all().delete()
        PastClient.objects.bulk_create(
            [
                PastClient(profile=profile, credit_code=code.upper(), name=name)
                for code, name in dict(past_clients).items()
            ]
        )
        audit_record(
            event=AuditEventType.EXPERT_PROFILE_SAVED,
            obj=profile,
            by=by,
            payload={"profile": "saved", "clients": sorted(c for c, _n in past_clients)},
        )
    return profile


def expert_invite_new(*, cycle: AwardCycle, email: str, full_name: str, by: User) -> CycleMembership:
    """Open an account for an expert who is not in the system yet, put them in the pool and invite them."""
    require("reviews.manage_reviews", by, cycle, _("You may not do this."))
    email = User.objects.normalize_email(email).lower()
    with transaction.atomic():
        expert = User.objects.filter(email__iexact=email).first()
        if expert is None:
            # A random password nobody knows: usable, so that Django's password reset (the way the
            # invitation tells the expert to choose one) works for this account.
            expert = User.objects.create_user(
                email=email, password=secrets.token_urlsafe(32), full_name=full_name.strip()
            )
            audit_record(
                event=AuditEventType.EXPERT_ACCOUNT_OPENED,
                obj=expert,
                by=by,
                payload={"account": "opened for an expert"},
            )
        return expert_invite(cycle=cycle, expert=expert, by=by)


def expert_invite(*, cycle: AwardCycle, expert: User, by: User) -> CycleMembership:
    """Make a pool expert a member of the cycle and tell them by e-mail. Harmless when repeated."""
    require("reviews.manage_reviews", by, cycle, _("You may not do this."))
    applicant_of = expert.enterprise_memberships.select_related("enterprise").first()
    if applicant_of is not None:
        raise NotAllowed(
            _("%(name)s is a member of the applicant enterprise %(enterprise)s and cannot be an expert.")
            % {"name": expert, "enterprise": applicant_of.enterprise},
            code="applicant",
        )
    with transaction.atomic():
        membership, created = CycleMembership.objects.get_or_create(cycle=cycle, user=expert, role=CycleRole.EXPERT)
        if created:
            ExpertProfile.objects.get_or_create(user=expert)
            audit_record(
                event=AuditEventType.EXPERT_INVITED, obj=membership, by=by, payload={"role": "expert", "invited": True}
            )
            mail_queue(
                template="reviews/invitation",
                to_user=expert,
                context={"cycle": cycle.title_zh, "cycle_en": cycle.title_en, "cycle_id": cycle.pk},
                programme=cycle.programme,
            )
    return membership


# ---------------------------------------------------------------- rounds


def round_save(*, cycle: AwardCycle, kind: str, opens_at: dt.datetime, closes_at: dt.datetime, by: User) -> ReviewRound:
    """Set a round's scoring window; it must lie inside its stage's window where the cycle dates
    that stage (refused with the reason, code "opens_outside_stage" or "closes_outside_stage")."""
    require("reviews.manage_reviews", by, cycle, _("You may not do this."))
    if closes_at <= opens_at:
        raise NotAllowed(_("A round must close after it opens."), code="window")
    outside = round_outside(round_stage(cycle, kind), opens_at, closes_at)
    if outside:
        end, message = outside
        raise NotAllowed(message, code=f"{end}_outside_stage")
    with transaction.atomic():
        rnd, created = ReviewRound.objects.update_or_create(
            cycle=cycle, kind=kind, defaults={"opens_at": opens_at, "closes_at": closes_at}
        )
        audit_record(
            event=AuditEventType.REVIEW_ROUND_SET,
            obj=rnd,
            by=by,
            payload={"round": kind, "opens_at": opens_at, "closes_at": closes_at, "created": created},
        )
    return rnd


# ---------------------------------------------------------------- panels


def _open_for_round(*, application: Application, rnd: ReviewRound, by: User | None, system: bool = False) -> None:
    """Setting up a material panel starts the material review of an eligible application."""
    if rnd.kind == RoundKind.MATERIAL and application.status == ApplicationStatus.ELIGIBLE:
        application_transition(
            application=application,
            to_status=ApplicationStatus.MATERIAL_REVIEW,
            by=by,
            payload={"round": rnd.pk},
            system=system,
        )
    elif application.status not in ROUND_INPUT[rnd.kind]:
        raise NotAllowed(
            _("“%(app)s” is “%(status)s” and cannot be reviewed in this round.")
            % {"app": application.enterprise, "status": application.get_status_display()},
            code="wrong_status",
        )


def deadline_for(expert: User, value: dt.datetime) -> dict[str, str]:
    """A deadline written for one expert: the time in their time zone (their profile's; China
    Standard Time without one), the zone's name and its offset from UTC."""
    profile = ExpertProfile.objects.filter(user=expert).only("time_zone").first()
    zone = zoneinfo.ZoneInfo(profile.time_zone if profile and profile.time_zone else settings.TIME_ZONE)
    local = value.astimezone(zone)
    offset = local.strftime("%z")
    return {"at": local.strftime("%Y-%m-%d %H:%M"), "zone": zone.key, "offset": f"UTC{offset[:3]}:{offset[3:]}"}


def _notify_assigned(assignment_ids: list[int]) -> None:
    for a in Assignment.objects.filter(pk__in=assignment_ids).select_related(
        "expert", "panel__round__cycle__programme", "panel__application__enterprise"
    ):
        mail_queue(
            template="reviews/assigned",
            to_user=a.expert,
            programme=a.panel.round.cycle.programme,
            context={
                "assignment_id": a.pk,
                "enterprise": a.panel.application.official_name,
                "round_kind": a.panel.round.kind,
                "closes_at": a.panel.round.closes_at.isoformat(),
                "deadline": deadline_for(a.expert, a.panel.round.closes_at),
                "is_leader": a.is_leader,
            },
        )


def panel_set(*, rnd: ReviewRound, application: Application, experts: Sequence[User], leader: User, by: User) -> Panel:
    """Set a panel by hand. Hard conflicts are refused; members with a submitted sheet stay."""
    require("reviews.manage_reviews", by, rnd, _("You may not do this."))
    if application.cycle_id != rnd.cycle_id:
        raise NotAllowed(_("This application belongs to another cycle."), code="cycle")
    expert_ids = {e.pk for e in experts}
    if leader.pk not in expert_ids:
        raise NotAllowed(_("The panel leader must be one of the panel's experts."), code="leader")
    pool = {c.id: c for c in selectors.expert_candidates(rnd)}
    request = selectors.panel_request_for(application)
    for e in experts:
        if e.pk not in pool:
            raise NotAllowed(_("%(name)s is not an expert of this cycle.") % {"name": e}, code="not_expert")
        if hard_conflict(pool[e.pk], request):
            raise NotAllowed(
                _("%(name)s has a conflict of interest with this enterprise and cannot be assigned.") % {"name": e},
                code="conflict",
            )
    if len(expert_ids) < rnd.cycle.experts_per_panel:
        raise NotAllowed(
            _("A panel needs at least %(n)s experts; %(k)s were chosen.")
            % {"n": rnd.cycle.experts_per_panel, "k": len(expert_ids)},
            code="size",
        )
    with transaction.atomic():
        panel, _created = Panel.objects.get_or_create(round=rnd, application=application)
        current = {a.expert_id: a for a in panel.assignments.select_related("sheet").all()}
        for expert_id, a in current.items():
            if expert_id in expert_ids or a.status == AssignmentStatus.CONFLICT:
                continue
            sheet = getattr(a, "sheet", None)
            if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
                raise NotAllowed(
                    _("%(name)s has already submitted a sheet and cannot be removed.") % {"name": a.expert},
                    code="submitted",
                )
            a.delete()
        Assignment.objects.filter(panel=panel, is_leader=True).exclude(expert=leader).update(is_leader=False)
        new_ids = []
        for e in experts:
            a = current.get(e.pk)
            if a is None:
                a = Assignment.objects.create(panel=panel, expert=e, is_leader=e.pk == leader.pk)
                new_ids.append(a.pk)
            elif a.status == AssignmentStatus.CONFLICT:
                raise NotAllowed(_("%(name)s declared a conflict with this enterprise.") % {"name": e}, code="conflict")
            elif a.is_leader != (e.pk == leader.pk):
                Assignment.objects.filter(pk=a.pk).update(is_leader=e.pk == leader.pk)
        _open_for_round(application=application, rnd=rnd, by=by)
        audit_record(
            event=AuditEventType.REVIEW_ASSIGNMENT,
            obj=panel,
            by=by,
            payload={"experts": sorted(expert_ids), "leader": leader.pk, "mode": "manual"},
        )
        _notify_assigned(new_ids)
    return panel


def panels_auto_assign(*, rnd: ReviewRound, by: User, seed: int = 0) -> Plan:
    """Fill every panel of the round that is not full; return the plan with what it could not meet."""
    require("reviews.manage_reviews", by, rnd, _("You may not do this."))
    size = rnd.cycle.experts_per_panel
    apps = list(round_applications(rnd))
    existing: dict[int, list[int]] = {}
    for app_id, expert_id in (
        Assignment.objects.filter(panel__round=rnd, panel__application__in=apps)
        .exclude(status=AssignmentStatus.CONFLICT)
        .values_list("panel__application_id", "expert_id")
    ):
        existing.setdefault(app_id, []).append(expert_id)
    requests = [selectors.panel_request_for(a, existing.get(a.pk, ())) for a in apps]
    plan = assign_panels(requests, selectors.expert_candidates(rnd), size=size, seed=seed)
    by_app = {a.pk: a for a in apps}
    new_ids: list[int] = []
    with transaction.atomic():
        for app_id, expert_ids in plan.panels.items():
            if not expert_ids:
                continue
            panel, _c = Panel.objects.get_or_create(round=rnd, application_id=app_id)
            has_leader = panel.assignments.filter(is_leader=True).exclude(status=AssignmentStatus.CONFLICT).exists()
            leader = None if has_leader else plan.leaders.get(app_id, expert_ids[0])
            for expert_id in expert_ids:
                a = Assignment.objects.create(panel=panel, expert_id=expert_id, is_leader=expert_id == leader)
                new_ids.append(a.pk)
            _open_for_round(application=by_app[app_id], rnd=rnd, by=by)
        audit_record(
            event=AuditEventType.REVIEW_ASSIGNMENT,
            obj=rnd,
            by=by,
            payload={
                "mode": "automatic",
                "seed": seed,
                "panels": {str(k): v for k, v in plan.panels.items() if v},
                "problems": [p.code for p in plan.problems],
            },
        )
        _notify_assigned(new_ids)
    return plan


# ---------------------------------------------------------------- conflict declaration


def assignment_declare(*, assignment: Assignment, by: User, conflict: bool, reason: str = "") -> Assignment:
    """The expert declares, before seeing any material, that they have no conflict or one (with a reason).

    A conflict releases the assignment, records the conflict for future assignments and tells the
    secretaries; a released leader's role passes to the next member.
    """
    require(is_own_assignment, by, assignment, _("You may not do this."))
    if assignment.status != AssignmentStatus.PENDING:
        raise NotAllowed(_("You have already made your declaration for this application."), code="declared")
    if conflict and not reason.strip():
        raise NotAllowed(_("Please say what ties you to this enterprise."), code="reason_required")
    target = AssignmentStatus.CONFLICT if conflict else AssignmentStatus.ACCEPTED
    now = timezone.now()
    was_leader = assignment.is_leader
    with transaction.atomic():
        updated = Assignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.PENDING).update(
            status=target,
            declared_at=now,
            conflict_reason=reason.strip() if conflict else "",
            is_leader=False if conflict else assignment.is_leader,
        )
        if not updated:
            raise Conflict(_("Your declaration was already recorded. Please reload the page."))
        assignment.refresh_from_db()
        panel = assignment.panel
        released_elsewhere, submitted_elsewhere = [], []
        if conflict:
            application = panel.application
            DeclaredConflict.objects.get_or_create(
                expert=by, enterprise_id=application.enterprise_id, defaults={"reason": reason.strip()}
            )
            # The same tie holds in every round: release the expert's other unsubmitted assignments for
            # this enterprise; submitted ones are the office's to judge (they are named in the e-mail).
            others = (
                Assignment.objects.filter(expert=by, panel__application__enterprise_id=application.enterprise_id)
                .exclude(pk=assignment.pk)
                .exclude(status=AssignmentStatus.CONFLICT)
                .select_related("panel__round", "sheet")
            )
            for other in others:
                sheet = getattr(other, "sheet", None)
                submitted = sheet is not None and sheet.status == SheetStatus.SUBMITTED
                (submitted_elsewhere if submitted else released_elsewhere).append(other)
            Assignment.objects.filter(pk__in=[a.pk for a in released_elsewhere]).update(
                status=AssignmentStatus.CONFLICT, declared_at=now, conflict_reason=reason.strip(), is_leader=False
            )
            for released in [assignment, *released_elsewhere]:
                if released.is_leader or (released.pk == assignment.pk and was_leader):
                    successor = (
                        released.panel.assignments.exclude(status=AssignmentStatus.CONFLICT).order_by("pk").first()
                    )
                    if successor is not None:
                        Assignment.objects.filter(pk=successor.pk).update(is_leader=True)
            for secretary in _secretaries(panel.round.cycle_id):
                mail_queue(
                    template="reviews/conflict_declared",
                    to_user=secretary,
                    programme=panel.round.cycle.programme,
                    context={
                        "expert": str(by),
                        "enterprise": application.official_name,
                        "reason": reason.strip(),
                        "round_id": panel.round_id,
                        "cycle_id": panel.round.cycle_id,
                        # Round kinds (codes): the mail is written in each secretary's own language.
                        "also_released": [a.panel.round.kind for a in released_elsewhere],
                        "submitted_elsewhere": [a.panel.round.kind for a in submitted_elsewhere],
                    },
                )
        audit_record(
            event=AuditEventType.REVIEW_CONFLICT,
            obj=assignment,
            by=by,
            payload={
                "conflict": conflict,
                "reason": reason.strip(),
                "panel": panel.pk,
                "also_released": [a.pk for a in released_elsewhere],
                "submitted_elsewhere": [a.pk for a in submitted_elsewhere],
            },
        )
    return assignment


# ---------------------------------------------------------------- score sheets


def _check_can_score(assignment: Assignment, by: User) -> None:
    require(is_own_assignment, by, assignment, _("You are not assigned to score this application."))
    if assignment.status == AssignmentStatus.CONFLICT:
        raise NotAllowed(
            _("You declared a conflict of interest with this enterprise and can no longer score it."), code="conflict"
        )
    if assignment.status == AssignmentStatus.PENDING:
        raise NotAllowed(_("Please declare your conflicts of interest before scoring."), code="not_declared")
    rnd = assignment.panel.round
    now = timezone.now()
    if now < rnd.opens_at:
        raise NotAllowed(_("Scoring for this round has not opened yet."), code="not_open")
    if now >= rnd.closes_at:
        raise NotAllowed(
            _("Scoring for this round closed on %(date)s.") % {"date": _local(rnd.closes_at)}, code="closed"
        )


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


class ScoreErrors(NotAllowed):
    """Some entered scores are invalid; `errors` maps item id → message."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(_("Some scores are not valid: please correct the marked items."), code="invalid_scores")
        self.errors = errors


def sheet_save(
    *,
    assignment: Assignment,
    by: User,
    scores: Mapping[int, object],
    feedback: Mapping[int, tuple[str, str]] | None = None,
    overall_comment: str | None = None,
) -> ScoreSheet:
    """Save a draft: any subset of items (a blank clears an item), feedback per category, the comment."""
    _check_can_score(assignment, by)
    items = {
        i.pk: i for i in CriteriaItem.objects.filter(category__framework_id=assignment.panel.round.cycle.framework_id)
    }
    errors: dict[int, str] = {}
    parsed: dict[int, int | None] = {}
    for item_id, raw in scores.items():
        if item_id not in items:
            continue
        try:
            parsed[item_id] = parse_percent(raw)
        except ValueError as exc:
            errors[item_id] = str(exc)
    if errors:
        raise ScoreErrors(errors)
    texts = [t for pair in (feedback or {}).values() for t in pair] + [overall_comment or ""]
    if any(len(t.strip()) > SHEET_TEXT_MAX for t in texts):
        raise NotAllowed(
            _("Each strengths, opportunities and comment box holds at most %(n)s characters.") % {"n": SHEET_TEXT_MAX},
            code="too_long",
        )
    with transaction.atomic():
        sheet, _created = ScoreSheet.objects.get_or_create(assignment=assignment)
        sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.status != SheetStatus.DRAFT:
            raise NotAllowed(
                _("This sheet was submitted and is locked. Only the award office can reopen it."), code="locked"
            )
        for item_id, value in parsed.items():
            if value is None:
                ItemScore.objects.filter(sheet=sheet, item_id=item_id).delete()
            else:
                ItemScore.objects.update_or_create(sheet=sheet, item_id=item_id, defaults={"percent": value})
        for category_id, (strengths, opportunities) in (feedback or {}).items():
            CategoryFeedback.objects.update_or_create(
                sheet=sheet,
                category_id=category_id,
                defaults={"strengths": strengths.strip(), "opportunities": opportunities.strip()},
            )
        if overall_comment is not None:
            sheet.overall_comment = overall_comment.strip()
        sheet.save()
    return sheet


def sheet_missing_items(sheet: ScoreSheet | None, framework_id: int) -> list[CriteriaItem]:
    scored = set(sheet.scores.values_list("item_id", flat=True)) if sheet is not None else set()
    return [
        i
        for i in CriteriaItem.objects.filter(category__framework_id=framework_id).order_by("category__order", "order")
        if i.pk not in scored
    ]


class IncompleteSheet(NotAllowed):
    def __init__(self, missing: list[CriteriaItem]):
        codes = join_list(i.code for i in missing)
        super().__init__(
            _("The sheet is not complete. Please score these items: %(items)s.") % {"items": codes}, code="incomplete"
        )
        self.missing = missing


def sheet_submit(*, assignment: Assignment, by: User) -> ScoreSheet:
    """Check completeness and lock the sheet. Of two concurrent submits exactly one wins."""
    _check_can_score(assignment, by)
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    missing = sheet_missing_items(sheet, assignment.panel.round.cycle.framework_id)
    if missing:
        raise IncompleteSheet(missing)
    now = timezone.now()
    with transaction.atomic():
        updated = ScoreSheet.objects.filter(pk=sheet.pk, status=SheetStatus.DRAFT).update(
            status=SheetStatus.SUBMITTED, submitted_at=now, updated_at=now
        )
        if not updated:
            raise Conflict(_("This sheet has already been submitted."))
        sheet.refresh_from_db()
        panel_scores.refresh(panel_ids=[assignment.panel_id])
        audit_record(
            event=AuditEventType.SHEET_SUBMITTED,
            obj=sheet,
            by=by,
            payload={"scores": dict(sheet.scores.values_list("item__code", "percent"))},
        )
    return sheet


def sheet_reopen(*, sheet: ScoreSheet, by: User, reason: str) -> ScoreSheet:
    """Only the award office reopens a submitted sheet, and always with a reason."""
    require("reviews.manage_reviews", by, sheet, _("You may not do this."))
    if not reason.strip():
        raise NotAllowed(_("Please give a reason for reopening the sheet."), code="reason_required")
    with transaction.atomic():
        updated = ScoreSheet.objects.filter(pk=sheet.pk, status=SheetStatus.SUBMITTED).update(
            status=SheetStatus.DRAFT, submitted_at=None, updated_at=timezone.now()
        )
        if not updated:
            raise NotAllowed(_("Only a submitted sheet can be reopened."), code="not_submitted")
        sheet.refresh_from_db()
        panel_scores.refresh(panel_ids=[sheet.assignment.panel_id])
        audit_record(event=AuditEventType.SHEET_REOPENED, obj=sheet, by=by, payload={"reason": reason.strip()})
        mail_queue(
            template="reviews/sheet_reopened",
            to_user=sheet.assignment.expert,
            programme=sheet.assignment.panel.round.cycle.programme,
            context={
                "assignment_id": sheet.assignment_id,
                "enterprise": sheet.assignment.panel.application.official_name,
                "reason": reason.strip(),
            },
        )
    return sheet


# ---------------------------------------------------------------- consensus


def consensus_record(*, panel: Panel, item: CriteriaItem, percent, rationale: str, by: User) -> Consensus:
    """The panel leader records the agreed score of a flagged item, once every member has submitted."""

    require("reviews.record_consensus", by, panel, _("You may not do this."))
    value = parse_percent(percent)
    if value is None:
        raise NotAllowed(_("Enter the consensus percentage."), code="percent_required")
    if not rationale.strip():
        raise NotAllowed(_("Please record the rationale the panel agreed on."), code="rationale_required")
    detail = panel_detail(panel=panel)
    if not detail.all_submitted:
        raise NotAllowed(_("Consensus comes after every member has submitted their sheet."), code="not_all_submitted")
    row = next((r for r in detail.items if r.item.pk == item.pk), None)
    if row is None or not row.flagged:
        raise NotAllowed(_("Only items flagged for their spread need a consensus score."), code="not_flagged")
    with transaction.atomic():
        try:
            consensus, _created = Consensus.objects.update_or_create(
                panel=panel,
                item=item,
                defaults={
                    "percent": value,
                    "rationale": rationale.strip(),
                    "recorded_by": by,
                    "recorded_at": timezone.now(),
                },
            )
        except IntegrityError:
            raise Conflict(_("Someone recorded this consensus a moment ago. Please reload the page."))
        panel_scores.refresh(panel_ids=[panel.pk])
        audit_record(
            event=AuditEventType.CONSENSUS_RECORDED,
            obj=panel,
            by=by,
            payload={"item": item.code, "percent": value, "rationale": rationale.strip()},
        )
    return consensus


# ---------------------------------------------------------------- decisions on the ranking


def ranking_decide(
    *, cycle: AwardCycle, kind: str, by: User, top_n: int | None = None, threshold=None
) -> tuple[list[Application], list[Application]]:
    """Shortlist for on-site review (material round) or nominate for the committee (on-site round).

    The top N (or those at or above a score threshold) of the round's ranking move on; the others
    of the round become “not approved”. Every panel of the round must be complete first. Where the
    cycle weights the presentation, the ranking and the threshold use the score with the
    presentation weighted in (`RankingRow.decisive`). Each application's rank, scores, the weight
    counted and the score decided on are stored (`RankingDecision`) with the decision.
    """

    require("reviews.manage_reviews", by, cycle, _("You may not do this."))
    if (top_n is None) == (threshold is None):
        raise NotAllowed(_("Choose either the top N or a score threshold."), code="choice")
    source, target = ROUND_DECISION[kind]
    # The stage that follows in this cycle's order (awards/workflow.py derives it from its stages).
    target = next_review_status(source, cycle.stage_kinds())
    rows = [r for r in cycle_ranking(cycle=cycle, basis=RankingBasis(kind)) if r.application.status == source]
    if not rows:
        raise NotAllowed(_("No application is waiting for this decision."), code="empty")
    incomplete = [r for r in rows if not r.complete.get(kind)]
    if incomplete:
        raise NotAllowed(
            _("These applications do not have a complete panel score yet: %(names)s.")
            % {"names": join_list(r.enterprise for r in incomplete)},
            code="incomplete",
        )
    if top_n is not None:
        chosen = rows[:top_n]
    else:
        chosen = [r for r in rows if r.decisive is not None and r.decisive >= threshold]
    chosen_ids = {r.application.pk for r in chosen}
    moved, dropped = [], []
    rule = {"top_n": top_n} if top_n is not None else {"threshold": str(threshold)}
    if target == ApplicationStatus.ONSITE_REVIEW:
        # The shortlisted enterprise's mail gives the on-site round's dates (China Standard Time).
        onsite = ReviewRound.objects.filter(cycle=cycle, kind=RoundKind.ONSITE).first()
        if onsite is not None:
            rule = {**rule, "onsite_from": _local(onsite.opens_at), "onsite_to": _local(onsite.closes_at)}
    now = timezone.now()
    with transaction.atomic():
        for r in rows:
            to = target if r.application.pk in chosen_ids else ApplicationStatus.NOT_APPROVED
            weighted = r.with_presentation is not None
            decision, _created = RankingDecision.objects.update_or_create(
                application=r.application,
                kind=kind,
                defaults={
                    "cycle": cycle,
                    "rank": r.rank,
                    "material": r.material,
                    "onsite": r.onsite,
                    "combined": r.combined,
                    "panel_score": r.score(kind),
                    "presentation_mean": r.presentation.mean if r.presentation else None,
                    "presentation_scale": r.presentation.scale_max if r.presentation else None,
                    "presentation_weight": r.presentation.weight if weighted else 0,
                    "score": r.decisive,
                    "moved_on": to == target,
                    "decided_by": by,
                    "decided_at": now,
                },
            )
            payload = {"round": kind, "rank": r.rank, "score": str(r.score(kind)), **rule}
            if weighted:
                payload |= {"presentation_weight": decision.presentation_weight, "with_presentation": str(r.decisive)}
            app = application_transition(application=r.application, to_status=to, by=by, payload=payload)
            (moved if to == target else dropped).append(app)
    return moved, dropped


# ---------------------------------------------------------------- reminders


def reminders_send(*, now: dt.datetime | None = None, days: int = 3) -> int:
    """Mail every expert whose sheets are due within `days` or overdue: one mail per expert and award
    programme, signed by that programme's office (an expert of the provincial pool may sit on panels of
    several). Returns the number of mails."""
    now = now or timezone.now()
    due = (
        Assignment.objects.exclude(status=AssignmentStatus.CONFLICT)
        .exclude(sheet__status=SheetStatus.SUBMITTED)
        .filter(panel__round__opens_at__lte=now, panel__round__closes_at__lte=now + dt.timedelta(days=days))
        .filter(panel__application__status__in=[ApplicationStatus.MATERIAL_REVIEW, ApplicationStatus.ONSITE_REVIEW])
        .select_related("expert", "panel__round__cycle__programme", "panel__application__enterprise")
        .order_by("expert_id", "panel__round__cycle__programme_id", "panel__round__closes_at")
    )
    per_mail: dict[tuple[int, int], list[Assignment]] = {}
    for a in due:
        per_mail.setdefault((a.expert_id, a.panel.round.cycle.programme_id), []).append(a)
    for items in per_mail.values():
        mail_queue(
            template="reviews/reminder",
            to_user=items[0].expert,
            programme=items[0].panel.round.cycle.programme,
            context={
                "items": [
                    {
                        "assignment_id": a.pk,
                        "enterprise": a.panel.application.official_name,
                        "closes_at": "{at} ({zone}, {offset})".format(
                            **deadline_for(a.expert, a.panel.round.closes_at)
                        ),
                        "overdue": a.panel.round.closes_at <= now,
                        "declared": a.status == AssignmentStatus.ACCEPTED,
                    }
                    for a in items
                ]
            },
        )
    return len(per_mail)


# ---------------------------------------------------------------- the expert record


def expert_rate(
    *,
    rnd: ReviewRound,
    expert: User,
    by: User,
    timeliness: int,
    comments: int,
    conduct: int,
    note: str = "",
) -> ExpertRating:
    """Rate one expert's work in a round (1–5 each), once the round has closed or the expert has
    submitted every sheet of it. Rating again replaces the rater's earlier rating (audited)."""
    role = rater_role(rnd=rnd, expert=expert, by=by)
    require(lambda _by, _rnd: role is not None, by, rnd, _("You may not do this."))
    values = {"timeliness": timeliness, "comments": comments, "conduct": conduct}
    if any(v not in range(1, 6) for v in values.values()):
        raise NotAllowed(_("Each rating is a whole number from 1 to 5."), code="scale")
    note = (note or "").strip()
    if len(note) > RATING_NOTE_MAX:
        raise NotAllowed(
            _("The note is %(n)d characters long; at most %(max)d are allowed.")
            % {"n": len(note), "max": RATING_NOTE_MAX},
            code="note_length",
        )
    open_sheets = (
        Assignment.objects.filter(panel__round=rnd, expert=expert)
        .exclude(status=AssignmentStatus.CONFLICT)
        .exclude(sheet__status=SheetStatus.SUBMITTED)
    )
    if rnd.closes_at > timezone.now() and open_sheets.exists():
        raise NotAllowed(
            _("The expert can be rated once the round has closed or every one of their sheets is submitted."),
            code="too_early",
        )
    with transaction.atomic():
        rating, created = ExpertRating.objects.update_or_create(
            round=rnd,
            expert=expert,
            rated_by=by,
            defaults={**values, "note": note, "rater_role": role, "rated_at": timezone.now()},
        )
        audit_record(
            event=AuditEventType.EXPERT_RATED if created else AuditEventType.EXPERT_RERATED,
            obj=rating,
            by=by,
            payload={"as": role, **values},
        )
    return rating
