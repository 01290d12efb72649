"""Reads for expert review. Lists are filtered by role here; figures come from `scoring` only.

Contract for the committee app (documented and tested):
- `cycle_ranking(cycle=...)` → list[RankingRow]
- `application_score_summary(application=...)` → ScoreSummary
- `cycle_category_averages(cycle=...)` → dict[category code, Decimal]
- `cycle_score_distribution(cycle=...)` → dict[round kind, RoundDistribution]
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Round, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards import sections
from awards.enums import ApplicationStatus, CycleRole, CycleStatus
from awards.models import Application, AwardCycle, CriteriaCategory, CriteriaFramework, CriteriaItem
from awards.selectors import cycles_run_by, framework_categories
from core.models import User
from vetting.models import PresentationResult
from vetting.selectors import PresentationFigure, presentation_annotations, presentation_figure

from . import scoring
from .assignment import ExpertCandidate, PanelRequest, hard_conflict, soft_conflict
from .enums import AssignmentStatus, CellStatus, RankingBasis, RoundKind, SheetStatus
from .models import (
    Assignment,
    CategoryFeedback,
    Consensus,
    ExpertProfile,
    ItemScore,
    Panel,
    PanelScore,
    RankingDecision,
    ReviewRound,
    ScoreSheet,
)
from .rules import is_own_assignment

logger = logging.getLogger(__name__)

ROUND_ORDER = [RoundKind.MATERIAL, RoundKind.ONSITE]


# ---------------------------------------------------------------- loaders
# One per kind, for views: the object the user may see, or Http404 (the same answer for "does not
# exist" and "not yours"). What the user may then do with it is the view's check (403).


def cycle_for_office(*, user: User, pk: int) -> AwardCycle:
    """A cycle whose review the user runs (its secretary; any for an admin)."""
    return get_object_or_404(cycles_run_by(user).select_related("framework"), pk=pk)


def round_for_office(*, user: User, pk: int) -> ReviewRound:
    """A review round of a cycle the user runs."""
    return get_object_or_404(
        ReviewRound.objects.filter(cycle__in=cycles_run_by(user)).select_related("cycle__framework"), pk=pk
    )


def round_for_rating(*, user: User, pk: int) -> ReviewRound:
    """A round whose experts the user may know of: a cycle the user runs, or a round the user sat in
    (whom they may rate is `record_selectors.rater_role`: 403 for the others)."""
    if not user.is_authenticated:
        raise Http404
    visible = Q(cycle__in=cycles_run_by(user)) | Q(pk__in=Assignment.objects.filter(expert=user).values("panel__round"))
    return get_object_or_404(ReviewRound.objects.filter(visible).select_related("cycle"), pk=pk)


def assignment_for_expert(*, user: User, pk: int) -> Assignment:
    """The signed-in expert's own assignment (whatever its state); anyone else's is not found."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("panel__round__cycle", "panel__application__enterprise"), pk=pk
    )
    if not is_own_assignment(user, assignment):
        raise Http404
    return assignment


def panel_for(*, user: User, pk: int) -> Panel:
    """A panel of a cycle the user runs, or one the user is assigned to (whether they may see its
    figures yet is `reviews.view_panel`)."""
    if not user.is_authenticated:
        return get_object_or_404(Panel.objects.none(), pk=pk)
    visible = Q(round__cycle__in=cycles_run_by(user)) | Q(pk__in=Assignment.objects.filter(expert=user).values("panel"))
    return get_object_or_404(
        Panel.objects.filter(visible).select_related("round__cycle", "application__enterprise"), pk=pk
    )


def sheet_for_office(*, user: User, pk: int) -> ScoreSheet:
    """A score sheet of a cycle the user runs."""
    return get_object_or_404(
        ScoreSheet.objects.filter(assignment__panel__round__cycle__in=cycles_run_by(user)).select_related(
            "assignment__panel__round__cycle", "assignment__expert"
        ),
        pk=pk,
    )


# ---------------------------------------------------------------- the material an expert reads


@dataclass
class MaterialSection:
    title: str
    rows: list[tuple[str, object]]


@dataclass
class MaterialView:
    """What an expert may read about an application, once they declared no conflict.

    `sections` is the enterprise profile and the application record; `snapshot` is the latest
    submitted version (what the experts score) and `view` its layout for reading, rendered by the
    award office's own partial (`awards/_snapshot.html`), attachments with download links included.
    """

    application: Application
    sections: list[MaterialSection]
    snapshot: object | None = None
    view: dict | None = None


def material_for_expert(application: Application) -> MaterialView:
    ent = application.enterprise
    snapshot = application.snapshots.order_by("-number").first()
    profile = MaterialSection(
        _("Enterprise"),
        [
            # The names and code the application was submitted under, not the profile as edited since.
            (_("Chinese name"), application.name_zh or "—"),
            (_("English name"), application.name_en or "—"),
            (_("Unified social credit code"), application.credit_code),
            (_("District or county"), ent.get_district_display()),
            (_("Industry"), ent.get_industry_display()),
            (_("Founding date"), ent.founded_on.isoformat() if ent.founded_on else "—"),
            (_("Employees"), ent.employees),
            (_("Address"), ent.address),
        ],
    )
    record = MaterialSection(
        _("Application"),
        [
            (_("Cycle"), application.cycle.title),
            (_("Receipt number"), application.receipt_number or "—"),
            (
                _("Submitted"),
                timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M")
                if application.submitted_at
                else "—",
            ),
            (_("Submitted version"), f"#{snapshot.number}" if snapshot else "—"),
            (_("Status"), application.get_status_display()),
        ],
    )
    view = sections.snapshot_view(snapshot.data, framework_categories(application.cycle)) if snapshot else None
    return MaterialView(application=application, sections=[profile, record], snapshot=snapshot, view=view)


# ---------------------------------------------------------------- the expert's own work


def assignments_of_expert(user: User):
    """The signed-in expert's assignments, newest round first; released ones included (greyed)."""
    return (
        Assignment.objects.filter(expert=user)
        .select_related("panel__round__cycle", "panel__application__enterprise", "sheet")
        .order_by("-panel__round__closes_at", "panel__application__record_name_zh")
    )


@dataclass
class SheetItem:
    item: CriteriaItem
    percent: int | None
    points: Decimal | None
    band: int | None
    error: str = ""
    typed: str | None = None  # what the expert typed when it could not be read (shown back, never lost)


@dataclass
class SheetCategory:
    category: CriteriaCategory
    items: list[SheetItem]
    strengths: str
    opportunities: str
    points: Decimal


SHEET_CRITERIA_SECONDS = 3600


def sheet_criteria(framework_id: int, *, locked: bool) -> list[tuple[CriteriaCategory, list[CriteriaItem]]]:
    """The framework's categories with their items, in the sheet's order. A framework in use by a cycle
    that has opened can no longer be edited (`CriteriaFramework.is_locked`), so its criteria are kept
    in the cache (two queries fewer on every sheet); a draft cycle's framework is read each time."""
    key = f"reviews:sheet-criteria:{framework_id}"
    if locked:
        kept = cache.get(key)
        if kept is not None:
            return kept
    # The items grouped by hand rather than with prefetch_related (its machinery cost more than the query).
    items_of: dict[int, list[CriteriaItem]] = defaultdict(list)
    for item in CriteriaItem.objects.filter(category__framework_id=framework_id).order_by("order", "code"):
        items_of[item.category_id].append(item)
    criteria = []
    for cat in CriteriaCategory.objects.filter(framework_id=framework_id).order_by("order", "code"):
        for item in items_of[cat.pk]:
            item.category = cat
        criteria.append((cat, items_of[cat.pk]))
    if locked:
        cache.set(key, criteria, SHEET_CRITERIA_SECONDS)
    return criteria


def sheet_view(
    *, assignment: Assignment, overrides: dict | None = None, sheet: ScoreSheet | None | object = ...
) -> tuple[list[SheetCategory], Decimal, int]:
    """The sheet's categories and items with current values; `overrides` (typed values and errors)
    win over stored ones so that nothing typed is lost when a save is refused. `sheet`: the
    assignment's ScoreSheet (or None) when the caller has already read it."""
    overrides = overrides or {}
    typed = overrides.get("scores", {})
    errors = overrides.get("errors", {})
    typed_feedback = overrides.get("feedback", {})
    if sheet is ...:
        sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    stored = dict(sheet.scores.values_list("item_id", "percent")) if sheet else {}
    feedback = (
        {f.category_id: (f.strengths, f.opportunities) for f in CategoryFeedback.objects.filter(sheet=sheet)}
        if sheet
        else {}
    )
    cycle = assignment.panel.round.cycle
    result, total, done = [], Decimal("0"), 0
    for cat, items in sheet_criteria(cycle.framework_id, locked=cycle.status != CycleStatus.DRAFT):
        rows, cat_points = [], Decimal("0")
        for item in items:
            unreadable = None
            if item.pk in typed:
                raw = typed[item.pk]
                try:
                    pct = scoring.parse_percent(raw)
                except ValueError:
                    pct, unreadable = None, str(raw)
            else:
                pct = stored.get(item.pk)
            pts = scoring.points(item.points, pct)
            if pct is not None:
                done += 1
                cat_points += pts
            rows.append(
                SheetItem(
                    item,
                    pct,
                    pts,
                    scoring.band_for(pct) if pct is not None else None,
                    errors.get(item.pk, ""),
                    unreadable,
                )
            )
        s, o = typed_feedback.get(cat.pk, feedback.get(cat.pk, ("", "")))
        result.append(SheetCategory(cat, rows, s, o, cat_points))
        total += cat_points
    return result, total, done


# ---------------------------------------------------------------- panel statistics


def counting_scores(model=ItemScore):
    """Item scores that count: submitted sheets of assignments not released by a conflict.
    (`model` is the migration's historical ItemScore when the backfill calls it.)"""
    return model.objects.filter(sheet__status=SheetStatus.SUBMITTED).exclude(
        sheet__assignment__status=AssignmentStatus.CONFLICT
    )


@dataclass
class ItemRow:
    item: CriteriaItem
    n: int = 0
    mean: Decimal | None = None
    median: Decimal | None = None
    trimmed: Decimal | None = None
    sd: Decimal | None = None
    lo: int | None = None
    hi: int | None = None
    spread: int | None = None
    flagged: bool = False
    consensus: Consensus | None = None
    panel_percent: Decimal | None = None
    panel_points: Decimal | None = None
    by_expert: list[int | None] = field(default_factory=list)
    normalised: list[Decimal | None] = field(default_factory=list)


@dataclass
class PanelDetail:
    panel: Panel
    members: list[Assignment]
    items: list[ItemRow]
    categories: list[tuple[CriteriaCategory, Decimal]]
    total: Decimal | None
    expert_totals: list[Decimal | None]
    normalised_totals: list[Decimal | None]
    total_stats: scoring.Describe | None
    all_submitted: bool
    flagged_count: int
    consensus_count: int

    @property
    def member_rows(self):
        return list(zip(self.members, self.expert_totals, self.normalised_totals, strict=True))


def panel_detail(*, panel: Panel) -> PanelDetail:
    """Every figure of one panel: per item statistics, flags, consensus, each expert's scores."""
    cycle = panel.round.cycle
    members = list(
        panel.assignments.exclude(status=AssignmentStatus.CONFLICT)
        .select_related("expert", "sheet")
        .order_by("-is_leader", "expert__email")
    )
    items = list(
        CriteriaItem.objects.filter(category__framework_id=cycle.framework_id)
        .select_related("category")
        .order_by("category__order", "order")
    )
    stats = {
        r["item_ref"]: r for r in scoring.item_statistics(counting_scores().filter(sheet__assignment__panel=panel))
    }
    consensus = {c.item_id: c for c in panel.consensus.select_related("recorded_by")}
    member_ids = [m.pk for m in members]
    per_expert: dict[int, dict[int, int]] = defaultdict(dict)
    for a_id, item_id, pct in (
        counting_scores()
        .filter(sheet__assignment__panel=panel)
        .values_list("sheet__assignment_id", "item_id", "percent")
    ):
        per_expert[a_id][item_id] = pct
    normalised = _normalised_for_round(panel.round)
    rows, cat_points = [], defaultdict(lambda: Decimal("0"))
    total: Decimal | None = Decimal("0")
    for item in items:
        s = stats.get(item.pk)
        row = ItemRow(item=item, consensus=consensus.get(item.pk))
        if s:
            row.n = s["n"]
            row.mean, row.median = scoring.as_decimal(s["mean"]), scoring.as_decimal(s["median"])
            row.trimmed, row.sd = scoring.as_decimal(s["trimmed"]), scoring.as_decimal(s["sd"])
            row.lo, row.hi, row.spread = int(s["lo"]), int(s["hi"]), int(s["spread"])
            row.flagged = scoring.is_dispersed(spread_percent=s["spread"], threshold=cycle.dispersion_threshold)
        trimmed, agreed = (s["trimmed"] if s else None), (row.consensus.percent if row.consensus else None)
        row.panel_percent = scoring.panel_percent(trimmed=trimmed, consensus=agreed)
        row.panel_points = scoring.panel_points(item_points=item.points, trimmed=trimmed, consensus=agreed)
        if row.panel_points is None:
            total = None
        else:
            cat_points[item.category_id] += row.panel_points
            if total is not None:
                total += row.panel_points
        row.by_expert = [per_expert.get(a_id, {}).get(item.pk) for a_id in member_ids]
        row.normalised = [
            scoring.as_decimal(normalised.get(m.expert_id, {}).get((panel.pk, item.pk)), Decimal("0.1"))
            for m in members
        ]
        rows.append(row)
    expert_totals = [scoring.expert_total((i.points, per_expert[a_id].get(i.pk)) for i in items) for a_id in member_ids]
    normalised_totals = [
        scoring.expert_total((r.item.points, r.normalised[k]) for r in rows) for k in range(len(members))
    ]
    complete_totals = [float(t) for t in expert_totals if t is not None]
    all_submitted = bool(members) and all(
        getattr(m, "sheet", None) is not None and m.sheet.status == SheetStatus.SUBMITTED for m in members
    )
    categories = [
        (c, cat_points.get(c.pk, Decimal("0")))
        for c in CriteriaCategory.objects.filter(framework_id=cycle.framework_id).order_by("order")
    ]
    return PanelDetail(
        panel=panel,
        members=members,
        items=rows,
        categories=categories,
        total=total if stats else None,
        expert_totals=expert_totals,
        normalised_totals=normalised_totals,
        total_stats=scoring.describe(complete_totals) if complete_totals else None,
        all_submitted=all_submitted,
        flagged_count=sum(1 for r in rows if r.flagged),
        consensus_count=sum(1 for r in rows if r.flagged and r.consensus),
    )


def _normalised_for_round(rnd: ReviewRound) -> dict[int, dict]:
    """Every expert's normalised percentages over everything they scored in the round:
    expert id -> {(panel id, item id): percentage}."""
    raw: dict[int, dict] = defaultdict(dict)
    for expert_id, panel_id, item_id, pct in (
        counting_scores()
        .filter(sheet__assignment__panel__round=rnd)
        .values_list("sheet__assignment__expert_id", "sheet__assignment__panel_id", "item_id", "percent")
    ):
        raw[expert_id][(panel_id, item_id)] = float(pct)
    return scoring.normalise(raw)


# ---------------------------------------------------------------- cycle-wide scores and ranking


@dataclass
class PanelFigures:
    """A panel's stored score (`PanelScore`) with whether the panel is complete."""

    panel_id: int
    application_id: int
    kind: str
    categories: dict[str, Decimal]
    total: Decimal
    results: Decimal
    complete: bool


def _framework_items(cycle: AwardCycle) -> dict[int, tuple[int, str, str]]:
    return {
        pk: (pts, code, kind)
        for pk, pts, code, kind in CriteriaItem.objects.filter(category__framework_id=cycle.framework_id).values_list(
            "pk", "points", "category__code", "category__kind"
        )
    }


def panel_completeness(*, cycle: AwardCycle, panels=None) -> dict[int, bool]:
    """Per panel: every member without a conflict has submitted, and they are at least the cycle's
    panel size (five or more): a panel left short by conflicts needs another expert first."""
    qs = Assignment.objects.filter(panel__round__cycle=cycle)
    if panels is not None:
        qs = qs.filter(panel_id__in=panels)
    return {
        row["panel_id"]: row["active"] >= max(cycle.experts_per_panel, 1) and row["active"] == row["submitted"]
        for row in qs.exclude(status=AssignmentStatus.CONFLICT)
        .values("panel_id")
        .order_by()
        .annotate(active=Count("id"), submitted=Count("id", filter=Q(sheet__status=SheetStatus.SUBMITTED)))
    }


def _figures(rows, *, n_items: int, completeness: dict[int, bool]) -> dict[int, PanelFigures]:
    return {
        panel_id: PanelFigures(
            panel_id=panel_id,
            application_id=app_id,
            kind=kind,
            categories={code: Decimal(v) for code, v in cats.items()},
            total=total,
            results=results,
            complete=completeness.get(panel_id, False) and scored == n_items,
        )
        for panel_id, app_id, kind, cats, total, results, scored in rows
    }


FIGURE_FIELDS = (
    "panel_id",
    "application_id",
    "kind",
    "categories",
    "total",
    "results",
    "items_scored",
)


def cycle_panel_scores(*, cycle: AwardCycle, applications=None) -> dict[int, PanelFigures]:
    """Every panel's stored score of the cycle (or of the applications given): 3 queries however many."""
    n_items = CriteriaItem.objects.filter(category__framework_id=cycle.framework_id).count()
    qs = PanelScore.objects.filter(application__cycle=cycle)
    if applications is not None:
        qs = qs.filter(application__in=applications)
    rows = list(qs.values_list(*FIGURE_FIELDS))
    completeness = panel_completeness(cycle=cycle, panels=[r[0] for r in rows] if applications is not None else None)
    return _figures(rows, n_items=n_items, completeness=completeness)


@dataclass
class RankingRow:
    """One application in the cycle's ranking. Scores are panel scores (consensus where recorded)."""

    application: Application
    enterprise: object
    material: Decimal | None
    onsite: Decimal | None
    combined: Decimal | None
    rank: int | None
    categories: dict[str, Decimal]
    categories_by_round: dict[str, dict[str, Decimal]]
    results_score: Decimal | None
    complete: dict[str, bool]
    # 陈述答辩: the panel's presentation score (vetting's stored rows) and, when the cycle weights it,
    # the basis score with the presentation weighted in (scoring.with_presentation).
    presentation: PresentationFigure | None = None
    with_presentation: Decimal | None = None
    # The score the ranking's order was decided on: with_presentation where the cycle weights the
    # presentation and the application has one, else the basis score.
    decisive: Decimal | None = None

    def score(self, basis: str) -> Decimal | None:
        return {
            RankingBasis.MATERIAL: self.material,
            RankingBasis.ONSITE: self.onsite,
            RankingBasis.COMBINED: self.combined,
        }[basis]


def ranking_basis(cycle: AwardCycle) -> RankingBasis:
    """Combined once any on-site score exists, else material."""
    onsite = PanelScore.objects.filter(panel__round__cycle=cycle, panel__round__kind=RoundKind.ONSITE).exists()
    return RankingBasis.COMBINED if onsite else RankingBasis.MATERIAL


RANKING_APPLICATION_FIELDS = (
    "id",
    "status",
    "submitted_at",
    "cycle_id",
    "enterprise_id",
    "receipt_number",
    "enterprise__id",
    "enterprise__name_zh",
    "enterprise__name_en",
    "enterprise__credit_code",
    "record_name_zh",
    "record_name_en",
    "record_credit_code",
    "enterprise__industry",
    "enterprise__district",
)


def _place(kind: str) -> FilteredRelation:
    """The application's stored score in one round, joined (one row per application and round
    kind: `PanelScore`'s unique place), not looked up per row."""
    return FilteredRelation("panel_scores", condition=Q(panel_scores__kind=kind))


def _weighted(material, onsite, cycle: AwardCycle):
    """`scoring.combine` in SQL: the cycle's weights applied to both rounds, to the cent."""
    weight = DecimalField(max_digits=6, decimal_places=4)
    return Round(
        ExpressionWrapper(
            material * Value(cycle.material_weight, output_field=weight)
            + onsite * Value(cycle.onsite_weight, output_field=weight),
            output_field=DecimalField(max_digits=12, decimal_places=6),
        ),
        2,
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )


def ranked_applications(*, cycle: AwardCycle, basis: RankingBasis, by_presentation: bool | None = None):
    """The applications of the cycle that have a panel, best first, ordered by the database from the
    stored panel scores (page it, then `ranking_rows`).

    Ties: the higher results-category score (for the combined basis both rounds' results points
    weighted like the score), then the earlier submission, then the lower id. Applications without
    a score for the basis come last, unranked. Annotated: material, onsite, combined, basis_score,
    basis_results, the presentation figures (vetting) and with_presentation, the basis score with the
    presentation weighted in as its scores were given (NULL where not weighted), and decisive_score,
    the score the order is decided on. `by_presentation` orders by with_presentation first (those
    without it follow by the basis score); by default it does when the cycle weights the
    presentation (> 0 %): that order is the one the cut-off, shortlisting, nomination and the
    committee use; `by_presentation=False` is the panel-only comparison.
    """
    if by_presentation is None:
        by_presentation = cycle.presentation_weight > 0
    qs = (
        Application.objects.filter(pk__in=Panel.objects.filter(round__cycle=cycle).values("application_id"))
        .select_related("enterprise")
        .only(*RANKING_APPLICATION_FIELDS)
        .annotate(stored_material=_place(RoundKind.MATERIAL), stored_onsite=_place(RoundKind.ONSITE))
        .annotate(
            material=F("stored_material__total"),
            onsite=F("stored_onsite__total"),
            material_results=F("stored_material__results"),
            onsite_results=F("stored_onsite__results"),
            **presentation_annotations(),
        )
        .annotate(
            combined=_weighted(F("material"), F("onsite"), cycle),
            combined_results=_weighted(F("material_results"), F("onsite_results"), cycle),
        )
    )
    score, results = {
        RankingBasis.MATERIAL: ("material", "material_results"),
        RankingBasis.ONSITE: ("onsite", "onsite_results"),
        RankingBasis.COMBINED: ("combined", "combined_results"),
    }[basis]
    qs = qs.annotate(basis_score=F(score), basis_results=F(results)).annotate(
        with_presentation=scoring.with_presentation(
            panel_score=F("basis_score"),
            panel_max=Subquery(
                CriteriaFramework.objects.filter(pk=cycle.framework_id).values("total_points")[:1],
                output_field=IntegerField(),
            ),
            presentation_fraction=F("presentation_fraction"),
            weight_percent=F("presentation_weight"),
            scored=Q(presentation_n__gt=0, presentation_weight__gt=0, basis_score__isnull=False),
        )
    )
    first = [F("with_presentation").desc(nulls_last=True)] if by_presentation else []
    qs = qs.annotate(
        decisive_score=Coalesce("with_presentation", "basis_score") if by_presentation else F("basis_score")
    )
    return qs.order_by(
        *first,
        F("basis_score").desc(nulls_last=True),
        F("basis_results").desc(nulls_last=True),
        F("submitted_at").asc(nulls_last=True),
        "pk",
    )


RANKING_ROWS_BY_ID = 250


def ranking_rows(*, cycle: AwardCycle, basis: RankingBasis, applications, start: int = 1) -> list[RankingRow]:
    """RankingRows for annotated applications of `ranked_applications` in their order; the first is
    at position `start` (a page's first row), and a row is ranked when it has a score for the basis."""
    apps = list(applications)
    # A page's rows read their own panels' scores; the whole ranking reads the cycle's at once.
    few = len(apps) <= RANKING_ROWS_BY_ID
    scores = cycle_panel_scores(cycle=cycle, applications=[a.pk for a in apps] if few else None)
    per_app: dict[int, dict[str, PanelFigures]] = defaultdict(dict)
    for s in scores.values():
        per_app[s.application_id][s.kind] = s
    wm, wo = cycle.material_weight, cycle.onsite_weight
    rows = []
    for position, app in enumerate(apps, start=start):
        app.cycle = cycle
        rounds = per_app.get(app.pk, {})
        mat, ons = rounds.get(RoundKind.MATERIAL), rounds.get(RoundKind.ONSITE)
        by_round = {k: {c: v.quantize(scoring.CENT) for c, v in s.categories.items()} for k, s in rounds.items()}
        if basis == RankingBasis.COMBINED and mat and ons:
            cats = {
                c: scoring.combine(
                    material=mat.categories.get(c, Decimal(0)),
                    onsite=ons.categories.get(c, Decimal(0)),
                    material_weight=wm,
                    onsite_weight=wo,
                )
                for c in sorted(set(mat.categories) | set(ons.categories))
            }
        else:
            chosen = ons if basis == RankingBasis.ONSITE else mat
            cats = by_round.get(chosen.kind, {}) if chosen else {}
        rows.append(
            RankingRow(
                application=app,
                enterprise=app.enterprise,
                material=app.material,
                onsite=app.onsite,
                combined=app.combined,
                rank=position if app.basis_score is not None else None,
                categories=cats,
                categories_by_round=by_round,
                results_score=app.basis_results,
                complete={k: s.complete for k, s in rounds.items()},
                presentation=presentation_figure(app),
                with_presentation=app.with_presentation,
                decisive=app.decisive_score,
            )
        )
    return rows


def cycle_ranking(
    *, cycle: AwardCycle, basis: RankingBasis | None = None, by_presentation: bool | None = None
) -> list[RankingRow]:
    """All applications of the cycle that have a panel, best first (see `ranked_applications`:
    with the presentation weighted in when the cycle weights it, unless `by_presentation=False`).

    `basis` defaults to combined once any on-site score exists, else material.
    """
    basis = basis or ranking_basis(cycle)
    ranked = ranked_applications(cycle=cycle, basis=basis, by_presentation=by_presentation)
    return ranking_rows(cycle=cycle, basis=basis, applications=ranked)


@dataclass(frozen=True)
class RankingPosition:
    """Where one application stands in the cycle's ranking, with its stored scores."""

    position: int  # its row in the ranking (applications without a score for the basis come last)
    rank: int | None  # the position, for an application with a score for the basis
    material: Decimal | None
    onsite: Decimal | None
    combined: Decimal | None
    with_presentation: Decimal | None = None  # the basis score with the presentation weighted in


def ranking_positions(*, cycle: AwardCycle, basis: RankingBasis, application_ids) -> dict[int, RankingPosition]:
    """The ranking's positions of the given applications only (a page's rows): PostgreSQL numbers the
    whole ranking (`ranked_applications`, a window over the stored panel scores) and returns these
    rows. One query, whatever the size of the cycle; applications without a panel are absent."""
    ids = sorted({int(pk) for pk in application_ids})
    if not ids:
        return {}
    ranked = ranked_applications(cycle=cycle, basis=basis)
    numbered = ranked.annotate(position=Window(RowNumber(), order_by=list(ranked.query.order_by))).values(
        "id", "position", "basis_score", "material", "onsite", "combined", "with_presentation"
    )
    inner, params = numbered.query.sql_with_params()
    # The numbering must see the whole ranking, so the page's filter goes around it, not into it.
    sql = (
        "SELECT id, position, basis_score, material, onsite, combined, with_presentation FROM ("  # noqa: S608 -- compiled query, ids bound
        + inner
        + ") AS ranked WHERE id IN ("
        + ", ".join(["%s"] * len(ids))
        + ")"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])
        rows = cursor.fetchall()
    return {
        pk: RankingPosition(
            position=position,
            rank=position if score is not None else None,
            material=material,
            onsite=onsite,
            combined=combined,
            with_presentation=with_presentation,
        )
        for pk, position, score, material, onsite, combined, with_presentation in rows
    }


def ranking_row(*, cycle: AwardCycle, application: Application, basis: RankingBasis) -> RankingRow | None:
    """One application's row of the ranking, with its rank, without building the others' rows."""
    place = ranking_positions(cycle=cycle, basis=basis, application_ids=[application.pk]).get(application.pk)
    if place is None:
        return None
    ranked = ranked_applications(cycle=cycle, basis=basis)
    (row,) = ranking_rows(cycle=cycle, basis=basis, applications=ranked.filter(pk=application.pk), start=place.position)
    return row


def ranking_decisions(application_ids) -> dict[int, RankingDecision]:
    """The ranking decision stored for each given application: the nomination (on-site round) where
    made, else the shortlisting (material round). One query."""
    order = {RoundKind.ONSITE: 0, RoundKind.MATERIAL: 1}
    found: dict[int, RankingDecision] = {}
    for d in sorted(
        RankingDecision.objects.filter(application_id__in=list(application_ids)), key=lambda d: order.get(d.kind, 2)
    ):
        found.setdefault(d.application_id, d)
    return found


def decided_position(decision: RankingDecision) -> RankingPosition:
    """A stored decision in the shape of a live ranking position (the committee's pages show either)."""
    return RankingPosition(
        position=decision.rank or 0,
        rank=decision.rank,
        material=decision.material,
        onsite=decision.onsite,
        combined=decision.combined,
        with_presentation=decision.with_presentation,
    )


# Applications that were shortlisted for on-site review (wherever they went from there), and nominated.
SHORTLISTED = (
    ApplicationStatus.ONSITE_REVIEW,
    ApplicationStatus.NOMINATED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.PUBLIC_NOTICE,
    ApplicationStatus.AWARDED,
)
NOMINATED = SHORTLISTED[1:]


@dataclass
class RankingSummary:
    """What the ranking page shows above every page of rows: counts and the cut-off line."""

    ranked: int
    shortlisted: int
    nominated: int
    cut: int | None  # the line is drawn after this rank
    cut_score: Decimal | None


def ranking_summary(ranked, *, basis: RankingBasis, cut: int | None = None) -> RankingSummary:
    """Counts over the whole ranking (`ranked_applications`), counted by the database; the cut-off
    is `cut` (a preview) if it is a rank, else where the last decision drew it (the shortlisted for
    material, the nominated otherwise)."""
    counts = ranked.order_by().aggregate(
        ranked=Count("pk", filter=Q(basis_score__isnull=False)),
        shortlisted=Count("pk", filter=Q(status__in=SHORTLISTED) | Q(onsite__isnull=False)),
        nominated=Count("pk", filter=Q(status__in=NOMINATED)),
    )
    n_ranked, shortlisted, nominated = counts["ranked"], counts["shortlisted"], counts["nominated"]
    if cut is None or not 1 <= cut <= n_ranked:
        cut = (shortlisted if basis == RankingBasis.MATERIAL else nominated) or None
        cut = cut if cut is not None and cut <= n_ranked else None
    score = ranked.values_list("decisive_score", flat=True)[cut - 1] if cut else None
    return RankingSummary(n_ranked, shortlisted, nominated, cut, score)


@dataclass
class RoundSummary:
    kind: str
    label: str
    panel: Panel
    total: Decimal | None
    categories: dict[str, Decimal]
    consensus_items: list[Consensus]
    feedback: dict[str, list[tuple[str, str]]]
    members: list[tuple[str, bool]]
    complete: bool


@dataclass
class ScoreSummary:
    application: Application
    rounds: list[RoundSummary]


def application_score_summary(*, application: Application) -> ScoreSummary:
    """Per round: panel total and per category scores, consensus items, the experts' strengths and
    opportunities per category (submitted sheets only), and the panel members (leader first)."""
    scores = cycle_panel_scores(cycle=application.cycle, applications=[application.pk])
    panels = (
        Panel.objects.filter(application=application)
        .select_related("round")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.CONFLICT)
                .select_related("expert")
                .order_by("-is_leader", "expert__email"),
            ),
            Prefetch(
                "consensus",
                queryset=Consensus.objects.select_related("item").order_by("item__category__order", "item__order"),
            ),
        )
    )
    feedback = defaultdict(lambda: defaultdict(list))
    for panel_id, code, s, o in (
        CategoryFeedback.objects.filter(
            sheet__assignment__panel__application=application, sheet__status=SheetStatus.SUBMITTED
        )
        .exclude(sheet__assignment__status=AssignmentStatus.CONFLICT)
        .exclude(strengths="", opportunities="")
        .order_by("category__order", "sheet__assignment__expert__email")
        .values_list("sheet__assignment__panel_id", "category__code", "strengths", "opportunities")
    ):
        feedback[panel_id][code].append((s, o))
    rounds = []
    for panel in sorted(panels, key=lambda p: ROUND_ORDER.index(p.round.kind)):
        s = scores.get(panel.pk)
        rounds.append(
            RoundSummary(
                kind=panel.round.kind,
                label=panel.round.get_kind_display(),
                panel=panel,
                total=s.total.quantize(scoring.CENT) if s else None,
                categories={c: v.quantize(scoring.CENT) for c, v in s.categories.items()} if s else {},
                consensus_items=list(panel.consensus.all()),
                feedback={k: list(v) for k, v in feedback[panel.pk].items()},
                members=[(str(a.expert), a.is_leader) for a in panel.assignments.all()],
                complete=bool(s and s.complete),
            )
        )
    return ScoreSummary(application=application, rounds=rounds)


def cycle_category_averages(*, cycle: AwardCycle) -> dict[str, Decimal]:
    """Average panel score per category across the cycle's scored applications; each application
    counts once, with its latest round (on-site where held, else material)."""
    latest: dict[int, PanelFigures] = {}
    for s in sorted(cycle_panel_scores(cycle=cycle).values(), key=lambda s: ROUND_ORDER.index(s.kind)):
        latest[s.application_id] = s
    sums: dict[str, Decimal] = defaultdict(lambda: Decimal("0"))
    for s in latest.values():
        for code, v in s.categories.items():
            sums[code] += v
    n = len(latest)
    return {code: (v / n).quantize(scoring.CENT) for code, v in sorted(sums.items())} if n else {}


def sheet_totals(*, cycle: AwardCycle) -> list[tuple[int, int, Decimal, int]]:
    """Per counted sheet of the cycle: (panel id, expert id, total points, items scored), from the
    stored panel scores (one query, a row per panel)."""
    return [
        (panel_id, int(expert_id), Decimal(total), n)
        for panel_id, per in PanelScore.objects.filter(panel__round__cycle=cycle).values_list(
            "panel_id", "expert_totals"
        )
        for expert_id, (total, n) in per.items()
    ]


@dataclass
class RoundDistribution:
    kind: str
    totals: list[Decimal]
    mean_pairwise_gap: Decimal | None  # mean absolute difference between two experts' totals
    mean_sd: Decimal | None  # mean standard deviation of the experts' totals within a panel


DISTRIBUTION_CACHE_SECONDS = 600


def stored_scores_state(cycle: AwardCycle) -> str:
    """The number and newest time of the cycle's stored panel scores, in one query: every score change
    (a sheet submitted or reopened, a consensus recorded) rewrites or removes a stored panel score
    (`reviews.panel_scores.refresh`), so this changes with it."""
    seen = PanelScore.objects.filter(panel__round__cycle=cycle).aggregate(n=Count("pk"), at=Max("updated_at"))
    return f"{seen['n']}-{seen['at'].timestamp() if seen['at'] else 0}"


def ranking_state(cycle: AwardCycle) -> str:
    """What the kept ranking follows besides the recorded changes: the number and newest time of the
    cycle's stored panel scores (as `stored_scores_state`) and of its stored presentation figures
    (`vetting.selectors.presentation_results_state`), in one statement written out rather than built
    by the ORM: the ranking and the meeting report ask it on every request."""
    scores, panel, rnd, pres = PanelScore._meta, Panel._meta, ReviewRound._meta, PresentationResult._meta
    sql = (
        "SELECT s.n, s.at, p.n, p.at FROM "  # noqa: S608 -- names from the models, the cycle bound
        f"(SELECT COUNT(*) AS n, MAX(ps.updated_at) AS at FROM {scores.db_table} ps "
        f"JOIN {panel.db_table} pa ON ps.panel_id = pa.id JOIN {rnd.db_table} r ON pa.round_id = r.id "
        "WHERE r.cycle_id = %s) AS s, "
        f"(SELECT COUNT(*) AS n, MAX(updated_at) AS at FROM {pres.db_table} WHERE cycle_id = %s) AS p"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle.pk, cycle.pk])
        n_scores, scores_at, n_pres, pres_at = cursor.fetchone()
    return f"{n_scores}-{scores_at or 0}/{n_pres}-{pres_at or 0}"


def cycle_score_distribution(*, cycle: AwardCycle) -> dict[str, RoundDistribution]:
    """Per round: the panel totals of all scored applications (for a histogram) and how far apart
    the experts of a panel were on average (agreement). Computed once per state of the stored scores
    (`stored_scores_state`) and kept in the cache: a page view costs one query, not a pass over every
    panel of the cycle in Python. A cache that does not answer only costs the computation."""
    key = f"reviews:distribution:{cycle.pk}:{stored_scores_state(cycle)}"
    try:
        kept = cache.get(key)
    except Exception as exc:
        logger.warning("Score distribution computed without the cache, which is unreachable: %s", exc)
        return _score_distribution(cycle)
    if kept is None:
        kept = _score_distribution(cycle)
        try:
            cache.set(key, kept, DISTRIBUTION_CACHE_SECONDS)
        except Exception as exc:
            logger.warning("Score distribution not kept, the cache is unreachable: %s", exc)
    return kept


def _score_distribution(cycle: AwardCycle) -> dict[str, RoundDistribution]:
    """`cycle_score_distribution` computed: one query over the stored panel scores (the totals and
    each sheet's total, not the points per category)."""
    totals: dict[str, list[Decimal]] = defaultdict(list)
    sheets: dict[str, list[list[float]]] = defaultdict(list)  # per round: each panel's sheet totals
    for kind, total, per_expert in (
        PanelScore.objects.filter(panel__round__cycle=cycle)
        .order_by("-total", "panel_id")
        .values_list("panel__round__kind", "total", "expert_totals")
    ):
        totals[kind].append(total.quantize(scoring.CENT))
        sheets[kind].append([float(Decimal(t)) for t, _n in per_expert.values()])
    result = {}
    for kind in ROUND_ORDER:
        if kind not in totals:
            continue
        gaps = [g for per in sheets[kind] if (g := scoring.mean_pairwise_gap(per)) is not None]
        sds = [scoring.describe(per).sd for per in sheets[kind] if len(per) > 1]
        result[kind] = RoundDistribution(
            kind=kind,
            totals=sorted(totals[kind], reverse=True),
            mean_pairwise_gap=scoring.as_decimal(sum(gaps) / len(gaps)) if gaps else None,
            mean_sd=scoring.as_decimal(sum(sds) / len(sds)) if sds else None,
        )
    return result


# ---------------------------------------------------------------- the secretary's views


def cycles_with_reviews_for(user: User):
    return cycles_run_by(user).prefetch_related("review_rounds").order_by("-year")


def cycle_experts(cycle: AwardCycle):
    return (
        User.objects.filter(cycle_memberships__cycle=cycle, cycle_memberships__role=CycleRole.EXPERT)
        .select_related("expert_profile")
        .order_by("email")
    )


def cell_status(assignment: Assignment, now: dt.datetime) -> str:
    sheet = getattr(assignment, "sheet", None)
    if assignment.status == AssignmentStatus.CONFLICT:
        return CellStatus.CONFLICT
    if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
        return CellStatus.SUBMITTED
    if assignment.panel.round.closes_at <= now:
        return CellStatus.OVERDUE
    if assignment.status == AssignmentStatus.PENDING:
        return CellStatus.NOT_DECLARED
    return CellStatus.IN_PROGRESS


@dataclass
class MatrixRow:
    panel: Panel
    cells: list[tuple[Assignment | None, str | None]]


@dataclass
class Matrix:
    rnd: ReviewRound
    experts: list[User]
    rows: list[MatrixRow]
    counts: dict[str, int]


def matrix_counts(*, rnd: ReviewRound, now: dt.datetime) -> dict[str, int]:
    """How many cells of the round's matrix have each status, counted in the database (as cell_status)."""
    conflict = Q(status=AssignmentStatus.CONFLICT)
    submitted = ~conflict & Q(sheet__status=SheetStatus.SUBMITTED)
    open_cell = ~conflict & ~Q(sheet__status=SheetStatus.SUBMITTED)  # no sheet yet counts as open
    overdue = open_cell & Q(panel__round__closes_at__lte=now)
    running = open_cell & Q(panel__round__closes_at__gt=now)
    # Only the columns the matrix shows: the cycle's experts.
    counted = Assignment.objects.filter(
        panel__round=rnd,
        expert__cycle_memberships__cycle_id=rnd.cycle_id,
        expert__cycle_memberships__role=CycleRole.EXPERT,
    )
    return counted.aggregate(
        **{
            CellStatus.NOT_DECLARED.value: Count("id", filter=running & Q(status=AssignmentStatus.PENDING)),
            CellStatus.CONFLICT.value: Count("id", filter=conflict),
            CellStatus.IN_PROGRESS.value: Count("id", filter=running & ~Q(status=AssignmentStatus.PENDING)),
            CellStatus.SUBMITTED.value: Count("id", filter=submitted),
            CellStatus.OVERDUE.value: Count("id", filter=overdue),
        }
    )


def round_matrix_panels(rnd: ReviewRound):
    """The round's panels in the matrix's order with what a row shows; page it, then `review_matrix`."""
    return (
        Panel.objects.filter(round=rnd)
        .select_related("application__enterprise", "round")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("sheet")))
        .order_by("application__record_name_zh", "pk")
    )


def review_matrix(*, rnd: ReviewRound, panels=None) -> Matrix:
    """Applications × experts of one round with each sheet's status; constant queries.

    `panels` is the page of `round_matrix_panels(rnd)` to show (all of them when None); the counts
    are the whole round's, counted in the database.
    """
    now = timezone.now()
    experts = list(cycle_experts(rnd.cycle))
    chosen = round_matrix_panels(rnd) if panels is None else panels
    rows = []
    for panel in chosen:
        by_expert = {}
        for a in panel.assignments.all():
            a.panel = panel
            by_expert[a.expert_id] = a
        cells = []
        for e in experts:
            a = by_expert.get(e.pk)
            cells.append((a, cell_status(a, now) if a else None))
        rows.append(MatrixRow(panel, cells))
    return Matrix(rnd, experts, rows, matrix_counts(rnd=rnd, now=now))


# An application in these states no longer competes in its cycle.
NOT_COMPETING = (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN, ApplicationStatus.INELIGIBLE)


def competing_credit_codes(cycle_id: int) -> set[str]:
    """Credit codes (upper case) of the enterprises that apply in the cycle and are still in it."""
    return {
        code.upper()
        for code in Application.objects.filter(cycle_id=cycle_id)
        .exclude(status__in=NOT_COMPETING)
        .values_list("enterprise__credit_code", flat=True)
    }


def experts_whose_employer_applies(cycle_id: int) -> dict[int, str]:
    """Experts of the cycle whose employer applies in it (a soft conflict): expert id -> employer."""
    competing = competing_credit_codes(cycle_id)
    return {
        p.user_id: p.employer or p.employer_credit_code
        for p in ExpertProfile.objects.filter(
            user__cycle_memberships__cycle_id=cycle_id, user__cycle_memberships__role=CycleRole.EXPERT
        ).exclude(employer_credit_code="")
        if p.employer_credit_code.upper() in competing
    }


# Which application status each round takes as input.
ROUND_INPUT = {
    RoundKind.MATERIAL: (ApplicationStatus.ELIGIBLE, ApplicationStatus.MATERIAL_REVIEW),
    RoundKind.ONSITE: (ApplicationStatus.ONSITE_REVIEW,),
}


def round_applications(rnd: ReviewRound):
    """The applications a round takes, oldest first (the panels page pages them)."""
    return (
        Application.objects.filter(cycle_id=rnd.cycle_id, status__in=ROUND_INPUT[rnd.kind])
        .select_related("enterprise")
        .order_by("pk")
    )


def round_panels(*, rnd: ReviewRound, applications=None):
    """(application, panel or None) for the round's applications, or for the page of them given."""
    apps = list(round_applications(rnd) if applications is None else applications)
    panels = {
        p.application_id: p
        for p in Panel.objects.filter(round=rnd, application__in=[a.pk for a in apps]).prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("expert").order_by("-is_leader", "expert__email"),
            )
        )
    }
    return [(a, panels.get(a.pk)) for a in apps]


@dataclass
class ExpertPerformance:
    expert: User
    assigned: int
    submitted: int
    on_time: int
    conflicts: int
    mean_deviation: Decimal | None  # mean |own total − panel score| over submitted sheets


def expert_performance(*, cycle: AwardCycle) -> list[ExpertPerformance]:
    scores = cycle_panel_scores(cycle=cycle)
    totals = sheet_totals(cycle=cycle)
    deviations: dict[int, list[Decimal]] = defaultdict(list)
    n_items = len(_framework_items(cycle))
    for panel_id, expert_id, total, n in totals:
        s = scores.get(panel_id)
        if s and n == n_items:
            deviations[expert_id].append(abs(total - s.total))
    stats = {
        r["expert_id"]: r
        for r in Assignment.objects.filter(panel__round__cycle=cycle)
        .values("expert_id")
        .order_by()
        .annotate(
            assigned=Count("id", filter=~Q(status=AssignmentStatus.CONFLICT)),
            conflicts=Count("id", filter=Q(status=AssignmentStatus.CONFLICT)),
            submitted=Count("id", filter=Q(sheet__status=SheetStatus.SUBMITTED) & ~Q(status=AssignmentStatus.CONFLICT)),
            on_time=Count(
                "id",
                filter=Q(sheet__status=SheetStatus.SUBMITTED, sheet__submitted_at__lte=F("panel__round__closes_at"))
                & ~Q(status=AssignmentStatus.CONFLICT),
            ),
        )
    }
    result = []
    for e in cycle_experts(cycle):
        r = stats.get(e.pk, {})
        devs = deviations.get(e.pk, [])
        result.append(
            ExpertPerformance(
                expert=e,
                assigned=r.get("assigned", 0),
                submitted=r.get("submitted", 0),
                on_time=r.get("on_time", 0),
                conflicts=r.get("conflicts", 0),
                mean_deviation=(sum(devs, Decimal(0)) / len(devs)).quantize(scoring.CENT) if devs else None,
            )
        )
    return result


def pool_experts_not_in(cycle: AwardCycle):
    """Experts of the pool (anyone with a profile) who are not yet experts of this cycle."""

    members = User.objects.filter(cycle_memberships__cycle=cycle, cycle_memberships__role=CycleRole.EXPERT)
    return ExpertProfile.objects.exclude(user__in=members).select_related("user").order_by("user__email")


def _of_record(prefix: str, field: str) -> Case:
    """An application's name or code of record in SQL (the live profile's only for one never submitted),
    like Application.name_zh / name_en / credit_code."""
    return Case(
        When(**{f"{prefix}record_credit_code": ""}, then=F(f"{prefix}enterprise__{field}")),
        default=F(f"{prefix}record_{field}"),
    )


def export_score_rows(*, cycle: AwardCycle):
    """Every counted item score of the cycle, for the exports: one query, streamed."""
    return (
        counting_scores()
        .filter(sheet__assignment__panel__round__cycle=cycle)
        .order_by(
            "sheet__assignment__panel__round__kind",
            "sheet__assignment__panel__application_id",
            "sheet__assignment__expert__email",
            "item__category__order",
            "item__order",
        )
        .annotate(
            of_record_zh=_of_record("sheet__assignment__panel__application__", "name_zh"),
            of_record_en=_of_record("sheet__assignment__panel__application__", "name_en"),
            of_record_code=_of_record("sheet__assignment__panel__application__", "credit_code"),
        )
        .values_list(
            "sheet__assignment__panel__round__kind",
            "of_record_zh",
            "of_record_en",
            "of_record_code",
            "sheet__assignment__expert__email",
            "item__code",
            "item__points",
            "percent",
        )
    )


def expert_candidates(rnd: ReviewRound) -> list[ExpertCandidate]:
    """The cycle's experts as the panel builder sees them: ties, industries, load in the round."""
    competing = competing_credit_codes(rnd.cycle_id)
    experts = list(
        User.objects.filter(cycle_memberships__cycle_id=rnd.cycle_id, cycle_memberships__role=CycleRole.EXPERT)
        .select_related("expert_profile")
        .prefetch_related("expert_profile__past_clients", "declared_conflicts", "enterprise_memberships")
        .order_by("pk")
    )
    loads: dict[int, int] = {}
    for expert_id in (
        Assignment.objects.filter(panel__round=rnd)
        .exclude(status=AssignmentStatus.CONFLICT)
        .values_list("expert_id", flat=True)
    ):
        loads[expert_id] = loads.get(expert_id, 0) + 1
    result = []
    for e in experts:
        profile = getattr(e, "expert_profile", None)
        result.append(
            ExpertCandidate(
                id=e.pk,
                employer_code=(profile.employer_credit_code if profile else ""),
                client_codes=frozenset(c.credit_code for c in profile.past_clients.all()) if profile else frozenset(),
                # Declared conflicts, and any enterprise the expert belongs to as an applicant.
                conflict_enterprise_ids=frozenset(c.enterprise_id for c in e.declared_conflicts.all())
                | frozenset(m.enterprise_id for m in e.enterprise_memberships.all()),
                industries=frozenset(profile.industries if profile else ()),
                load=loads.get(e.pk, 0),
                employer_applies=bool(profile and profile.employer_credit_code.upper() in competing),
            )
        )
    return result


def panel_request_for(application: Application, existing=()) -> PanelRequest:
    """What the panel builder needs to know of an application (and the experts already on its panel)."""
    ent = application.enterprise
    return PanelRequest(application.pk, ent.pk, ent.credit_code, ent.industry, tuple(existing))


def expert_notes_for(*, rnd: ReviewRound, application: Application) -> dict[int, str]:
    """For the hand-made panel form: each expert's load in the round, industry match, hard conflict."""
    request = panel_request_for(application)
    notes = {}
    for c in expert_candidates(rnd):
        parts = [ngettext("%(n)s panel in this round", "%(n)s panels in this round", c.load) % {"n": c.load}]
        if request.industry in c.industries:
            parts.append(_("knows the industry"))
        if hard_conflict(c, request):
            parts.append(_("CONFLICT OF INTEREST"))
        elif soft_conflict(c, request):
            parts.append(_("employer applies in this cycle: should not lead the panel"))
        notes[c.id] = " · ".join(str(p) for p in parts)
    return notes
