"""Unit services: import units from YAML/CSV or a real province (with its 2025 lineage), list, follow lineage."""

from __future__ import annotations

import csv
import importlib.util
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tonghop.db import reporting_repo as repo
from tonghop.regime.errors import UnitError
from tonghop.regime.org_units import LineageEvent, Membership, OrgUnit, UnitTree
from tonghop.services.context import database_url, transaction
from tonghop.services.yaml_input import load_yaml
from tonghop.text.fold import fold

REFORM_DAY = date(2025, 7, 1)
WARD_KINDS = {"Phường": "ward", "Thị trấn": "ward", "Xã": "commune", "Đặc khu": "commune"}
LAST_OLD_DAY = date(2025, 6, 30)
_TREE_CACHE: dict[tuple[str, tuple[int, ...]], UnitTree] = {}


@dataclass
class UnitImport:
    """What an import stored."""

    units: int = 0
    events: int = 0
    memberships: int = 0
    province: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape of `tonghop units import --json`."""
        return {"units": self.units, "events": self.events, "memberships": self.memberships,
                "province": self.province, "warnings": list(self.warnings)}


def load_tree(session, url_key: str = "") -> UnitTree:
    """The whole unit tree from the database (cached per database while the unit tables are unchanged)."""
    key = (url_key, repo.units_version_key(session))
    tree = _TREE_CACHE.get(key) if url_key else None
    if tree is None:
        tree = UnitTree(repo.load_units(session), repo.load_events(session), repo.load_memberships(session))
        if url_key:
            _TREE_CACHE.clear()
            _TREE_CACHE[key] = tree
    return tree


def _date(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise UnitError(f"{where}: '{value}' không phải là ngày (YYYY-MM-DD)") from None


def _field(row: dict, key: str, where: str) -> str:
    value = row.get(key)
    if value is None or str(value).strip() == "":
        raise UnitError(f"{where}: thiếu trường '{key}'")
    return str(value).strip()


def _parse_unit(row: Any, where: str) -> OrgUnit:
    if not isinstance(row, dict):
        raise UnitError(f"{where}: phải là một bảng khóa–giá trị")
    parent = row.get("parent")
    return OrgUnit(code=_field(row, "code", where), name=_field(row, "name", where), kind=_field(row, "kind", where),
                   parent=str(parent).strip() if parent not in (None, "") else None,
                   valid_from=_date(row.get("valid_from"), f"{where}.valid_from"),
                   valid_to=_date(row.get("valid_to"), f"{where}.valid_to"))


def _parse_event(row: Any, where: str) -> LineageEvent:
    if not isinstance(row, dict):
        raise UnitError(f"{where}: phải là một bảng khóa–giá trị")
    day = _date(row.get("date"), f"{where}.date")
    if day is None:
        raise UnitError(f"{where}: thiếu trường 'date'")
    lists = {}
    for key in ("sources", "targets"):
        value = row.get(key) or []
        if isinstance(value, str):
            value = [value]
        lists[key] = tuple(str(v) for v in value)
    return LineageEvent(kind=_field(row, "kind", where), date=day, sources=lists["sources"],  # type: ignore[arg-type]
                        targets=lists["targets"], note=str(row.get("note") or ""), shares=row.get("shares"))


def read_units_file(path: Path) -> tuple[list[OrgUnit], list[LineageEvent], list[Membership]]:
    """Units (and, in YAML, events and memberships) from a YAML or CSV file; UnitError names file and row."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UnitError(f"{path}: không đọc được tệp ({e})") from None
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(raw.splitlines()))
        return [_parse_unit(r, f"{path.name} dòng {i + 2}") for i, r in enumerate(rows)], [], []
    try:
        data = load_yaml(raw)
    except yaml.YAMLError as e:
        raise UnitError(f"{path}: YAML không hợp lệ ({e})") from None
    if isinstance(data, list):
        data = {"units": data}
    if not isinstance(data, dict):
        raise UnitError(f"{path}: cần danh sách 'units'")
    units = [_parse_unit(r, f"{path.name} units[{i}]") for i, r in enumerate(data.get("units") or [])]
    events = [_parse_event(r, f"{path.name} events[{i}]") for i, r in enumerate(data.get("events") or [])]
    members = [Membership(_field(r, "unit", f"memberships[{i}]"), _field(r, "committee", f"memberships[{i}]"),
                          _date(r.get("valid_from"), f"memberships[{i}].valid_from"),
                          _date(r.get("valid_to"), f"memberships[{i}].valid_to"))
               for i, r in enumerate(data.get("memberships") or [])]
    return units, events, members


def store_units(session, units: list[OrgUnit], events: list[LineageEvent],
                memberships: list[Membership]) -> UnitImport:
    """Replace the versions of the given units, add events and memberships; the resulting tree must be valid."""
    codes = {u.code for u in units}
    repo.replace_unit_versions(session, codes)
    repo.delete_events_touching(session, {c for e in events for c in (*e.sources, *e.targets)})
    report = UnitImport(units=repo.add_units(session, units), events=repo.add_events(session, events),
                        memberships=repo.add_memberships(session, memberships))
    session.flush()
    UnitTree(repo.load_units(session), repo.load_events(session), repo.load_memberships(session))
    return report


def import_units_file(path: str | Path, *, url: str | None = None) -> UnitImport:
    """Import units from a YAML or CSV file (replacing earlier versions of the same codes)."""
    units, events, members = read_units_file(Path(path))
    if not units:
        raise UnitError(f"{path}: không có đơn vị nào")
    with transaction(url) as session:
        return store_units(session, units, events, members)


def admin_data_dir() -> Path:
    """The data folder of the installed `vietnamadminunits` wheel (its Python modules are never imported)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise UnitError("Chưa cài gói dữ liệu 'vietnamadminunits' (pip install --no-deps vietnamadminunits)")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def province_units(name: str) -> tuple[list[OrgUnit], list[LineageEvent], list[str]]:
    """A real province (today's name, or a pre-2025 province it absorbed) with its old districts and communes,
    its current communes and the 2025-07-01 merge/split events; also warnings."""
    data = admin_data_dir()
    db = sqlite3.connect(f"file:{data / 'dataset.db'}?mode=ro", uri=True)
    try:
        return _province_units(db, json.loads((data / "converter_2025.json").read_text(encoding="utf-8")), name)
    finally:
        db.close()


def _province_units(db: sqlite3.Connection, conv: dict, name: str) -> tuple[list[OrgUnit], list[LineageEvent],
                                                                            list[str]]:
    wanted = fold(_short(name.strip())).replace(" ", "")
    current = {fold(_short(p)).replace(" ", ""): (p, key, code) for p, key, code in
               db.execute("SELECT DISTINCT province, provinceKey, provinceCode FROM admin_units")}
    legacy = {fold(_short(p)).replace(" ", ""): key for p, key in
              db.execute("SELECT DISTINCT province, provinceKey FROM admin_units_legacy")}
    if wanted not in current and wanted in legacy:
        new_key = next(k for k, olds in conv["DICT_PROVINCE"].items() if legacy[wanted] in olds)
        wanted = next(f for f, (_, key, _) in current.items() if key == new_key)
    if wanted not in current:
        raise UnitError(f"Không tìm thấy tỉnh/thành phố '{name}' trong dữ liệu đơn vị hành chính")
    pname, pkey, pcode = current[wanted]
    old_keys = conv["DICT_PROVINCE"].get(pkey, [pkey])
    units: list[OrgUnit] = []
    warnings: list[str] = []
    olds = db.execute(f"SELECT DISTINCT province, provinceKey, provinceCode FROM admin_units_legacy WHERE provinceKey "
                      f"IN ({','.join('?' * len(old_keys))}) ORDER BY provinceCode", old_keys).fetchall()
    unchanged = [k for _, k, _ in olds] == [pkey] and olds[0][2] == pcode
    units.append(OrgUnit(pcode, pname, "province", None, None if unchanged else REFORM_DAY))
    for oname, _okey, ocode in olds:
        if not unchanged:
            units.append(OrgUnit(ocode, oname, "province", None, None, LAST_OLD_DAY))
    old_ward_code: dict[str, str] = {}
    seen_districts: set[str] = set()
    rows = db.execute(f"SELECT provinceCode, district, districtCode, ward, wardCode, provinceKey, districtKey, wardKey, "
                      f"wardType "
                      f"FROM admin_units_legacy WHERE provinceKey IN ({','.join('?' * len(old_keys))}) "
                      f"ORDER BY districtCode, wardCode", old_keys).fetchall()
    for ocode, dname, dcode, wname, wcode, okey, dkey, wkey, wtype in rows:
        if dcode not in seen_districts:
            seen_districts.add(dcode)
            units.append(OrgUnit(dcode, dname, "district", ocode, None, LAST_OLD_DAY))
        if wcode:
            units.append(OrgUnit(wcode, wname, WARD_KINDS.get(wtype, "commune"), dcode, None, LAST_OLD_DAY))
            old_ward_code[f"{okey}_{dkey}_{wkey}"] = wcode
    new_ward_code: dict[str, str] = {}
    for wname, wcode, wkey, wtype in db.execute("SELECT ward, wardCode, wardKey, wardType FROM admin_units "
                                                "WHERE provinceKey = ? ORDER BY wardCode", (pkey,)):
        units.append(OrgUnit(wcode, wname, WARD_KINDS.get(wtype, "commune"), pcode, REFORM_DAY))
        new_ward_code[wkey] = wcode
    divided = conv["DICT_PROVINCE_WARD_DIVIDED"].get(pkey, {})
    events: list[LineageEvent] = []
    if not unchanged:
        events.append(LineageEvent("merge", REFORM_DAY, tuple(o[2] for o in olds), (pcode,),
                                   "Sáp nhập tỉnh theo Nghị quyết 202/2025/QH15"))
    for new_key, sources in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].get(pkey, {}).items():
        codes = [old_ward_code[s] for s in sources if s in old_ward_code and s not in divided]
        if new_key not in new_ward_code:
            warnings.append(f"Xã/phường mới '{new_key}' không có trong danh sách đơn vị hiện hành")
        elif codes:
            events.append(LineageEvent("merge", REFORM_DAY, tuple(codes), (new_ward_code[new_key],),
                                       "Sắp xếp đơn vị hành chính cấp xã năm 2025"))
    for old_key, parts in divided.items():
        targets = tuple(new_ward_code[p["newWardKey"]] for p in parts if p["newWardKey"] in new_ward_code)
        if old_key in old_ward_code and targets:
            events.append(LineageEvent("split", REFORM_DAY, (old_ward_code[old_key],), targets,
                                       "Chia tách khi sắp xếp đơn vị hành chính cấp xã năm 2025"))
    return units, events, warnings


def import_province(name: str, *, url: str | None = None) -> UnitImport:
    """Import a real province with its pre-reform districts and communes and its 2025 lineage."""
    units, events, warnings = province_units(name)
    with transaction(url) as session:
        report = store_units(session, units, events, [])
    report.province, report.warnings = units[0].name, warnings
    return report


def _unit_dict(u: OrgUnit) -> dict[str, Any]:
    return {"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent}


def list_units(at: date | None = None, *, under: str | None = None, url: str | None = None) -> list[dict[str, Any]]:
    """Units in force on AT (default today), in tree order: [{"code","name","kind","parent"}]."""
    with transaction(url) as session:
        view = load_tree(session).at(at or date.today())
    codes = view.subtree(under) if under else [c for r in view.roots() for c in view.subtree(r)]
    return [_unit_dict(view.units[c]) for c in codes]


def unit_lineage(code: str, *, url: str | None = None) -> dict[str, Any]:
    """Versions of CODE, the lineage events that touch it, and where it lives today."""
    url = database_url(url)
    with transaction(url) as session:
        tree = load_tree(session, url)  # the unit page asks on every view: the cached tree
    versions = tree.versions(code)
    if not versions:
        raise UnitError(f"Không có đơn vị mã '{code}'")
    events = [e for e in tree.events if code in e.sources or code in e.targets]
    names = {u.code: u.name for u in tree.units}
    return {
        "code": code,
        "versions": [{**_unit_dict(v), "valid_from": v.valid_from and v.valid_from.isoformat(),
                      "valid_to": v.valid_to and v.valid_to.isoformat()} for v in versions],
        "events": [{"kind": e.kind, "date": e.date.isoformat(), "sources": list(e.sources),
                    "targets": list(e.targets), "note": e.note, "names": {c: names.get(c, c) for c in
                                                                          (*e.sources, *e.targets)}}
                   for e in events],
        "successors": tree.successors(code, since=versions[0].valid_from),
    }
