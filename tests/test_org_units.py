"""Org-unit trees: dated views, committee members, lineage, validation errors."""

from __future__ import annotations

from datetime import date

import pytest

from tonghop.regime.assignments import Assignment, expected_units
from tonghop.regime.errors import RegimeError, UnitError
from tonghop.regime.org_units import LineageEvent, Membership, OrgUnit, UnitTree

REFORM = date(2025, 7, 1)
BEFORE = date(2025, 6, 30)


def reform_tree() -> UnitTree:
    """Province T; district H with communes A, B, C until 30/6/2025; then A+B merge into X and C moves under T."""
    units = [
        OrgUnit("T", "Tỉnh Đồng Tháp", "province"),
        OrgUnit("SO", "Sở Văn hóa, Thể thao và Du lịch", "department", "T"),
        OrgUnit("BCD", "Ban Chỉ đạo 35 tỉnh", "committee", "T"),
        OrgUnit("H", "Huyện Châu Thành", "district", "T", valid_to=BEFORE),
        OrgUnit("A", "Xã An Hiệp", "commune", "H", valid_to=BEFORE),
        OrgUnit("B", "Xã An Nhơn", "commune", "H", valid_to=BEFORE),
        OrgUnit("C", "Xã Tân Bình", "commune", "H", valid_to=BEFORE),
        OrgUnit("C", "Xã Tân Bình", "commune", "T", valid_from=REFORM),
        OrgUnit("X", "Xã Châu Thành", "commune", "T", valid_from=REFORM),
    ]
    events = [
        LineageEvent("merge", REFORM, ("A", "B"), ("X",), "Nghị quyết sắp xếp đơn vị hành chính cấp xã"),
        LineageEvent("move", REFORM, ("C",), ("C",), "Không còn cấp huyện"),
    ]
    return UnitTree(units, events, [Membership("SO", "BCD")])


def test_views_before_and_after_the_reform():
    tree = reform_tree()
    old, new = tree.at(date(2024, 12, 31)), tree.at(REFORM)
    assert old.children("H") == ["A", "B", "C"]
    assert old.ancestors("A") == ["H", "T"]
    assert "H" not in new and "X" not in old
    assert new.children("T") == ["BCD", "C", "SO", "X"]
    assert new.ancestors("C") == ["T"]
    assert old.roots() == new.roots() == ["T"]


def test_committee_members_report_besides_their_parent():
    view = reform_tree().at(date(2024, 1, 1))
    assert view.members("BCD") == ["SO"]
    assert view.reporters("BCD") == ["SO"]
    assert view.descendants("BCD") == ["SO"]
    assert view.children("BCD") == []
    assert set(view.descendants("T")) == {"SO", "BCD", "H", "A", "B", "C"}
    assert view.leaves("H") == ["A", "B", "C"]


def test_successors_follow_merges_and_moves():
    tree = reform_tree()
    old = tree.at(date(2024, 6, 1))
    assert old.successors("A", at=date(2026, 1, 1)) == {"X": 1.0}
    assert old.successors("C", at=date(2026, 1, 1)) == {"C": 1.0}
    assert old.successors("A", at=date(2025, 1, 1)) == {"A": 1.0}
    assert tree.at(REFORM).successors("X", at=date(2026, 1, 1)) == {"X": 1.0}


def test_split_with_and_without_shares():
    units = [OrgUnit("T", "Tỉnh", "province"), OrgUnit("P", "Phường 1", "ward", "T", valid_to=BEFORE),
             OrgUnit("Q", "Phường Bắc", "ward", "T", valid_from=REFORM),
             OrgUnit("R", "Phường Nam", "ward", "T", valid_from=REFORM)]
    shared = UnitTree(units, [LineageEvent("split", REFORM, ("P",), ("Q", "R"), shares={"Q": 0.25, "R": 0.75})])
    assert shared.successors("P", since=date(2024, 1, 1), at=date(2026, 1, 1)) == {"Q": 0.25, "R": 0.75}
    bare = UnitTree(units, [LineageEvent("split", REFORM, ("P",), ("Q", "R"))])
    assert bare.successors("P", since=date(2024, 1, 1), at=date(2026, 1, 1)) == {"Q": None, "R": None}


def test_chained_events():
    units = [OrgUnit("T", "Tỉnh", "province"), OrgUnit("A", "Xã A", "commune", "T", valid_to=date(2019, 12, 31)),
             OrgUnit("B", "Xã B", "commune", "T", valid_to=BEFORE),
             OrgUnit("B2", "Xã B mới", "commune", "T", valid_from=REFORM)]
    events = [LineageEvent("merge", date(2020, 1, 1), ("A", "B"), ("B",)),
              LineageEvent("rename", REFORM, ("B",), ("B2",))]
    tree = UnitTree(units, events)
    assert tree.successors("A", since=date(2019, 6, 1), at=date(2026, 1, 1)) == {"B2": 1.0}
    assert tree.successors("A", since=date(2019, 6, 1), at=date(2021, 1, 1)) == {"B": 1.0}


def test_unknown_parent_is_named():
    with pytest.raises(UnitError, match="'A'.*'H' không tồn tại"):
        UnitTree([OrgUnit("T", "Tỉnh", "province"), OrgUnit("A", "Xã A", "commune", "H")])


def test_parent_missing_only_on_some_days():
    units = [OrgUnit("H", "Huyện", "district", valid_to=BEFORE), OrgUnit("A", "Xã A", "commune", "H")]
    with pytest.raises(UnitError, match="ngày 2025-07-01"):
        UnitTree(units)


def test_cycle_is_reported():
    with pytest.raises(UnitError, match="vòng lặp"):
        UnitTree([OrgUnit("A", "A", "x", "B"), OrgUnit("B", "B", "x", "A")])


def test_overlapping_versions_are_reported():
    units = [OrgUnit("A", "Xã A", "commune", valid_to=date(2025, 7, 1)),
             OrgUnit("A", "Xã A mới", "commune", valid_from=date(2025, 7, 1))]
    with pytest.raises(UnitError, match="chồng lấn"):
        UnitTree(units)


def test_bad_events_are_reported():
    units = [OrgUnit("A", "A", "commune"), OrgUnit("B", "B", "commune")]
    with pytest.raises(UnitError, match="đúng một đơn vị đích"):
        UnitTree(units, [LineageEvent("merge", REFORM, ("A",), ("A", "B"))])
    with pytest.raises(UnitError, match="'Z' không có"):
        UnitTree(units, [LineageEvent("rename", REFORM, ("A",), ("Z",))])
    with pytest.raises(UnitError, match="cộng lại bằng 1"):
        UnitTree(units, [LineageEvent("split", REFORM, ("A",), ("A", "B"), shares={"A": 0.5, "B": 0.6})])


def test_get_unknown_unit_names_code_and_day():
    with pytest.raises(UnitError, match="'H' không tồn tại vào ngày 2025-07-01"):
        reform_tree().at(REFORM).get("H")


def test_expected_units_by_kind_and_code():
    tree = reform_tree()
    rules = [Assignment("bc", unit_kind="commune"), Assignment("bc", unit_code="SO"), Assignment("other", "district")]
    assert expected_units(tree.at(date(2024, 1, 1)), rules, "bc", under="T") == {"A", "B", "C", "SO"}
    assert expected_units(tree.at(date(2024, 1, 1)), rules, "bc", under="H") == {"A", "B", "C"}
    assert expected_units(tree.at(REFORM), rules, "bc") == {"C", "X", "SO"}
    assert expected_units(tree.at(REFORM), rules, "other") == set()
    with pytest.raises(RegimeError):
        Assignment("bc")
