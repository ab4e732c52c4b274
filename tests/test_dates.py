"""Vietnamese dates: parse one, find them in text; impossible dates are errors, never wrong values."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tonghop.text.dates import DateValue, find_dates, parse_date, parse_vn_date
from tonghop.text.errors import ParseError

STYLES = (
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: f"{d.day:02d}-{d.month}-{d.year}",
    lambda d: f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
    lambda d: f"ngày {d.day} tháng {d.month} năm {d.year}",
    lambda d: f"ngày {d.day:02d}\ntháng {d.month} năm {d.year}",
)
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))


@given(DATES, st.sampled_from(STYLES))
def test_any_date_in_any_style_parses_back(day, style):
    assert parse_vn_date(style(day)).iso == day.isoformat()


@given(st.text(max_size=30))
def test_garbage_raises_only_parse_error(s):
    try:
        value = parse_vn_date(s)
    except ParseError:
        return
    assert isinstance(value, DateValue)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("ngày   tháng 11 năm 2020", "2020-11"),
        ("ngày …. tháng …. năm 2024", "2024"),
        ("ngày ..... tháng 9 năm 2019", "2019-09"),
        ("11/2020", "2020-11"),
        ("năm 2023", "2023"),
    ],
)
def test_blank_parts_lower_the_precision(text, iso):
    assert parse_vn_date(text).iso == iso


@pytest.mark.parametrize("text", ["31/02/2023", "29/02/2023", "ngày 32 tháng 1 năm 2020", "12/13/2020", "hôm qua"])
def test_impossible_dates_raise(text):
    with pytest.raises(ParseError):
        parse_vn_date(text)
    assert parse_date(text) is None


def test_leap_day_is_a_date():
    assert parse_date("29/02/2024") == "2024-02-29"


def test_find_dates_in_a_citation_sentence():
    text = "Kế hoạch số 88-KH/HU, ngày 28-02-2023 và Kế hoạch số 102-KH/TU ngày 10 tháng 7 năm 2019; ngày 07\ntháng 3 năm 2022"
    found = find_dates(text)
    assert [d.value.iso for d in found] == ["2023-02-28", "2019-07-10", "2022-03-07"]
    assert text[found[0].start : found[0].end] == "28-02-2023"


def test_find_dates_skips_impossible_dates_and_bare_years():
    assert [d.value.iso for d in find_dates("ngày 31/02/2023, năm 2023, 06-3-2023")] == ["2023-03-06"]


def test_find_dates_in_a_range():
    assert [d.value.iso for d in find_dates("(09/02/1913-09/02/2023), 03/2/1930 -03/2/2023")] == [
        "1913-02-09", "2023-02-09", "1930-02-03", "2023-02-03",
    ]  # fmt: skip
