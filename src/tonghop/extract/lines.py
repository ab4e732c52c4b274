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
_RULE = re.compile(r"^[\s\-–—_=*•·.~+|]*$")
_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s{4,}")
_SPACES = re.compile(r"\s+")


def strip_markdown(line: str) -> str:
    """LINE without markdown emphasis and heading marks ("**KT. CHỦ TỊCH" -> "KT. CHỦ TỊCH")."""
    return _MARKDOWN.sub("", line).strip()


def is_rule(line: str) -> bool:
    """True for a blank line or a rule of dashes, asterisks, underscores ("-------", "* * *")."""
    return bool(_RULE.match(line))


def cells(line: str) -> list[str]:
    """The cells of a copied table row: split on "|", tabs or wide runs of spaces; rules and blanks dropped."""
    out = []
    for part in _CELL_SPLIT.split(strip_markdown(line)):
        part = _SPACES.sub(" ", part).strip(" *")
        if part and not is_rule(part):
            out.append(part)
    return out


def squeeze(s: str) -> str:
    """S with runs of white space made one space, trimmed."""
    return _SPACES.sub(" ", s).strip()


def letters(s: str) -> str:
    """The letters of S."""
    return "".join(c for c in s if c.isalpha())


def is_upper(s: str, *, ratio: float = 0.85, min_letters: int = 2) -> bool:
    """True when S is (nearly) all capitals: headers, titles, issuing bodies."""
    ls = letters(s)
    if len(ls) < min_letters:
        return False
    return sum(c.isupper() for c in ls) >= ratio * len(ls)


def drop_superscripts(s: str) -> str:
    """S without footnote marks."""
    return SUPERSCRIPT_RUN.sub("", s)
