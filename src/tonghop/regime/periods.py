"""Reporting periods: stable codes (2023M11, 2023Q1, 2023S1, 2023N9, 2023), cut-off windows and deadlines."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

from tonghop.regime.errors import PeriodError

if TYPE_CHECKING:
    from tonghop.regime.holidays import HolidayCalendar

PeriodKind = Literal["month", "quarter", "half", "nine_months", "year"]
CutoffRule = Literal["calendar", "decree09"]
PERIOD_KINDS: tuple[str, ...] = ("month", "quarter", "half", "nine_months", "year")
CUTOFF_RULES: tuple[str, ...] = ("calendar", "decree09")
PERIOD_NAMES = {"month": "tháng", "quarter": "quý", "half": "6 tháng", "nine_months": "9 tháng", "year": "năm"}

# kind -> (code letter, number of periods per year, months per period)
_SHAPE = {"month": ("M", 12, 1), "quarter": ("Q", 4, 3), "half": ("S", 2, 6), "nine_months": ("N", 1, 9),
          "year": ("", 1, 12)}
_CODE = re.compile(r"^(\d{4})(?:(M)(\d{1,2})|(Q)([1-4])|(S)([12])|(N)(9))?$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True, slots=True)
class Period:
    """One reporting period: its calendar span and the data cut-off window under its cut-off rule."""

    code: str
    kind: PeriodKind
    year: int
    index: int
    start: date
    end: date
    cutoff_start: date
    cutoff_end: date
    cutoff_rule: CutoffRule = "calendar"

    @property
    def label(self) -> str:
        """Vietnamese label: 'tháng 11/2023', 'quý I/2023', '6 tháng đầu năm 2023', '9 tháng năm 2023', 'năm 2023'."""
        if self.kind == "month":
            return f"tháng {self.index}/{self.year}"
        if self.kind == "quarter":
            return f"quý {_ROMAN[self.index]}/{self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.kind == "nine_months":
            return f"9 tháng năm {self.year}"
        return f"năm {self.year}"

    def __str__(self) -> str:
        return self.code


def _check_kind(kind: str) -> None:
    if kind not in _SHAPE:
        raise PeriodError(f"Loại kỳ báo cáo '{kind}' không hợp lệ (month, quarter, half, nine_months, year)")


def _check_rule(rule: str) -> None:
    if rule not in CUTOFF_RULES:
        raise PeriodError(f"Quy tắc chốt số liệu '{rule}' không hợp lệ (calendar, decree09)")


def format_code(kind: str, year: int, index: int = 1) -> str:
    """The stable code of a period: 2023M11, 2023Q1, 2023S2, 2023N9, 2023."""
    _check_kind(kind)
    letter, count, _ = _SHAPE[kind]
    if not 1 <= index <= count:
        raise PeriodError(f"Kỳ {kind} số {index} không hợp lệ (1–{count})")
    if kind == "year":
        return f"{year:04d}"
    if kind == "nine_months":
        return f"{year:04d}N9"
    return f"{year:04d}{letter}{index}"


def make_period(kind: str, year: int, index: int = 1, cutoff: str = "calendar") -> Period:
    """Build the period KIND/YEAR/INDEX with its cut-off window under rule CUTOFF."""
    code = format_code(kind, year, index)
    _check_rule(cutoff)
    _, _, months = _SHAPE[kind]
    last_month = 9 if kind == "nine_months" else index * months
    first_month = 1 if kind == "nine_months" else last_month - months + 1
    start = date(year, first_month, 1)
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    if cutoff == "decree09":
        prev_year, prev_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
        cutoff_start, cutoff_end = date(prev_year, prev_month, 15), date(year, last_month, 14)
    else:
        cutoff_start, cutoff_end = start, end
    return Period(code, kind, year, index, start, end, cutoff_start, cutoff_end, cutoff)  # type: ignore[arg-type]


def parse_period(code: str, cutoff: str = "calendar") -> Period:
    """Parse a period code (2023M11, 2023Q1, 2023S1, 2023N9, 2023); raises PeriodError naming the code."""
    m = _CODE.match(code.strip().upper()) if isinstance(code, str) else None
    if not m:
        raise PeriodError(f"Mã kỳ báo cáo '{code}' không hợp lệ (ví dụ: 2023M11, 2023Q1, 2023S1, 2023N9, 2023)")
    year = int(m.group(1))
    if not 1900 <= year <= 2999:  # year 9999's deadline falls in year 10000, which datetime cannot hold
        raise PeriodError(f"Mã kỳ báo cáo '{code}': năm {year} không hợp lệ (1900–2999)")
    if m.group(2):
        month = int(m.group(3))
        if not 1 <= month <= 12:
            raise PeriodError(f"Mã kỳ báo cáo '{code}': tháng {month} không hợp lệ")
        return make_period("month", year, month, cutoff)
    if m.group(4):
        return make_period("quarter", year, int(m.group(5)), cutoff)
    if m.group(6):
        return make_period("half", year, int(m.group(7)), cutoff)
    if m.group(8):
        return make_period("nine_months", year, 1, cutoff)
    return make_period("year", year, 1, cutoff)


def period_for(kind: str, day: date, cutoff: str = "calendar") -> Period:
    """The period of KIND whose cut-off window contains DAY (under Decree 09, 20/11 already counts for December).

    For 9-month periods DAY must fall in the window; otherwise PeriodError.
    """
    _check_kind(kind)
    _check_rule(cutoff)
    year, month = day.year, day.month
    if cutoff == "decree09" and day.day >= 15:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    _, _, months = _SHAPE[kind]
    if kind == "nine_months":
        if month > 9:
            raise PeriodError(f"Ngày {day.isoformat()} không thuộc kỳ 9 tháng nào")
        return make_period(kind, year, 1, cutoff)
    return make_period(kind, year, (month - 1) // months + 1, cutoff)


def previous(period: Period) -> Period:
    """The period of the same kind just before PERIOD (for a 9-month period: the one a year earlier)."""
    _, count, _ = _SHAPE[period.kind]
    if period.index > 1:
        return make_period(period.kind, period.year, period.index - 1, period.cutoff_rule)
    return make_period(period.kind, period.year - 1, count, period.cutoff_rule)


def following(period: Period) -> Period:
    """The period of the same kind just after PERIOD."""
    _, count, _ = _SHAPE[period.kind]
    if period.index < count:
        return make_period(period.kind, period.year, period.index + 1, period.cutoff_rule)
    return make_period(period.kind, period.year + 1, 1, period.cutoff_rule)


def same_period_last_year(period: Period) -> Period:
    """The same period one year earlier (2023M11 -> 2022M11)."""
    return make_period(period.kind, period.year - 1, period.index, period.cutoff_rule)


def with_cutoff(period: Period, cutoff: str) -> Period:
    """PERIOD with its cut-off window recomputed under rule CUTOFF."""
    return make_period(period.kind, period.year, period.index, cutoff) if cutoff != period.cutoff_rule else replace(period)


def months_of(period: Period) -> list[Period]:
    """The monthly periods that make up PERIOD (for rolling months up into a quarter or a year)."""
    return [make_period("month", period.year, m, period.cutoff_rule)
            for m in range(period.start.month, period.end.month + 1)]


def deadline(period: Period, working_days: int | Any, holidays: HolidayCalendar | None = None) -> date:
    """The WORKING_DAYS-th working day after the cut-off end (0: the cut-off end itself, or the next working day).

    WORKING_DAYS may also be a template (anything with `deadline_days`).
    """
    from tonghop.regime.holidays import HolidayCalendar

    if not isinstance(working_days, int):
        working_days = working_days.deadline_days

    if working_days < 0:
        raise PeriodError(f"Số ngày làm việc sau khi chốt số liệu phải không âm (nhận {working_days})")
    cal = holidays if holidays is not None else HolidayCalendar()
    if working_days == 0:
        day = period.cutoff_end
        while not cal.is_working_day(day):
            day += timedelta(days=1)
        return day
    return cal.add_working_days(period.cutoff_end, working_days)
