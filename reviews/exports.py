"""Exports of a cycle's ranking and every item score. Both formats come from the same tables.

The item scores (five experts × 23 items per application and round: 230,000 rows for 2,000
applications) are read from the database in chunks and written out as they come, so an export's
memory does not grow with the cycle.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import IO

from django.utils.translation import gettext as _

from awards.models import AwardCycle
from core.xlsx import write_xlsx

from . import scoring, selectors
from .enums import RoundKind

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula (=, +, -, @ first) is written with a leading
    apostrophe: an enterprise name like =HYPERLINK(...) stays text in Excel and WPS."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export_tables(*, cycle: AwardCycle) -> list[tuple[str, list[str], Iterable[list]]]:
    """[(title, header, rows)]: the ranking, then every counted item score.

    Titles, headers and labels are translated now; the item-score rows are an iterator over the
    database, to be consumed once."""
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
        _("Presentation"),
        _("With presentation"),
        *[f"{c}" for c in codes],
    ]
    rank_rows = [
        [safe_cell(v) for v in row]
        for row in (
            [
                r.rank or "",
                # The names of record (as submitted), not the profile as edited since.
                r.application.name_zh,
                r.application.name_en,
                r.application.credit_code,
                r.application.get_status_display(),
                r.material if r.material is not None else "",
                r.onsite if r.onsite is not None else "",
                r.combined if r.combined is not None else "",
                r.presentation.mean if r.presentation else "",
                r.with_presentation if r.with_presentation is not None else "",
                *[r.categories.get(c, "") for c in codes],
            ]
            for r in ranking
        )
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
    labels = {kind: str(label) for kind, label in RoundKind.choices}
    score_rows = (
        [labels[kind], safe_cell(zh), safe_cell(en), code, safe_cell(email), item, pts, pct, scoring.points(pts, pct)]
        for kind, zh, en, code, email, item, pts, pct in selectors.export_score_rows(cycle=cycle).iterator(
            chunk_size=5000
        )
    )
    return [(str(_("Ranking")), rank_header, rank_rows), (str(_("Item scores")), score_header, score_rows)]


class _Line:
    """A file for csv.writer that hands each formatted line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def ranking_csv_lines(*, cycle: AwardCycle, chunk: int = 64 * 1024) -> Iterator[str]:
    """The CSV export in pieces of about `chunk` characters (whole lines), starting with a byte-order
    mark (Excel then reads it as UTF-8). The ranking is computed before the first piece; the item
    scores are read while writing."""
    tables = export_tables(cycle=cycle)
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for n, (title, header, rows) in enumerate(tables):
            if n:
                yield writer.writerow([])
            yield writer.writerow([title])
            yield writer.writerow(header)
            for row in rows:
                yield writer.writerow(row)

    def pieces() -> Iterator[str]:
        buffer: list[str] = []
        size = 0
        for line in lines():
            buffer.append(line)
            size += len(line)
            if size >= chunk:
                yield "".join(buffer)
                buffer, size = [], 0
        if buffer:
            yield "".join(buffer)

    return pieces()


def ranking_xlsx_file(*, cycle: AwardCycle) -> IO[bytes]:
    """The XLSX export in a temporary file (returned rewound, deleted when closed), written row by
    row as the item scores are read (core.xlsx): memory stays flat however many scores the cycle
    has, and the response streams the file from disk."""
    return write_xlsx(
        (title, header, ([float(v) if hasattr(v, "quantize") else v for v in row] for row in rows))
        for title, header, rows in export_tables(cycle=cycle)
    )
