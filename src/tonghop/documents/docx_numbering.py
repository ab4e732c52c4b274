"""Word's automatic list numbering for the DOCX reader: numbers that live in numbering.xml, not in the runs."""

from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def num_pr(el) -> tuple[str, str] | None:
    """(numId, ilvl) of a paragraph's or style's w:numPr."""
    num_pr = el.find(f"{W}pPr/{W}numPr")
    if num_pr is None:
        return None
    num_id, ilvl = num_pr.find(W + "numId"), num_pr.find(W + "ilvl")
    if num_id is None:
        return None
    return num_id.get(W + "val", "0"), ilvl.get(W + "val", "0") if ilvl is not None else "0"


class Numbering:
    """Word's automatic list numbers ("I.", "1.", "a)") which are not in the text runs; bullets become "-"."""

    def __init__(self, document, style_numbering: dict[str, tuple[str, str]]) -> None:
        self.style_numbering = style_numbering
        self.abstract_of: dict[str, str] = {}
        self.starts: dict[tuple[str, str], int] = {}  # (numId, ilvl) -> startOverride
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}  # (abstractId, ilvl) -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[tuple[str, str]] = set()
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is numbered
            return
        for abstract in root.iterchildren(W + "abstractNum"):
            aid = abstract.get(W + "abstractNumId")
            for lvl in abstract.iterchildren(W + "lvl"):
                fmt, text, start = lvl.find(W + "numFmt"), lvl.find(W + "lvlText"), lvl.find(W + "start")
                self.levels[(aid, lvl.get(W + "ilvl", "0"))] = (
                    fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                    text.get(W + "val", "") if text is not None else "",
                    _int(start.get(W + "val")) if start is not None else 1,
                )
        for num in root.iterchildren(W + "num"):
            ref = num.find(W + "abstractNumId")
            if ref is not None:
                self.abstract_of[num.get(W + "numId")] = ref.get(W + "val")
            for override in num.iterchildren(W + "lvlOverride"):
                start = override.find(W + "startOverride")
                if start is not None:
                    self.starts[(num.get(W + "numId"), override.get(W + "ilvl", "0"))] = _int(start.get(W + "val"))

    def label(self, p, para_style: str | None) -> str:
        """The number Word shows before paragraph P ('' if none), advancing the list's counters."""
        num = num_pr(p) or self.style_numbering.get(para_style or "")
        if not num or num[0] == "0" or num[0] not in self.abstract_of:
            return ""
        num_id, ilvl = num
        aid, level = self.abstract_of[num_id], _int(ilvl)
        if (aid, ilvl) not in self.levels or not 0 <= level <= 8:
            return ""
        counters = self.counters.setdefault(aid, {})
        if (num_id, ilvl) in self.starts and (num_id, ilvl) not in self.started:
            self.started.add((num_id, ilvl))
            counters[level] = self.starts[(num_id, ilvl)] - 1
        counters[level] = counters.get(level, self.levels[(aid, ilvl)][2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        fmt, text, _ = self.levels[(aid, ilvl)]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return text if "%" not in text else ""
        for i in range(level, -1, -1):
            lvl_fmt, _, lvl_start = self.levels.get((aid, str(i)), ("decimal", "", 1))
            text = text.replace(f"%{i + 1}", format_number(counters.get(i, lvl_start), lvl_fmt))
        return text.strip()


def _int(value: str | None) -> int:
    """VALUE as an int, 0 if it is not one."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


def format_number(n: int, fmt: str) -> str:
    """N in Word's number format FMT."""
    if fmt in ("upperRoman", "lowerRoman"):
        numeral = roman(n)
        return numeral if fmt == "upperRoman" else numeral.lower()
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def roman(n: int) -> str:
    """N in Roman numerals (1..3999; other values as digits)."""
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, numeral in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)
