"""Vietnamese number notation: parse, scale, format."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tonghop.text.errors import ParseError
from tonghop.text.numbers import SCALES, apply_scale, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.000", "6000"),
        ("65,9", "65.9"),
        ("1.204,75", "1204.75"),
        ("09", "9"),
        ("2143", "2143"),
        ("15.500", "15500"),
        ("1.234.567", "1234567"),
        ("0,5", "0.5"),
        (" 2,5 ", "2.5"),
        ("-1.000,5", "-1000.5"),
    ],
)
def test_parse_number_reads_vietnamese_notation(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.2.3,4,5", "dấu phẩy"),
        ("1.20", "3 chữ số"),
        ("1.5", "3 chữ số"),
        ("1.2345", "3 chữ số"),
        ("0.500", "số 0"),
        ("", "rỗng"),
        (",5", "phần nguyên"),
        ("12,", "phần thập phân"),
        ("1 000", "chữ số"),
        ("12a", "chữ số"),
        ("1,234.5", "chữ số"),
    ],
)
def test_parse_number_refuses_ambiguous_or_malformed(text, reason):
    with pytest.raises(ParseError, match=reason):
        parse_number(text)


def test_parse_number_message_names_the_input():
    with pytest.raises(ParseError) as info:
        parse_number("1.5")
    assert "'1.5'" in str(info.value)


def test_scales_table():
    assert SCALES["nghìn"] == SCALES["ngàn"] == 1000
    assert SCALES["triệu"] == 10**6
    assert SCALES["tỷ"] == SCALES["tỉ"] == 10**9


@pytest.mark.parametrize(
    ("number", "words", "expected"),
    [
        ("4,6", "nghìn tỷ", 4_600_000_000_000),
        ("2.129", "tỷ", 2_129_000_000_000),
        ("1.204,75", ["tỷ"], 1_204_750_000_000),
        ("55", "triệu", 55_000_000),
        ("3", "ngàn", 3000),
        ("7", "", 7),
    ],
)
def test_apply_scale_multiplies_exactly(number, words, expected):
    assert apply_scale(parse_number(number), words) == expected


def test_apply_scale_stays_exact_beyond_default_precision():
    scaled = apply_scale(parse_number("1234567890123456789012345678901,5"), "nghìn tỷ")
    assert scaled == Decimal("12345678901234567890123456789015" + "0" * 11)


def test_apply_scale_refuses_unknown_word():
    with pytest.raises(ParseError, match="trăm"):
        apply_scale(Decimal(3), "trăm")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1204.75"), "1.204,75"),
        (Decimal("6000"), "6.000"),
        (Decimal("1E+5"), "100.000"),
        (Decimal("-1234567.5"), "-1.234.567,5"),
        (Decimal("0.05"), "0,05"),
        (65.9, "65,9"),
        (2_129_000_000_000, "2.129.000.000.000"),
        (Decimal("-0.00"), "0,00"),
    ],
)
def test_format_number_writes_vietnamese_notation(value, expected):
    assert format_number(value) == expected


def test_format_number_rounds_half_up_when_asked():
    assert format_number(Decimal("1234.565"), decimals=2) == "1.234,57"
    assert format_number(Decimal("87.049"), decimals=1) == "87,0"
    assert format_number(12, decimals=0) == "12"


def test_format_number_refuses_non_finite():
    with pytest.raises(ValueError, match="hữu hạn"):
        format_number(Decimal("NaN"))


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_format_then_parse_round_trips_exactly(value):
    assert parse_number(format_number(value)) == value


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**15), max_value=10**15))
def test_format_with_decimals_round_trips(value):
    assert parse_number(format_number(value, decimals=3)) == value


@given(st.text(alphabet=st.sampled_from("0123456789.,- abc٣²−"), max_size=20) | st.text(max_size=20))
def test_garbage_raises_only_parse_error(text):
    try:
        result = parse_number(text)
    except ParseError:
        return
    assert result.is_finite()
    assert parse_number(format_number(result)) == result
