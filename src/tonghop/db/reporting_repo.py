"""Reporting repository: units, lineage, templates, assignments, holidays and versioned submissions (never commits)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, inspect, select, text, true, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from tonghop.db import parsed_json
from tonghop.db.reporting import (
    AssignmentRow,
    HolidayOverrideRow,
    MembershipRow,
    SubmissionRow,
    SubmissionValueRow,
    SubmissionVersionRow,
    TemplateRow,
    TemplateVersionRow,
    UnitChangeRow,
    UnitEventRow,
    UnitRow,
)
from tonghop.regime.assignments import Assignment
from tonghop.regime.org_units import LineageEvent, Membership, OrgUnit


class StaleVersion(Exception):  # noqa: N818 - the name says what happened
    """Another save got there first (the version or the submission already exists)."""


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _day(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


# --- units -------------------------------------------------------------------------------------------------------

def load_units(session: Session) -> list[OrgUnit]:
    """Every version of every unit."""
    rows = session.execute(select(UnitRow.code, UnitRow.name, UnitRow.kind, UnitRow.parent, UnitRow.valid_from,
                                  UnitRow.valid_to).order_by(UnitRow.code, UnitRow.valid_from)).all()
    return [OrgUnit(c, n, k, p, _day(f), _day(t)) for c, n, k, p, f, t in rows]


def load_events(session: Session) -> list[LineageEvent]:
    """Every lineage event, oldest first."""
    out = []
    for row in session.scalars(select(UnitEventRow).order_by(UnitEventRow.date, UnitEventRow.id)):
        shares = json.loads(row.shares_json) if row.shares_json else None
        out.append(LineageEvent(row.kind, date.fromisoformat(row.date), tuple(json.loads(row.sources_json)),  # type: ignore[arg-type]
                                tuple(json.loads(row.targets_json)), row.note, shares))
    return out


def load_memberships(session: Session) -> list[Membership]:
    """Every committee membership."""
    rows = session.execute(select(MembershipRow.unit, MembershipRow.committee, MembershipRow.valid_from,
                                  MembershipRow.valid_to)).all()
    return [Membership(u, c, _day(f), _day(t)) for u, c, f, t in rows]


_HAS_CHANGE_LOG: dict[str, bool] = {}


def _change_log(session: Session) -> bool:
    """True when the database has the unit change log (databases made by an early 0002_units lack it)."""
    url = str(session.get_bind().url)
    if url not in _HAS_CHANGE_LOG:
        _HAS_CHANGE_LOG[url] = inspect(session.connection()).has_table("unit_changes")
    return _HAS_CHANGE_LOG[url]


def units_version_key(session: Session) -> tuple[int, ...]:
    """A cache key of the unit tables: the newest change id (every write through this module logs one)."""
    if _change_log(session):
        return (int(session.scalar(select(func.max(UnitChangeRow.id))) or 0),)
    out: list[int] = []
    for table in (UnitRow, UnitEventRow, MembershipRow):
        count, newest = session.execute(select(func.count(), func.max(table.id))).one()
        out += [int(count), int(newest or 0)]
    return tuple(out)


def _changed(session: Session) -> None:
    if _change_log(session):
        session.execute(insert(UnitChangeRow).values(at=datetime.now(UTC).isoformat(timespec="seconds")))


def add_units(session: Session, units: Iterable[OrgUnit]) -> int:
    """Insert unit versions in bulk; returns how many."""
    rows = [{"code": u.code, "name": u.name, "kind": u.kind, "parent": u.parent, "valid_from": _iso(u.valid_from),
             "valid_to": _iso(u.valid_to)} for u in units]
    if rows:
        session.execute(insert(UnitRow), rows)
        _changed(session)
    return len(rows)


def replace_unit_versions(session: Session, codes: Iterable[str]) -> None:
    """Remove every version of CODES (before importing them again)."""
    codes = list(codes)
    for i in range(0, len(codes), 500):
        session.execute(delete(UnitRow).where(UnitRow.code.in_(codes[i:i + 500])))
    _changed(session)


def add_events(session: Session, events: Iterable[LineageEvent]) -> int:
    """Insert lineage events; returns how many."""
    rows = [{"kind": e.kind, "date": e.date.isoformat(), "sources_json": json.dumps(list(e.sources)),
             "targets_json": json.dumps(list(e.targets)),
             "shares_json": json.dumps(dict(e.shares)) if e.shares else None, "note": e.note} for e in events]
    if rows:
        session.execute(insert(UnitEventRow), rows)
        _changed(session)
    return len(rows)


def delete_events_touching(session: Session, codes: set[str]) -> None:
    """Remove lineage events whose sources or targets include any of CODES."""
    for row in session.scalars(select(UnitEventRow)).all():
        if codes & set(json.loads(row.sources_json)) or codes & set(json.loads(row.targets_json)):
            session.delete(row)
    _changed(session)


def add_memberships(session: Session, memberships: Iterable[Membership]) -> int:
    """Insert committee memberships; returns how many."""
    rows = [{"unit": m.unit, "committee": m.committee, "valid_from": _iso(m.valid_from), "valid_to": _iso(m.valid_to)}
            for m in memberships]
    if rows:
        session.execute(insert(MembershipRow), rows)
        _changed(session)
    return len(rows)


# --- templates ---------------------------------------------------------------------------------------------------

def template_codes(session: Session) -> list[str]:
    """Codes of the stored templates, sorted."""
    return list(session.scalars(select(TemplateRow.code).order_by(TemplateRow.code)))


def template_definition(session: Session, code: str, version: int | None = None) -> dict[str, Any] | None:
    """The stored definition dict of template CODE at VERSION (default: current), or None."""
    row = session.scalar(select(TemplateRow).where(TemplateRow.code == code))
    if row is None:
        return None
    ver = version if version is not None else row.current_version
    definition = session.scalar(select(TemplateVersionRow.definition_json).where(
        TemplateVersionRow.template_id == row.id, TemplateVersionRow.version == ver))
    return json.loads(definition) if definition else None


def template_versions(session: Session, code: str) -> list[int]:
    """Stored version numbers of template CODE, oldest first."""
    return list(session.scalars(select(TemplateVersionRow.version).join(TemplateRow).where(
        TemplateRow.code == code).order_by(TemplateVersionRow.version)))


def add_template_version(session: Session, code: str, name: str, version: int, period_type: str,
                         definition: Mapping[str, Any], created_at: str) -> None:
    """Store a new version of template CODE and make it current (creating the template on first use)."""
    row = session.scalar(select(TemplateRow).where(TemplateRow.code == code))
    if row is None:
        row = TemplateRow(code=code, name=name, current_version=version)
        session.add(row)
        session.flush()
    row.name, row.current_version = name, version
    session.add(TemplateVersionRow(template_id=row.id, version=version, period_type=period_type,
                                   definition_json=json.dumps(dict(definition), ensure_ascii=False),
                                   created_at=created_at))
    session.flush()


def add_assignment(session: Session, a: Assignment) -> bool:
    """Store assignment A unless an identical one exists; True when added."""
    exists = session.scalar(select(AssignmentRow.id).where(
        AssignmentRow.template_code == a.template_code, AssignmentRow.unit_kind.is_(None) if a.unit_kind is None
        else AssignmentRow.unit_kind == a.unit_kind, AssignmentRow.unit_code.is_(None) if a.unit_code is None
        else AssignmentRow.unit_code == a.unit_code))
    if exists:
        return False
    session.add(AssignmentRow(template_code=a.template_code, unit_kind=a.unit_kind, unit_code=a.unit_code))
    return True


def load_assignments(session: Session, template_code: str | None = None) -> list[Assignment]:
    """Stored assignments (of TEMPLATE_CODE only, when given)."""
    q = select(AssignmentRow.template_code, AssignmentRow.unit_kind, AssignmentRow.unit_code)
    if template_code is not None:
        q = q.where(AssignmentRow.template_code == template_code)
    return [Assignment(t, k, c) for t, k, c in session.execute(q)]


def holiday_overrides(session: Session) -> dict[str, Any]:
    """The calendar adjustments in the shape `calendar_from_dict` reads."""
    extra: dict[str, str] = {}
    removed: list[str] = []
    for day, kind, name in session.execute(select(HolidayOverrideRow.day, HolidayOverrideRow.kind,
                                                  HolidayOverrideRow.name)):
        if kind == "removed":
            removed.append(day)
        else:
            extra[day] = name
    return {"extra": extra, "removed": removed} if extra or removed else {}


def set_holiday(session: Session, day: date, kind: str, name: str = "") -> None:
    """Add or replace the calendar adjustment for DAY."""
    session.execute(delete(HolidayOverrideRow).where(HolidayOverrideRow.day == day.isoformat()))
    session.add(HolidayOverrideRow(day=day.isoformat(), kind=kind, name=name))


# --- submissions -------------------------------------------------------------------------------------------------

@dataclass
class VersionRecord:
    """One saved version as the services see it."""

    number: int
    state: str
    action: str
    author: str
    created_at: str
    comment: str | None
    source: str
    values: dict[str, Any]
    narrative: dict[str, str]


def get_submission(session: Session, unit: str, template: str, period: str) -> SubmissionRow | None:
    """The submission of UNIT for TEMPLATE and PERIOD, if any."""
    return session.scalar(select(SubmissionRow).where(SubmissionRow.unit_code == unit,
                                                      SubmissionRow.template_code == template,
                                                      SubmissionRow.period == period))


def create_submission(session: Session, unit: str, template: str, period: str, template_version: int,
                      deadline: date | None) -> SubmissionRow:
    """A new, still version-less submission row."""
    # Not a SAVEPOINT: pysqlite's RELEASE of the outermost savepoint commits, and a crash before the first version
    # then left a version-less submission behind. ON CONFLICT keeps the row in the caller's transaction.
    insert_ = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    new_id = session.scalar(insert_(SubmissionRow.__table__).values(
        unit_code=unit, template_code=template, period=period, template_version=template_version, state="draft",
        version=0, deadline=_iso(deadline)).on_conflict_do_nothing(
        index_elements=["unit_code", "template_code", "period"]).returning(SubmissionRow.__table__.c.id))
    if new_id is None:
        raise StaleVersion(f"{unit}/{template}/{period}")
    return session.get_one(SubmissionRow, new_id)


def value_rows(version_id: int, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows of the long values table for one version: numbers (and each category of a disaggregated one)."""
    rows = []
    for code, v in values.items():
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, int | float):
            rows.append({"version_id": version_id, "indicator": code, "category": "", "value": float(v)})
        elif isinstance(v, Mapping):
            rows.extend({"version_id": version_id, "indicator": code, "category": str(k), "value": float(x)}
                        for k, x in v.items() if isinstance(x, int | float) and not isinstance(x, bool))
    return rows


_SUBS = SubmissionRow.__table__
# Statements built once: compiled once and cached, where per-call statements cost more than the SQL itself.
_BUMP = (update(_SUBS).where(_SUBS.c.id == bindparam("b_id"), _SUBS.c.version == bindparam("b_old"))
         .values(version=bindparam("b_new")))
_POINT = (update(_SUBS).where(_SUBS.c.id == bindparam("b_id"))
          .values(state=bindparam("b_state"), latest_version_id=bindparam("b_vid")))
_POINT_FILED = _POINT.values(submitted_at=bindparam("b_at"), on_time=bindparam("b_on_time"))
_ADD_VERSION = insert(SubmissionVersionRow.__table__)
_ADD_VALUES = insert(SubmissionValueRow.__table__)


def add_version(session: Session, sub: SubmissionRow, *, state: str, action: str, author: str, created_at: str,
                comment: str | None, source: str, values: Mapping[str, Any], narrative: Mapping[str, str],
                submitted_at: str | None = None, on_time: bool | None = None) -> int:
    """Append version sub.version + 1 (values as JSON and in long form) and move the submission's pointer to it."""
    conn = session.connection()
    number = sub.version + 1
    done = conn.execute(_BUMP, {"b_id": sub.id, "b_old": sub.version, "b_new": number})
    if done.rowcount != 1:  # the WHERE on the old number makes a concurrent save lose instead of overwrite
        raise StaleVersion(f"submission {sub.id} version {sub.version}")
    res = conn.execute(_ADD_VERSION, {
        "submission_id": sub.id, "number": number, "state": state, "action": action, "author": author,
        "created_at": created_at, "comment": comment, "source": source,
        "values_json": json.dumps(dict(values), ensure_ascii=False),
        "narrative_json": json.dumps(dict(narrative), ensure_ascii=False)})
    version_id = res.inserted_primary_key[0]
    rows = value_rows(version_id, values)
    if rows:
        conn.execute(_ADD_VALUES, rows)
    params: dict[str, Any] = {"b_id": sub.id, "b_state": state, "b_vid": version_id}
    changes: dict[str, Any] = {"version": number, "state": state, "latest_version_id": version_id}
    if submitted_at is not None:
        params.update(b_at=submitted_at, b_on_time=None if on_time is None else int(on_time))
        changes.update(submitted_at=submitted_at, on_time=params["b_on_time"])
    conn.execute(_POINT_FILED if submitted_at is not None else _POINT, params)
    for key, value in changes.items():  # keep the loaded row in step without marking it dirty
        set_committed_value(sub, key, value)
    return number


def last_change(session: Session, submission_id: int) -> tuple[str, str, str] | None:
    """(author, action, created_at) of the submission's newest version, if any."""
    row = session.execute(select(SubmissionVersionRow.author, SubmissionVersionRow.action,
                                 SubmissionVersionRow.created_at)
                          .where(SubmissionVersionRow.submission_id == submission_id)
                          .order_by(SubmissionVersionRow.number.desc()).limit(1)).first()
    return None if row is None else (row[0], row[1], row[2])


def is_busy(error: BaseException) -> bool:
    """Whether ERROR is SQLite's 'database is locked' (another writer held the file): the transaction may be retried."""
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


def versions(session: Session, submission_id: int) -> list[VersionRecord]:
    """Every version of a submission, oldest first."""
    rows = session.scalars(select(SubmissionVersionRow).where(SubmissionVersionRow.submission_id == submission_id)
                           .order_by(SubmissionVersionRow.number))
    return [VersionRecord(r.number, r.state, r.action, r.author, r.created_at, r.comment, r.source,
                          json.loads(r.values_json), json.loads(r.narrative_json)) for r in rows]


@dataclass
class LatestRow:
    """The latest version of one unit's submission for a template and period."""

    unit: str
    state: str
    submitted_at: str | None
    on_time: bool | None
    version: int
    values: dict[str, Any]
    narrative: dict[str, str]


def latest(session: Session, template: str, period: str, states: Iterable[str] | None = None,
           with_narrative: bool = True) -> list[LatestRow]:
    """The latest version of every submission for TEMPLATE and PERIOD (in STATES only, when given), by unit."""
    ver = SubmissionVersionRow.__table__
    join_on = ver.c.id == SubmissionRow.latest_version_id
    if session.get_bind().dialect.name == "postgresql":
        # One probe by key per submission: PostgreSQL otherwise hashes every version ever saved (50 ms at 80,000
        # versions against 5 ms); LIMIT 1 keeps the planner from flattening the LATERAL back into that join.
        ver = select(ver.c.values_json, ver.c.narrative_json).where(join_on).limit(1).lateral()
        join_on = true()
    cols = [SubmissionRow.unit_code, SubmissionRow.state, SubmissionRow.submitted_at, SubmissionRow.on_time,
            SubmissionRow.version, ver.c.values_json] + ([ver.c.narrative_json] if with_narrative else [])
    q = (select(*cols).select_from(SubmissionRow).join(ver, join_on)
         .where(SubmissionRow.template_code == template, SubmissionRow.period == period)
         .order_by(SubmissionRow.unit_code))
    if states is not None:
        q = q.where(SubmissionRow.state.in_(list(states)))
    rows = session.connection().execute(q).all()  # Core, not ORM: no per-row ORM processing
    values = parsed_json.objects([r[5] for r in rows])
    texts = json.loads("[" + ",".join(r[6] for r in rows) + "]") if with_narrative else [{}] * len(rows)
    return [LatestRow(r[0], r[1], r[2], None if r[3] is None else bool(r[3]), r[4], v, t)
            for r, v, t in zip(rows, values, texts, strict=True)]


def submissions_fingerprint(session: Session, template: str, period: str) -> tuple[int, int]:
    """(count, newest version id) of the submissions of TEMPLATE and PERIOD: changes with every save."""
    row = session.execute(select(func.count(), func.max(SubmissionRow.latest_version_id)).where(
        SubmissionRow.template_code == template, SubmissionRow.period == period)).one()
    return int(row[0]), int(row[1] or 0)


def sum_by_indicator(session: Session, template: str, period: str, states: Iterable[str]) -> dict[str, float]:
    """SUM of each indicator over the latest version of every submission in STATES (hand-written SQL GROUP BY)."""
    sql = text("SELECT v.indicator, SUM(v.value) FROM submissions s JOIN submission_values v "
               "ON v.version_id = s.latest_version_id WHERE s.template_code = :t AND s.period = :p "
               "AND s.state IN (" + ", ".join(f":s{i}" for i, _ in enumerate(states)) + ") GROUP BY v.indicator")
    params = {"t": template, "p": period, **{f"s{i}": s for i, s in enumerate(states)}}
    return {k: v for k, v in session.execute(sql, params)}

