"""A streaming XLSX writer for exports: rows go straight into the zip member as they come.

Only what exports need: several sheets, a bold frozen header row, text (inline strings, so a
cell is never read as a formula), numbers and empty cells. Memory stays flat whatever the number
of rows (the zip member is compressed while written); it is several times faster than openpyxl's
write-only mode, which builds an object per cell. Spreadsheet programs, openpyxl and pandas read
the result (tests/reviews/test_views.py reads it back cell by cell against the CSV export).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# XML 1.0 refuses most control characters; a spreadsheet cell has no use for them either.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EMPTY = "<c/>"


def _text(value: str) -> str:
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    return value


def _cell(value, style: str = "") -> str:
    # Cells carry no reference: each row lists every column in order (<c/> for an empty one).
    kind = type(value)
    if kind is str:
        if not value:
            return _EMPTY
        return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if value is None:
        return _EMPTY
    if kind is bool:
        return f'<c t="b"{style}><v>{int(value)}</v></c>'
    if kind is int or kind is float or kind is Decimal:
        return f"<c{style}><v>{value}</v></c>"
    return _cell(str(value), style)


def _row_xml(values: Iterable, *, style: str = "") -> str:
    if style:
        return "<row>" + "".join([_cell(v, style) for v in values]) + "</row>"
    return "<row>" + "".join([_cell(v) for v in values]) + "</row>"


def write_xlsx(sheets: Iterable[tuple[str, list, Iterable[Iterable]]], *, chunk_rows: int = 2000) -> IO[bytes]:
    """[(title, header, rows)] as an XLSX workbook in a temporary file, returned rewound (it is
    deleted when closed). Rows are consumed once, in order."""
    sheets = list(sheets)
    titles = [str(title)[:31] for title, _header, _rows in sheets]
    count = len(titles)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, which closes it
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
            overrides = "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
                for i in range(1, count + 1)
            )
            zf.writestr(
                "[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>{overrides}</Types>',
            )
            zf.writestr(
                "_rels/.rels",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            )
            sheets_xml = "".join(
                f'<sheet name="{_text(t)}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(titles, start=1)
            )
            zf.writestr(
                "xl/workbook.xml",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" '
                f'xmlns:r="{_REL}"><sheets>{sheets_xml}</sheets></workbook>',
            )
            rels = "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, count + 1)
            )
            zf.writestr(
                "xl/_rels/workbook.xml.rels",
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG_REL}">'
                f'{rels}<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
            )
            zf.writestr("xl/styles.xml", _STYLES)
            for n, (_title, header, rows) in enumerate(sheets, start=1):
                with zf.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as f:
                    f.write(
                        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}">'
                        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'.encode()
                    )
                    f.write(_row_xml([str(h) for h in header], style=' s="1"').encode())
                    buffer = []
                    for row in rows:
                        buffer.append(_row_xml(row))
                        if len(buffer) >= chunk_rows:
                            f.write("".join(buffer).encode())
                            buffer = []
                    f.write(("".join(buffer) + "</sheetData></worksheet>").encode())
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out
