"""Consolidation: roll-up by aggregation rule, completeness, comparisons, targets, rebase under new boundaries."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tonghop.regime.consolidation import compare, consolidate, progress, rebase_history, roll_up
from tonghop.regime.org_units import LineageEvent, Membership, OrgUnit, UnitTree
from tonghop.regime.templates import parse_template

REFORM = date(2025, 7, 1)
BEFORE = date(2025, 6, 30)

TEMPLATE = parse_template({
    "code": "kt",
    "name": "Báo cáo kinh tế - xã hội",
    "period_type": "month",
    "indicators": [
        {"code": "thu", "name": "Thu ngân sách", "unit": "triệu đồng", "type": "decimal", "target": 1000},
        {"code": "ty_le", "name": "Tỷ lệ giải ngân", "type": "percent", "aggregation": "avg"},
        {"code": "thap", "name": "Tỷ lệ thấp nhất", "type": "percent", "aggregation": "min"},
        {"code": "cao", "name": "Tỷ lệ cao nhất", "type": "percent", "aggregation": "max"},
        {"code": "ho_ngheo", "name": "Hộ nghèo cuối kỳ", "aggregation": "last"},
        {"code": "lao_dong", "name": "Lao động", "categories": ["Nam", "Nữ"]},
        {"code": "ghi_chu", "name": "Ghi chú", "type": "text"},
    ],
})


def reform_tree() -> UnitTree:
    units = [
        OrgUnit("T", "Tỉnh", "province"),
        OrgUnit("SO", "Sở Tài chính", "department", "T"),
        OrgUnit("BCD", "Ban Chỉ đạo", "committee", "T"),
        OrgUnit("H", "Huyện Châu Thành", "district", "T", valid_to=BEFORE),
        OrgUnit("A", "Xã A", "commune", "H", valid_to=BEFORE),
        OrgUnit("B", "Xã B", "commune", "H", valid_to=BEFORE),
        OrgUnit("C", "Xã C", "commune", "H", valid_to=BEFORE),
        OrgUnit("C", "Xã C", "commune", "T", valid_from=REFORM),
        OrgUnit("X", "Xã Châu Thành", "commune", "T", valid_from=REFORM),
    ]
    events = [LineageEvent("merge", REFORM, ("A", "B"), ("X",)), LineageEvent("move", REFORM, ("C",), ("C",))]
    return UnitTree(units, events, [Membership("SO", "BCD")])


VALUES_2024 = {
    "A": {"thu": 100.0, "ty_le": 80.0, "thap": 80.0, "cao": 80.0, "ho_ngheo": 10, "lao_dong": {"Nam": 5, "Nữ": 7}},
    "B": {"thu": 50.5, "ty_le": 60.0, "thap": 60.0, "cao": 60.0, "ho_ngheo": 4, "lao_dong": {"Nam": 1}},
    "C": {"thu": 20.0, "ty_le": None, "ho_ngheo": 6, "ghi_chu": "ổn định"},
    "SO": {"thu": 400.0, "ty_le": 100.0},
}


def test_2024_period_uses_the_old_tree():
    view = reform_tree().at(date(2024, 12, 14))
    c = consolidate(TEMPLATE, view, "T", VALUES_2024, expected={"A", "B", "C", "SO"},
                    on_time={"A": True, "B": False, "C": True, "SO": True})
    assert c.values["thu"] == pytest.approx(570.5)
    assert c.values["ty_le"] == pytest.approx(80.0)
    assert (c.values["thap"], c.values["cao"]) == (60.0, 80.0)
    assert c.values["ho_ngheo"] == 20
    assert c.categories["lao_dong"] == {"Nam": 6, "Nữ": 7} and c.values["lao_dong"] == 13
    assert c.values["ghi_chu"] is None
    by = {u.unit: u.values for u in c.by_unit}
    assert list(by) == ["BCD", "H", "SO"]
    assert by["H"]["thu"] == pytest.approx(170.5) and by["SO"]["thu"] == 400.0 and by["BCD"]["thu"] is None


def test_committee_consolidates_its_members():
    view = reform_tree().at(date(2024, 12, 14))
    c = consolidate(TEMPLATE, view, "BCD", VALUES_2024, expected={"SO"})
    assert c.values["thu"] == 400.0 and [u.unit for u in c.by_unit] == ["SO"]
    assert c.completeness.missing == []


def test_completeness_names_missing_units():
    view = reform_tree().at(date(2024, 12, 14))
    values = {k: v for k, v in VALUES_2024.items() if k != "C"}
    c = consolidate(TEMPLATE, view, "H", values, expected={"A", "B", "C", "SO"}, on_time={"A": True, "B": False})
    assert c.completeness.to_dict() == {"expected": 3, "submitted": 2, "on_time": 1, "late": 1, "missing": ["C"]}
    assert c.completeness.late_units == ["B"]
    assert c.values["thu"] == pytest.approx(150.5)


def test_2026_period_uses_the_new_tree():
    view = reform_tree().at(date(2026, 1, 14))
    values = {"X": {"thu": 300.0}, "C": {"thu": 10.0}, "A": {"thu": 999.0}}
    c = consolidate(TEMPLATE, view, "T", values, expected={"X", "C"})
    assert c.values["thu"] == 310.0
    assert c.completeness.missing == []


def test_comparisons_and_target_progress():
    view = reform_tree().at(date(2024, 12, 14))
    c = consolidate(TEMPLATE, view, "H", VALUES_2024, previous={"thu": 341.0}, last_year={"thu": 0})
    assert c.previous["thu"].delta == pytest.approx(-170.5)
    assert c.previous["thu"].pct == pytest.approx(-50.0)
    assert c.same_period_last_year["thu"].pct is None
    assert c.progress["thu"] == pytest.approx(17.05)
    d = c.to_dict()
    assert d["indicators"][0] == {"code": "thu", "value": pytest.approx(170.5), "previous": 341.0,
                                  "same_period_last_year": 0, "progress": pytest.approx(17.05)}


def test_compare_and_progress_edge_cases():
    assert compare(120, 100).pct == pytest.approx(20.0)
    assert compare(5, None).delta is None
    assert compare({"Nam": 3, "Nữ": 2}, 4).delta == 1
    assert progress(50, 0) is None and progress(None, 10) is None and progress(45, 90) == 50.0


def test_bad_values_are_skipped_with_a_warning():
    view = reform_tree().at(date(2024, 12, 14))
    values = {"A": {"thu": 1.0, "ty_le": "nhiều"}, "B": {"thu": 2.0}, "C": {"thu": "ba", "ho_ngheo": 3}}
    c = consolidate(TEMPLATE, view, "H", values)
    assert c.values["thu"] == 3.0 and c.values["ho_ngheo"] == 3
    assert len(c.warnings) == 2 and "'C'" in c.warnings[1]


def test_rebase_puts_2024_figures_under_the_new_commune():
    tree = reform_tree()
    rebased = rebase_history(VALUES_2024, tree.at(date(2026, 1, 1)), tree.events, since=date(2024, 12, 31),
                             template=TEMPLATE)
    assert rebased.values["X"]["thu"] == pytest.approx(150.5)
    assert rebased.values["X"]["ty_le"] == pytest.approx(70.0)
    assert rebased.values["X"]["lao_dong"] == {"Nam": 6, "Nữ": 7}
    assert rebased.values["C"] == {"thu": 20.0, "ho_ngheo": 6, "ghi_chu": "ổn định"}
    assert rebased.unattributed == {}
    new = consolidate(TEMPLATE, tree.at(date(2026, 1, 1)), "T", rebased.values)
    old = consolidate(TEMPLATE, tree.at(date(2024, 12, 31)), "T", VALUES_2024)
    assert new.values["thu"] == pytest.approx(old.values["thu"])


def test_rebase_split_by_share_or_flagged():
    units = [OrgUnit("T", "Tỉnh", "province"), OrgUnit("P", "Phường 1", "ward", "T", valid_to=BEFORE),
             OrgUnit("Q", "Phường Bắc", "ward", "T", valid_from=REFORM),
             OrgUnit("R", "Phường Nam", "ward", "T", valid_from=REFORM)]
    shared = UnitTree(units, [LineageEvent("split", REFORM, ("P",), ("Q", "R"), shares={"Q": 0.25, "R": 0.75})])
    out = rebase_history({"P": {"thu": 100.0, "ty_le": 40.0}}, shared.at(date(2026, 1, 1)), shared.events,
                         template=TEMPLATE)
    assert out.values == {"Q": {"thu": 25.0, "ty_le": 40.0}, "R": {"thu": 75.0, "ty_le": 40.0}}
    bare = UnitTree(units, [LineageEvent("split", REFORM, ("P",), ("Q", "R"))])
    out = rebase_history({"P": {"thu": 100.0}}, bare.at(date(2026, 1, 1)), bare.events)
    assert out.values == {} and "tỷ lệ" in out.unattributed["P"]


def test_rebase_flags_units_without_a_successor_today():
    tree = reform_tree()
    out = rebase_history({"H": {"thu": 5.0}}, tree.at(date(2026, 1, 1)), tree.events)
    assert "'H'" in out.unattributed["H"] and out.values == {}


def test_roll_up_months_into_a_quarter():
    months = [{"thu": 10.0, "ty_le": 50.0, "ho_ngheo": 30, "ghi_chu": "a"}, {"thu": 5.0, "ty_le": 70.0},
              {"thu": 1.0, "ho_ngheo": 25, "ghi_chu": "c", "lao_dong": {"Nam": 2}}]
    q = roll_up(TEMPLATE, months)
    assert (q["thu"], q["ty_le"], q["ho_ngheo"], q["ghi_chu"], q["lao_dong"]) == (16.0, 60.0, 25, "c", {"Nam": 2})


# --- properties ------------------------------------------------------------------------------------------------

SUM_ONLY = parse_template({"code": "s", "name": "S", "period_type": "month",
                           "indicators": [{"code": "n", "name": "N"}, {"code": "m", "name": "M"}]})


@st.composite
def trees_with_values(draw):
    n = draw(st.integers(1, 40))
    units = [OrgUnit("U0", "Gốc", "root")]
    for i in range(1, n):
        units.append(OrgUnit(f"U{i}", f"Đơn vị {i}", "unit", f"U{draw(st.integers(0, i - 1))}"))
    tree = UnitTree(units)
    leaves = [u.code for u in units if not any(v.parent == u.code for v in units)]
    values = {c: {"n": draw(st.integers(0, 10**6)), "m": draw(st.integers(0, 99))} for c in leaves}
    return tree, values


@settings(max_examples=60, deadline=None)
@given(trees_with_values())
def test_consolidated_sum_equals_sum_of_leaves(data):
    tree, values = data
    view = tree.at(date(2024, 1, 1))
    c = consolidate(SUM_ONLY, view, "U0", values, expected=set(values))
    assert c.values["n"] == sum(v["n"] for v in values.values())
    assert sum(u.values["n"] or 0 for u in c.by_unit) == c.values["n"]
    assert c.completeness.submitted == len(values) and not c.completeness.missing


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12), st.data())
def test_rebase_preserves_totals_for_merges(n, data):
    units = [OrgUnit("T", "Tỉnh", "province")]
    units += [OrgUnit(f"O{i}", f"Xã cũ {i}", "commune", "T", valid_to=BEFORE) for i in range(n)]
    groups = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    events = []
    for g in sorted(set(groups)):
        units.append(OrgUnit(f"N{g}", f"Xã mới {g}", "commune", "T", valid_from=REFORM))
        events.append(LineageEvent("merge", REFORM, tuple(f"O{i}" for i in range(n) if groups[i] == g), (f"N{g}",)))
    tree = UnitTree(units, events)
    values = {f"O{i}": {"n": data.draw(st.integers(0, 10**9))} for i in range(n)}
    out = rebase_history(values, tree.at(date(2026, 1, 1)), tree.events, template=SUM_ONLY)
    assert sum(v["n"] for v in out.values.values()) == sum(v["n"] for v in values.values())
    assert not out.unattributed


def test_decimal_values_from_storage_are_accepted():
    from decimal import Decimal

    view = reform_tree().at(date(2024, 12, 14))
    values = {"A": {"thu": Decimal("1.5"), "lao_dong": {"Nam": Decimal(2)}}, "B": {"thu": 2.0}}
    c = consolidate(TEMPLATE, view, "H", values)
    assert c.values["thu"] == 3.5 and c.categories["lao_dong"] == {"Nam": 2.0} and not c.warnings


def test_rebase_accepts_decimal_values():
    from decimal import Decimal

    tree = reform_tree()
    out = rebase_history({"A": {"thu": Decimal("1.25")}, "B": {"thu": 2}}, tree.at(date(2026, 1, 1)), tree.events,
                         template=TEMPLATE)
    assert out.values["X"]["thu"] == 3.25


def test_output_has_no_float_summation_noise():
    from tonghop.regime.consolidation import tidy

    assert tidy(sum([0.1] * 3)) == 0.3
    assert tidy(78880.59999999998) == 78880.6
    assert tidy(7) == 7 and tidy(None) is None
