"""The streaming XLSX writer: what it writes is what a reader finds, cell by cell."""

from decimal import Decimal

from openpyxl import load_workbook

from core.xlsx import write_xlsx


def test_cells_keep_their_column_types_and_text():
    rows = [
        ["a & <b>", "", 3, None, Decimal("12.50"), 1.5, True, "=SUM(A1:A2)"],
        ["bell\x07 and tab\tkept", "郴州", 0, "x", Decimal("0"), -2.25, False, "  spaced  "],
    ]
    with write_xlsx(
        [("第一页", ["h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8"], iter(rows)), ("Empty", ["only"], iter([]))]
    ) as f:
        wb = load_workbook(f)
    first, empty = wb.worksheets
    assert wb.sheetnames == ["第一页", "Empty"]
    got = [[c.value for c in r] for r in first.iter_rows()]
    assert got[0] == ["h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8"]
    assert got[1] == ["a & <b>", None, 3, None, 12.5, 1.5, True, "=SUM(A1:A2)"]
    assert got[2] == ["bell and tab\tkept", "郴州", 0, "x", 0, -2.25, False, "  spaced  "]
    assert first.cell(2, 8).data_type == "s"  # text, never a formula
    assert first.cell(1, 1).font.b and not first.cell(2, 1).font.b
    assert first.freeze_panes == "A2"
    assert [[c.value for c in r] for r in empty.iter_rows()] == [["only"]]
