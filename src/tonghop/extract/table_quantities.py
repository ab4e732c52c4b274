"""Figures in tables whose unit is in a "ĐVT" column, in the column heading or in a caption above the table.

Tables reach the extractor as text: rows are lines, cells are separated by "|" (readers join cells with " | ")
or by tabs. A table is a run of two or more lines with two or more separators (one short line without
separators, such as a merged group row, does not break the run). Choices, following DESIGN.md:
- Only whole-number cells to the right of the row's label cell (and of its ĐVT cell) are figures, so STT/row
  numbers, column-numbering rows ("1 | 2 | 3") and headings ("Năm 2023") are never read.
- A cell's unit is, first, "%" when its heading says so ("So sánh (%)", "Tỷ lệ"), then the row's ĐVT cell, then
  the heading's unit ("Diện tích (ha)", "(triệu đồng)", "Số học sinh"), then the caption ("Đơn vị tính: ha").
  A cell with no unit from any of these is skipped.
- Scale words fold into the value: 2.150 under "(triệu đồng)" is 2150000000 "đồng"; a rate's unit is its
  numerator's ("tạ/ha" -> "tạ"), as in the prose extractor.
- Plain four-digit numbers 1900-2100 and columns of dates, codes or notes are skipped; so are cells that
  `parse_number` refuses ("1.5") and cells a quantity in ALREADY overlaps.
"""

from __future__ import annotations

import bisect
import math
import re
from decimal import Decimal
from typing import NamedTuple

from tonghop.extract.model import Quantity
from tonghop.extract.quantities import COUNT_NOUNS
from tonghop.text.errors import ParseError
from tonghop.text.numbers import parse_number

__all__ = ["extract_table_quantities", "parse_unit"]

_NUMBER = re.compile(r"[-−–]?[0-9]+(?:[.,][0-9]+)*")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_LETTERS = re.compile(r"[^\W\d_]{2}")
_STT = re.compile(r"(?:stt|tt|số tt|số thứ tự|thứ tự)")
_DVT = re.compile(r"(?:đvt|đ\.v\.t|đơn vị tính|đơn vị đo|đv tính)\b")
_ROMAN = re.compile(r"[IVXLC]+\.?")
# Columns whose numbers are dates, years, codes or remarks, never figures.
_NOT_FIGURES = re.compile(
    r"(?:năm$|năm (?:thành lập|sinh|ban hành|xây dựng)|thời gian|thời hạn|ngày|mã|ký hiệu|số hiệu"
    r"|số điện thoại|điện thoại|ghi chú|số văn bản|số quyết định|số, ký hiệu)(?!\w)"
)
_CAPTION = re.compile(r"(?:ĐVT|Đvt|đvt|Đơn vị tính|đơn vị tính|ĐƠN VỊ TÍNH)\s*[:：]\s*([^|\n();]+)")
_PARENS = re.compile(r"\(([^()]{1,40})\)")
_PCT_HEADING = re.compile(r"tỷ lệ|tỉ lệ|phần trăm|so sánh|(?<!\w)(?:th|thực hiện)/(?:kh|kế hoạch|ck|cùng kỳ)(?!\w)")
_SCALED = re.compile(
    r"(?P<scale>nghìn|ngàn|triệu|tỷ|tỉ|1\.?000|tr(?=\.|\s|đ))\.?\s*(?P<rest>.*)", re.IGNORECASE | re.DOTALL
)
_SCALE_VALUES = {"nghìn": 10**3, "ngàn": 10**3, "1000": 10**3, "1.000": 10**3, "triệu": 10**6, "tr": 10**6,
                 "tỷ": 10**9, "tỉ": 10**9}
_MONEY = frozenset({"đồng", "đ", "vnđ", "vnd"})
_MEASURES = {"ha": "ha", "héc-ta": "ha", "hécta": "ha", "hecta": "ha", "m2": "m²", "m²": "m²", "km2": "km²",
             "km²": "km²", "m3": "m³", "m³": "m³", "tấn": "tấn", "tạ": "tạ", "kg": "kg", "yến": "yến", "km": "km",
             "m": "m", "cm": "cm", "lít": "lít", "kwh": "kWh", "kw": "kW", "mw": "MW", "usd": "USD",
             "phút": "phút", "giờ": "giờ", "%": "%", "‰": "‰", "phần trăm": "%"}
_WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+){0,2}")
_MAX_HEADER_ROWS = 4


class _Cell(NamedTuple):
    text: str
    start: int
    end: int


class _Unit(NamedTuple):
    unit: str
    scale: int


def _cells(line: str, start: int, sep: str) -> list[_Cell]:
    """The cells of LINE (which begins at offset START of the text), stripped, with their offsets in the text."""
    cells, pos = [], start
    for raw in line.split(sep):
        stripped = raw.strip()
        left = pos + (raw.find(stripped) if stripped else 0)
        cells.append(_Cell(stripped, left, left + len(stripped)))
        pos += len(raw) + 1
    return cells


def _runs(text: str) -> list[list[list[_Cell]]]:
    """Runs of table-like lines, each a list of rows of cells."""
    runs: list[list[list[_Cell]]] = []
    current: list[list[_Cell]] = []
    gap = 0
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        sep = "|" if line.count("|") >= 2 else "\t" if line.count("\t") >= 2 else None
        if sep is not None:
            current.append(_cells(line, start, sep))
            gap = 0
            continue
        if current and gap == 0 and 0 < len(line.strip()) <= 120:
            gap = 1  # a merged group or title row inside a table
            continue
        if len(current) >= 2:
            runs.append(current)
        current, gap = [], 0
    if len(current) >= 2:
        runs.append(current)
    return runs


def parse_unit(raw: str) -> _Unit | None:
    """The unit and scale named by a ĐVT cell or heading ("triệu đồng" -> đồng x 10^6, "Hộ" -> hộ), or None."""
    s = raw.strip().rstrip(".:").strip()
    if not s or len(s) > 30:
        return None
    if "%" in s:
        return _Unit("%", 1) if len(s) <= 3 or s.lower() in ("tỷ lệ %", "tỉ lệ %") else None
    s = s.split("/")[0].strip()  # a rate's unit is its numerator's
    scale = 1
    m = _SCALED.fullmatch(s)
    if m:
        scale = _SCALE_VALUES[m.group("scale").lower()]
        s = m.group("rest").strip().lstrip(".").strip()
    low = s.lower()
    if low in _MONEY:
        return _Unit("đồng", scale)
    if low in _MEASURES:
        return _Unit(_MEASURES[low], scale)
    if _WORDS.fullmatch(s) and len(low) <= 20:
        return _Unit(low, scale)  # a counted noun ("Hộ", "Lượt người")
    return None


def _strict_unit(raw: str) -> _Unit | None:
    """A unit recognised without a ĐVT heading: a measure, money, "%" or a known counted noun."""
    unit = parse_unit(raw)
    if unit is None:
        return None
    known = unit.unit in _MEASURES.values() or unit.unit == "đồng" or unit.unit in COUNT_NOUNS
    return unit if known else None


def _heading_unit(heading: str) -> _Unit | None:
    """The unit a column heading gives its cells: "%", a unit in parentheses, or "Số <counted noun>"."""
    low = heading.lower()
    if "%" in low:
        return _Unit("%", 1)
    for m in _PARENS.finditer(heading):
        inner = _CAPTION.search(m.group(0))
        unit = parse_unit(inner.group(1) if inner else m.group(1))
        if unit is not None:
            return unit
    if _PCT_HEADING.search(low):  # "Tỷ lệ", "So sánh", "TH/KH" without a unit compare in percent
        return _Unit("%", 1)
    words = low.split()
    if len(words) >= 2 and words[0] == "số":
        for n in (3, 2, 1):
            noun = " ".join(words[1 : 1 + n])
            if len(words) > n and noun in COUNT_NOUNS:
                return _Unit(noun, 1)
    return None


def _overlaps(taken: list[tuple[int, int]], cell: _Cell) -> bool:
    """Whether a span in TAKEN (sorted, as (start, end)) overlaps CELL."""
    i = bisect.bisect_left(taken, (cell.end, cell.end))
    return any(e > cell.start for _, e in taken[max(0, i - 8) : i])


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.fullmatch(cell))


def _label_index(row: list[_Cell]) -> int | None:
    for i, cell in enumerate(row):
        if _LETTERS.search(cell.text) and not _ROMAN.fullmatch(cell.text):
            return i
    return None


def _is_data_row(row: list[_Cell]) -> bool:
    """A row with a label and a figure after it; headings ("ĐVT", "STT", "2022 | 2023") are never data."""
    label = _label_index(row)
    if label is None or any(_DVT.match(c.text.lower()) or _STT.fullmatch(c.text.lower()) for c in row):
        return False
    return any(_is_number(c.text) and not _YEAR.fullmatch(c.text) for c in row[label + 1 :])


def _caption_unit(text: str, start: int) -> _Unit | None:
    """The table-wide unit stated in the three lines above the table ("Đơn vị tính: triệu đồng")."""
    before = text[max(0, start - 400) : start].split("\n")[-4:]
    for line in reversed(before):
        m = _CAPTION.search(line)
        if m:
            return parse_unit(m.group(1))
    return None


def _to_value(d: Decimal) -> int | float | None:
    if d == d.to_integral_value():
        return int(d)
    f = float(d)
    return f if math.isfinite(f) else None


def _table(text: str, rows: list[list[_Cell]], taken: list[tuple[int, int]]) -> list[Quantity]:
    """The figures of one table."""
    first_data = next((i for i, row in enumerate(rows) if _is_data_row(row)), None)
    if first_data is None or first_data > _MAX_HEADER_ROWS:
        return []
    header = rows[:first_data]
    caption = _caption_unit(text, rows[0][0].start)
    for row in header:
        for cell in row:
            m = _CAPTION.search(cell.text)
            if m and caption is None:
                caption = parse_unit(m.group(1))
    found: list[Quantity] = []
    by_width: dict[int, tuple[list[str], int | None, bool, list[_Unit | None]]] = {}
    for row in rows[first_data:]:
        if len(row) not in by_width:
            headings, dvt, aligned = _headings(row, header)
            by_width[len(row)] = (headings, dvt, aligned, [_heading_unit(h) if h else None for h in headings])
        found.extend(_row(row, by_width[len(row)], caption, taken))
    return found


def _headings(row: list[_Cell], header: list[list[_Cell]]) -> tuple[list[str], int | None, bool]:
    """The lowered heading of each column of ROW, the index of the ĐVT column, and whether its row has ROW's width."""
    width = len(row)
    headings = [""] * width
    dvt, dvt_aligned = None, False
    for hrow in header:
        lows = [" ".join(cell.text.lower().split()) for cell in hrow]
        row_dvt = next((i for i, c in enumerate(hrow) if _DVT.match(lows[i]) and not _CAPTION.search(c.text)), None)
        if dvt is None and row_dvt is not None and row_dvt < width:
            dvt, dvt_aligned = row_dvt, len(hrow) == width
        # A row with merged headings lines up with the data only up to its ĐVT cell, and at its last cell.
        aligned = range(width) if len(hrow) == width else range(min(width, row_dvt + 1 if row_dvt is not None else 0))
        for i in aligned:
            headings[i] = f"{headings[i]} {lows[i]}".strip()
        if len(hrow) < width and len(hrow) > (row_dvt or 0) + 1:
            headings[-1] = f"{headings[-1]} {lows[-1]}".strip()
    return headings, dvt, dvt_aligned


def _row(row: list[_Cell], columns: tuple[list[str], int | None, bool, list[_Unit | None]], caption: _Unit | None,
         taken: list[tuple[int, int]]) -> list[Quantity]:
    """The figures of one data row, given its columns' headings, ĐVT column and heading units."""
    label = _label_index(row)
    if label is None:
        return []
    headings, dvt, dvt_aligned, heading_units = columns
    row_unit = None
    if dvt is not None and dvt > label:
        # Under a header row of another width the ĐVT cell may be misplaced: only a well-known unit is trusted.
        row_unit = (parse_unit if dvt_aligned else _strict_unit)(row[dvt].text) if dvt < len(row) else None
        first_value = dvt + 1
    elif label + 1 < len(row) and not _is_number(row[label + 1].text) and _strict_unit(row[label + 1].text):
        row_unit, first_value = _strict_unit(row[label + 1].text), label + 2
    else:
        first_value = label + 1
    what = row[label].text.lstrip("-+*•– ").strip() or None
    found = []
    for i in range(first_value, len(row)):
        cell = row[i]
        if not _is_number(cell.text) or _YEAR.fullmatch(cell.text) or _NOT_FIGURES.match(headings[i]):
            continue
        if _STT.fullmatch(headings[i]) or _overlaps(taken, cell):
            continue
        heading = heading_units[i]
        unit = heading if heading and heading.unit == "%" else row_unit or heading or caption
        if unit is None:
            continue
        try:
            number = parse_number(cell.text.replace("−", "-").replace("–", "-"))
        except ParseError:
            continue
        value = _to_value(number * unit.scale)
        if value is not None:
            found.append(Quantity(cell.text, value, unit.unit, None, what, cell.start, cell.end))
    return found


def extract_table_quantities(text: str, already: list[Quantity]) -> list[Quantity]:
    """Figures in the tables of TEXT whose unit is in a ĐVT column, a heading or a caption, minus ALREADY's spans."""
    if "|" not in text and "\t" not in text:
        return []
    taken = sorted((q.start, q.end) for q in already)
    found: list[Quantity] = []
    for rows in _runs(text):
        found.extend(_table(text, rows, taken))
    return found
