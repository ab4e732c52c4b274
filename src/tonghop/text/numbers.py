"""Vietnamese number notation: "." groups thousands, "," is the decimal mark; scale words nghìn/triệu/tỷ.

Error policy: `parse_number` and `apply_scale` return an exact `Decimal` or raise `ParseError` saying why;
they never guess. The one rule that needs a decision: a dot must be followed by exactly three digits, so
"1.500" is always 1500 (the Vietnamese reading) and "1.5", "1.20" or "0.5" (an English-style decimal, or a
typo) are refused rather than read as 15, 120 or 0.5.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from tonghop.text.errors import ParseError

SCALES: dict[str, Decimal] = {
    "nghìn": Decimal(10) ** 3,
    "ngàn": Decimal(10) ** 3,
    "triệu": Decimal(10) ** 6,
    "tỷ": Decimal(10) ** 9,
    "tỉ": Decimal(10) ** 9,
}
_SCALE_EXPONENTS = {word: 3 if value == 1000 else 6 if value == 10**6 else 9 for word, value in SCALES.items()}

_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_PLAIN = re.compile(r"[0-9]+")
_FRACTION = re.compile(r"[0-9]+")
_MINUS = ("-", "−", "–")


def parse_number(s: str) -> Decimal:
    """Parse a Vietnamese-notation number ("6.000", "65,9", "1.204,75", "09") into an exact Decimal."""
    if not isinstance(s, str):
        raise ParseError(f"Số không hợp lệ {s!r}: cần một chuỗi ký tự")
    text = s.strip()
    sign = ""
    if text[:1] in _MINUS:
        sign, text = "-", text[1:]
    if not text:
        raise ParseError(f"Số không hợp lệ {s!r}: chuỗi rỗng")
    if text.count(",") > 1:
        raise ParseError(f"Số không hợp lệ {s!r}: có nhiều hơn một dấu phẩy thập phân")
    whole, comma, fraction = text.partition(",")
    if comma and not _FRACTION.fullmatch(fraction):
        raise ParseError(f"Số không hợp lệ {s!r}: phần thập phân sau dấu phẩy phải là chữ số")
    if not whole:
        raise ParseError(f"Số không hợp lệ {s!r}: thiếu phần nguyên trước dấu phẩy")
    if "." in whole:
        if not _GROUPED.fullmatch(whole):
            raise ParseError(
                f"Số không hợp lệ {s!r}: dấu chấm phân cách hàng nghìn phải đứng trước đúng 3 chữ số "
                "(số thập phân viết bằng dấu phẩy, ví dụ 1,5)"
            )
        if whole.startswith("0"):
            raise ParseError(f"Số không hợp lệ {s!r}: nhóm hàng nghìn không được bắt đầu bằng số 0")
        whole = whole.replace(".", "")
    elif not _PLAIN.fullmatch(whole):
        raise ParseError(f"Số không hợp lệ {s!r}: chỉ được gồm chữ số, dấu chấm và dấu phẩy")
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if comma else f"{sign}{whole}")
    except InvalidOperation as exc:  # unreachable after the checks above; kept so no other error escapes
        raise ParseError(f"Số không hợp lệ {s!r}") from exc


def _scale_words(words: str | Iterable[str]) -> list[str]:
    if isinstance(words, str):
        words = words.split()
    return [unicodedata.normalize("NFC", w).casefold() for w in words]


def apply_scale(value: Decimal, words: str | Iterable[str]) -> Decimal:
    """Multiply VALUE exactly by scale words ("tỷ", "nghìn tỷ" or ["nghìn", "tỷ"]): 4,6 nghìn tỷ = 4.6e12."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ParseError(f"Giá trị {value!r} không phải số hữu hạn kiểu Decimal")
    exponent = 0
    for word in _scale_words(words):
        if word not in _SCALE_EXPONENTS:
            raise ParseError(f"Từ chỉ bậc số không hợp lệ {word!r}: chỉ nhận nghìn/ngàn, triệu, tỷ/tỉ")
        exponent += _SCALE_EXPONENTS[word]
    sign, digits, exp = value.as_tuple()
    return Decimal((sign, digits, int(exp) + exponent))  # exact: no context rounding


def format_number(value: Decimal | int | float, decimals: int | None = None) -> str:
    """Write VALUE the Vietnamese way: 1204.75 -> "1.204,75"; DECIMALS rounds half-up to that many places."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise ValueError(f"Không định dạng được {value!r}: cần Decimal, int hoặc float")
    d = value if isinstance(value, Decimal) else Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not d.is_finite():
        raise ValueError(f"Không định dạng được {value!r}: không phải số hữu hạn")
    if decimals is not None:
        with localcontext() as ctx:  # enough precision that quantize never fails on long numbers
            ctx.prec = max(28, d.adjusted() + decimals + 2)
            d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    plain = format(d.copy_abs() if d.is_zero() else d, "f")  # never "-0"
    sign = "-" if plain.startswith("-") else ""
    whole, _, fraction = plain.lstrip("-").partition(".")
    head = len(whole) % 3 or 3
    groups = [whole[:head]] + [whole[i : i + 3] for i in range(head, len(whole), 3)]
    return sign + ".".join(groups) + ("," + fraction if fraction else "")
