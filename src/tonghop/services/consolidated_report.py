"""The consolidated report as an official document: its content in the Decree 30 layout (ReportData) and the
DOCX, XLSX and chart files written from it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tonghop.regime.consolidation import Consolidation
from tonghop.regime.org_units import TreeView
from tonghop.regime.periods import Period
from tonghop.regime.templates import Template

if TYPE_CHECKING:
    from tonghop.services.consolidation import Gathered

LOCAL_GOVERNMENT = ("province", "city", "district", "town", "commune", "ward", "township")


def issuer_name(unit, *, short: bool = False) -> str:
    """The issuing body as printed: a province/district/commune issues as its People's Committee (Decree 30)."""
    if unit.kind in LOCAL_GOVERNMENT:
        return f"UBND {unit.name}" if short else f"Ủy ban nhân dân\n{unit.name}"
    return unit.name


_COLUMNS_PER_TABLE = 6


def _place(view: TreeView, unit: str) -> str:
    top = ([unit, *view.ancestors(unit)])[-1]
    name = view.get(top).name
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _subject(template: Template, period: Period) -> str:
    text = (template.subject or template.name).strip()
    if not text.lower().startswith(("kết quả", "tình hình", "báo cáo")):
        text = "Kết quả " + text[:1].lower() + text[1:]
    return f"{text} {period.label}"


def _fmt(value: Any, unit: str = "") -> str:
    from tonghop.render.model import format_cell

    if value is None:
        return "chưa có số liệu"
    text = format_cell(round(value, 2) if isinstance(value, float) else value)
    return f"{text}%" if unit == "%" else f"{text} {unit}".strip()


def _change(value: Any, before: Any, what: str) -> str | None:
    if not isinstance(value, int | float) or not isinstance(before, int | float) or before == 0:
        return None
    pct = (value - before) / before * 100
    word = "tăng" if pct >= 0 else "giảm"
    return f"{word} {_fmt(abs(round(pct, 1)))}% so với {what}"


def _regime_name(template: Template) -> str:
    name = template.name.strip()
    if name.lower().startswith("báo cáo "):
        name = name[len("báo cáo "):]
    return "báo cáo " + name[:1].lower() + name[1:]


def report_data(template: Template, result: Consolidation, got: Gathered, view: TreeView, period: Period):
    """The consolidated report of RESULT as render's ReportData: header, sections, tables, comparisons, signer."""
    from tonghop.render.model import ReportComparison, ReportData, ReportSection, ReportTable, Series, Signer

    root = view.get(result.unit)
    parent = view.units.get(root.parent) if root.parent else None
    numeric = [i for i in template.indicators if i.numeric]
    name_of = {c: view.units[c].name if c in view.units else c for c in [*got.values, *result.completeness.missing]}
    comp = result.completeness
    figures = ReportSection("1.", "Kết quả thực hiện các chỉ tiêu")
    comparisons = []
    sections_extra: list = []
    for ind in numeric:
        value = result.values.get(ind.code)
        prev, last = result.previous.get(ind.code), result.same_period_last_year.get(ind.code)
        notes = [x for x in (_change(value, prev.previous if prev else None, "kỳ trước"),
                             _change(value, last.previous if last else None, "cùng kỳ năm trước")) if x]
        figures.paragraphs.append(f"{ind.label}. {ind.name}: {_fmt(value, ind.unit)}"
                                  + (f" ({'; '.join(notes)})" if notes else "") + ".")
        comparisons.append(ReportComparison(ind.name, ind.unit or None, value, prev.previous if prev else None,
                                            last.previous if last else None))
    for n, ind in enumerate([i for i in template.indicators if i.type == "text"], start=2):
        texts = [f"- {name_of.get(u, u)}: {vals[ind.code]}" for u, vals in sorted(got.values.items())
                 if isinstance(vals.get(ind.code), str) and vals[ind.code].strip()]
        if texts:
            sections_extra.append(ReportSection(f"{n}.", ind.name, paragraphs=texts))
    tables = []
    children = [u for u in result.by_unit if u.unit != result.unit or u.submitted]
    for start in range(0, len(numeric), _COLUMNS_PER_TABLE):
        part = numeric[start:start + _COLUMNS_PER_TABLE]
        rows = [[i + 1, view.units[u.unit].name if u.unit in view.units else u.unit,
                 *(u.values.get(ind.code) for ind in part)] for i, u in enumerate(children)]
        tables.append(ReportTable(
            title=f"Biểu {start // _COLUMNS_PER_TABLE + 1}: Số liệu theo đơn vị {period.label}",
            columns=["STT", "Đơn vị", *(f"{ind.label}. {ind.name}" + (f" ({ind.unit})" if ind.unit else "")
                                        for ind in part)],
            rows=rows, total_row=["", "Tổng cộng", *(result.values.get(ind.code) for ind in part)]))
    head = next((s for s in template.sections if s.indicators), None)
    sections = [ReportSection("I.", head.title.upper() if head else "KẾT QUẢ THỰC HIỆN", subsections=[figures, *sections_extra])]
    roman = ["II.", "III.", "IV.", "V.", "VI.", "VII.", "VIII."]
    for section in [s for s in template.sections if not s.indicators]:
        paragraphs = [f"- {name_of.get(u, u)}: {texts[section.code].strip()}"
                      for u, texts in sorted(got.narrative.items()) if texts.get(section.code, "").strip()
                      and (u == result.unit or u in got.values)]
        if paragraphs and roman:
            sections.append(ReportSection(roman.pop(0), section.title.upper(), paragraphs=paragraphs))
    missing = ", ".join(name_of.get(u, u) for u in comp.missing)
    completeness_line = (f"Đã nhận báo cáo của {comp.submitted}/{comp.expected} đơn vị (đúng hạn {comp.on_time}, "
                         f"trễ hạn {comp.late})" + (f"; chưa nộp: {missing}." if missing else "."))
    first = next((i for i in numeric if i.aggregation in ("sum", "last")), numeric[0] if numeric else None)
    series = []
    if first is not None:
        series.append(Series(f"{first.name} theo đơn vị, {period.label}",
                             [view.units[u.unit].name if u.unit in view.units else u.unit for u in children],
                             {first.name: [u.values.get(first.code) for u in children]}, first.unit or None, "bar"))
    return ReportData(
        issuer=issuer_name(root), parent_issuer=None if parent is None or root.kind in LOCAL_GOVERNMENT
        else issuer_name(parent, short=True), subject=_subject(template, period),
        number=None, place=_place(view, result.unit), date=None,
        intro=[f"Thực hiện chế độ {_regime_name(template)}, {root.name} tổng hợp kết quả {period.label} từ báo cáo "
               f"của các đơn vị như sau:"],
        sections=sections, tables=tables, comparisons=comparisons, completeness=completeness_line,
        signer=Signer(authority="KT.", authority_title="CHỦ TỊCH", title="PHÓ CHỦ TỊCH"),
        recipients=[f"{parent.name} (b/c)" if parent else "Cơ quan cấp trên (b/c)", "Chủ tịch, các Phó Chủ tịch",
                    "Các đơn vị báo cáo", "Lưu: VT, TH."],
        series=series)


def write_outputs(data, *, docx: str | None = None, xlsx: str | None = None, chart: str | None = None) -> None:
    """Write DATA with the DOCX, XLSX and chart (PNG or SVG, from the suffix) renderers, each file atomically.

    Each renderer module is imported only when asked for (the chart one loads matplotlib, ~1 s).
    """
    if docx:
        from tonghop.render.docx_report import render_docx

        _write_atomically(Path(docx), lambda tmp: render_docx(data, tmp))
    if xlsx:
        from tonghop.render.xlsx_report import render_xlsx

        _write_atomically(Path(xlsx), lambda tmp: render_xlsx(data, tmp))
    if chart:
        from tonghop.render.charts import render_charts
        from tonghop.render.model import Series

        series = data.series or [Series(data.subject, [], {})]  # no numeric indicator: an empty frame saying so
        _write_atomically(Path(chart), lambda tmp: render_charts(series, tmp))


def _write_atomically(path: Path, write) -> None:
    # A process killed mid-write must not leave a truncated report where the finished one is expected.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
