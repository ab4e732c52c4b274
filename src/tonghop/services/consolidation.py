"""Consolidation service: live roll-up of the filed figures over a unit's subtree, with comparisons and completeness."""

from __future__ import annotations

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
from tonghop.services.consolidated_report import report_data, write_outputs
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
