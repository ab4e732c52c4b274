"""Submissions, pure part: the approval state machine, value parsing per indicator type, validation, timeliness."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tonghop.regime.errors import SubmissionError
from tonghop.regime.templates import Indicator, Rule, Template
from tonghop.text.errors import ParseError
from tonghop.text.numbers import apply_scale, format_number, parse_number

Value = int | float | str | dict[str, float] | None
STATES = ("draft", "submitted", "approved", "returned", "resubmitted")
ACTIONS = ("submit", "approve", "return", "resubmit", "edit")
STATE_NAMES = {"draft": "Nháp", "submitted": "Đã gửi", "approved": "Đã duyệt", "returned": "Bị trả lại",
               "resubmitted": "Đã gửi lại"}
ACTION_NAMES = {"submit": "gửi", "approve": "duyệt", "return": "trả lại", "resubmit": "gửi lại", "edit": "sửa"}
_MOVES = {
    ("draft", "submit"): "submitted",
    ("draft", "edit"): "draft",
    ("submitted", "approve"): "approved",
    ("submitted", "return"): "returned",
    ("returned", "edit"): "returned",
    ("returned", "submit"): "resubmitted",
    ("returned", "resubmit"): "resubmitted",
    ("resubmitted", "approve"): "approved",
    ("resubmitted", "return"): "returned",
}
PENDING_STATES = ("submitted", "resubmitted")
FILED_STATES = ("submitted", "approved", "resubmitted")


@dataclass(frozen=True, slots=True)
class Issue:
    """A validation problem of one indicator (or narrative section); `message` is complete Vietnamese."""

    indicator: str
    message: str


def transition(state: str, action: str, comment: str | None = None) -> str:
    """The state after ACTION; SubmissionError for an illegal move or a return without a comment."""
    if state not in STATES:
        raise SubmissionError(f"Trạng thái '{state}' không hợp lệ ({', '.join(STATES)})")
    if action not in ACTIONS:
        raise SubmissionError(f"Thao tác '{action}' không hợp lệ ({', '.join(ACTIONS)})")
    new = _MOVES.get((state, action))
    if new is None:
        raise SubmissionError(f"Không thể {ACTION_NAMES[action]} báo cáo ở trạng thái '{STATE_NAMES[state]}'")
    if action == "return" and not (comment and comment.strip()):
        raise SubmissionError("Trả lại báo cáo cần ghi rõ lý do")
    return new


def allowed_actions(state: str) -> list[str]:
    """The actions possible from STATE."""
    return [a for (s, a) in _MOVES if s == state]


# Figures are stored as 64-bit floats, exact for whole numbers up to 2**53 (about 9 triệu tỷ, above any public
# budget): anything larger would be stored rounded, or overflow, so it is refused.
MAX_FIGURE = 2**53
_MAX_TEXT = f"{MAX_FIGURE:,}".replace(",", ".")  # Vietnamese thousands: 9.007.199.254.740.992
_QUALIFIERS = re.compile(r"^(khoảng|ước tính|ước|hơn|trên|gần như|gần)\s+", re.IGNORECASE)
_PERCENT_TAIL = re.compile(r"\s*%\s*(KH|kế hoạch)?\s*$", re.IGNORECASE)
_SCALED = re.compile(r"^(.*?)\s*((?:nghìn|ngàn|triệu|tỷ|tỉ)(?:\s+(?:nghìn|ngàn|triệu|tỷ|tỉ))*)$", re.IGNORECASE)


def _parse_number(text: str) -> Decimal:
    """Vietnamese notation through tonghop.text.numbers: '6.000' = 6000, '65,9' = 65.9, '1,5 tỷ' = 1.5e9."""
    m = _SCALED.match(text)
    if m and m.group(1):
        return apply_scale(parse_number(m.group(1)), m.group(2))
    return parse_number(text)


def parse_value(indicator: Indicator, raw: Any) -> Value:
    """A user-entered value for INDICATOR, typed (int/float/str/dict per category) or None when blank.

    'Không có' under a numeric indicator is 0; '65,9%' is 65.9 for a percent; '6.000' is 6000.
    SubmissionError names the indicator and the reason.
    """
    if indicator.categories and isinstance(raw, Mapping):
        out: dict[str, float] = {}
        for cat, v in raw.items():
            if cat not in indicator.categories:
                raise SubmissionError(f"{indicator.display}: phân tổ '{cat}' không có trong mẫu")
            parsed = parse_value(Indicator(indicator.code, indicator.name, indicator.unit, indicator.type,
                                           indicator.aggregation, indicator.label), v)
            if parsed is not None:
                out[cat] = parsed  # type: ignore[assignment]
        return out or None
    if raw is None:
        return None
    if indicator.type == "text":
        text = str(raw).strip()
        return text or None
    if isinstance(raw, bool):
        raise SubmissionError(f"{indicator.display}: '{raw}' không phải là số")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise SubmissionError(f"{indicator.display}: '{raw}' không phải là số hữu hạn")
        value: float | Decimal = raw
    else:
        text = str(raw).strip()
        if not text:
            return None
        folded = text.lower().rstrip(".").strip()
        if folded in ("không có", "không", "khong co", "khong", "-", "—"):
            return 0
        text = _QUALIFIERS.sub("", text)
        if indicator.type == "percent":
            text = _PERCENT_TAIL.sub("", text).strip()
        elif indicator.unit and text.lower().endswith(indicator.unit.lower()):
            text = text[: -len(indicator.unit)].strip()
        try:
            value = _parse_number(text)
        except ParseError as e:
            raise SubmissionError(f"{indicator.display}: '{raw}' không phải là số ({e})") from None
    if abs(value) > MAX_FIGURE:
        raise SubmissionError(f"{indicator.display}: '{str(raw)[:40]}' vượt quá giới hạn {_MAX_TEXT} của một số liệu")
    if indicator.type == "integer":
        if value != int(value):
            raise SubmissionError(f"{indicator.display}: phải là số nguyên (nhận '{raw}')")
        return int(value)
    return float(value)


def parse_values(template: Template, raw: Mapping[str, Any]) -> tuple[dict[str, Value], list[Issue]]:
    """Parse every entered value of RAW (keyed by indicator code or printed label); unparseable ones become issues."""
    values: dict[str, Value] = {}
    issues: list[Issue] = []
    for key, entered in raw.items():
        try:
            ind = template.indicator(key)
        except Exception:
            issues.append(Issue(str(key), f"Chỉ tiêu '{key}' không có trong mẫu '{template.code}'"))
            continue
        try:
            values[ind.code] = parse_value(ind, entered)
        except SubmissionError as e:
            issues.append(Issue(ind.code, str(e)))
    return values, issues


def _numbers(value: Value) -> list[float]:
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, int | float)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]
    return []


def _total(value: Value) -> float | None:
    nums = _numbers(value)
    return sum(nums) if nums else None


def _fmt(x: float) -> str:
    if float(x).is_integer():
        return format_number(int(x))
    return format_number(round(x, 4))


def _check_rule(template: Template, rule: Rule, values: Mapping[str, Value]) -> list[Issue]:
    targets = [template.indicator(rule.indicator)] if rule.indicator else list(template.indicators)
    issues: list[Issue] = []
    for ind in targets:
        value = values.get(ind.code)
        reason: str | None = None
        if rule.kind == "required":
            if value is None or value == "" or value == {}:
                reason = "bắt buộc nhập"
        elif rule.kind == "non_negative":
            if ind.numeric and any(v < 0 for v in _numbers(value)):
                reason = "phải là số không âm"
        else:
            total = _total(value)
            if total is None:
                continue
            if rule.other is not None:
                other_ind = template.indicator(rule.other)
                bound = _total(values.get(other_ind.code))
                if bound is None:
                    continue
                what = f"chỉ tiêu {other_ind.label or other_ind.code} ({_fmt(bound)})"
            else:
                bound = rule.bound  # type: ignore[assignment]
                what = _fmt(bound)
            if rule.kind in ("le", "max") and total > bound:
                reason = f"phải nhỏ hơn hoặc bằng {what}, nhận {_fmt(total)}"
            elif rule.kind in ("ge", "min") and total < bound:
                reason = f"phải lớn hơn hoặc bằng {what}, nhận {_fmt(total)}"
        if reason is not None:
            issues.append(Issue(ind.code, f"{ind.display}: {rule.message or reason}"))
    return issues


def validate(template: Template, values: Mapping[str, Value], narrative: Mapping[str, str] | None = None) -> list[Issue]:
    """Every problem of VALUES (and NARRATIVE, by section code) against TEMPLATE, in Vietnamese."""
    issues: list[Issue] = []
    codes = {ind.code for ind in template.indicators}
    for key in values:
        if key not in codes:
            issues.append(Issue(str(key), f"Chỉ tiêu '{key}' không có trong mẫu '{template.code}'"))
    for ind in template.indicators:
        value = values.get(ind.code)
        if ind.required and (value is None or value == "" or value == {}):
            issues.append(Issue(ind.code, f"{ind.display}: bắt buộc nhập"))
            continue
        if value is None:
            continue
        if ind.type == "text":
            if not isinstance(value, str):
                issues.append(Issue(ind.code, f"{ind.display}: phải là văn bản"))
            continue
        if isinstance(value, dict):
            if not ind.categories:
                issues.append(Issue(ind.code, f"{ind.display}: chỉ tiêu không có phân tổ"))
                continue
            bad = [c for c in value if c not in ind.categories]
            if bad:
                issues.append(Issue(ind.code, f"{ind.display}: phân tổ '{bad[0]}' không có trong mẫu"))
            items = list(value.values())
        else:
            items = [value]
        for v in items:
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                issues.append(Issue(ind.code, f"{ind.display}: '{v}' không phải là số"))
                break
            if ind.type == "integer" and v != int(v):
                issues.append(Issue(ind.code, f"{ind.display}: phải là số nguyên (nhận {_fmt(v)})"))
                break
    for rule in template.rules:
        issues.extend(_check_rule(template, rule, values))
    for section in template.sections:
        if section.required and not (narrative or {}).get(section.code, "").strip():
            issues.append(Issue(section.code, f"Mục {section.label} ({section.title}): bắt buộc nhập"))
    return issues


def is_on_time(submitted_at: datetime | date, deadline: date) -> bool:
    """True when SUBMITTED_AT falls on or before the DEADLINE day (local date)."""
    day = submitted_at.date() if isinstance(submitted_at, datetime) else submitted_at
    return day <= deadline
