"""Reads for review health: the item scores of a cycle in a constant number of queries, turned into
the figures of `reviews.health` as a JSON-ready record (the committee stores it when its meeting
closes; the office's cycle page shows it live)."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, FloatField, Max, Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

from awards.models import Application, AwardCycle, CriteriaItem
from core.models import User

from . import health
from .enums import AssignmentStatus, RoundKind, SheetStatus
from .models import Assignment, ItemScore, Panel, PanelScore, ReviewRound, ScoreSheet
from .selectors import NOMINATED, ROUND_ORDER, SHORTLISTED, _of_record, counting_scores

logger = logging.getLogger(__name__)

DIGITS = 3  # correlations
POINTS = 1  # points (decimals shown)


def _r(value: float | None, digits: int = POINTS) -> float | None:
    return None if value is None else round(value, digits)


# Each sheet's total, raw and normalised, in one statement. The normalisation is that of
# `scoring.normalise` (the expert's z-score over everything they scored in the round, mapped onto the
# round's pooled mean and population SD, kept within 0–100); tests/reviews/test_health.py holds the
# two equal. Summed in the database: at 2,000 applications that is 230,000 item scores.
SHEET_TOTALS_SQL = """
WITH s AS (
    SELECT r.kind AS kind, a.panel_id AS panel_id, a.expert_id AS expert_id, ci.points AS points,
           CAST(i.percent AS DOUBLE PRECISION) AS pct
    FROM {score} i
    JOIN {sheet} sh ON sh.id = i.sheet_id
    JOIN {assignment} a ON a.id = sh.assignment_id
    JOIN {panel} p ON p.id = a.panel_id
    JOIN {round} r ON r.id = p.round_id
    JOIN {item} ci ON ci.id = i.item_id
    WHERE r.cycle_id = %s AND sh.status = %s AND a.status <> %s
),
e AS (SELECT kind, expert_id, AVG(pct) AS m, STDDEV_POP(pct) AS sd FROM s GROUP BY kind, expert_id),
g AS (SELECT kind, AVG(pct) AS m, STDDEV_POP(pct) AS sd FROM s GROUP BY kind)
SELECT s.kind, s.panel_id, s.expert_id,
       SUM(s.points * s.pct) / 100.0,
       SUM(s.points * {least}(100.0, {greatest}(0.0,
           g.m + CASE WHEN e.sd > 0 THEN (s.pct - e.m) * g.sd / e.sd ELSE 0 END))) / 100.0
FROM s
JOIN e ON e.kind = s.kind AND e.expert_id = s.expert_id
JOIN g ON g.kind = s.kind
GROUP BY s.kind, s.panel_id, s.expert_id
"""


def _sheet_totals(cycle: AwardCycle):
    """(round kind, panel, expert, raw total, normalised total) of every counting sheet of the cycle."""

    least, greatest = ("MIN", "MAX") if connection.vendor == "sqlite" else ("LEAST", "GREATEST")
    sql = SHEET_TOTALS_SQL.format(
        score=ItemScore._meta.db_table,
        sheet=ScoreSheet._meta.db_table,
        assignment=Assignment._meta.db_table,
        panel=Panel._meta.db_table,
        round=ReviewRound._meta.db_table,
        item=CriteriaItem._meta.db_table,
        least=least,
        greatest=greatest,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle.pk, SheetStatus.SUBMITTED, AssignmentStatus.CONFLICT])
        return cursor.fetchall()


HEALTH_CACHE_SECONDS = 600  # names of record shown in the figures are at most this old


def _inputs_fingerprint(cycle: AwardCycle) -> str:
    """What the figures are computed from, in two queries: every score change (a sheet submitted or
    reopened, a consensus recorded) rewrites or removes a stored panel score
    (`reviews.panel_scores.refresh`), so their number and newest time change with it; the cut-offs
    follow how many applications were shortlisted and nominated."""
    seen = PanelScore.objects.filter(panel__round__cycle=cycle).aggregate(n=Count("pk"), at=Max("updated_at"))
    cut = Application.objects.filter(cycle=cycle).aggregate(
        s=Count("pk", filter=Q(status__in=SHORTLISTED)), n=Count("pk", filter=Q(status__in=NOMINATED))
    )
    at = seen["at"].timestamp() if seen["at"] else 0
    return f"{seen['n']}-{at}-{cut['s']}-{cut['n']}"


def review_health_now(*, cycle: AwardCycle) -> dict:
    """`review_health` of today's scores for the pages that show it live (the office's health page,
    the committee report of a meeting not yet closed): computed once per state of the stored panel
    scores and kept in the cache, so a page view costs two queries instead of summing every item score
    of the cycle. A cache that does not answer (Redis away) only costs the computation."""
    key = f"reviews:health:{cycle.pk}:{_inputs_fingerprint(cycle)}"
    try:
        kept = cache.get(key)
    except Exception as exc:
        logger.warning("Review health computed without the cache, which is unreachable: %s", exc)
        return review_health(cycle=cycle)
    if kept is None:
        kept = review_health(cycle=cycle)
        try:
            cache.set(key, kept, HEALTH_CACHE_SECONDS)
        except Exception as exc:
            logger.warning("Review health not kept, the cache is unreachable: %s", exc)
    return kept


def review_health(*, cycle: AwardCycle) -> dict:
    """Agreement, leniency and the effect of normalisation per round, and the drift between the rounds.

    Five queries whatever the number of applications: the panels, the sheet totals (raw and
    normalised, summed in the database), the category points of applications scored in both rounds,
    the applications and the experts.
    """
    panels = {
        pk: (app_id, kind)
        for pk, app_id, kind in Panel.objects.filter(round__cycle=cycle).values_list(
            "pk", "application_id", "round__kind"
        )
    }
    if not panels:
        return {}
    counting = counting_scores().filter(sheet__assignment__panel__round__cycle=cycle)
    totals: dict[str, dict[int, dict[int, float]]] = {k: defaultdict(dict) for k in ROUND_ORDER}
    norm_totals: dict[str, dict[int, list[float]]] = {k: defaultdict(list) for k in ROUND_ORDER}
    expert_ids = set()
    for kind, panel_id, expert_id, raw_total, norm_total in _sheet_totals(cycle):
        totals[kind][panel_id][expert_id] = float(raw_total)
        norm_totals[kind][panel_id].append(float(norm_total))
        expert_ids.add(expert_id)
    points = F("item__points") * F("percent") / 100.0
    both = {panels[p][0] for p in totals[RoundKind.MATERIAL]} & {panels[p][0] for p in totals[RoundKind.ONSITE]}
    cats: dict[str, dict[int, dict[str, float]]] = {k: defaultdict(dict) for k in ROUND_ORDER}
    if both:
        for kind, panel_id, code, value, experts_n in (
            counting.filter(sheet__assignment__panel__application_id__in=both)
            .values_list("sheet__assignment__panel__round__kind", "sheet__assignment__panel_id", "item__category__code")
            .annotate(v=Sum(points, output_field=FloatField()), e=Count("sheet", distinct=True))
            .order_by()
        ):
            cats[kind][panels[panel_id][0]][code] = value / experts_n
    panel_app = {p: app for p, (app, _kind) in panels.items() if any(p in totals[k] for k in ROUND_ORDER)}
    if not panel_app:
        return {}
    apps = {
        row["pk"]: row
        for row in Application.objects.filter(pk__in=set(panel_app.values()))
        .annotate(zh=_of_record("", "name_zh"), en=_of_record("", "name_en"))
        .values("pk", "zh", "en", "status")
    }
    experts = {
        pk: name or email
        for pk, name, email in User.objects.filter(pk__in=expert_ids).values_list("pk", "full_name", "email")
    }
    status = {pk: a["status"] for pk, a in apps.items()}
    onsite_apps = {panel_app[p] for p in totals[RoundKind.ONSITE]}
    cuts = {
        # material: the line the shortlist for on-site review drew; on-site: the nominations
        RoundKind.MATERIAL: len({a for a, s in status.items() if s in SHORTLISTED} | onsite_apps),
        RoundKind.ONSITE: sum(1 for a in onsite_apps if status[a] in NOMINATED),
    }

    def name(app_id: int) -> dict:
        a = apps[app_id]
        return {"id": app_id, "zh": a["zh"] or a["en"], "en": a["en"] or a["zh"]}

    rounds = []
    for kind in ROUND_ORDER:
        if not totals[kind]:
            continue
        per_panel = totals[kind]
        agreement = health.icc_oneway([list(t.values()) for t in per_panel.values()])
        lenient = health.leniency(per_panel)
        raw_mean = {panel_app[p]: sum(t.values()) / len(t) for p, t in per_panel.items()}
        norm_mean = {panel_app[p]: sum(v) / len(v) for p, v in norm_totals[kind].items()}
        order = health.reordering(raw_mean, norm_mean, cut=cuts[kind] or None)
        rounds.append(
            {
                "kind": kind,
                "panels": len(per_panel),
                "agreement": None
                if agreement is None
                else {
                    "targets": agreement.targets,
                    "ratings": agreement.ratings,
                    "k": _r(agreement.k, 2),
                    "f": _r(agreement.f, 2),
                    "df1": agreement.df1,
                    "df2": agreement.df2,
                    "single": _r(agreement.single, DIGITS),
                    "single_low": _r(agreement.single_low, DIGITS),
                    "single_high": _r(agreement.single_high, DIGITS),
                    "average": _r(agreement.average, DIGITS),
                    "average_low": _r(agreement.average_low, DIGITS),
                    "average_high": _r(agreement.average_high, DIGITS),
                    "confidence": agreement.confidence,
                },
                "leniency": [
                    {
                        "id": row.expert,
                        "name": experts.get(row.expert, ""),
                        "deviation": _r(row.deviation),
                        "count": row.count,
                    }
                    for row in lenient
                ],
                "reordering": {
                    "spearman": _r(order.spearman, DIGITS),
                    "kendall": _r(order.kendall, DIGITS),
                    "moved": order.moved,
                    "cut": order.cut,
                    "crossed": order.crossed,
                    "largest": order.largest,
                    "ranked": len(order.rows),
                    "rows": [
                        {
                            **name(r.key),
                            "raw": _r(r.raw),
                            "normalised": _r(r.normalised),
                            "raw_rank": r.raw_rank,
                            "normalised_rank": r.normalised_rank,
                            "change": r.change,
                        }
                        for r in order.rows
                    ],
                },
            }
        )
    drift_rows, drift_means = health.drift(cats[RoundKind.MATERIAL], cats[RoundKind.ONSITE])
    return {
        "computed_at": timezone.now().isoformat(),
        "rounds": rounds,
        "drift": {
            "codes": sorted(drift_means),
            "means": {c: _r(v) for c, v in drift_means.items()},
            "rows": [
                {
                    **name(r.key),
                    "material": _r(r.material),
                    "onsite": _r(r.onsite),
                    "change": _r(r.change),
                    "categories": {c: _r(v) for c, v in r.categories.items()},
                }
                for r in drift_rows
            ],
        },
    }


SHOWN_ROWS = 50  # rows of rank changes and drift shown in the block (the record keeps every row)


def health_context(record: dict) -> dict | None:
    """What the block shows of a record: round labels, names in the reader's language, the rank changes
    (every row up to SHOWN_ROWS applications, else the largest changes) and the largest drifts."""
    if not record or not record.get("rounds"):
        return None
    english = (get_language() or "").startswith("en")
    labels = dict(RoundKind.choices)

    def named(row: dict) -> dict:
        return {**row, "name": row["en"] if english else row["zh"]}

    rounds = []
    for r in record["rounds"]:
        order = r["reordering"]
        rows = order["rows"]
        if len(rows) > SHOWN_ROWS:
            rows = sorted(rows, key=lambda x: (-abs(x["change"]), x["raw_rank"]))[:SHOWN_ROWS]
            rows.sort(key=lambda x: x["raw_rank"])
        rounds.append(
            {
                **r,
                "label": labels.get(r["kind"], r["kind"]),
                "rank_rows": [named(x) for x in rows],
                "rank_rows_hidden": len(order["rows"]) - len(rows),
                "lenient": [x for x in r["leniency"] if x["deviation"] > 0][:3],
                "severe": [x for x in reversed(r["leniency"]) if x["deviation"] < 0][:3],
            }
        )
    drift = record.get("drift") or {}
    drift_rows = [named(x) for x in (drift.get("rows") or [])[:SHOWN_ROWS]]
    for x in drift_rows:
        x["cells"] = [x["categories"].get(c) for c in drift.get("codes", [])]
    return {
        "rounds": rounds,
        "computed_at": parse_datetime(record["computed_at"]) if record.get("computed_at") else None,
        "drift": {
            "codes": drift.get("codes", []),
            "means": [drift.get("means", {}).get(c) for c in drift.get("codes", [])],
            "rows": drift_rows,
            "hidden": len(drift.get("rows") or []) - len(drift_rows),
            "count": len(drift.get("rows") or []),
        },
    }
