"""Consolidation, pure: roll-up over a unit subtree, completeness, comparisons, targets, history under new boundaries.

Values of one unit are a dict indicator code -> number | text | None, or for an indicator with disaggregation
categories a dict category -> number. Each unit's values are its own figures; a subtree's figure aggregates the
values of every unit in it (committee members included) by the indicator's rule. Across units "last" adds up like
"sum" (a stock at period end is summed over units); across periods (`roll_up`) it takes the latest value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tonghop.regime.history import Rebased, rebase_history, roll_up
from tonghop.regime.org_units import TreeView
from tonghop.regime.templates import Template

Value = Any


@dataclass(frozen=True, slots=True)
class Comparison:
    """A figure against an earlier one: delta = value - previous, pct = delta / previous × 100 (None if undefined)."""

    value: float | None
    previous: float | None
    delta: float | None
    pct: float | None


def _num(x: Any) -> float | None:
    if isinstance(x, bool):
        return None
    if isinstance(x, int | float):
        return x
    if isinstance(x, dict):
        nums = [v for v in x.values() if isinstance(v, int | float) and not isinstance(v, bool)]
        return sum(nums) if nums else None
    return None


def compare(current: Any, previous: Any) -> Comparison:
    """Compare CURRENT with PREVIOUS (numbers or category dicts, compared by their totals)."""
    cur, prev = _num(current), _num(previous)
    if cur is None or prev is None:
        return Comparison(cur, prev, None, None)
    delta = cur - prev
    pct = delta / prev * 100 if prev != 0 else None
    return Comparison(cur, prev, delta, pct)


def progress(value: Any, target: float | None) -> float | None:
    """VALUE as a percentage of TARGET (None when either is missing or the target is 0)."""
    v = _num(value)
    if v is None or target is None or target == 0:
        return None
    return v / target * 100


@dataclass
class Completeness:
    """Who filed: counts over the expected units, the missing ones named."""

    expected: int
    submitted: int
    on_time: int
    late: int
    missing: list[str]
    late_units: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `tonghop status --json`."""
        return {"expected": self.expected, "submitted": self.submitted, "on_time": self.on_time, "late": self.late,
                "missing": list(self.missing)}


def completeness(expected: Iterable[str], submitted: Iterable[str], on_time: Mapping[str, bool]) -> Completeness:
    """Completeness of EXPECTED units given the SUBMITTED ones; ON_TIME[unit] False marks a late filing."""
    exp = set(expected)
    sub = set(submitted)
    filed = exp & sub
    late = sorted(u for u in filed if on_time.get(u, True) is False)
    return Completeness(expected=len(exp), submitted=len(filed), on_time=len(filed) - len(late), late=len(late),
                        missing=sorted(exp - sub), late_units=late, unexpected=sorted(sub - exp))


@dataclass
class UnitTotal:
    """One direct reporter of the root with its subtree's figures."""

    unit: str
    values: dict[str, Value]
    categories: dict[str, dict[str, float]] = field(default_factory=dict)
    submitted: int = 0


@dataclass
class Consolidation:
    """The consolidated report of ROOT for one template and period."""

    unit: str
    template: str
    period: str
    values: dict[str, Value]
    categories: dict[str, dict[str, float]]
    completeness: Completeness
    by_unit: list[UnitTotal]
    previous: dict[str, Comparison] = field(default_factory=dict)
    same_period_last_year: dict[str, Comparison] = field(default_factory=dict)
    progress: dict[str, float | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `tonghop consolidate --json`."""
        indicators = []
        for code, value in self.values.items():
            prev = self.previous.get(code)
            last = self.same_period_last_year.get(code)
            item: dict[str, Any] = {"code": code, "value": tidy(value),
                                    "previous": tidy(prev.previous) if prev else None,
                                    "same_period_last_year": tidy(last.previous) if last else None}
            if code in self.categories:
                item["categories"] = dict(self.categories[code])
            if self.progress.get(code) is not None:
                item["progress"] = self.progress[code]
            indicators.append(item)
        return {"unit": self.unit, "template": self.template, "period": self.period, "indicators": indicators,
                "completeness": self.completeness.to_dict(),
                "by_unit": [{"unit": u.unit, "values": {k: tidy(v) for k, v in u.values.items()}} for u in self.by_unit]}


def tidy(value: Any) -> Any:
    """VALUE for output: float sums rounded to 9 decimals (no 78880.59999999998); other values as they are."""
    return round(value, 9) if isinstance(value, float) else value


class _Plan:
    """The template's indicators grouped by aggregation, computed once per consolidation."""

    def __init__(self, template: Template) -> None:
        self.sum = [i.code for i in template.indicators if i.numeric and not i.categories
                    and i.aggregation in ("sum", "last")]
        self.avg = [i.code for i in template.indicators if i.numeric and not i.categories and i.aggregation == "avg"]
        self.min = [i.code for i in template.indicators if i.numeric and not i.categories and i.aggregation == "min"]
        self.max = [i.code for i in template.indicators if i.numeric and not i.categories and i.aggregation == "max"]
        self.cat = [i.code for i in template.indicators if i.numeric and i.categories and i.aggregation != "none"]
        self.order = [i.code for i in template.indicators]


class _Acc:
    __slots__ = ("sums", "counts", "mins", "maxs", "cats", "n")

    def __init__(self) -> None:
        self.sums: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.mins: dict[str, float] = {}
        self.maxs: dict[str, float] = {}
        self.cats: dict[str, dict[str, float]] = {}
        self.n = 0


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _add(acc: _Acc, plan: _Plan, vals: Mapping[str, Any]) -> None:
    """Add one unit's values; raises TypeError on a non-numeric value (the caller then retries carefully)."""
    sums, counts = acc.sums, acc.counts
    for c in plan.sum:
        v = vals.get(c)
        if v is not None:
            sums[c] = sums.get(c, 0) + v
    for c in plan.avg:
        v = vals.get(c)
        if v is not None:
            sums[c] = sums.get(c, 0) + v
            counts[c] = counts.get(c, 0) + 1
    for c in plan.min:
        v = vals.get(c)
        if v is not None and (c not in acc.mins or v < acc.mins[c]):
            acc.mins[c] = v
    for c in plan.max:
        v = vals.get(c)
        if v is not None and (c not in acc.maxs or v > acc.maxs[c]):
            acc.maxs[c] = v
    for c in plan.cat:
        v = vals.get(c)
        if v is not None:
            d = acc.cats.setdefault(c, {})
            for k, x in v.items():
                d[k] = d.get(k, 0) + x
    acc.n += 1


def _clean(vals: Mapping[str, Any], plan: _Plan, unit: str, warnings: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in (*plan.sum, *plan.avg, *plan.min, *plan.max):
        v = vals.get(c)
        if v is None:
            continue
        if _is_num(v):
            out[c] = v
        elif isinstance(v, Decimal) and v.is_finite():
            out[c] = float(v)
        else:
            warnings.append(f"Đơn vị '{unit}', chỉ tiêu '{c}': giá trị '{v}' không phải là số, bỏ qua")
    for c in plan.cat:
        v = vals.get(c)
        if v is None:
            continue
        if isinstance(v, Mapping) and all(_is_num(x) or isinstance(x, Decimal) for x in v.values()):
            out[c] = {k: float(x) if isinstance(x, Decimal) else x for k, x in v.items()}
        else:
            warnings.append(f"Đơn vị '{unit}', chỉ tiêu '{c}': giá trị phân tổ '{v}' không hợp lệ, bỏ qua")
    return out


def _f(v: Any) -> Any:
    """Decimal from storage becomes float so buckets of different origins combine."""
    return float(v) if isinstance(v, Decimal) else v


def _merge(into: _Acc, other: _Acc) -> None:
    for c, v in other.sums.items():
        into.sums[c] = into.sums.get(c, 0) + _f(v)
    for c, v in other.counts.items():
        into.counts[c] = into.counts.get(c, 0) + v
    for c, v in other.mins.items():
        v = _f(v)
        if c not in into.mins or v < into.mins[c]:
            into.mins[c] = v
    for c, v in other.maxs.items():
        v = _f(v)
        if c not in into.maxs or v > into.maxs[c]:
            into.maxs[c] = v
    for c, d in other.cats.items():
        target = into.cats.setdefault(c, {})
        for k, x in d.items():
            target[k] = target.get(k, 0) + _f(x)
    into.n += other.n


def _result(acc: _Acc, plan: _Plan) -> tuple[dict[str, Value], dict[str, dict[str, float]]]:
    values: dict[str, Value] = dict.fromkeys(plan.order)
    for c in plan.sum:
        values[c] = _f(acc.sums.get(c))
    for c in plan.avg:
        n = acc.counts.get(c)
        values[c] = _f(acc.sums[c]) / n if n else None
    for c in plan.min:
        values[c] = _f(acc.mins.get(c))
    for c in plan.max:
        values[c] = _f(acc.maxs.get(c))
    cats: dict[str, dict[str, float]] = {}
    for c in plan.cat:
        d = acc.cats.get(c)
        if d:
            cats[c] = {k: _f(x) for k, x in d.items()}
            values[c] = sum(cats[c].values())
    return values, cats


def consolidate(template: Template, tree_view: TreeView, root: str, values_by_unit: Mapping[str, Mapping[str, Any]],
                expected: Iterable[str] = (), on_time: Mapping[str, bool] | None = None, *,
                previous: Mapping[str, Any] | None = None, last_year: Mapping[str, Any] | None = None,
                period: str = "") -> Consolidation:
    """Aggregate every indicator over ROOT's subtree in TREE_VIEW (the tree valid in the period).

    VALUES_BY_UNIT holds the filed figures per unit (units outside the subtree are ignored); EXPECTED and ON_TIME
    give completeness; PREVIOUS and LAST_YEAR (consolidated values of earlier periods) give comparisons.
    """
    plan = _Plan(template)
    buckets: dict[str, _Acc] = {}
    bucket_of: dict[str, str] = {root: root}
    reporters = tree_view.reporters(root)
    # a unit counts under the child whose own subtree holds it; committee membership only places the rest
    for with_members in (False, True):
        for r in reporters:
            for u in tree_view.subtree(r, with_members=with_members):
                if u != root:
                    bucket_of.setdefault(u, r)
    warnings: list[str] = []
    filed: list[str] = []
    dirty: set[str] = set()
    for unit, vals in values_by_unit.items():
        b = bucket_of.get(unit)
        if b is None:
            continue
        acc = buckets.get(b)
        if acc is None:
            acc = buckets[b] = _Acc()
        filed.append(unit)
        try:
            _add(acc, plan, vals)
        except (TypeError, AttributeError):
            dirty.add(b)
    for b in sorted(dirty):
        # a non-numeric value interrupted the fast path mid-unit: rebuild that bucket from cleaned values
        acc = buckets[b] = _Acc()
        for unit, vals in values_by_unit.items():
            if bucket_of.get(unit) == b:
                _add(acc, plan, _clean(vals, plan, unit, warnings))
    total = _Acc()
    for acc in buckets.values():
        _merge(total, acc)
    values, cats = _result(total, plan)
    by_unit: list[UnitTotal] = []
    order = ([root] if root in buckets else []) + reporters
    for r in order:
        acc = buckets.get(r) or _Acc()
        v, c = _result(acc, plan)
        by_unit.append(UnitTotal(unit=r, values=v, categories=c, submitted=acc.n))
    comp = completeness((u for u in expected if u in bucket_of), filed, on_time or {})
    result = Consolidation(unit=root, template=template.code, period=period, values=values, categories=cats,
                           completeness=comp, by_unit=by_unit, warnings=warnings)
    compare_periods(result, [i for i in template.indicators if i.numeric and i.aggregation != "none"], previous,
                    last_year)
    return result


def compare_periods(result: Consolidation, indicators: Iterable, previous: Mapping[str, Any] | None,
                    last_year: Mapping[str, Any] | None) -> None:
    """Fill RESULT's comparisons with the previous period and the same period last year, and target progress."""
    values = result.values
    for ind in indicators:
        if previous is not None:
            result.previous[ind.code] = compare(values.get(ind.code), previous.get(ind.code))
        if last_year is not None:
            result.same_period_last_year[ind.code] = compare(values.get(ind.code), last_year.get(ind.code))
        if ind.target is not None:
            result.progress[ind.code] = progress(values.get(ind.code), ind.target)



__all__ = ["Comparison", "Completeness", "Consolidation", "Rebased", "UnitTotal", "compare", "completeness",
           "consolidate", "progress", "rebase_history", "roll_up"]
