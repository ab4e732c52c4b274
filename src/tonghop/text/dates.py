"""Vietnamese dates: parse one ("13/11/2019", "ngày 03 tháng 11 năm 2023", "ngày   tháng 11 năm 2020") or find them.

Policy: a blank day or month (placeholders, spaces) lowers the precision ("2020-11", "2020"); an impossible date
(31/02) raises ParseError; anything that is not a date raises ParseError. Standard library only.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from tonghop.text.errors import ParseError

MIN_YEAR, MAX_YEAR = 1800, 2199

# A blank in a form: dots, ellipses, underscores, spaces (at least nothing at all).
_BLANK = r"[ \t.…_]*"
_SP = r"[ \t]*(?:\n[ \t]*)?"  # spaces, at most one line break: "ngày 07" / "tháng 3 năm 2022"

_WORDS = re.compile(
    rf"(?:(?P<ngay>[Nn]gày){_SP}(?P<d>\d{{1,2}}|{_BLANK}){_SP},?{_SP})?"
    rf"(?:(?P<thang>[Tt]háng){_SP}(?P<m>\d{{1,2}}|{_BLANK}){_SP},?{_SP})?"
    rf"(?P<nam>[Nn]ăm){_SP}(?P<y>\d{{4}})(?!\d)"
)
_NUMERIC = re.compile(r"(?<![\d/.])(?P<d>\d{1,2})[ \t]*(?P<sep>[/.-])[ \t]*(?P<m>\d{1,2})[ \t]*(?P=sep)[ \t]*(?P<y>\d{4})(?![\d])")
_MONTH_YEAR = re.compile(r"(?<![\d/.-])(?P<m>\d{1,2})[ \t]*/[ \t]*(?P<y>\d{4})(?![\d/])")


@dataclass(frozen=True)
class DateValue:
    """A date with its precision: day and month may be unknown (blank in the document)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        """ISO form at the known precision: '2023-11-03', '2020-11' or '2020'."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: its span, the text as printed and its value."""

    start: int
    end: int
    text: str
    value: DateValue


def _number(part: str | None) -> int | None:
    part = (part or "").strip(" \t\n.…_")
    return int(part) if part.isdigit() else None


def make_date(year: int, month: int | None, day: int | None, *, source: str = "") -> DateValue:
    """Validate the parts and build a DateValue; raise ParseError for an impossible date."""
    where = f" in {source!r}" if source else ""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(f"year {year} out of range{where}")
    if month is None:
        if day is not None:
            raise ParseError(f"a day without a month{where}")
        return DateValue(year)
    if not 1 <= month <= 12:
        raise ParseError(f"month {month} does not exist{where}")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ParseError(f"day {day} does not exist in {month:02d}/{year}{where}")
    return DateValue(year, month, day)


def _from_words(m: re.Match, source: str) -> DateValue:
    day = _number(m.group("d")) if m.group("ngay") else None
    month = _number(m.group("m")) if m.group("thang") else None
    return make_date(int(m.group("y")), month, day, source=source)


def parse_vn_date(s: str) -> DateValue:
    """Parse one Vietnamese date (the whole string); raise ParseError if it is not exactly a valid date."""
    text = " ".join(s.split()) if isinstance(s, str) else ""
    if not text:
        raise ParseError("empty date")
    m = _NUMERIC.fullmatch(text)
    if m:
        return make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")), source=s)
    m = _MONTH_YEAR.fullmatch(text)
    if m:
        return make_date(int(m.group("y")), int(m.group("m")), None, source=s)
    m = _WORDS.fullmatch(text)
    if m:
        return _from_words(m, s)
    if re.fullmatch(r"\d{4}", text):
        return make_date(int(text), None, None, source=s)
    raise ParseError(f"not a date: {s!r}")


def parse_date(s: str) -> str | None:
    """ISO form of the date S, or None when S is not a valid date (the reason is ParseError's, see parse_vn_date)."""
    try:
        return parse_vn_date(s).iso
    except ParseError:
        return None


def find_dates(text: str) -> list[DateMatch]:
    """Every valid date in TEXT, in order: numeric (13/11/2019, 28-02-2023) and in words, even across a line break."""
    found: list[DateMatch] = []
    for m in _NUMERIC.finditer(text):
        try:
            value = make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ParseError:
            continue
        found.append(DateMatch(m.start(), m.end(), m.group(0), value))
    for m in _WORDS.finditer(text):
        if not (m.group("ngay") or m.group("thang")):
            continue  # a bare "năm 2023" is a year, not a date
        try:
            value = _from_words(m, "")
        except ParseError:
            continue
        found.append(DateMatch(m.start(), m.end(), m.group(0), value))
    found.sort(key=lambda d: d.start)
    return found
