"""XLSX forms: generate a protected, pre-filled form for a unit and period; read it back cell by cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils.exceptions import InvalidFileException

from tonghop.db import reporting_repo as repo
from tonghop.regime.errors import SubmissionError
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


class FormErrors(SubmissionError):
    """Cells that could not be read; each problem starts with the cell address ("C7: '12,5,3' không phải là số")."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
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
    for col, title in zip("ABCDE", ("STT", "Chỉ tiêu", "Giá trị", "Đơn vị tính", "Phân tổ"), strict=True):
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


def read_form(path: str | Path, *, url: str | None = None) -> FormContent:
    """Read a filled form back; FormErrors lists every bad cell by its address."""
    path = Path(path)
    try:
        wb = load_workbook(path, data_only=True)
    except (OSError, InvalidFileException, KeyError, ValueError) as e:
        raise SubmissionError(f"{path}: không đọc được biểu mẫu XLSX ({e})") from None
    if SHEET not in wb.sheetnames or META not in wb.sheetnames:
        raise SubmissionError(f"{path}: không phải biểu mẫu do tonghop tạo (thiếu trang '{SHEET}')")
    meta = {str(r[0].value): r[1].value for r in wb[META].iter_rows(min_row=1, max_col=2) if r[0].value}
    content = FormContent(str(meta.get("unit")), str(meta.get("template")), str(meta.get("period")),
                          int(meta.get("version") or 0))
    with transaction(database_url(url)) as session:
        template = Desk(session).template(content.template)
    ws = wb[SHEET]
    problems: list[str] = []
    for row in range(FIRST_ROW, ws.max_row + 1):
        key = ws[f"{CODE_COL}{row}"].value
        raw = ws[f"C{row}"].value
        if not key or raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        key = str(key)
        if key.startswith(SECTION_PREFIX):
            content.narrative[key[len(SECTION_PREFIX):]] = str(raw).strip()
            continue
        code, _, cat = key.partition("|")
        try:
            ind = template.indicator(code)
            value = parse_value(ind, raw)
        except SubmissionError as e:
            reason = str(e).split(": ", 1)[-1]
            problems.append(f"C{row}: {reason}")
            continue
        if cat:
            content.values.setdefault(code, {})[cat] = value
        else:
            content.values[code] = value
    if problems:
        raise FormErrors(problems)
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
