"""Submissions: state machine, Vietnamese value entry, validation messages, timeliness."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tonghop.regime.errors import SubmissionError
from tonghop.regime.submissions import (
    STATES,
    allowed_actions,
    is_on_time,
    parse_value,
    parse_values,
    transition,
    validate,
)
from tonghop.regime.templates import Indicator, parse_template
from tonghop.text.numbers import format_number

TEMPLATE = parse_template({
    "code": "bc-tu-tuong-thang",
    "name": "Báo cáo tháng",
    "period_type": "month",
    "indicators": [
        {"code": "bai", "label": "2.a", "name": "Số bài trên Internet, mạng xã hội", "unit": "bài"},
        {"code": "chia_se", "label": "2.b", "name": "Số lượt chia sẻ", "unit": "lượt"},
        {"code": "ty_le", "label": "3", "name": "Tỷ lệ hoàn thành", "type": "percent", "aggregation": "avg"},
        {"code": "kinh_phi", "label": "4", "name": "Kinh phí", "unit": "đồng", "type": "decimal"},
        {"code": "lao_dong", "label": "5", "name": "Lao động có việc làm", "unit": "người",
         "categories": ["Nam", "Nữ"]},
        {"code": "ghi_chu", "label": "6", "name": "Ghi chú", "type": "text", "required": True},
    ],
    "sections": [{"label": "III.", "title": "PHƯƠNG HƯỚNG", "required": True}],
    "rules": [
        {"kind": "non_negative"},
        {"kind": "le", "indicator": "bai", "other": "chia_se"},
        {"kind": "max", "indicator": "ty_le", "bound": 100},
    ],
})


def test_happy_path_with_a_return():
    state = transition("draft", "submit")
    assert state == "submitted"
    state = transition(state, "return", comment="Thiếu số liệu chỉ tiêu 2.b")
    assert state == "returned"
    state = transition(state, "submit")
    assert state == "resubmitted"
    assert transition(state, "approve") == "approved"


@pytest.mark.parametrize(("state", "action"), [("draft", "approve"), ("approved", "submit"), ("approved", "return"),
                                               ("returned", "approve"), ("submitted", "submit")])
def test_illegal_moves_raise(state, action):
    with pytest.raises(SubmissionError, match="Không thể"):
        transition(state, action, comment="lý do")


def test_return_needs_a_comment():
    with pytest.raises(SubmissionError, match="lý do"):
        transition("submitted", "return", comment="  ")


@given(st.lists(st.sampled_from(["submit", "approve", "return", "resubmit", "edit"]), max_size=12))
def test_any_action_sequence_stays_in_known_states(actions):
    state = "draft"
    for action in actions:
        if action in allowed_actions(state):
            state = transition(state, action, comment="ok")
        else:
            with pytest.raises(SubmissionError):
                transition(state, action, comment="ok")
        assert state in STATES


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [("bai", "12", 12), ("bai", "09", 9), ("bai", "Không có", 0), ("bai", "Không có.", 0), ("bai", "6.000", 6000),
     ("bai", "khoảng 1.200 bài", 1200), ("ty_le", "65,9%", 65.9), ("ty_le", "75,3", 75.3), ("ty_le", "75,3%KH", 75.3), ("bai", "", None),
     ("kinh_phi", "2.129 tỷ", 2_129_000_000_000), ("kinh_phi", "1.204,75", 1204.75), ("bai", 7, 7),
     ("ghi_chu", "  Bình thường ", "Bình thường"), ("lao_dong", {"Nam": "1.020", "Nữ": "980"}, {"Nam": 1020, "Nữ": 980})],
)
def test_parse_vietnamese_entries(code, raw, expected):
    assert parse_value(TEMPLATE.indicator(code), raw) == expected


@pytest.mark.parametrize(("code", "raw", "reason"), [("bai", "1,5", "số nguyên"), ("bai", "mười", "không phải là số"),
                                                     ("bai", "1.5", "không phải là số"), ("bai", True, "không phải"),
                                                     ("lao_dong", {"Khác": 1}, "phân tổ 'Khác'")])
def test_parse_errors_name_indicator_and_reason(code, raw, reason):
    with pytest.raises(SubmissionError) as err:
        parse_value(TEMPLATE.indicator(code), raw)
    assert str(err.value).startswith(f"Chỉ tiêu {TEMPLATE.indicator(code).label} (")
    assert reason in str(err.value)


def test_parse_values_collects_issues_by_label_or_code():
    values, issues = parse_values(TEMPLATE, {"2.a": "3", "chia_se": "abc", "zz": "1"})
    assert values == {"bai": 3}
    assert [i.indicator for i in issues] == ["chia_se", "zz"]


def test_validate_messages():
    values = {"bai": 5, "chia_se": -2, "ty_le": 120.0, "ghi_chu": None}
    messages = [i.message for i in validate(TEMPLATE, values, {"III": ""})]
    assert "Chỉ tiêu 2.b (Số lượt chia sẻ): phải là số không âm" in messages
    assert "Chỉ tiêu 6 (Ghi chú): bắt buộc nhập" in messages
    assert "Chỉ tiêu 2.a (Số bài trên Internet, mạng xã hội): phải nhỏ hơn hoặc bằng chỉ tiêu 2.b (-2), nhận 5" \
        in messages
    assert any(m.startswith("Chỉ tiêu 3 (Tỷ lệ hoàn thành): phải nhỏ hơn hoặc bằng 100") for m in messages)
    assert "Mục III. (PHƯƠNG HƯỚNG): bắt buộc nhập" in messages


def test_validate_clean_values_and_types():
    good = {"bai": 2, "chia_se": 40, "ty_le": 80.5, "ghi_chu": "x", "lao_dong": {"Nam": 1, "Nữ": 2}}
    assert validate(TEMPLATE, good, {"III": "Tiếp tục"}) == []
    bad = validate(TEMPLATE, {**good, "bai": 2.5, "lao_dong": {"Nam": -1}, "ghi_chu": 3, "x": 1}, {"III": "a"})
    assert {i.indicator for i in bad} == {"bai", "lao_dong", "ghi_chu", "x"}


def test_indicator_without_label_uses_code():
    ind = Indicator("so_lop", "Số lớp")
    with pytest.raises(SubmissionError, match=r"^Chỉ tiêu so_lop \(Số lớp\)"):
        parse_value(ind, "nhiều")


def test_on_time():
    assert is_on_time(datetime(2023, 11, 17, 23, 59), date(2023, 11, 17))
    assert not is_on_time(datetime(2023, 11, 18, 0, 1), date(2023, 11, 17))
    assert is_on_time(date(2023, 11, 1), date(2023, 11, 17))


@given(st.integers(0, 10**12))
def test_grouped_integers_parse_back(n):
    text = f"{n:,}".replace(",", ".")
    assert parse_value(TEMPLATE.indicator("bai"), text) == n


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_entries_parse_back(d):
    ind = TEMPLATE.indicator("kinh_phi")
    assert parse_value(ind, format_number(d)) == pytest.approx(float(d))
    assert parse_value(TEMPLATE.indicator("ty_le"), format_number(d) + "%") == pytest.approx(float(d))
