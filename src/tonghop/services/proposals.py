"""Proposals: read a unit's own Word/PDF/TXT report and propose values for a template's indicators.

Figures are matched by the form's item numbers ("1.", "2.") and the indicator's unit; "Không có" under an item
means 0. Nothing proposed is stored until the user confirms (`submit_proposals`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tonghop.documents.read import read_document
from tonghop.extract.quantities import extract_quantities
from tonghop.regime.errors import SubmissionError
from tonghop.regime.templates import Indicator, Template
from tonghop.services.context import database_url, transaction
from tonghop.services.submissions import Desk, Saved, save_submission
from tonghop.text.fold import fold
from tonghop.text.normalize import nfc

_ROMAN = re.compile(r"^\s*([IVX]{1,5})\s*[.\-–:]\s*(.*)$")
_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.)]\s*(?!\d)(.*)$")
_LETTER = re.compile(r"^\s*([a-zđ])\s*\)\s*(.*)$")
_NONE = re.compile(r"^[\s\-–+*•]*(không có|không phát sinh|chưa phát sinh|không)\s*[.;]?\s*$", re.IGNORECASE)
_END = re.compile(r"^\W*nơi nhận\s*:", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+|\n")


@dataclass
class Proposal:
    """A value proposed for one indicator, with the sentence it was read from."""

    code: str
    label: str
    name: str
    value: Any
    sentence: str


@dataclass
class Proposals:
    """Everything read from one report: proposed values, narrative sections, and what could not be matched."""

    path: str
    template: str
    items: list[Proposal] = field(default_factory=list)
    narrative: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def values(self) -> dict[str, Any]:
        """Indicator code -> proposed value."""
        return {p.code: p.value for p in self.items}

    def to_dict(self) -> dict[str, Any]:
        """JSON shape for scripts and the web."""
        return {"path": self.path, "template": self.template, "narrative": dict(self.narrative),
                "items": [{"code": p.code, "label": p.label, "name": p.name, "value": p.value,
                           "sentence": p.sentence} for p in self.items], "warnings": list(self.warnings)}


@dataclass
class _Block:
    roman: str | None
    label: str
    lines: list[str]


def _blocks(text: str) -> list[_Block]:
    """Split the text into numbered items ("1.", "2." and their "a)" parts) under roman sections."""
    blocks: list[_Block] = []
    roman: str | None = None
    item: str | None = None
    for line in text.splitlines():
        if _END.match(line):
            break
        m = _ROMAN.match(line)
        if m:
            roman, item = m.group(1), None
            blocks.append(_Block(roman, "", [m.group(2)]))
            continue
        m = _ITEM.match(line)
        if m:
            item = m.group(1)
            blocks.append(_Block(roman, item, [m.group(2)]))
            continue
        m = _LETTER.match(line)
        if m and item is not None:
            blocks.append(_Block(roman, f"{item}.{m.group(1)}", [m.group(2)]))
            continue
        if blocks:
            blocks[-1].lines.append(line)
    return blocks


def _unit_match(ind: Indicator, unit: str | None) -> bool:
    if not ind.unit or not unit:
        return False
    a, b = fold(ind.unit), fold(unit)
    return a == b or a in b.split() or b.endswith(" " + a) or a in b


def _sentence(text: str, start: int, end: int) -> str:
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    left = max(b for b in bounds if b <= start)
    right = min((m.start() for m in _SENTENCE_END.finditer(text) if m.start() >= end), default=len(text))
    return text[left:right].strip(" -\n")


def _group(template: Template, label: str) -> list[Indicator]:
    exact = [i for i in template.indicators if i.label.rstrip(".") == label]
    if exact:
        return exact
    return [i for i in template.indicators if i.label.split(".")[0] == label.split(".")[0] and "." in i.label
            and not label.count(".")]


_WORD = re.compile(r"\w+")


def _tokens(text: str) -> set[str]:
    return set(_WORD.findall(fold(text).lower()))


def _name_score(ind: Indicator, heading: str) -> float:
    """Share of the indicator name's words found in an item's heading."""
    words = _tokens(ind.name)
    return len(words & _tokens(heading)) / len(words) if words else 0.0


def _candidates(template: Template, label: str, heading: str, allowed) -> list[Indicator]:
    """The indicators an item stands for: by its number, unless its heading clearly names other indicators."""
    usable = [i for i in template.indicators if i.numeric and allowed(i)]
    by_label = [i for i in _group(template, label) if i in usable]
    scores = {i.code: _name_score(i, heading) for i in usable}
    best_label = max((scores[i.code] for i in by_label), default=0.0)
    by_name = [i for i in usable if i not in by_label and scores[i.code] >= 0.75 and scores[i.code] > best_label]
    return by_name or by_label


def _section_for(template: Template, roman: str | None):
    if roman is None:
        return None
    for s in template.sections:
        if s.label.rstrip(".-) ").strip().upper() == roman:
            return s
    return None


def propose(text: str, template: Template, path: str = "") -> Proposals:
    """Proposed values for TEMPLATE read from a report's TEXT."""
    text = nfc(text)
    found = Proposals(path=path, template=template.code)
    seen: set[str] = set()
    narrative: dict[str, list[str]] = {}
    for block in _blocks(text):
        section = _section_for(template, block.roman)
        if section is not None and not section.indicators:
            lines = ([f"{block.label}. {block.lines[0]}"] if block.label else []) + block.lines[1:]
            narrative.setdefault(section.code, []).extend(x for x in lines if x.strip())
            continue
        if not block.label:
            continue
        group = _candidates(template, block.label, block.lines[0], lambda i, section=section: i.code not in seen
                            and (section is None or not section.indicators or i.code in section.indicators))
        if not group:
            continue
        body = "\n".join(block.lines)  # a lettered item often carries its figure on its own line
        first_body = next((x for x in block.lines[1:] if x.strip()), "")
        if _NONE.match(first_body) or _NONE.match(block.lines[0].split(":")[-1] or "x"):
            for ind in group:
                found.items.append(Proposal(ind.code, ind.label, ind.name, 0, first_body.strip(" -") or block.lines[0]))
                seen.add(ind.code)
            continue
        quantities = extract_quantities(body)
        under = [q for q in quantities if q.start > len(block.lines[0])] or quantities
        for n, ind in enumerate(group):
            pick = next((q for q in quantities if _unit_match(ind, q.unit)), None)
            if pick is None and n == 0 and len(group) == 1 and under:
                pick = under[0]
            if pick is None:
                continue
            value = pick.value if ind.type != "integer" or pick.value != int(pick.value) else int(pick.value)
            found.items.append(Proposal(ind.code, ind.label, ind.name, value, _sentence(body, pick.start, pick.end)))
            seen.add(ind.code)
    for code, lines in narrative.items():
        found.narrative[code] = "\n".join(lines).strip()
    found.warnings.extend(f"{i.display}: không tìm thấy số liệu trong báo cáo" for i in template.indicators
                          if i.numeric and i.code not in seen)
    return found


def propose_from_report(path: str | Path, template: str, *, url: str | None = None) -> Proposals:
    """Read the report at PATH (DOCX, PDF, TXT…) and propose values for TEMPLATE; nothing is stored."""
    with transaction(database_url(url)) as session:
        t = Desk(session).template(template)
    try:
        doc = read_document(path)
    except Exception as e:  # ReadError names the file and the reason
        raise SubmissionError(str(e)) from None
    return propose(doc.text, t, str(path))


def submit_proposals(unit: str, template: str, period: str, found: Proposals, *, based_on: int | None = None,
                     author: str = "", url: str | None = None) -> Saved:
    """Submit the confirmed proposals (values and narrative) as a new version."""
    return save_submission(unit, template, period, found.values(), narrative=found.narrative, based_on=based_on,
                           author=author, source="report", url=url)
