"""Reporting periods: codes, calendar and Decree 09 cut-off windows, neighbours, deadlines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tonghop.regime.errors import PeriodError
from tonghop.regime.holidays import HolidayCalendar
from tonghop.regime.periods import (
    deadline,
    following,
    format_code,
    make_period,
    months_of,
    parse_period,
    period_for,
    previous,
    same_period_last_year,
)


@pytest.mark.parametrize(
    ("code", "cutoff_start", "cutoff_end"),
    [
        ("2023M11", date(2023, 10, 15), date(2023, 11, 14)),
        ("2023M1", date(2022, 12, 15), date(2023, 1, 14)),
        ("2023Q1", date(2022, 12, 15), date(2023, 3, 14)),
        ("2023Q3", date(2023, 6, 15), date(2023, 9, 14)),
        ("2023S1", date(2022, 12, 15), date(2023, 6, 14)),
        ("2023S2", date(2023, 6, 15), date(2023, 12, 14)),
        ("2023N9", date(2022, 12, 15), date(2023, 9, 14)),
        ("2023", date(2022, 12, 15), date(2023, 12, 14)),
    ],
)
def test_decree09_cutoff_windows(code, cutoff_start, cutoff_end):
    p = parse_period(code, cutoff="decree09")
    assert (p.cutoff_start, p.cutoff_end) == (cutoff_start, cutoff_end)
    assert p.code == code


def test_calendar_cutoff_is_the_calendar_span():
    p = parse_period("2024M2")
    assert (p.start, p.end) == (date(2024, 2, 1), date(2024, 2, 29))
    assert (p.cutoff_start, p.cutoff_end) == (p.start, p.end)
    s2 = parse_period("2023S2")
    assert (s2.start, s2.end) == (date(2023, 7, 1), date(2023, 12, 31))


@pytest.mark.parametrize("bad", ["2023M13", "2023M0", "2023Q5", "2023S3", "2023N8", "23M1", "2023-11", "", "abc"])
def test_bad_codes_are_rejected_with_the_code_named(bad):
    with pytest.raises(PeriodError) as err:
        parse_period(bad)
    assert repr(bad)[1:-1] in str(err.value)


def test_period_for_follows_the_cutoff_rule():
    assert period_for("month", date(2023, 11, 20)).code == "2023M11"
    assert period_for("month", date(2023, 11, 20), cutoff="decree09").code == "2023M12"
    assert period_for("month", date(2023, 11, 14), cutoff="decree09").code == "2023M11"
    assert period_for("year", date(2023, 12, 15), cutoff="decree09").code == "2024"
    assert period_for("half", date(2023, 6, 15), cutoff="decree09").code == "2023S2"
    assert period_for("quarter", date(2023, 5, 2)).code == "2023Q2"
    assert period_for("nine_months", date(2023, 2, 1)).code == "2023N9"
    with pytest.raises(PeriodError):
        period_for("nine_months", date(2023, 10, 1))


def test_neighbours_and_same_period_last_year():
    assert previous(parse_period("2023M1")).code == "2022M12"
    assert previous(parse_period("2023Q1")).code == "2022Q4"
    assert previous(parse_period("2023S2")).code == "2023S1"
    assert previous(parse_period("2023")).code == "2022"
    assert following(parse_period("2023M12")).code == "2024M1"
    assert same_period_last_year(parse_period("2026Q3", cutoff="decree09")).code == "2025Q3"
    assert previous(parse_period("2023M1", cutoff="decree09")).cutoff_rule == "decree09"


def test_labels_are_vietnamese():
    assert parse_period("2023Q1").label == "quý I/2023"
    assert parse_period("2023M11").label == "tháng 11/2023"
    assert parse_period("2023S1").label == "6 tháng đầu năm 2023"
    assert parse_period("2023N9").label == "9 tháng năm 2023"


def test_months_of_a_quarter():
    assert [p.code for p in months_of(parse_period("2024Q2"))] == ["2024M4", "2024M5", "2024M6"]


def test_deadline_skips_tet():
    # Decree 09 January 2024 closes on Sunday 14/1; 2024 February closes 14/2, inside the Tết break.
    feb = parse_period("2024M2", cutoff="decree09")
    cal = HolidayCalendar()
    assert cal.is_holiday(date(2024, 2, 14))
    assert deadline(feb, 1, cal) == date(2024, 2, 16)
    assert deadline(feb, 3, cal) == date(2024, 2, 20)
    jan_2025 = parse_period("2025M1")  # calendar: closes 31/1/2025, in Tết 2025 (29/1)
    assert deadline(jan_2025, 1, cal) == date(2025, 2, 4)


def test_deadline_zero_days_and_negative():
    p = parse_period("2023M11", cutoff="decree09")  # closes Tuesday 14/11/2023
    assert deadline(p, 0) == date(2023, 11, 14)
    assert deadline(p, 2) == date(2023, 11, 16)
    with pytest.raises(PeriodError):
        deadline(p, -1)


_kinds = st.sampled_from(["month", "quarter", "half", "nine_months", "year"])


@st.composite
def _periods(draw):
    kind = draw(_kinds)
    count = {"month": 12, "quarter": 4, "half": 2, "nine_months": 1, "year": 1}[kind]
    return draw(st.sampled_from(["calendar", "decree09"])), kind, draw(st.integers(1990, 2100)), \
        draw(st.integers(1, count))


@given(_periods())
def test_code_round_trip(args):
    cutoff, kind, year, index = args
    p = make_period(kind, year, index, cutoff)
    assert parse_period(p.code, cutoff=cutoff) == p
    assert p.code == format_code(kind, year, index)


@given(_periods(), st.integers(0, 15))
def test_deadline_is_a_working_day_after_cutoff(args, days):
    cutoff, kind, year, index = args
    cal = HolidayCalendar()
    p = make_period(kind, year, index, cutoff)
    due = deadline(p, days, cal)
    assert cal.is_working_day(due)
    assert due >= p.cutoff_end
    assert (due > p.cutoff_end) == (days > 0 or not cal.is_working_day(p.cutoff_end))
    if days > 0:
        assert cal.working_days_between(p.cutoff_end + timedelta(days=1), due) == days


@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), _kinds.filter(lambda k: k != "nine_months"),
       st.sampled_from(["calendar", "decree09"]))
def test_period_for_contains_the_day(day, kind, cutoff):
    p = period_for(kind, day, cutoff)
    assert p.cutoff_start <= day <= p.cutoff_end
    assert following(previous(p)) == p


def test_deadline_from_a_template_rule():
    from tonghop.regime.templates import parse_template

    t = parse_template({"code": "t", "name": "T", "period_type": "month", "cutoff": "decree09", "deadline_days": 2,
                        "indicators": [{"code": "a", "name": "A"}]})
    p = parse_period("2023M11", cutoff=t.cutoff)
    assert deadline(p, t) == deadline(p, 2) == date(2023, 11, 16)
