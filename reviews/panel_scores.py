"""The stored panel scores (`PanelScore`), refreshed inside the services that change their inputs.

`sheet_submit`, `sheet_reopen` and `consensus_record` call `refresh(panel_ids=...)` in their
transaction; `manage.py refresh_panel_scores` (and the demo and benchmark data, which bulk-create
sheets) computes them for existing data. The arithmetic is `scoring.panel_points`, the same function
the panel page uses, so the stored figure and the page agree to the cent.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from awards.enums import ItemKind
from awards.models import AwardCycle, CriteriaItem

from . import models as live
from . import scoring
from .models import Panel, PanelScore
from .selectors import counting_scores

CHUNK = 500  # panels per statistics query when a whole cycle is refreshed
Models = namedtuple("Models", "ItemScore CriteriaItem Consensus PanelScore")


def compute(panel_ids: Iterable[int], *, models=None) -> dict[int, PanelScore]:
    """Unsaved PanelScore rows for the given panels (those with a submitted sheet), in 5 queries.

    `models` gives ItemScore, CriteriaItem, Consensus and PanelScore (the migration's historical
    ones for the backfill); the live models by default."""
    m = models or Models(live.ItemScore, CriteriaItem, live.Consensus, PanelScore)
    ids = list(panel_ids)
    if not ids:
        return {}
    stats = list(
        scoring.item_statistics(
            counting_scores(m.ItemScore).filter(sheet__assignment__panel_id__in=ids), median=False
        ).values("panel", "item_ref", "trimmed")
    )
    if not stats:
        return {}
    items = {
        pk: (pts, code, kind)
        for pk, pts, code, kind in m.CriteriaItem.objects.filter(pk__in={r["item_ref"] for r in stats}).values_list(
            "pk", "points", "category__code", "category__kind"
        )
    }
    consensus = {
        (p, i): pct
        for p, i, pct in m.Consensus.objects.filter(panel_id__in=ids).values_list("panel_id", "item_id", "percent")
    }
    per_sheet: dict[int, dict[str, list]] = defaultdict(dict)
    for panel_id, expert_id, item_points, percent in (
        counting_scores(m.ItemScore)
        .filter(sheet__assignment__panel_id__in=ids)
        .values_list("sheet__assignment__panel_id", "sheet__assignment__expert_id", "item__points", "percent")
    ):
        total, n = per_sheet[panel_id].get(str(expert_id), (Decimal("0"), 0))
        per_sheet[panel_id][str(expert_id)] = (total + scoring.points(item_points, percent), n + 1)
    cats: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    results: dict[int, Decimal] = defaultdict(Decimal)
    scored: dict[int, int] = defaultdict(int)
    for r in stats:
        pts, code, kind = items[r["item_ref"]]
        value = scoring.panel_points(
            item_points=pts, trimmed=r["trimmed"], consensus=consensus.get((r["panel"], r["item_ref"]))
        )
        cats[r["panel"]][code] += value
        scored[r["panel"]] += 1
        if kind == ItemKind.RESULTS:
            results[r["panel"]] += value
    # Where each panel sits (application, round kind), stored with its score for the ranking; the
    # historical model of the first backfill (migration 0004) has no such columns yet.
    placed = {f.name for f in m.PanelScore._meta.fields} >= {"application", "kind"}
    places = (
        {
            pk: {"application_id": app_id, "kind": kind}
            for pk, app_id, kind in m.PanelScore._meta.get_field("panel")
            .related_model.objects.filter(pk__in=list(cats))
            .values_list("pk", "application_id", "round__kind")
        }
        if placed
        else {}
    )
    now = timezone.now()
    return {
        panel_id: m.PanelScore(
            panel_id=panel_id,
            **places.get(panel_id, {}),
            total=sum(per.values(), Decimal("0")),
            results=results[panel_id],
            categories={code: str(v) for code, v in sorted(per.items())},
            items_scored=scored[panel_id],
            expert_totals={e: [str(t), n] for e, (t, n) in sorted(per_sheet[panel_id].items())},
            updated_at=now,
        )
        for panel_id, per in cats.items()
    }


def refresh(*, panel_ids: Iterable[int], models=None) -> None:
    """Store the current score of each panel given (or remove it when no sheet counts any more)."""
    ids = list(panel_ids)
    rows = compute(ids, models=models)
    score_model = models.PanelScore if models else PanelScore
    with transaction.atomic():
        score_model.objects.filter(panel_id__in=[i for i in ids if i not in rows]).delete()
        score_model.objects.bulk_create(
            rows.values(),
            update_conflicts=True,
            unique_fields=["panel"],
            update_fields=["total", "results", "categories", "items_scored", "expert_totals", "updated_at"],
        )


def refresh_all(panels, *, models=None) -> int:
    """Recompute the score of every panel of a Panel queryset, in chunks; returns how many panels."""
    ids = list(panels.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Grouping a large cycle's item scores sorts on disk with the default 4 MB.
                cursor.execute("SET LOCAL work_mem = '64MB'")
            refresh(panel_ids=ids[start : start + CHUNK], models=models)
    return len(ids)


def refresh_cycle(cycle: AwardCycle) -> int:
    """Recompute every panel score of a cycle (for existing data); returns the number of panels."""
    return refresh_all(Panel.objects.filter(round__cycle=cycle))
