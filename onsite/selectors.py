"""Reads of the on-site workbench: lists filtered by role, the workbench, the findings of a visit."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from awards.enums import ApplicationStatus, CycleRole
from awards.models import Application, CriteriaItem, CycleMembership
from awards.selectors import cycles_run_by
from core.models import User
from reviews.enums import AssignmentStatus, RoundKind
from reviews.models import Assignment, Panel

from .enums import PlanEntryKind
from .models import ItemConsensus, ItemFlag, LogEvidence, PlanEntry, SiteVisit, VisitIssue, VisitLog


def _visits() -> QuerySet[SiteVisit]:
    return SiteVisit.objects.select_related("application__enterprise", "application__cycle", "panel__round")


def visits_for(user: User) -> QuerySet[SiteVisit]:
    """Visits the user works on (team) or oversees (the award office of the cycle; an admin: all)."""
    if not user.is_authenticated:
        return SiteVisit.objects.none()
    qs = _visits()
    if user.is_superuser:
        return qs.order_by("-opened_at", "pk")
    office_cycles = CycleMembership.objects.filter(user=user, role=CycleRole.SECRETARY).values("cycle_id")
    team = Assignment.objects.filter(expert=user).exclude(status=AssignmentStatus.CONFLICT).values("panel_id")
    return qs.filter(Q(application__cycle_id__in=office_cycles) | Q(panel_id__in=team)).order_by("-opened_at", "pk")


# --- loaders: one per kind, for views. The object the user may see, or Http404 (the same answer for
# "does not exist" and "not yours"); what the user may then do with it is the view's check (403).


def visit_for(*, user: User, pk: int) -> SiteVisit:
    """A visit of the user's team or of a cycle the user runs (`onsite.view_visit`)."""
    visit = _visits().filter(pk=pk).first()
    if visit is None or not user.has_perm("onsite.view_visit", visit):
        raise Http404
    return visit


def visit_summary_for(*, user: User, pk: int) -> SiteVisit:
    """A visit whose closing summary the user may read (`onsite.view_summary`: the team, the office,
    and the enterprise once the visit is closed)."""
    visit = _visits().filter(pk=pk).first()
    if visit is None or not user.has_perm("onsite.view_summary", visit):
        raise Http404
    return visit


def application_for_visit(*, user: User, pk: int) -> Application:
    """An application whose visit the user may know of: its cycle's office, or its on-site panel's
    experts (only the leader may open the visit: the service answers 403 to the others)."""
    if not user.is_authenticated:
        raise Http404
    team = (
        Assignment.objects.filter(expert=user, panel__round__kind=RoundKind.ONSITE)
        .exclude(status=AssignmentStatus.CONFLICT)
        .values("panel__application")
    )
    visible = Q(pk__in=team) | Q(cycle__in=cycles_run_by(user))
    return get_object_or_404(Application.objects.filter(visible).select_related("cycle"), pk=pk)


def visit_of_application(application: Application) -> SiteVisit | None:
    return SiteVisit.objects.filter(application=application).first()


@dataclass
class ItemRow:
    item: CriteriaItem
    issues: list[VisitIssue] = field(default_factory=list)
    consensus: ItemConsensus | None = None


@dataclass
class Workbench:
    visit: SiteVisit
    rows: list[ItemRow]
    plan: dict[str, list[PlanEntry]]
    team: list[Assignment]
    log_count: int


def workbench(visit: SiteVisit) -> Workbench:
    """Per item of the framework that has an issue or a finding: its issues with their logs and evidence,
    and the team's consensus; the plan by kind; the team. A fixed number of queries."""
    logs = VisitLog.objects.select_related("author").prefetch_related(
        Prefetch("evidence", queryset=LogEvidence.objects.order_by("pk"))
    )
    issues = list(
        VisitIssue.objects.filter(visit=visit)
        .select_related("item__category", "raised_by")
        .prefetch_related(Prefetch("logs", queryset=logs))
    )
    findings = {c.item_id: c for c in ItemConsensus.objects.filter(visit=visit).select_related("recorded_by")}
    item_ids = {i.item_id for i in issues} | set(findings)
    items = (
        CriteriaItem.objects.filter(pk__in=item_ids)
        .select_related("category")
        .order_by("category__order", "order", "code")
    )
    rows = {i.pk: ItemRow(item=i, consensus=findings.get(i.pk)) for i in items}
    for issue in issues:
        rows[issue.item_id].issues.append(issue)
    plan: dict[str, list[PlanEntry]] = {k: [] for k in PlanEntryKind.values}
    for entry in PlanEntry.objects.filter(visit=visit).order_by("starts_at", "pk"):
        plan[entry.kind].append(entry)
    team = list(
        visit.panel.assignments.exclude(status=AssignmentStatus.CONFLICT)
        .select_related("expert")
        .order_by("-is_leader", "expert__email")
    )
    return Workbench(
        visit=visit,
        rows=list(rows.values()),
        plan=plan,
        team=team,
        log_count=sum(len(i.logs.all()) for i in issues),
    )


def framework_items(visit: SiteVisit) -> QuerySet[CriteriaItem]:
    return CriteriaItem.objects.filter(category__framework_id=visit.application.cycle.framework_id).order_by(
        "category__order", "order", "code"
    )


def visit_issues(visit: SiteVisit) -> QuerySet[VisitIssue]:
    return VisitIssue.objects.filter(visit=visit).select_related("item")


def evidence_of(visit: SiteVisit, evidence_id: int) -> LogEvidence:
    ev = LogEvidence.objects.filter(pk=evidence_id, log__visit=visit).first()
    if ev is None:
        raise Http404
    return ev


def flags_for(assignment: Assignment) -> list[tuple[CriteriaItem, ItemFlag | None]]:
    """Every item of the framework with the expert's flag on it, if any (the material sheet's flag column)."""
    flags = {f.item_id: f for f in ItemFlag.objects.filter(assignment=assignment)}
    items = CriteriaItem.objects.filter(category__framework_id=assignment.panel.round.cycle.framework_id).order_by(
        "category__order", "order", "code"
    )
    return [(i, flags.get(i.pk)) for i in items]


def material_assignment_for(*, user: User, pk: int) -> Assignment:
    """The signed-in expert's own material-review assignment; anyone else's is not found."""
    assignment = (
        Assignment.objects.select_related("panel__round__cycle", "panel__application__enterprise")
        .filter(pk=pk, expert=user, panel__round__kind=RoundKind.MATERIAL)
        .first()
    )
    if assignment is None or not user.has_perm("onsite.flag_items", assignment):
        raise Http404
    return assignment


@dataclass(frozen=True)
class ItemFinding:
    code: str
    title: str
    finding: str
    finding_label: str
    text: str


@dataclass(frozen=True)
class SiteVisitFindings:
    """What the feedback report quotes of a closed visit: the closing summary and the consensus per item."""

    visit_id: int
    closed_at: object
    summary: str
    items: list[ItemFinding]


def site_visit_findings(application: Application) -> SiteVisitFindings | None:
    """The closed visit's closing summary and per-item consensus, or None while there is none."""
    visit = SiteVisit.objects.filter(application=application, closed_at__isnull=False).first()
    if visit is None:
        return None
    rows = ItemConsensus.objects.filter(visit=visit).select_related("item__category")
    return SiteVisitFindings(
        visit_id=visit.pk,
        closed_at=visit.closed_at,
        summary=visit.closing_summary,
        items=[
            ItemFinding(
                code=c.item.code,
                title=str(c.item),
                finding=c.finding,
                finding_label=c.get_finding_display(),
                text=c.text,
            )
            for c in rows
        ],
    )


def panels_to_open(user: User) -> QuerySet:
    """On-site panels of shortlisted applications without a visit yet, that the user may open
    (the award office of the cycle, an admin, or the panel's leader)."""
    if not user.is_authenticated:
        return Panel.objects.none()
    qs = Panel.objects.filter(
        round__kind=RoundKind.ONSITE,
        application__status=ApplicationStatus.ONSITE_REVIEW,
        site_visit__isnull=True,
    ).select_related("application__enterprise", "round__cycle")
    if user.is_superuser:
        return qs.order_by("pk")
    office_cycles = CycleMembership.objects.filter(user=user, role=CycleRole.SECRETARY).values("cycle_id")
    led = Assignment.objects.filter(expert=user, is_leader=True).exclude(status=AssignmentStatus.CONFLICT)
    return qs.filter(Q(round__cycle_id__in=office_cycles) | Q(pk__in=led.values("panel_id"))).order_by("pk")


def onsite_panel_of(application: Application) -> Panel | None:
    return (
        Panel.objects.filter(application=application, round__kind=RoundKind.ONSITE)
        .select_related("round__cycle", "application")
        .first()
    )
