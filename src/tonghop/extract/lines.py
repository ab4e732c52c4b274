"""Line utilities shared by the extractors: cleaning copy-paste debris, upper-case tests, superscript marks."""

from __future__ import annotations

import re
import unicodedata


def _vietnamese_letters() -> str:
    bases = "aăâeêioôơuưy"
    marks = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    accented = {unicodedata.normalize("NFC", b + m) for b in bases for m in marks}
    return "".join(sorted(accented | set("bcdfghjklmnpqrstvwxzđ")))


LOWER = _vietnamese_letters()  # for regex character classes: [{LOWER}], [{UPPER}]
UPPER = LOWER.upper()
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPTS}]+")
_MARKDOWN = re.compile(r"\*\*|__|^#{1,6}\s+|^>\s+")
_EMPHASIS = re.compile(r"^[*_](?=\S)|(?<=\S)[*_]$")  # "*Châu Thành, ngày ...*" in italics
_RULE = re.compile(r"^[\s\-–—_=*•·.~+|:]*$")
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{4,}")
_SPACES = re.compile(r"\s+")
_NON_LETTERS = re.compile(r"[\W\d_]+")


def strip_markdown(line: str) -> str:
    """LINE without markdown emphasis and heading marks ("**KT. CHỦ TỊCH" -> "KT. CHỦ TỊCH")."""
    if "*" not in line and "_" not in line and "#" not in line and ">" not in line:
        return line.strip()
    return _EMPHASIS.sub("", _MARKDOWN.sub("", line).strip()).strip()


def is_rule(line: str) -> bool:
    """True for a blank line or a rule of dashes, asterisks, underscores ("-------", "* * *")."""
    return bool(_RULE.match(line))


def cells(line: str) -> list[str]:
    """The cells of a copied table row: split on "|", tabs or wide runs of spaces; rules and blanks dropped."""
    out = []
    if "|" not in line and "\t" not in line and "    " not in line:
        text = squeeze(strip_markdown(line))  # the common case: one line, one cell
        return [text] if text and not is_rule(text) else []
    for part in _CELL_SPLIT.split(strip_markdown(line)):
        part = _SPACES.sub(" ", part).strip(" *")
        if part and not is_rule(part):
            out.append(part)
    return out


def squeeze(s: str) -> str:
    """S with runs of white space made one space, trimmed."""
    return " ".join(s.split())


def letters(s: str) -> str:
    """The letters of S."""
    return _NON_LETTERS.sub("", s)


def is_upper(s: str, *, ratio: float = 0.85, min_letters: int = 2) -> bool:
    """True when S is (nearly) all capitals: headers, titles, issuing bodies."""
    if len(s) > 400:
        s = s[:400]  # a long line is decided by its start
    ls = _NON_LETTERS.sub("", s)
    if len(ls) < min_letters:
        return False
    return sum(map(str.isupper, ls)) >= ratio * len(ls)


def drop_superscripts(s: str) -> str:
    """S without footnote marks."""
    return SUPERSCRIPT_RUN.sub("", s)


_HAS_LOWER = re.compile(f"[{LOWER}]")
# The first words of an issuing body's line ("ỦY BAN NHÂN DÂN", "SỞ ...", "HUYỆN ỦY ..."); a line that does not
# start with one continues the line above ("HUYỆN CHÂU THÀNH" under "ỦY BAN NHÂN DÂN").
ORG_HEAD = re.compile(
    r"^(?:[ỦU][ỶY]\s*BAN|UBND|HĐND|HỘI\s+ĐỒNG|SỞ|BỘ|PHÒNG|BAN|VĂN\s+PHÒNG|CỤC|TỔNG\s+CỤC|CHI\s+CỤC|VỤ|TRUNG\s+TÂM|"
    r"TRƯỜNG|(?:HUYỆN|TỈNH|THÀNH|THỊ|QUẬN|ĐẢNG|XÃ|PHƯỜNG)\s+[ỦU][ỶY]|(?:HUYỆN|TỈNH|THÀNH)\s+ĐOÀN|ĐẢNG\s+BỘ|"
    r"CHI\s+BỘ|ĐOÀN|HỘI|MẶT\s+TRẬN|CÔNG\s+AN|BỘ\s+CHỈ\s+HUY|BCH|BCĐ|BQL|BỆNH\s+VIỆN|ĐÀI|VIỆN|KHO\s+BẠC|"
    r"CHI\s+NHÁNH|LIÊN\s+ĐOÀN|CÔNG\s+TY|TẬP\s+ĐOÀN|THANH\s+TRA|TÒA\s+ÁN|HỌC\s+VIỆN|ĐẠI\s+HỌC|CHÍNH\s+PHỦ|"
    r"THỦ\s+TƯỚNG|QUỐC\s+HỘI|NGÂN\s+HÀNG|BẢO\s+HIỂM|HẠT|TRẠM|BCH|ĐỒN|BAN\s+CHỈ\s+ĐẠO|CƠ\s+QUAN|UBMTTQ|MTTQ|"
    r"TAND|VKSND|TỔNG|THƯỜNG\s+TRỰC|LỰC\s+LƯỢNG|XÍ\s+NGHIỆP|HTX|HỢP\s+TÁC\s+XÃ|ỦY\s+BAN|UỶ\s+BAN)(?![\wÀ-ỹ])"
)
PLACE_WORD = re.compile(r"^(?:[Hh]uyện|[Tt]ỉnh|[Xx]ã|[Pp]hường|[Tt]hị\s+(?:trấn|xã)|[Tt]hành\s+phố|[Qq]uận)\s+\S")


def drop_trailing_lowercase(text: str) -> str:
    """TEXT without trailing words that hold small letters ("... NÔNG THÔN Độc" when the motto was wrapped)."""
    words = text.split()
    while len(words) > 1 and _HAS_LOWER.search(words[-1]):
        words.pop()
    return " ".join(words)
