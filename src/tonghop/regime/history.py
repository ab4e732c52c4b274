"""History under today's boundaries (rebase through lineage events) and roll-up of periods (months into a quarter)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tonghop.regime.org_units import LineageEvent, LineageIndex, TreeView
from tonghop.regime.templates import Template


@dataclass
class Rebased:
    """Past figures mapped onto today's units; units that cannot be attributed are named with the reason."""

    values: dict[str, dict[str, Any]]
    unattributed: dict[str, str] = field(default_factory=dict)
    mapping: dict[str, dict[str, float | None]] = field(default_factory=dict)


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float | Decimal) and not isinstance(v, bool)


def _plain(v: Any) -> Any:
    return float(v) if isinstance(v, Decimal) else v


def _scale(v: Any, share: float) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) if share == 1.0 else _plain(x) * share for k, x in v.items()}
    return _plain(v) if share == 1.0 else _plain(v) * share


def _combine(agg: str, parts: list[tuple[Any, float]]) -> Any:
    """Combine the (value, share) parts that land on one successor for one indicator."""
    if agg in ("sum", "last"):
        if all(isinstance(v, dict) for v, _ in parts):
            out: dict[str, float] = {}
            for v, s in parts:
                for k, x in _scale(v, s).items():
                    out[k] = out.get(k, 0) + x
            return out
        nums = [_scale(v, s) for v, s in parts if _is_num(v)]
        return sum(nums) if nums else None
    nums = [_plain(v) for v, _ in parts if _is_num(v)]  # rates carry over unchanged into each part of a split
    if not nums:
        return parts[0][0] if len(parts) == 1 and agg == "none" else None
    if agg == "avg":
        return sum(nums) / len(nums)
    if agg == "min":
        return min(nums)
    if agg == "max":
        return max(nums)
    return nums[0] if len(parts) == 1 else None


def rebase_history(values_by_unit: Mapping[str, Mapping[str, Any]], tree_today: TreeView,
                   events: Iterable[LineageEvent] | LineageIndex, *, since: date | None = None,
                   template: Template | None = None) -> Rebased:
    """Map past units' figures onto TREE_TODAY's units through EVENTS dated after SINCE (the past period's end).

    Merges add up (each indicator by its template aggregation; without a template numbers add up); a split with
    shares divides additive figures by share and copies rates; a split without shares, or a chain ending outside
    today's tree, leaves the unit unattributed (named in `unattributed`, its figures left out).
    """
    index = events if isinstance(events, LineageIndex) else LineageIndex(events)
    aggregation = {i.code: i.aggregation for i in template.indicators} if template else {}
    landing: dict[str, dict[str, list[tuple[Any, float]]]] = {}
    result = Rebased(values={})
    for unit, vals in values_by_unit.items():
        succ = index.follow(unit, since, tree_today.day)
        result.mapping[unit] = succ
        if any(share is None for share in succ.values()):
            result.unattributed[unit] = f"Đơn vị '{unit}' đã chia tách mà không có tỷ lệ phân bổ số liệu"
            continue
        outside = [c for c in succ if c not in tree_today]
        if outside:
            result.unattributed[unit] = (f"Đơn vị '{unit}' không có đơn vị kế thừa trong cây đơn vị ngày "
                                         f"{tree_today.day.isoformat()} ('{outside[0]}')")
            continue
        for target, share in succ.items():
            slot = landing.setdefault(target, {})
            for code, v in vals.items():
                if v is not None:
                    slot.setdefault(code, []).append((v, share))  # type: ignore[arg-type]
    for target, slot in landing.items():
        out: dict[str, Any] = {}
        for code, parts in slot.items():
            agg = aggregation.get(code)
            if agg is None:
                agg = "sum" if all(_is_num(v) or isinstance(v, dict) for v, _ in parts) else "none"
            value = _combine(agg, parts)
            if value is not None:
                out[code] = value
        result.values[target] = out
    return result


def roll_up(template: Template, values_by_period: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Combine one unit's values over consecutive periods (oldest first), e.g. three months into a quarter.

    sum adds, last takes the latest value, avg averages, min/max pick; text ('none') keeps the latest text.
    """
    out: dict[str, Any] = {}
    for ind in template.indicators:
        seq = [p.get(ind.code) for p in values_by_period if p.get(ind.code) is not None]
        if not seq:
            out[ind.code] = None
            continue
        agg = ind.aggregation
        if agg == "sum":
            out[ind.code] = _combine("sum", [(v, 1.0) for v in seq])
        elif agg in ("last", "none"):
            out[ind.code] = seq[-1]
        else:
            nums = [_plain(v) for v in seq if _is_num(v)]
            out[ind.code] = None if not nums else (sum(nums) / len(nums) if agg == "avg" else
                                                   min(nums) if agg == "min" else max(nums))
    return out
