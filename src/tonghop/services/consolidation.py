"""Consolidation service: live roll-up of the filed figures over a unit's subtree, with comparisons and completeness."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

from tonghop.db import reporting_repo as repo
from tonghop.regime.assignments import expected_units
from tonghop.regime.consolidation import Consolidation, UnitTotal, compare_periods, completeness, consolidate
from tonghop.regime.errors import UnitError
from tonghop.regime.history import rebase_history
from tonghop.regime.org_units import LineageIndex, TreeView
from tonghop.regime.periods import Period, previous, same_period_last_year
from tonghop.regime.submissions import FILED_STATES
from tonghop.regime.templates import Template
from tonghop.services.context import database_url, transaction
from tonghop.services.submissions import Desk

APPROVED = ("approved",)
EMPTY_CHART = "Biểu đồ chưa có số liệu ({}): không đơn vị cấp dưới nào có số liệu kỳ này; đã ghi khung biểu đồ trống."


@dataclass
class Gathered:
    """Filed figures of one period, keyed by the units of the view they are consolidated under."""

    values: dict[str, dict[str, Any]]
    expected: set[str]
    on_time: dict[str, bool]
    narrative: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


_EXPECTED: dict[tuple, tuple[TreeView, set[str]]] = {}


def _expected(view: TreeView, assignments: list, template_code: str) -> set[str]:
    """expected_units, cached per tree view and assignment list."""
    key = (id(view), template_code, tuple(assignments))
    hit = _EXPECTED.get(key)
    if hit is None or hit[0] is not view:
        if len(_EXPECTED) > 256:
            _EXPECTED.clear()
        hit = _EXPECTED[key] = (view, expected_units(view, assignments, template_code))
    return set(hit[1])


def gather(desk: Desk, template: Template, period: Period, view: TreeView, *, approved_only: bool = False,
           narrative: bool = False) -> Gathered:
    """Latest filed values of PERIOD; rebased through lineage onto VIEW when VIEW is another day's tree."""
    states = APPROVED if approved_only else FILED_STATES
    rows = repo.latest(desk.session, template.code, period.code, states, with_narrative=narrative)
    own = desk.tree().at(period.end)
    expected = _expected(own, repo.load_assignments(desk.session, template.code), template.code)
    values = {r.unit: r.values for r in rows}
    on_time = {r.unit: bool(r.on_time) for r in rows if r.on_time is not None}
    texts = {r.unit: r.narrative for r in rows} if narrative else {}
    if view.day == own.day or not desk.tree().events:
        return Gathered(values, expected, on_time, texts)
    index = LineageIndex(desk.tree().events)  # built once, followed for every unit
    rebased = rebase_history(values, view, index, since=period.end, template=template)
    moved: dict[str, set[str]] = {}
    for unit in expected:
        for succ in index.follow(unit, period.end, view.day):
            moved.setdefault(succ, set()).add(unit)
    late = {succ for succ, olds in moved.items() if any(on_time.get(u) is False for u in olds)}
    return Gathered(rebased.values, set(moved), {s: s not in late for s in rebased.values}, {},
                    list(rebased.unattributed.values()))


_BUCKETS: dict[tuple[int, str], tuple[TreeView, dict[str, str], list[str]]] = {}
_TOTALS: dict[tuple, tuple[Any, dict[str, Any]]] = {}


def _buckets(view: TreeView, root: str) -> tuple[dict[str, str], list[str]]:
    """Unit -> the direct reporter of ROOT it rolls up into (ROOT itself for ROOT), and the reporters in order."""
    key = (id(view), root)
    hit = _BUCKETS.get(key)
    if hit is None or hit[0] is not view:
        reporters = view.reporters(root)
        bucket_of = {root: root}
        for r in reporters:
            for u in view.subtree(r):
                if u != root:
                    bucket_of.setdefault(u, r)
        if len(_BUCKETS) > 64:
            _BUCKETS.clear()
        hit = _BUCKETS[key] = (view, bucket_of, reporters)
    return hit[1], hit[2]


def fast_consolidate(template: Template, view: TreeView, root: str, values_by_unit: dict[str, dict[str, Any]],
                     expected=(), on_time=None, *, previous=None, last_year=None, period: str = "") -> Consolidation:
    """Same result as the core's `consolidate`, column-wise (C-level sum/min/max) for plain numeric templates.

    Falls back to the core for categories, text indicators, blanks or non-numeric values.
    """
    inds = template.indicators
    if not inds or any(i.categories or not i.numeric or i.aggregation == "none" for i in inds):
        return consolidate(template, view, root, values_by_unit, expected, on_time, previous=previous,
                           last_year=last_year, period=period)
    codes = [i.code for i in inds]
    bucket_of, reporters = _buckets(view, root)
    rows: dict[str, list[tuple[Any, ...]]] = {}
    own: dict[str, Any] = {}  # a bucket that is one unit shows that unit's own values
    filed: list[str] = []
    n_codes, row_of = len(codes), itemgetter(*codes) if len(codes) > 1 else (lambda v: (v[codes[0]],))
    for unit, vals in values_by_unit.items():
        b = bucket_of.get(unit)
        if b is not None:
            filed.append(unit)
            try:
                row = row_of(vals)  # C-level; a missing code (a blank) is rare
            except KeyError:
                row = tuple(map(vals.get, codes))
            rows.setdefault(b, []).append(row)
            own[b] = vals if len(vals) == n_codes else None
    aggs = [i.aggregation for i in inds]
    try:
        parts = {b: _bucket(aggs, group) for b, group in rows.items()}
        counts = {b: len(group) for b, group in rows.items()}
        total = _total(aggs, parts, counts)
    except TypeError:  # a blank or a text value: the core handles those one by one
        return consolidate(template, view, root, values_by_unit, expected, on_time, previous=previous,
                           last_year=last_year, period=period)
    values = dict(zip(codes, total, strict=True))
    blank = dict.fromkeys(codes)
    by_unit = [UnitTotal(unit=b, values=blank.copy() if b not in parts else
                         own[b] if counts[b] == 1 and own[b] is not None else dict(zip(codes, parts[b], strict=True)),
                         submitted=counts.get(b, 0))
               for b in ([root] if root in parts else []) + reporters]
    comp = completeness((u for u in expected if u in bucket_of), filed, on_time or {})
    result = Consolidation(unit=root, template=template.code, period=period, values=values, categories={},
                           completeness=comp, by_unit=by_unit)
    compare_periods(result, inds, previous, last_year)
    return result


def _bucket(aggs: list[str], group: list[tuple[Any, ...]]) -> Sequence[Any]:
    """One bucket's value per indicator; a one-unit bucket is the unit's own row."""
    if len(group) == 1:
        row = group[0]
        if None in row:
            raise TypeError("blank")
        return row
    out = []
    for agg, col in zip(aggs, zip(*group, strict=True), strict=True):
        if None in col:
            raise TypeError("blank")
        out.append(sum(col) / len(col) if agg == "avg" else min(col) if agg == "min" else max(col) if agg == "max"
                   else sum(col))
    return out


def _total(aggs: list[str], parts: dict[str, Sequence[Any]], counts: dict[str, int]) -> list[Any]:
    """The root's value per indicator from the buckets' values (averages weighted by the buckets' unit counts)."""
    if not parts:
        return [None] * len(aggs)
    names = list(parts)
    weights = [counts[b] for b in names]
    n = sum(weights)
    out = []
    for agg, col in zip(aggs, zip(*(parts[b] for b in names), strict=True), strict=True):
        if agg == "avg":
            out.append(sum(v * w for v, w in zip(col, weights, strict=True)) / n)
        else:
            out.append(min(col) if agg == "min" else max(col) if agg == "max" else sum(col))
    return out


def _totals(desk: Desk, template: Template, period: Period, root: str, view: TreeView, approved_only: bool,
            rebase: bool) -> dict[str, Any] | None:
    """ROOT's consolidated values for an earlier PERIOD (its own tree when ROOT existed then, else rebased).

    Cached while the period's submissions are unchanged: any save adds a version and changes the fingerprint.
    """
    own = desk.tree().at(period.end)
    target = own if not rebase and root in own else view
    if root not in target:
        return None
    tree = desk.tree()
    key = (desk.url, template.code, template.version, period.code, root, approved_only, target.day, id(tree),
           repo.submissions_fingerprint(desk.session, template.code, period.code))
    hit = _TOTALS.get(key) if desk.url else None
    if hit is not None and hit[0] is tree:  # the entry holds the tree, so its id cannot be reused meanwhile
        return hit[1]
    got = gather(desk, template, period, target, approved_only=approved_only)
    values = fast_consolidate(template, target, root, got.values).values
    if len(_TOTALS) > 512:
        _TOTALS.clear()
    _TOTALS[key] = (tree, values)
    return values


def run(desk: Desk, unit: str, template_code: str, period_code: str, *, approved_only: bool = False,
        rebase: bool = False, narrative: bool = False) -> tuple[Consolidation, Gathered, TreeView, Period]:
    """Consolidate inside DESK's transaction: (result, the period's gathered figures, the tree used, the period)."""
    template = desk.template(template_code)
    period = desk.period(template, period_code)
    view = desk.tree().at(date.today() if rebase else period.end)
    if unit not in view:
        hint = "" if rebase or unit not in desk.tree().today() else "; dùng --rebase để tính theo địa giới hiện nay"
        raise UnitError(f"Đơn vị '{unit}' không tồn tại vào ngày {view.day.isoformat()}{hint}")
    got = gather(desk, template, period, view, approved_only=approved_only, narrative=narrative)
    prev = _totals(desk, template, previous(period), unit, view, approved_only, rebase)
    last = _totals(desk, template, same_period_last_year(period), unit, view, approved_only, rebase)
    result = fast_consolidate(template, view, unit, got.values, got.expected, got.on_time, previous=prev or {},
                              last_year=last or {}, period=period.code)
    result.warnings.extend(got.warnings)
    return result, got, view, period


def consolidate_report(unit: str, template: str, period: str, *, approved_only: bool = False, rebase: bool = False,
                       url: str | None = None) -> dict[str, Any]:
    """The consolidated figures of UNIT's subtree (JSON shape of `tonghop consolidate --json`)."""
    url = database_url(url)
    with transaction(url) as session:
        result, _, _, _ = run(Desk(session, url), unit, template, period, approved_only=approved_only, rebase=rebase)
    out = result.to_dict()
    if result.warnings:
        out["warnings"] = result.warnings
    return out


def consolidate_and_render(unit: str, template: str, period: str, *, approved_only: bool = False,
                           rebase: bool = False, docx: str | None = None, xlsx: str | None = None,
                           chart: str | None = None, url: str | None = None) -> dict[str, Any]:
    """Consolidate (JSON shape of `consolidate_report`) and write the DOCX, XLSX and chart asked for."""
    url = database_url(url)
    with transaction(url) as session:
        desk = Desk(session, url)
        result, got, view, period_obj = run(desk, unit, template, period, approved_only=approved_only,
                                            rebase=rebase, narrative=bool(docx))
        data = report_data(desk.template(template), result, got, view, period_obj) if docx or xlsx or chart else None
    if data is not None:
        write_outputs(data, docx=docx, xlsx=xlsx, chart=chart)
    out = result.to_dict()
    drawn = data is not None and any(v is not None for s in data.series for vals in s.values.values() for v in vals)
    warnings = result.warnings + ([EMPTY_CHART.format(Path(chart).name)] if chart and not drawn else [])
    if warnings:
        out["warnings"] = warnings
    return out


LOCAL_GOVERNMENT = ("province", "city", "district", "town", "commune", "ward", "township")


def issuer_name(unit, *, short: bool = False) -> str:
    """The issuing body as printed: a province/district/commune issues as its People's Committee (Decree 30)."""
    if unit.kind in LOCAL_GOVERNMENT:
        return f"UBND {unit.name}" if short else f"Ủy ban nhân dân\n{unit.name}"
    return unit.name


# --- the consolidated report as ReportData (Decree 30) --------------------------------------------------------------

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
