"""Exports of a cycle's ranking and every item score. Both formats come from the same tables."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from awards.models import AwardCycle

from . import scoring, selectors
from .enums import RoundKind


def export_tables(*, cycle: AwardCycle) -> list[tuple[str, list[str], list[list]]]:
    """[(title, header, rows)]: the ranking, then every counted item score."""
    codes = list(cycle.framework.categories.order_by("order").values_list("code", flat=True))
    ranking = selectors.cycle_ranking(cycle=cycle)
    rank_header = [
        _("Rank"),
        _("Enterprise"),
        _("English name"),
        _("Credit code"),
        _("Status"),
        _("Material review"),
        _("On-site review"),
        _("Combined"),
        *[f"{c}" for c in codes],
    ]
    rank_rows = [
        [
            r.rank or "",
            r.enterprise.name_zh,
            r.enterprise.name_en,
            r.enterprise.credit_code,
            r.application.get_status_display(),
            r.material if r.material is not None else "",
            r.onsite if r.onsite is not None else "",
            r.combined if r.combined is not None else "",
            *[r.categories.get(c, "") for c in codes],
        ]
        for r in ranking
    ]
    score_header = [
        _("Round"),
        _("Enterprise"),
        _("English name"),
        _("Credit code"),
        _("Expert"),
        _("Item"),
        _("Item points"),
        _("Percentage"),
        _("Points"),
    ]
    labels = dict(RoundKind.choices)
    score_rows = [
        [str(labels[kind]), zh, en, code, email, item, pts, pct, scoring.points(pts, pct)]
        for kind, zh, en, code, email, item, pts, pct in selectors.export_score_rows(cycle=cycle)
    ]
    return [(_("Ranking"), rank_header, rank_rows), (_("Item scores"), score_header, score_rows)]


def ranking_csv(*, cycle: AwardCycle, writer) -> None:
    for n, (title, header, rows) in enumerate(export_tables(cycle=cycle)):
        if n:
            writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)


def ranking_xlsx(*, cycle: AwardCycle) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    for title, header, rows in export_tables(cycle=cycle):
        ws = wb.create_sheet(title=str(title)[:31])
        ws.append([str(h) for h in header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([float(v) if hasattr(v, "quantize") else v for v in row])
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
