"""Lunar calendar conversion and Vietnamese public holidays."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tonghop.regime.errors import RegimeError
from tonghop.regime.holidays import HolidayCalendar, calendar_from_dict
from tonghop.regime.lunar import LunarDate, lunar_new_year, to_lunar, to_solar


@pytest.mark.parametrize(
    ("year", "tet"),
    [(2020, date(2020, 1, 25)), (2021, date(2021, 2, 12)), (2022, date(2022, 2, 1)), (2023, date(2023, 1, 22)),
     (2024, date(2024, 2, 10)), (2025, date(2025, 1, 29)), (2026, date(2026, 2, 17)), (2027, date(2027, 2, 6))],
)
def test_tet_dates(year, tet):
    assert lunar_new_year(year) == tet
    assert to_lunar(tet) == LunarDate(year, 1, 1)


def test_hung_kings_day():
    assert to_solar(2024, 3, 10) == date(2024, 4, 18)
    assert to_solar(2025, 3, 10) == date(2025, 4, 7)
    assert to_solar(2023, 3, 10) == date(2023, 4, 29)


def test_leap_month_2023():
    # 2023 had a leap second month starting 22/3/2023.
    assert to_lunar(date(2023, 3, 22)) == LunarDate(2023, 2, 1, leap=True)
    assert to_solar(2023, 2, 1, leap=True) == date(2023, 3, 22)
    with pytest.raises(RegimeError):
        to_solar(2024, 2, 1, leap=True)


@given(st.dates(date(1950, 1, 1), date(2100, 12, 31)))
def test_lunar_round_trip(day):
    lunar = to_lunar(day)
    assert to_solar(lunar.year, lunar.month, lunar.day, lunar.leap) == day
    assert 1 <= lunar.day <= 30


def test_holidays_2024():
    days = HolidayCalendar().holidays(2024)
    names = set(days.values())
    assert {"Tết Dương lịch", "Tết Nguyên đán", "Giỗ Tổ Hùng Vương", "Ngày Chiến thắng", "Ngày Quốc tế Lao động",
            "Quốc khánh"} <= names
    assert [d for d, n in days.items() if n == "Tết Nguyên đán"] == [date(2024, 2, d) for d in range(9, 14)]
    assert days[date(2024, 4, 18)] == "Giỗ Tổ Hùng Vương"
    # 2/9/2024 is a Monday: the adjacent day is Tuesday 3/9.
    assert date(2024, 9, 3) in days and date(2024, 9, 1) not in days


def test_weekend_holidays_are_compensated():
    cal = HolidayCalendar()
    # 1/1/2023 was a Sunday: Monday 2/1 is the compensatory day.
    assert cal.holidays(2023)[date(2023, 1, 2)].startswith("Nghỉ bù")
    assert not HolidayCalendar(compensate=False).is_holiday(date(2023, 1, 2))


def test_tet_length_is_configurable():
    cal = HolidayCalendar(tet_days_before=2, tet_days=5)
    tet = [d for d, n in cal.holidays(2025).items() if n == "Tết Nguyên đán"]
    assert tet[0] == date(2025, 1, 27) and tet[-1] == date(2025, 2, 2)


def test_per_year_adjustments_from_config():
    cal = calendar_from_dict({"extra": {"2025-01-27": "Nghỉ Tết (hoán đổi)"}, "removed": ["2025-04-30"],
                              "national_day_extra": {"2025": "2025-09-01"}})
    assert not cal.is_working_day(date(2025, 1, 27))
    assert cal.is_working_day(date(2025, 4, 30))
    assert cal.is_holiday(date(2025, 9, 1))
    with pytest.raises(RegimeError, match="removed"):
        calendar_from_dict({"removed": ["30/4/2025"]})
    with pytest.raises(RegimeError, match="holidayz"):
        calendar_from_dict({"holidayz": []})


def test_working_days():
    cal = HolidayCalendar()
    assert not cal.is_working_day(date(2024, 2, 10))  # Saturday and Tết
    assert cal.is_working_day(date(2024, 2, 19))
    assert cal.add_working_days(date(2024, 2, 8), 1) == date(2024, 2, 16)
    assert cal.working_days_between(date(2024, 2, 5), date(2024, 2, 18)) == 5  # 5–8 and 16 February


def test_swapped_day_off_and_worked_saturday():
    # 2023: Friday 20/1 off in exchange for working Saturday 14/1.
    cal = calendar_from_dict({"extra": {"2023-01-20": "Nghỉ Tết (hoán đổi)"}, "working_weekends": ["2023-01-14"]})
    assert cal.is_working_day(date(2023, 1, 14))
    assert not cal.is_working_day(date(2023, 1, 20))
    assert cal.add_working_days(date(2023, 1, 13), 1) == date(2023, 1, 14)
    assert not HolidayCalendar().is_working_day(date(2023, 1, 14))
