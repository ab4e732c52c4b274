"""The body outline: roman sections "I." / "II-" (level 1), "1." (level 2), "a)" (level 3)."""

from __future__ import annotations

import re

from tonghop.extract.lines import SUPERSCRIPTS, squeeze, strip_markdown
from tonghop.extract.model import Section

_ROMAN = r"(?:X{0,3}(?:IX|IV|V?I{1,3}|V)|X{1,3})"
LEVEL1 = re.compile(rf"^(?P<label>{_ROMAN})\s*(?P<sep>[.\-–):])\s*(?P<title>\S.*)$")
LEVEL2 = re.compile(r"^(?P<label>\d{1,2})\s*(?P<sep>[.)])(?!\d)\s*(?P<title>\S.*)$")
LEVEL3 = re.compile(r"^(?P<label>[a-zđ])\s*(?P<sep>\))\s*(?P<title>\S.*)$")
FOOTNOTE_LINE = re.compile(f"^\\s*([{SUPERSCRIPTS}]+)\\s*(\\S.*)$")


def extract_sections(lines: list[str], start: int = 0, end: int | None = None) -> list[Section]:
    """Headings found in LINES[START:END] (the body), in order."""
    out: list[Section] = []
    for raw in lines[start:end]:
        text = squeeze(strip_markdown(raw))
        if not text or FOOTNOTE_LINE.match(raw):
            continue
        for level, rx in ((1, LEVEL1), (2, LEVEL2), (3, LEVEL3)):
            m = rx.match(text)
            if m:
                title = m["title"].strip()
                if level == 1 and not title[:1].isupper():
                    break  # "I - tem" is not a section
                sep = "." if m["sep"] in ".:" else m["sep"]
                out.append(Section(label=f"{m['label']}{sep}", title=title, level=level))
                break
    return out
