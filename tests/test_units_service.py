"""Unit services: file import, real province import with 2025 lineage, tree on a day, lineage."""

from __future__ import annotations

from datetime import date

import pytest

from tonghop.regime.errors import UnitError
from tonghop.services import units

YAML = """
units:
  - {code: T, name: Tỉnh Thử, kind: province}
  - {code: H1, name: Huyện Một, kind: district, parent: T, valid_to: 2025-06-30}
  - {code: X1, name: Xã A, kind: commune, parent: H1, valid_to: 2025-06-30}
  - {code: X2, name: Xã B, kind: commune, parent: H1, valid_to: 2025-06-30}
  - {code: X9, name: Xã Mới, kind: commune, parent: T, valid_from: 2025-07-01}
events:
  - {kind: merge, date: 2025-07-01, sources: [X1, X2], targets: [X9]}
"""


@pytest.fixture
def tree_file(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text(YAML, encoding="utf-8")
    return path


def test_yaml_import_gives_tree_on_each_day(db_url, tree_file):
    report = units.import_units_file(tree_file, url=db_url)
    assert (report.units, report.events) == (5, 1)
    before = units.list_units(date(2025, 1, 1), url=db_url)
    after = units.list_units(date(2025, 8, 1), url=db_url)
    assert [u["code"] for u in before] == ["T", "H1", "X1", "X2"]
    assert after == [{"code": "T", "name": "Tỉnh Thử", "kind": "province", "parent": None},
                     {"code": "X9", "name": "Xã Mới", "kind": "commune", "parent": "T"}]


def test_csv_import(db_url, tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("code,name,kind,parent\nS,Sở A,department,\nP,Phòng B,office,S\n", encoding="utf-8")
    units.import_units_file(path, url=db_url)
    assert [(u["code"], u["parent"]) for u in units.list_units(url=db_url)] == [("S", None), ("P", "S")]


def test_unknown_parent_is_refused_and_nothing_stored(db_url, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("units:\n  - {code: A, name: Xã A, kind: commune, parent: NOPE}\n", encoding="utf-8")
    with pytest.raises(UnitError, match="NOPE"):
        units.import_units_file(path, url=db_url)
    assert units.list_units(url=db_url) == []


def test_missing_field_names_row(db_url, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("code,name,kind\nA,,commune\n", encoding="utf-8")
    with pytest.raises(UnitError, match="bad.csv dòng 2: thiếu trường 'name'"):
        units.import_units_file(path, url=db_url)


def test_lineage_follows_merge(db_url, tree_file):
    units.import_units_file(tree_file, url=db_url)
    info = units.unit_lineage("X1", url=db_url)
    assert info["successors"] == {"X9": 1.0}
    assert info["events"][0]["sources"] == ["X1", "X2"]


def test_real_province_import_has_two_trees_and_merges(db_url):
    report = units.import_province("lai chau", url=db_url)
    assert report.province == "Tỉnh Lai Châu"
    old = units.list_units(date(2025, 6, 30), url=db_url)
    new = units.list_units(date(2025, 7, 1), url=db_url)
    assert {u["kind"] for u in old} == {"province", "district", "commune", "ward"}
    assert "district" not in {u["kind"] for u in new}
    assert all(u["parent"] == "12" for u in new if u["kind"] != "province")
    assert len([u for u in new if u["parent"]]) == report.events  # one merge event per new commune
    merged = units.unit_lineage(old[-1]["code"], url=db_url)
    assert list(merged["successors"].values()) == [1.0]
    assert next(iter(merged["successors"])) in {u["code"] for u in new}


def test_merged_province_by_old_name(db_url):
    report = units.import_province("Hà Giang", url=db_url)
    assert report.province == "Tỉnh Tuyên Quang"
    assert units.unit_lineage("02", url=db_url)["successors"] == {"08": 1.0}


def test_unknown_province(db_url):
    with pytest.raises(UnitError, match="Atlantis"):
        units.import_province("Atlantis", url=db_url)


def test_reimport_with_new_name_is_seen_at_once(db_url, tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text("units:\n  - {code: A, name: Xã Cũ, kind: commune}\n", encoding="utf-8")
    units.import_units_file(path, url=db_url)
    assert units.list_units(url=db_url)[0]["name"] == "Xã Cũ"
    path.write_text("units:\n  - {code: A, name: Xã Mới, kind: commune}\n", encoding="utf-8")
    units.import_units_file(path, url=db_url)
    assert units.list_units(url=db_url)[0]["name"] == "Xã Mới"
