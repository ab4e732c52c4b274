"""ReportData -> XLSX: a "Tổng hợp" summary sheet, then one sheet per table with frozen header and totals."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from tonghop.render.model import (
    Cell,
    ReportData,
    ReportTable,
    clean_text,
    column_decimals,
    comparison_table,
    date_line,
    is_number,
    number_line,
)
from tonghop.render.registry import register

SUMMARY = "Tổng hợp"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
FONT = "Times New Roman"


def _cut(text: str, units: int) -> str:
    """TEXT cut to at most UNITS UTF-16 code units (how Excel counts a sheet name's 31 characters)."""
    out, used = [], 0
    for ch in text:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            break
        out.append(ch)
    return "".join(out)


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name for TITLE (≤ 31 characters, none of []:*?/\\, case-insensitively unique)."""
    base = _cut(_BAD_SHEET_CHARS.sub(" ", clean_text(title)).strip().strip("'"), 31).strip().strip("'") or "Bảng"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = _cut(base, 31 - len(suffix)) + suffix, n + 1
    taken.add(name.lower())
    return name


class _Formats:
    def __init__(self, book) -> None:
        base = {"font_name": FONT, "font_size": 12, "valign": "vcenter"}
        self.title = book.add_format({**base, "bold": True, "font_size": 14})
        self.text = book.add_format(base)  # one-line texts overflow into the empty cells to their right
        self.italic = book.add_format({**base, "italic": True})
        self.header = book.add_format({**base, "bold": True, "border": 1, "align": "center", "text_wrap": True,
                                       "bg_color": "#E8EEF7"})
        self.cell = book.add_format({**base, "border": 1})
        self.bold_cell = book.add_format({**base, "border": 1, "bold": True})
        self._numbers: dict[tuple[int, bool], object] = {}
        self._book, self._base = book, base

    def number(self, places: int | None, bold: bool = False):
        key = (places or 0, bold)
        if key not in self._numbers:
            pattern = "#,##0" + ("." + "0" * key[0] if key[0] else "")
            self._numbers[key] = self._book.add_format({**self._base, "border": 1, "bold": bold,
                                                        "num_format": pattern})
        return self._numbers[key]


def _value(cell: Cell):
    return float(cell) if isinstance(cell, Decimal) else cell


def _column_sum(table: ReportTable, col: int) -> float | None:
    values = [r[col] for r in table.rows]
    if not values or not all(v is None or is_number(v) for v in values):
        return None
    return float(sum(Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in values if v is not None))


def _write_table(sheet, fmt: _Formats, table: ReportTable, first_row: int = 0) -> int:
    """Write TABLE at FIRST_ROW; return the next free row. Totals that are column sums become SUM formulas."""
    row = first_row
    sheet.write_string(row, 0, clean_text(table.title), fmt.title)
    row += 1
    if table.unit_note:
        sheet.write_string(row, 0, clean_text(table.unit_note), fmt.italic)
        row += 1
    header_row = row
    for c, name in enumerate(table.columns):
        sheet.write_string(row, c, clean_text(name), fmt.header)
    row += 1
    n = len(table.columns)
    every = [*table.rows, *([table.total_row] if table.total_row else [])]
    places = [column_decimals([r[c] for r in every]) for c in range(n)]
    for r in table.rows:
        if len(r) != n:
            raise ValueError(f"Bảng {table.title!r}: một dòng có {len(r)} ô, cần {n} ô theo tiêu đề cột")
        for c, cell in enumerate(r):
            if is_number(cell):
                sheet.write_number(row, c, _value(cell), fmt.number(places[c]))
            elif cell is None or cell == "":
                sheet.write_blank(row, c, None, fmt.cell)
            else:
                sheet.write_string(row, c, clean_text(str(cell)), fmt.cell)
        row += 1
    if table.total_row is not None:
        labelled = any(isinstance(c, str) and c.strip() for c in table.total_row)
        for c, cell in enumerate(table.total_row):
            if is_number(cell):
                col_sum = _column_sum(table, c)
                if col_sum is not None and table.rows and abs(col_sum - float(cell)) <= 1e-9 * max(1, abs(col_sum)):
                    span = f"{xl_rowcol_to_cell(header_row + 1, c)}:{xl_rowcol_to_cell(row - 1, c)}"
                    sheet.write_formula(row, c, f"=SUM({span})", fmt.number(places[c], True), _value(cell))
                else:
                    sheet.write_number(row, c, _value(cell), fmt.number(places[c], True))
            elif (cell is None or cell == "") and not labelled:
                sheet.write_string(row, c, "Tổng cộng", fmt.bold_cell)
                labelled = True
            elif cell is None or cell == "":
                sheet.write_blank(row, c, None, fmt.bold_cell)
            else:
                sheet.write_string(row, c, clean_text(str(cell)), fmt.bold_cell)
        row += 1
    for note in table.notes:
        sheet.write_string(row, 0, clean_text(note), fmt.italic)
        row += 1
    return row + 1


def _widths(sheet, table: ReportTable) -> None:
    sample = [*table.rows[:300], *([table.total_row] if table.total_row else [])]
    for c, name in enumerate(table.columns):
        longest = max([len(w) for w in name.split()] + [len(str(r[c])) + 2 for r in sample if r[c] is not None])
        sheet.set_column(c, c, min(50, max(6, longest + 2)))


def _summary(book, fmt: _Formats, data: ReportData) -> None:
    sheet = book.add_worksheet(SUMMARY)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 6, 16)
    lines = [(data.parent_issuer or "").upper(), data.issuer.upper().replace("\n", " "), number_line(data),
             date_line(data)]
    row = 0
    for text in filter(None, lines):
        sheet.write_string(row, 0, clean_text(text), fmt.text)
        row += 1
    sheet.write_string(row, 0, clean_text(f"{data.type_name.upper()}: {data.subject}"), fmt.title)
    row += 2
    if data.completeness:
        sheet.write_string(row, 0, clean_text(data.completeness), fmt.text)
        row += 2
    if data.comparisons:
        row = _write_table(sheet, fmt, comparison_table(data.comparisons), row)
    for table in data.tables:
        total = table.total_row
        if total is None:
            continue
        sheet.write_string(row, 0, clean_text(f"{table.title} (dòng tổng cộng)"), fmt.title)
        row += 1
        for name, cell in zip(table.columns, total, strict=True):
            if is_number(cell):
                sheet.write_string(row, 0, clean_text(name), fmt.cell)
                sheet.write_number(row, 1, _value(cell), fmt.number(column_decimals([cell])))
                row += 1
        row += 1
    sheet.activate()


@register("xlsx")
def render_xlsx(data: ReportData, path: str | Path) -> Path:
    """Write DATA as a workbook: the "Tổng hợp" sheet, then one sheet per table (frozen header, SUM totals)."""
    path = Path(path)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    book.set_properties({"title": clean_text(data.subject), "author": clean_text(data.issuer)})
    fmt = _Formats(book)
    _summary(book, fmt, data)
    taken = {SUMMARY.lower()}
    for table in data.tables:
        sheet = book.add_worksheet(sheet_name(table.title, taken))
        header_row = 2 if table.unit_note else 1
        _write_table(sheet, fmt, table)
        sheet.freeze_panes(header_row + 1, 0)
        sheet.repeat_rows(header_row)
        _widths(sheet, table)
        sheet.set_landscape() if len(table.columns) > 6 else sheet.set_portrait()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
    book.close()
    return path
