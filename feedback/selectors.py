"""Reads for feedback reports: figures, the experts' comments as material, lists by role."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from awards.enums import CycleRole
from awards.models import Application, AwardCycle, CriteriaCategory
from awards.selectors import cycles_run_by
from committee.models import PublicNotice
from core.models import User
from enterprises.models import EnterpriseMembership
from reviews import selectors as review_selectors
from reviews.enums import AssignmentStatus, SheetStatus
from reviews.models import Assignment, CategoryFeedback, ScoreSheet

from . import figures
from .enums import ReportStatus
from .models import FeedbackReport, OpportunityResponse, ReportCategory

READABLE_BY_ENTERPRISE = (ReportStatus.RELEASED, ReportStatus.SUPERSEDED)


def reached_review() -> Q:
    """Applications with at least one submitted score sheet: they reached expert review."""
    sheets = ScoreSheet.objects.filter(
        assignment__panel__application=OuterRef("pk"), status=SheetStatus.SUBMITTED
    ).exclude(assignment__status=AssignmentStatus.CONFLICT)
    return Q(Exists(sheets))


def reviewed_applications(cycle: AwardCycle) -> QuerySet[Application]:
    return (
        Application.objects.filter(cycle=cycle)
        .filter(reached_review())
        .select_related("enterprise", "cycle")
        .order_by("record_name_zh", "pk")
    )


@dataclass(frozen=True)
class CategoryFigure:
    points: Decimal
    percent: int
    band: int
    quartile: int
    cohort: int


@dataclass(frozen=True)
class CycleFigures:
    by_application: dict[int, dict[int, CategoryFigure]]  # application → category id → figure
    complete: dict[int, bool]  # application → every panel complete


def cycle_figures(cycle: AwardCycle) -> CycleFigures:
    """Per application and category: band and quartile, from each application's latest round (on-site
    where held, else material), as the committee's category averages count it. Constant queries."""
    scores = review_selectors.cycle_panel_scores(cycle=cycle)
    latest: dict[int, review_selectors.PanelScore] = {}
    complete: dict[int, bool] = defaultdict(lambda: True)
    order = review_selectors.ROUND_ORDER
    for s in sorted(scores.values(), key=lambda s: order.index(s.kind)):
        latest[s.application_id] = s
        complete[s.application_id] = complete[s.application_id] and s.complete
    categories = list(CriteriaCategory.objects.filter(framework_id=cycle.framework_id).values("pk", "code", "points"))
    cohort: dict[str, list[Decimal]] = {
        c["code"]: [s.categories[c["code"]] for s in latest.values() if c["code"] in s.categories] for c in categories
    }
    result: dict[int, dict[int, CategoryFigure]] = {}
    for app_id, s in latest.items():
        per: dict[int, CategoryFigure] = {}
        for c in categories:
            value = s.categories.get(c["code"])
            if value is None:
                continue
            pct = figures.category_percent(value, c["points"])
            per[c["pk"]] = CategoryFigure(
                value,
                pct,
                figures.band_of(pct),
                figures.quartile(value, cohort[c["code"]]),
                len(cohort[c["code"]]),
            )
        result[app_id] = per
    return CycleFigures(result, dict(complete))


def panels_complete(application: Application) -> bool:
    """Every panel of the application has all its experts' sheets (and at least the panel size)."""
    scores = list(review_selectors.cycle_panel_scores(cycle=application.cycle).values())
    own = [s for s in scores if s.application_id == application.pk]
    return bool(own) and all(s.complete for s in own)


def default_release_date(cycle: AwardCycle):
    """The day after the cycle's public notice closes (the latest notice, else the cycle's planned end)."""

    ends = PublicNotice.objects.filter(cycle=cycle).order_by("-ends_on").values_list("ends_on", flat=True).first()
    ends = ends or cycle.public_notice_end
    return ends + dt.timedelta(days=1) if ends else None


@dataclass(frozen=True)
class Comment:
    label: str  # "1", "2", … — never the expert
    strengths: str
    opportunities: str


def expert_comments(application: Application) -> dict[int, list[Comment]]:
    """Per category id: the experts' submitted comments, numbered in a fixed order, without names."""
    rows = (
        CategoryFeedback.objects.filter(
            sheet__assignment__panel__application=application, sheet__status=SheetStatus.SUBMITTED
        )
        .exclude(sheet__assignment__status=AssignmentStatus.CONFLICT)
        .order_by("category_id", "sheet__assignment__panel__round__kind", "sheet_id")
        .values_list("category_id", "strengths", "opportunities")
    )
    result: dict[int, list[Comment]] = defaultdict(list)
    for category_id, s, o in rows:
        if s.strip() or o.strip():
            result[category_id].append(Comment(str(len(result[category_id]) + 1), s, o))
    return dict(result)


def forbidden_names(application: Application) -> list[str]:
    """Names a report must not contain: the cycle's experts, and every other applicant of the cycle."""
    experts = User.objects.filter(
        Q(review_assignments__panel__round__cycle_id=application.cycle_id)
        | Q(cycle_memberships__cycle_id=application.cycle_id, cycle_memberships__role=CycleRole.EXPERT)
    ).values_list("full_name", flat=True)
    others = (
        Application.objects.filter(cycle_id=application.cycle_id)
        .exclude(enterprise_id=application.enterprise_id)
        .values_list("record_name_zh", "record_name_en", "enterprise__name_zh", "enterprise__name_en")
    )
    names = {n.strip() for n in experts if n and len(n.strip()) >= 2}
    for row in others:
        names.update(n.strip() for n in row if n and len(n.strip()) >= 2)
    return sorted(names, key=len, reverse=True)


def names_in(text: str, names: list[str]) -> list[str]:
    folded = text.casefold()
    return [n for n in names if n.casefold() in folded]


def current_report(application: Application) -> FeedbackReport | None:
    return (
        FeedbackReport.objects.filter(application=application)
        .exclude(status=ReportStatus.SUPERSEDED)
        .order_by("-version")
        .first()
    )


def report_with_categories(pk: int) -> FeedbackReport | None:
    return (
        FeedbackReport.objects.select_related(
            "application__cycle__framework", "application__enterprise", "supersedes", "approved_by"
        )
        .prefetch_related(Prefetch("categories", queryset=ReportCategory.objects.select_related("category")))
        .filter(pk=pk)
        .first()
    )


# --- loaders: one per kind, for views. The object the user may see, or Http404 (the same answer for
# "does not exist" and "not yours"); what the user may then do with it is the view's check (403).


def report_for(*, user: User, pk: int) -> FeedbackReport:
    """The report if the user may see it (`feedback.view_report`: the office, the panel leader, the
    enterprise once released)."""
    report = report_with_categories(pk)
    if report is None or not user.has_perm("feedback.view_report", report):
        raise Http404
    return report


def application_for_report(*, user: User, pk: int) -> Application:
    """An application whose report the user may start: its panel leader (not released by a
    conflict) or its cycle's office."""
    if not user.is_authenticated:
        raise Http404
    led = Assignment.objects.filter(expert=user, is_leader=True).exclude(status=AssignmentStatus.CONFLICT)
    visible = Q(pk__in=led.values("panel__application")) | Q(cycle__in=cycles_run_by(user))
    return get_object_or_404(Application.objects.filter(visible).select_related("cycle"), pk=pk)


def cycle_for_office(*, user: User, pk: int) -> AwardCycle:
    """A cycle whose reports the user manages (its secretary; any for an admin)."""
    return get_object_or_404(cycles_run_by(user), pk=pk)


def reports_of_cycle(cycle: AwardCycle) -> QuerySet[Application]:
    """The office's list: every application that reached review, with its current report (if any)."""
    current = FeedbackReport.objects.exclude(status=ReportStatus.SUPERSEDED).order_by("-version")
    return reviewed_applications(cycle).prefetch_related(Prefetch("feedback_reports", queryset=current))


def released_reports_of_cycle(cycle: AwardCycle) -> QuerySet[FeedbackReport]:
    return (
        FeedbackReport.objects.filter(application__cycle=cycle, status=ReportStatus.RELEASED)
        .select_related("application")
        .order_by("application__record_name_zh", "pk")
    )


def reports_for_leader(user: User) -> QuerySet[Application]:
    """Applications whose panel the user leads (not released by a conflict) and that reached review."""
    led = Assignment.objects.filter(expert=user, is_leader=True, panel__application=OuterRef("pk")).exclude(
        status=AssignmentStatus.CONFLICT
    )
    current = FeedbackReport.objects.exclude(status=ReportStatus.SUPERSEDED).order_by("-version")
    return (
        Application.objects.filter(Exists(led))
        .filter(reached_review())
        .select_related("cycle", "enterprise")
        .prefetch_related(Prefetch("feedback_reports", queryset=current))
        .order_by("-cycle__year", "record_name_zh")
    )


def released_reports_of_user(user: User) -> QuerySet[FeedbackReport]:
    """The enterprise's own released reports (every enterprise the user is a member of)."""
    enterprises = EnterpriseMembership.objects.filter(user=user).values("enterprise_id")
    return (
        FeedbackReport.objects.filter(application__enterprise_id__in=enterprises, status=ReportStatus.RELEASED)
        .select_related("application__cycle")
        .prefetch_related(Prefetch("categories", queryset=ReportCategory.objects.select_related("category")))
        .order_by("-application__cycle__year")
    )


def previous_report(application: Application) -> FeedbackReport | None:
    """The enterprise's latest released report from an earlier cycle."""
    return (
        FeedbackReport.objects.filter(
            application__enterprise_id=application.enterprise_id,
            application__cycle__year__lt=application.cycle.year,
            status=ReportStatus.RELEASED,
        )
        .select_related("application__cycle")
        .order_by("-application__cycle__year")
        .first()
    )


def previous_bands(application: Application) -> dict[str, int]:
    """Category code → band in the previous released report (categories matched by their code)."""
    report = previous_report(application)
    if report is None:
        return {}
    return dict(report.categories.filter(band__isnull=False).values_list("category__code", "band"))


def previous_band_labels(application: Application) -> dict[str, tuple | None]:
    """Category code → (low %, high %, description) of its band in the previous released report.

    One query of three columns (the report found by a subquery): the expert's sheet asks on every view.
    """
    earlier = (
        FeedbackReport.objects.filter(
            application__enterprise_id=application.enterprise_id,
            application__cycle__year__lt=application.cycle.year,
            status=ReportStatus.RELEASED,
        )
        .order_by("-application__cycle__year")
        .values("pk")[:1]
    )
    rows = (
        ReportCategory.objects.filter(report_id=Subquery(earlier), band__isnull=False)
        .order_by()  # a dict: the model's ordering would join four more tables
        .values_list("category__code", "category__kind", "band")
    )
    return {code: figures.band_label(kind, band) for code, kind, band in rows}


@dataclass
class Opportunity:
    source: ReportCategory
    number: int
    text: str
    action_taken: str


def previous_opportunities(application: Application) -> tuple[FeedbackReport | None, list[Opportunity]]:
    """The previous report's opportunities, one per line, with what the applicant said it did."""
    report = previous_report(application)
    if report is None:
        return None, []
    answers = {
        (r.source_id, r.number): r.action_taken for r in OpportunityResponse.objects.filter(application=application)
    }
    result = []
    for rc in report.categories.select_related("category").order_by("category__order", "category__code"):
        for number, line in enumerate(opportunity_lines(rc.opportunities), start=1):
            result.append(Opportunity(rc, number, line, answers.get((rc.pk, number), "")))
    return report, result


def opportunity_lines(text: str) -> list[str]:
    """One opportunity per non-empty line (list markers dropped)."""
    return [line.strip().lstrip("-•·*").strip() for line in text.splitlines() if line.strip().lstrip("-•·*").strip()]


@dataclass(frozen=True)
class ReportRow:
    """One category as the report shows it (page and PDF alike)."""

    category: CriteriaCategory
    strengths: str
    opportunities: list[str]
    percent: int | None
    band: tuple | None  # (low, high, description)
    next_band: tuple | None
    quartile: int | None
    cohort: int | None
    previous: tuple | None  # the previous report's band
    change: int | None  # bands gained (+) or lost (−) since the previous report

    @property
    def change_size(self) -> int:
        return abs(self.change or 0)


def report_rows(report: FeedbackReport) -> list[ReportRow]:
    rows = []
    for rc in report.categories.all():
        kind = rc.category.kind
        rows.append(
            ReportRow(
                rc.category,
                rc.strengths,
                opportunity_lines(rc.opportunities),
                rc.percent,
                figures.band_label(kind, rc.band),
                figures.band_label(kind, rc.band + 1) if rc.band is not None else None,
                rc.quartile,
                rc.cohort,
                figures.band_label(kind, rc.previous_band),
                rc.band - rc.previous_band if rc.band is not None and rc.previous_band is not None else None,
            )
        )
    return rows


def cycles_for_office(user: User) -> QuerySet[AwardCycle]:
    """Cycles whose reports the user manages (secretary; admins: all) that have a reviewed application."""
    cycles = AwardCycle.objects.filter(
        Exists(Application.objects.filter(cycle=OuterRef("pk")).filter(reached_review()))
    )
    if not user.is_superuser:
        cycles = cycles.filter(memberships__user=user, memberships__role=CycleRole.SECRETARY)
    return cycles.order_by("-year")


@dataclass(frozen=True)
class Answer:
    """What the applicant said it did about one opportunity of its previous report."""

    opportunity: str
    action_taken: str


def opportunity_answers(application: Application) -> dict[str, list[Answer]]:
    """Category code → the applicant's answers to its previous report's opportunities, as stored with it
    (one query of three columns, in the report's order: the expert's sheet asks on every view)."""
    result: dict[str, list[Answer]] = defaultdict(list)
    rows = (
        OpportunityResponse.objects.filter(application=application)
        .order_by("source__category__order", "number")
        .values_list("source__category__code", "opportunity", "action_taken")
    )
    for code, opportunity, action_taken in rows:
        result[code].append(Answer(opportunity, action_taken))
    return dict(result)
