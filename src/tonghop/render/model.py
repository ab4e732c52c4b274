"""ReportData: everything a consolidated report needs to be rendered, with no database in sight."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

Cell = str | int | float | Decimal | None
Number = int | float | Decimal
COMPARISON_COLUMNS = ["Chỉ tiêu", "Đơn vị tính", "Kỳ này", "Kỳ trước", "So với kỳ trước (%)",
                      "Cùng kỳ năm trước", "So với cùng kỳ (%)"]


@dataclass
class ReportTable:
    """A data table: header texts, rows of cells (numbers stay numbers), an optional totals row and notes."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]
    total_row: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)
    unit_note: str | None = None  # "Đơn vị tính: triệu đồng", printed above the table on the right


@dataclass
class ReportSection:
    """A body section: label ("I.", "1.", "a)"), title, paragraphs, nested subsections and tables."""

    label: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    subsections: list[ReportSection] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)


@dataclass
class ReportComparison:
    """One indicator this period against the previous period and the same period last year."""

    indicator: str
    unit: str | None
    value: Number | None
    previous: Number | None = None
    same_period_last_year: Number | None = None


@dataclass
class Signer:
    """Signature block: authority prefix ("KT.", "TM."), the authority's title under it, own title, name."""

    authority: str | None = None
    authority_title: str | None = None  # "CHỦ TỊCH" under "KT.", "ỦY BAN NHÂN DÂN" under "TM."
    title: str | None = None  # "PHÓ CHỦ TỊCH"
    name: str | None = None


@dataclass
class Series:
    """Figures for a chart: one or more named lines/bar groups over the same categories (periods or units)."""

    title: str
    categories: list[str]
    values: dict[str, list[Number | None]]
    unit: str | None = None  # y-axis label, e.g. "người" or "triệu đồng"
    kind: str = "line"  # "line" for an indicator over periods, "bar" for units compared


@dataclass
class ReportData:
    """A consolidated report as an official document (Decree 30/2020/NĐ-CP) plus its tables and charts."""

    issuer: str
    subject: str
    parent_issuer: str | None = None
    number: str | None = None  # "12" or "12/BC-UBND"; None leaves the number blank for the clerk
    number_suffix: str = "BC-UBND"
    place: str = ""
    date: dt.date | None = None  # None leaves the day blank, and month and year unless month_of_issue is set
    month_of_issue: tuple[int, int] | None = None  # (year, month) for a draft: "ngày      tháng 11 năm 2020"
    type_name: str = "BÁO CÁO"
    intro: list[str] = field(default_factory=list)
    sections: list[ReportSection] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    comparisons: list[ReportComparison] = field(default_factory=list)
    completeness: str | None = None
    signer: Signer | None = None
    recipients: list[str] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """TEXT in NFC, line ends as \\n, without the control characters XML cannot carry (Word's \\x0b)."""
    return unicodedata.normalize("NFC", _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")))


def number_line(data: ReportData) -> str:
    """The "Số: 12/BC-UBND" line, or "Số:      /BC-UBND" with the number left blank."""
    if data.number is None or not str(data.number).strip():
        return f"Số:{' ' * 6}/{data.number_suffix}"
    number = str(data.number).strip()
    return f"Số: {number}" if "/" in number else f"Số: {number}/{data.number_suffix}"


def date_line(data: ReportData) -> str:
    """Place and date; days below 10 and months 1-2 carry a leading zero; a missing date leaves blanks."""
    place = data.place.strip()
    prefix = f"{place}, " if place else f"{'.' * 12}, "
    gap = " " * 6
    if data.date is None and data.month_of_issue is None:
        return f"{prefix}ngày{gap}tháng{gap}năm{gap}"
    if data.date is None:
        year, month = data.month_of_issue
        if not 1 <= month <= 12:
            raise ValueError(f"Tháng ban hành không hợp lệ: {month} (cần từ 1 đến 12)")
        return f"{prefix}ngày{gap}tháng {_month(month)} năm {year}"
    d = data.date
    return f"{prefix}ngày {d.day:02d} tháng {_month(d.month)} năm {d.year}"


def _month(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def _decimal(value: Number) -> Decimal:
    return Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)


def format_cell(value: Cell, decimals: int | None = None) -> str:
    """A cell as printed: numbers in Vietnamese notation (1.234.567; 65,9), None as empty.

    DECIMALS fixes the places after the comma (a column's common precision); None prints integers plainly
    and at most two places otherwise.
    """
    from tonghop.text.numbers import format_number

    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, bool):
        raise ValueError(f"Ô bảng không nhận giá trị logic {value!r}")
    d = _decimal(value)
    if decimals is not None:
        return format_number(d, decimals=decimals)
    if d == d.to_integral_value():
        return format_number(int(d))
    return format_number(d, decimals=2).rstrip("0").rstrip(",")


def column_decimals(values: list[Cell], limit: int = 2) -> int | None:
    """The places a numeric column needs so its figures line up (None when all are whole numbers)."""
    places = 0
    step = Decimal(1).scaleb(-limit)
    with localcontext() as ctx:
        ctx.prec = 80  # quantize must not fail on very long figures
        for v in values:
            if is_number(v):
                d = _decimal(v).quantize(step, rounding=ROUND_HALF_UP).normalize()
                if d != d.to_integral_value():
                    places = max(places, min(limit, -d.as_tuple().exponent))
    return places or None


def format_rows(columns: int, rows: list[list[Cell]]) -> list[list[tuple[str, bool]]]:
    """Rows as (text, is_number) pairs, each numeric column printed with one common precision."""
    places = [column_decimals([r[i] for r in rows]) for i in range(columns)]
    return [[(format_cell(c, places[i] if is_number(c) else None), is_number(c)) for i, c in enumerate(r)]
            for r in rows]


def is_number(value: Cell) -> bool:
    """True for numeric cells (printed right-aligned)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _percent(value, base) -> Decimal | None:
    if value is None or base is None or Decimal(str(base)) == 0:
        return None
    ratio = Decimal(str(value)) / Decimal(str(base)) * 100
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def comparison_table(comparisons: list[ReportComparison]) -> ReportTable:
    """The comparisons as a table: this period, previous, same period last year, and the ratios in %."""
    rows = [[c.indicator, c.unit, c.value, c.previous, _percent(c.value, c.previous), c.same_period_last_year,
             _percent(c.value, c.same_period_last_year)] for c in comparisons]
    return ReportTable("So sánh với kỳ trước và cùng kỳ năm trước", list(COMPARISON_COLUMNS), rows)
