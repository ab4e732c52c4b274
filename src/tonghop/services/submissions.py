"""Submission services: versioned saves with an optimistic lock, review, listing, completeness status."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tonghop.db import reporting_repo as repo
from tonghop.regime.assignments import expected_units
from tonghop.regime.consolidation import completeness
from tonghop.regime.errors import SubmissionError
from tonghop.regime.holidays import HolidayCalendar, calendar_from_dict
from tonghop.regime.periods import Period, deadline, parse_period
from tonghop.regime.submissions import FILED_STATES, Issue, is_on_time, parse_values, transition, validate
from tonghop.regime.templates import Template
from tonghop.services.context import database_url, transaction
from tonghop.services.template_cache import current_templates
from tonghop.services.units import load_tree


class ConflictError(SubmissionError):
    """The save was based on an older version than the stored one."""


class PeriodNotOpen(SubmissionError):
    """Nothing can be filed for this period: it has not started yet, or the unit did not exist in it."""


class _Raced(ConflictError):
    """Another save committed between this one's read and its write; a retry shows whose change it was."""


LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")  # a period starts on Vietnamese calendar days
_CALENDARS: dict[str, HolidayCalendar] = {}  # by stored adjustments: a calendar caches each year's days off
_ATTEMPTS = 5  # a save loses a race or meets SQLite's writer lock only when another save just committed


class ValidationFailed(SubmissionError):
    """Values do not pass the template's rules; `issues` names each indicator and reason."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(i.message for i in issues))
        self.issues = issues


@dataclass
class Saved:
    """The outcome of a save."""

    unit: str
    template: str
    period: str
    version: int
    state: str
    on_time: bool | None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape of `tonghop submit --json`."""
        return {"unit": self.unit, "template": self.template, "period": self.period, "version": self.version,
                "state": self.state, "on_time": self.on_time, "warnings": list(self.warnings)}


class Desk:
    """What every submission operation of one transaction needs: templates, calendar and the unit tree (loaded once)."""

    def __init__(self, session, url: str = "") -> None:
        self.session = session
        self.url = url
        self._templates: dict[str, Template] = {}
        self._calendar: HolidayCalendar | None = None
        self._tree = None

    def template(self, code: str) -> Template:
        """Template CODE (current version), cached."""
        if code not in self._templates:
            self._templates[code] = current_templates(self.session, [code])[code]
        return self._templates[code]

    def calendar(self) -> HolidayCalendar:
        """The holiday calendar with the stored adjustments."""
        if self._calendar is None:
            overrides = repo.holiday_overrides(self.session)
            key = json.dumps(overrides, sort_keys=True)
            if key not in _CALENDARS:
                _CALENDARS.clear()  # only the current adjustments are ever asked for again
                _CALENDARS[key] = calendar_from_dict(overrides)
            self._calendar = _CALENDARS[key]
        return self._calendar

    def tree(self):
        """The unit tree."""
        if self._tree is None:
            self._tree = load_tree(self.session, self.url)
        return self._tree

    def period(self, template: Template, code: str) -> Period:
        """PERIOD parsed under TEMPLATE's cut-off rule; must match the template's period type."""
        period = parse_period(code, template.cutoff)
        if period.kind != template.period_type:
            raise SubmissionError(f"Kỳ '{code}' không phải kỳ {template.period_name} của mẫu '{template.code}'")
        return period

    def deadline(self, template: Template, period: Period) -> date:
        """The filing deadline of TEMPLATE for PERIOD."""
        return deadline(period, template.deadline_days, self.calendar())


def check_open(desk: Desk, template: Template, period: Period, unit: str, today: date) -> None:
    """PeriodNotOpen when PERIOD has not started on TODAY (its cut-off window opens later) or UNIT is missing from
    the tree valid at the period's end while it exists today; UnitError for a unit the tree does not know then."""
    if period.cutoff_start > today:
        raise PeriodNotOpen(f"Kỳ {period.label} chưa bắt đầu (bắt đầu từ ngày {period.cutoff_start:%d/%m/%Y}): chưa "
                            f"lập hoặc nộp được báo cáo '{template.code}' của kỳ này")
    view = desk.tree().at(period.end)
    if unit not in view and unit in desk.tree().at(today):
        raise PeriodNotOpen(f"Đơn vị '{unit}' chưa có hoặc không còn trong kỳ {period.label} (theo danh sách đơn vị "
                            f"hiệu lực ngày {period.end:%d/%m/%Y}): không có báo cáo của đơn vị cho kỳ này")
    view.get(unit)


def save(desk: Desk, unit: str, template_code: str, period_code: str, raw_values: Mapping[str, Any], *,
         narrative: Mapping[str, str] | None = None, action: str = "submit", based_on: int | None = None,
         author: str = "", comment: str | None = None, source: str = "api", now: datetime | None = None) -> Saved:
    """Save a new version of UNIT's submission inside DESK's transaction (see `save_submission`)."""
    template = desk.template(template_code)
    period = desk.period(template, period_code)
    check_open(desk, template, period, unit, (now or datetime.now(UTC)).astimezone(LOCAL).date())
    values, issues = parse_values(template, raw_values)
    if issues:
        raise ValidationFailed(issues)
    narrative = dict(narrative or {})
    sub = repo.get_submission(desk.session, unit, template.code, period.code)
    current = sub.version if sub is not None else 0
    if (based_on or 0) != current:
        author, act, at = repo.last_change(desk.session, sub.id) if sub is not None else ("", "", "")
        raise ConflictError(f"Báo cáo của '{unit}' kỳ {period.code} đã có phiên bản {current} "
                            f"(do '{author or 'không rõ'}' lưu lúc {at}, thao tác '{act}'), bản đang lưu dựa trên "
                            f"phiên bản {based_on or 0}; hãy tải lại phiên bản {current} rồi lưu lại "
                            f"(dòng lệnh: --based-on {current})")
    state = transition(sub.state if sub is not None else "draft", action, comment)
    if state in FILED_STATES:
        problems = validate(template, values, narrative)
        if problems:
            raise ValidationFailed(problems)
    when = now or datetime.now(UTC)
    due = desk.deadline(template, period)
    try:
        if sub is None:
            sub = repo.create_submission(desk.session, unit, template.code, period.code, template.version, due)
        first_filing = state == "submitted" and sub.submitted_at is None
        on_time = is_on_time(when, due) if first_filing else sub.on_time
        version = repo.add_version(desk.session, sub, state=state, action=action, author=author,
                                   created_at=when.isoformat(timespec="seconds"), comment=comment, source=source,
                                   values=values, narrative=narrative,
                                   submitted_at=when.isoformat(timespec="seconds") if first_filing else None,
                                   on_time=on_time if first_filing else None)
    except repo.StaleVersion:
        raise _Raced(f"Báo cáo của '{unit}' kỳ {period.code} vừa được người khác lưu; hãy tải lại rồi lưu "
                            f"lại") from None
    return Saved(unit, template.code, period.code, version, state, None if on_time is None else bool(on_time))


def save_submission(unit: str, template: str, period: str, values: Mapping[str, Any], *,
                    narrative: Mapping[str, str] | None = None, action: str = "submit", based_on: int | None = None,
                    author: str = "", comment: str | None = None, source: str = "api", now: datetime | None = None,
                    url: str | None = None) -> Saved:
    """Save VALUES as a new immutable version; ACTION 'edit' keeps a draft, 'submit' files it.

    BASED_ON is the version the user started from (None or 0 for a new submission); a mismatch raises ConflictError.
    Values are parsed and, when filed, validated against the template (ValidationFailed lists every problem).
    """
    url = database_url(url)
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with transaction(url) as session:
                return save(Desk(session, url), unit, template, period, values, narrative=narrative, action=action,
                            based_on=based_on, author=author, comment=comment, source=source, now=now)
        except _Raced:
            if attempt == _ATTEMPTS:
                raise
        except Exception as e:  # only SQLite's writer lock is retried; everything else goes up unchanged
            if attempt == _ATTEMPTS or not repo.is_busy(e):
                raise
    raise AssertionError("unreachable")


def submit_json(unit: str, template: str, period: str, path: str | Path, *, based_on: int | None = None,
                author: str = "", url: str | None = None) -> Saved:
    """Submit values from a JSON file: {"values": {code: value}, "narrative": {section: text}} or {code: value}."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SubmissionError(f"{path}: không đọc được tệp JSON ({e})") from None
    if not isinstance(data, dict):
        raise SubmissionError(f"{path}: cần một đối tượng JSON")
    values = data.get("values", data if "narrative" not in data else {})
    return save_submission(unit, template, period, values, narrative=data.get("narrative"), based_on=based_on,
                           author=author, source="json", url=url)


def review(unit: str, template: str, period: str, action: str, *, based_on: int, author: str = "",
           comment: str | None = None, now: datetime | None = None, url: str | None = None) -> Saved:
    """Approve or return (with COMMENT) the submission; a new version carries the same values."""
    if action not in ("approve", "return"):
        raise SubmissionError(f"Thao tác duyệt '{action}' không hợp lệ (approve, return)")
    url = database_url(url)
    with transaction(url) as session:
        sub = repo.get_submission(session, unit, template, period)
        if sub is None:
            raise SubmissionError(f"Đơn vị '{unit}' chưa có báo cáo '{template}' kỳ {period}")
        last = repo.versions(session, sub.id)[-1]
        return save(Desk(session, url), unit, template, period, last.values, narrative=last.narrative,
                    action=action, based_on=based_on, author=author, comment=comment, source="review", now=now)


def history(unit: str, template: str, period: str, *, url: str | None = None) -> list[dict[str, Any]]:
    """Every version of a submission, oldest first."""
    with transaction(url) as session:
        sub = repo.get_submission(session, unit, template, period)
        if sub is None:
            return []
        return [{"version": v.number, "state": v.state, "action": v.action, "author": v.author,
                 "created_at": v.created_at, "comment": v.comment, "source": v.source, "values": v.values,
                 "narrative": v.narrative} for v in repo.versions(session, sub.id)]


def _scope(desk: Desk, template: Template, period: Period, unit: str | None) -> tuple[set[str], set[str]]:
    """(expected units, units in scope) for TEMPLATE in PERIOD under UNIT (whole tree when None)."""
    view = desk.tree().at(period.end)
    assignments = repo.load_assignments(desk.session, template.code)
    expected = expected_units(view, assignments, template.code, unit)
    scope = set(view.subtree(unit)) if unit else set(view.units)
    return expected, scope


def list_submissions(template: str, period: str, unit: str | None = None, *,
                     url: str | None = None) -> list[dict[str, Any]]:
    """Latest version per unit: [{"unit","state","submitted_at","on_time","version","values"}]."""
    url = database_url(url)
    with transaction(url) as session:
        desk = Desk(session, url)
        t = desk.template(template)
        p = desk.period(t, period)
        _, scope = _scope(desk, t, p, unit)
        rows = repo.latest(session, t.code, p.code, with_narrative=False)
    return [{"unit": r.unit, "state": r.state, "submitted_at": r.submitted_at, "on_time": r.on_time,
             "version": r.version, "values": r.values} for r in rows if r.unit in scope]


def status(template: str, period: str, unit: str | None = None, *, url: str | None = None) -> dict[str, Any]:
    """Completeness: {"expected","submitted","on_time","late","missing":[codes]} (filed = submitted/approved/…)."""
    url = database_url(url)
    with transaction(url) as session:
        desk = Desk(session, url)
        t = desk.template(template)
        p = desk.period(t, period)
        expected, scope = _scope(desk, t, p, unit)
        rows = repo.latest(session, t.code, p.code, FILED_STATES, with_narrative=False)
    filed = [r.unit for r in rows if r.unit in scope]
    result = completeness(expected, filed, {r.unit: bool(r.on_time) for r in rows if r.on_time is not None})
    return result.to_dict()


def set_holiday(day: date, *, off: bool = True, name: str = "", url: str | None = None) -> None:
    """Make DAY a day off (OFF) or a working day (not OFF) in the calendar deadlines are counted on."""
    with transaction(url) as session:
        repo.set_holiday(session, day, "extra" if off else "removed", name)


def deadline_of(template: str, period: str, *, url: str | None = None) -> date:
    """The filing deadline of TEMPLATE for PERIOD (working days after the cut-off, stored holidays included)."""
    url = database_url(url)
    with transaction(url) as session:
        desk = Desk(session, url)
        t = desk.template(template)
        return desk.deadline(t, desk.period(t, period))
