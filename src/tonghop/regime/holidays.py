"""Vietnamese public holidays and working days, configurable per year (extra, compensatory and removed days)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tonghop.regime.errors import RegimeError
from tonghop.regime.lunar import to_solar


@dataclass
class HolidayCalendar:
    """Public holidays (Labour Code 2019, Art. 112) with per-year adjustments.

    - Tết Nguyên đán: `tet_days_before` days before 1/1 lunar (default 1: the last day of the lunar year) and the
      first `tet_days` days of the lunar year (default 4);
    - Giỗ Tổ Hùng Vương 10/3 lunar; 1/1; 30/4; 1/5; Quốc khánh 2/9 plus one adjacent day (`national_day_extra`
      per year, else the neighbour that touches a weekend, else 3/9);
    - a holiday falling on Saturday or Sunday gives a compensatory day off on the next working day when
      `compensate` is set (Art. 111(3));
    - `extra` adds days (the Prime Minister's yearly schedule, swapped days), `removed` drops days, and
      `working_weekends` are Saturdays or Sundays worked in exchange for a swapped day off (làm bù).
    """

    extra: Mapping[date, str] = field(default_factory=dict)
    removed: Iterable[date] = ()
    tet_days_before: int = 1
    tet_days: int = 4
    national_day_extra: Mapping[int, date] = field(default_factory=dict)
    compensate: bool = True
    weekend: tuple[int, ...] = (5, 6)
    working_weekends: Iterable[date] = ()

    def __post_init__(self) -> None:
        self.extra = dict(self.extra)
        self.removed = frozenset(self.removed)
        self.working_weekends = frozenset(self.working_weekends)
        self._cache: dict[int, dict[date, str]] = {}

    def holidays(self, year: int) -> dict[date, str]:
        """Every day off (besides weekends) in solar YEAR -> its Vietnamese name, sorted by date."""
        cached = self._cache.get(year)
        if cached is not None:
            return cached
        days: dict[date, str] = {}
        # Tết of lunar YEAR and lunar YEAR+1 can both touch solar YEAR at its edges.
        for lunar_year in (year, year + 1):
            tet = to_solar(lunar_year, 1, 1)
            for i in range(-self.tet_days_before, self.tet_days):
                d = tet + timedelta(days=i)
                if d.year == year:
                    days[d] = "Tết Nguyên đán"
        days[date(year, 1, 1)] = "Tết Dương lịch"
        days[to_solar(year, 3, 10)] = "Giỗ Tổ Hùng Vương"
        days[date(year, 4, 30)] = "Ngày Chiến thắng"
        days[date(year, 5, 1)] = "Ngày Quốc tế Lao động"
        days[date(year, 9, 2)] = "Quốc khánh"
        days[self._national_day_extra(year)] = "Quốc khánh"
        if self.compensate:
            for d, name in sorted(days.items()):
                if d.weekday() in self.weekend:
                    sub = d + timedelta(days=1)
                    while sub.weekday() in self.weekend or sub in days:
                        sub += timedelta(days=1)
                    if sub.year == year:
                        days[sub] = f"Nghỉ bù {name}"
        for d, name in self.extra.items():
            if d.year == year:
                days[d] = name
        for d in self.removed:
            days.pop(d, None)
        result = dict(sorted(days.items()))
        self._cache[year] = result
        return result

    def _national_day_extra(self, year: int) -> date:
        if year in self.national_day_extra:
            return self.national_day_extra[year]
        day = date(year, 9, 2)
        before, after = day - timedelta(days=1), day + timedelta(days=1)
        # the adjacent day that bridges to a weekend, else the following day unless it is itself a weekend day
        if before.weekday() not in self.weekend and (before - timedelta(days=1)).weekday() in self.weekend:
            return before
        if after.weekday() not in self.weekend:
            return after
        return before

    def is_holiday(self, day: date) -> bool:
        """True when DAY is a public holiday or a compensatory/extra day off."""
        return day in self.holidays(day.year)

    def is_working_day(self, day: date) -> bool:
        """True when DAY is neither a weekend day nor a day off (days in `extra` count even on weekdays)."""
        if day in self.holidays(day.year):
            return False
        return day.weekday() not in self.weekend or day in self.working_weekends

    def add_working_days(self, day: date, n: int) -> date:
        """The N-th working day after DAY (N ≥ 1)."""
        if n < 1:
            raise RegimeError(f"Số ngày làm việc phải ≥ 1 (nhận {n})")
        count = 0
        while count < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Number of working days in the inclusive range START..END."""
        n = 0
        day = start
        while day <= end:
            n += self.is_working_day(day)
            day += timedelta(days=1)
        return n


def calendar_from_dict(data: Mapping[str, Any] | None) -> HolidayCalendar:
    """Build a HolidayCalendar from configuration: {"extra": {"2024-02-08": "Nghỉ Tết"}, "removed": ["2024-…"],
    "tet_days_before": 1, "tet_days": 4, "national_day_extra": {"2025": "2025-09-01"}, "compensate": true,
    "working_weekends": ["2023-01-14"]}."""
    if not data:
        return HolidayCalendar()
    known = {"extra", "removed", "tet_days_before", "tet_days", "national_day_extra", "compensate", "working_weekends"}
    unknown = set(data) - known
    if unknown:
        raise RegimeError(f"Lịch nghỉ: trường không hợp lệ {', '.join(sorted(unknown))}")

    def day(value: Any, where: str) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise RegimeError(f"Lịch nghỉ: {where}: '{value}' không phải ngày dạng YYYY-MM-DD") from None

    extra = data.get("extra") or {}
    if isinstance(extra, Mapping):
        extra_days = {day(k, "extra"): str(v) for k, v in extra.items()}
    else:
        extra_days = {day(k, "extra"): "Ngày nghỉ" for k in extra}
    removed = [day(v, "removed") for v in data.get("removed") or []]
    worked = [day(v, "working_weekends") for v in data.get("working_weekends") or []]
    national = {int(k): day(v, "national_day_extra") for k, v in (data.get("national_day_extra") or {}).items()}
    return HolidayCalendar(extra=extra_days, removed=removed, tet_days_before=int(data.get("tet_days_before", 1)),
                           tet_days=int(data.get("tet_days", 4)), national_day_extra=national,
                           compensate=bool(data.get("compensate", True)), working_weekends=worked)
