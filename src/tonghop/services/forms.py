"""XLSX forms: generate a protected, pre-filled form for a unit and period; read it back cell by cell."""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from tonghop.db import reporting_repo as repo
from tonghop.documents.errors import ReadError
from tonghop.documents.limits import MB, Limits, check_zip, describe
from tonghop.regime.errors import RegimeError, SubmissionError
from tonghop.regime.submissions import parse_value
from tonghop.services.context import database_url, transaction
from tonghop.services.submissions import Desk, Saved, save_submission

SHEET = "Biểu mẫu"
META = "_tonghop"
FIRST_ROW = 7
CODE_COL = "F"
SECTION_PREFIX = "§"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT = PatternFill("solid", fgColor="FFF8DC")
HEADERS = ("STT", "Chỉ tiêu", "Giá trị", "Đơn vị tính", "Phân tổ")
# A form is a few hundred rows of small cells; anything far bigger is damage or an attack, refused before parsing.
_LIMITS = Limits(max_docx_uncompressed=20 * MB, max_zip_members=200)
MAX_ROWS = 5_000
MAX_TEXT = 32_767  # Excel's own limit for one cell
MAX_FIGURE = 10**18  # a figure beyond this (a billion billion) is a typing or file error, not a count or an amount


class FormErrors(SubmissionError):
    """Cells that could not be read; each problem starts with the cell address ("C7: '12,5,3' không phải là số")."""

    def __init__(self, problems: list[str], path: str | Path | None = None) -> None:
        super().__init__((f"{path}: " if path else "") + "; ".join(problems))
        self.problems = problems


@dataclass
class FormContent:
    """What a filled form says."""

    unit: str
    template: str
    period: str
    version: int
    values: dict[str, Any] = field(default_factory=dict)
    narrative: dict[str, str] = field(default_factory=dict)


def _cell(ws, ref: str, value: Any, *, bold: bool = False, editable: bool = False, wrap: bool = False) -> None:
    c = ws[ref]
    c.value = value
    if isinstance(value, str) and value.startswith("="):
        c.data_type = "s"  # text typed by someone ("=HYPERLINK(…)") stays text, never a formula Excel runs
    c.font = Font(name="Times New Roman", size=12, bold=bold)
    c.alignment = Alignment(wrap_text=wrap, vertical="top")
    if editable:
        c.protection = Protection(locked=False)
        c.fill = _INPUT


def generate_form(unit: str, template: str, period: str, path: str | Path, *, url: str | None = None) -> Path:
    """Write the XLSX form of TEMPLATE for UNIT and PERIOD, pre-filled with the latest saved values."""
    url = database_url(url)
    with transaction(url) as session:
        desk = Desk(session, url)
        t = desk.template(template)
        p = desk.period(t, period)
        unit_row = desk.tree().at(p.end).get(unit)
        sub = repo.get_submission(session, unit, t.code, p.code)
        last = repo.versions(session, sub.id)[-1] if sub is not None else None
        due = desk.deadline(t, p)
    values = last.values if last else {}
    narrative = last.narrative if last else {}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    _cell(ws, "A1", t.name.upper(), bold=True)
    _cell(ws, "A2", f"Đơn vị báo cáo: {unit_row.name} ({unit})")
    _cell(ws, "A3", f"Kỳ báo cáo: {p.label} — hạn nộp {due.strftime('%d/%m/%Y')}")
    _cell(ws, "A4", "Chỉ nhập vào các ô màu vàng ở cột C; không sửa các cột khác.")
    for col, title in zip("ABCDE", HEADERS, strict=True):
        _cell(ws, f"{col}6", title, bold=True)
        ws[f"{col}6"].border = _BOX
    row = FIRST_ROW
    for ind in t.indicators:
        for cat in ind.categories or ("",):
            current = values.get(ind.code)
            value = current.get(cat) if cat and isinstance(current, dict) else (None if cat else current)
            _cell(ws, f"A{row}", ind.label)
            _cell(ws, f"B{row}", ind.name, wrap=True)
            _cell(ws, f"C{row}", value, editable=True)
            _cell(ws, f"D{row}", "%" if ind.type == "percent" and not ind.unit else ind.unit)
            _cell(ws, f"E{row}", cat)
            ws[f"{CODE_COL}{row}"] = f"{ind.code}|{cat}" if cat else ind.code
            row += 1
    for section in t.sections:
        _cell(ws, f"A{row}", section.label, bold=True)
        _cell(ws, f"B{row}", section.title, bold=True, wrap=True)
        _cell(ws, f"C{row}", narrative.get(section.code), editable=True, wrap=True)
        ws[f"{CODE_COL}{row}"] = SECTION_PREFIX + section.code
        row += 1
    for r in range(FIRST_ROW, row):
        for col in "ABCDE":
            ws[f"{col}{r}"].border = _BOX
    for col, width in (("A", 7), ("B", 60), ("C", 22), ("D", 14), ("E", 18)):
        ws.column_dimensions[col].width = width
    ws.column_dimensions[CODE_COL].hidden = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    meta = wb.create_sheet(META)
    for i, (key, val) in enumerate((("unit", unit), ("template", t.code), ("period", p.code),
                                    ("version", last.number if last else 0), ("template_version", t.version)), 1):
        meta[f"A{i}"], meta[f"B{i}"] = key, val
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _open(path: Path) -> tuple[Any, Any]:
    """The form at PATH opened twice, streaming: as written (formulas) and with Excel's computed values."""
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf, str(path), _LIMITS)
    except ReadError as e:
        raise SubmissionError(str(e)) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as e:
        raise SubmissionError(f"{path}: không phải tệp XLSX ({describe(e)})") from None
    books: list[Any] = []
    try:
        for data_only in (False, True):
            books.append(load_workbook(path, read_only=True, data_only=data_only))
    except Exception as e:  # openpyxl raises anything from KeyError to XML syntax errors on a damaged file
        for wb in books:
            wb.close()
        if isinstance(e, MemoryError):
            raise
        raise SubmissionError(f"{path}: không đọc được biểu mẫu XLSX ({describe(e)})") from None
    for wb in books:
        for ws in wb.worksheets:
            ws.reset_dimensions()  # the stated size may lie: read what is there (MAX_ROWS bounds it)
    return books[0], books[1]


def _meta(path: Path, wb) -> FormContent:
    rows = {str(r[0]): (i, r[1]) for i, r in enumerate(wb[META].iter_rows(max_row=20, max_col=2, values_only=True), 1)
            if r and r[0] is not None}
    fields: dict[str, Any] = {}
    for key in ("unit", "template", "period", "version"):
        row, value = rows.get(key, (None, None))
        if key == "version" and isinstance(value, float) and value.is_integer():
            value = int(value)  # another spreadsheet program may save the number as 3.0
        if value is None or (key == "version" and (not isinstance(value, int) or isinstance(value, bool) or value < 0)):
            where = f"{META}!B{row}" if row else f"{META} ('{key}')"
            raise SubmissionError(f"{path}: {where}: thông tin biểu mẫu bị thiếu hoặc bị sửa ({value!r})")
        fields[key] = value if key == "version" else str(value)
    return FormContent(**fields)


def _figure(ind, raw: Any) -> Any:
    value = parse_value(ind, raw)
    if isinstance(value, int | float) and not (abs(value) <= MAX_FIGURE and math.isfinite(value)):
        raise SubmissionError(f"'{raw}' lớn quá giới hạn 10^18 hoặc không phải số hữu hạn")
    return value


def _read_rows(path: Path, template, formulas, computed, content: FormContent) -> list[str]:
    """Fill CONTENT from the form's rows; the problems found, each starting with a cell address."""
    ws_f, ws_v = formulas[SHEET], computed[SHEET]
    header = next(ws_f.iter_rows(min_row=FIRST_ROW - 1, max_row=FIRST_ROW - 1, max_col=5, values_only=True), ())
    for col, title, found in zip("ABCDE", HEADERS, tuple(header) + (None,) * 5, strict=False):
        if found != title:
            raise SubmissionError(f"{path}: ô {col}{FIRST_ROW - 1} phải là '{title}' (nhận {found!r}): cấu trúc "
                                  "biểu mẫu đã bị thay đổi (chèn hoặc xóa cột?); hãy tải lại biểu mẫu")
    problems: list[str] = []
    seen: dict[str, int] = {}
    pairs = zip(ws_f.iter_rows(min_row=FIRST_ROW, max_col=6), ws_v.iter_rows(min_row=FIRST_ROW, max_col=6,
                                                                             values_only=True), strict=False)
    row = FIRST_ROW - 1
    try:
        for row, (cells, values) in enumerate(pairs, FIRST_ROW):
            if row >= FIRST_ROW + MAX_ROWS:
                raise SubmissionError(f"{path}: biểu mẫu có quá nhiều dòng (hơn {MAX_ROWS}); hãy tải lại biểu mẫu")
            key = values[5] if len(values) > 5 else None
            if key is None:
                continue
            if not isinstance(key, str) or key in seen:
                why = f"trùng với dòng {seen[key]}" if key in seen else "không hợp lệ"
                problems.append(f"{CODE_COL}{row}: mã '{key}' {why} (không sửa cột ẩn)")
                continue
            seen[key] = row
            problem = _read_cell(template, key, cells[2], values[2], content)
            if problem:
                problems.append(f"C{row}: {problem}")
    except SubmissionError:
        raise
    except Exception as e:  # a cell openpyxl cannot parse (a "number" that is not one, a broken tag)
        if isinstance(e, MemoryError):
            raise
        raise SubmissionError(f"{path}: dòng {row + 1}: không đọc được ô ({describe(e)})") from None
    if not seen:
        raise SubmissionError(f"{path}: không tìm thấy mã chỉ tiêu nào ở cột {CODE_COL} (cột ẩn): không phải biểu "
                              "mẫu do tonghop tạo, hoặc cấu trúc đã bị thay đổi")
    return problems


def _read_cell(template, key: str, cell, raw: Any, content: FormContent) -> str | None:
    """Store the value of the row KEY (CELL as written, RAW as computed) in CONTENT; a problem, or None."""
    if getattr(cell, "data_type", None) == "f" and raw is None:
        return f"ô chứa công thức ({cell.value}) chưa được tính; hãy nhập số hoặc mở và lưu lại bằng Excel"
    if isinstance(raw, str) and len(raw) > MAX_TEXT:
        return f"nội dung dài quá {MAX_TEXT} ký tự"
    blank = raw is None or (isinstance(raw, str) and not raw.strip())
    if key.startswith(SECTION_PREFIX):
        code = key[len(SECTION_PREFIX):]
        if code not in {s.code for s in template.sections}:
            return f"mẫu không có mục '{code}'"
        if not blank:
            content.narrative[code] = str(raw).strip()
        return None
    code, _, cat = key.partition("|")
    try:
        ind = template.indicator(code)
        if cat and cat not in (ind.categories or ()):
            return f"chỉ tiêu '{code}' không có phân tổ '{cat}'"
        if bool(ind.categories) != bool(cat):
            return f"chỉ tiêu '{code}' {'phải' if ind.categories else 'không'} có phân tổ"
        value = None if blank else _figure(ind, raw)
    except RegimeError as e:
        return str(e).split(": ", 1)[-1]
    if value is None:
        return None
    if cat:
        content.values.setdefault(code, {})[cat] = value
    else:
        content.values[code] = value
    return None


def read_form(path: str | Path, *, url: str | None = None) -> FormContent:
    """Read a filled form back; SubmissionError names the file, FormErrors lists every bad cell by its address."""
    path = Path(path)
    formulas, computed = _open(path)
    try:
        if SHEET not in formulas.sheetnames or META not in formulas.sheetnames:
            raise SubmissionError(f"{path}: không phải biểu mẫu do tonghop tạo (thiếu trang '{SHEET}')")
        content = _meta(path, formulas)
        try:
            with transaction(database_url(url)) as session:
                template = Desk(session).template(content.template)
        except RegimeError as e:
            raise SubmissionError(f"{path}: {e}") from None
        problems = _read_rows(path, template, formulas, computed, content)
    except RegimeError:
        raise
    except Exception as e:  # openpyxl raises anything from KeyError to XML syntax errors on a damaged file
        if isinstance(e, MemoryError):
            raise
        raise SubmissionError(f"{path}: không đọc được biểu mẫu XLSX ({describe(e)})") from None
    finally:
        formulas.close()
        computed.close()
    if problems:
        raise FormErrors(problems, path)
    return content


def submit_form(unit: str, template: str, period: str, path: str | Path, *, based_on: int | None = None,
                author: str = "", url: str | None = None) -> Saved:
    """Submit a filled form; it must be the form of UNIT, TEMPLATE and PERIOD."""
    content = read_form(path, url=url)
    for what, expected, found in (("đơn vị", unit, content.unit), ("mẫu", template, content.template),
                                  ("kỳ", period, content.period)):
        if expected != found:
            raise SubmissionError(f"{path}: biểu mẫu của {what} '{found}', không phải '{expected}'")
    return save_submission(unit, template, period, content.values, narrative=content.narrative,
                           based_on=based_on if based_on is not None else content.version, author=author,
                           source="xlsx", url=url)
