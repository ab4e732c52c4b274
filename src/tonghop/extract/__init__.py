"""Document -> facts (pure): header, signature, recipients, sections, citations, quantities.

`extract(doc)` runs everything. Quantity offsets (`start`, `end`) refer to `quantity_text(doc)`: the document's
body text (`doc.text`) followed, for readers that keep notes apart (DOCX), by "\\n" and the notes' texts one per
line, in NFC; for TXT the footnotes are already lines of `doc.text`.
"""

from __future__ import annotations

import re

from tonghop.documents.model import Document
from tonghop.extract.citations import find_citations
from tonghop.extract.header import extract_header
from tonghop.extract.lines import SUPERSCRIPTS, squeeze
from tonghop.extract.model import Facts, FootnoteFact
from tonghop.extract.quantities import extract_quantities
from tonghop.extract.recipients import kinh_gui, noi_nhan
from tonghop.extract.sections import FOOTNOTE_LINE, extract_sections
from tonghop.extract.signature import extract_signer
from tonghop.extract.table_quantities import extract_table_quantities
from tonghop.text.normalize import nfc

__all__ = ["document_lines", "extract", "extract_text", "quantity_text"]

_FOOTNOTE_MARKS = re.compile(f"^[{SUPERSCRIPTS}]+$")


def quantity_text(doc: Document) -> str:
    """The string quantity offsets refer to: body text, then "\\n" and the separate notes (if any), one per line."""
    body = doc.text
    if doc.footnotes:
        body = body + "\n" + "\n".join(f.text for f in doc.footnotes)
    return nfc(body)


def _quantities(text: str, warnings: list[str]) -> list:
    """Prose figures, then table figures that do not overlap them, in text order."""
    try:
        found = extract_quantities(text)
    except Exception as exc:  # one bad figure must not lose the whole document's facts
        warnings.append(f"không đọc được số liệu: {exc}")
        return []
    try:
        return sorted([*found, *extract_table_quantities(text, found)], key=lambda q: q.start)
    except Exception as exc:  # a bad table must not lose the prose figures
        warnings.append(f"không đọc được số liệu trong bảng: {exc}")
        return found


def _footnotes(doc: Document, lines: list[str]) -> list[FootnoteFact]:
    notes = [FootnoteFact(mark=f.mark, text=squeeze(f.text)) for f in doc.footnotes]
    for raw in lines:
        m = FOOTNOTE_LINE.match(raw)
        if m:
            notes.append(FootnoteFact(mark=m.group(1), text=squeeze(m.group(2))))
    return notes


_EDGE_BLOCKS = 8  # header and signature tables sit among the first or last blocks
_LAYOUT_ROWS = 6


def _column_lines(rows: list[list[str]]) -> list[str]:
    """A layout table's lines column by column: left column's lines, then the right column's."""
    width = max(len(r) for r in rows)
    out = []
    for c in range(width):
        for row in rows:
            if c < len(row):
                out.extend(line for line in row[c].splitlines() if line.strip())
    return out


def document_lines(doc: Document) -> list[str]:
    """The lines the header, signature and recipients parsers read (NFC).

    A small two-column table among the first or last blocks is the header (issuer | national title) or the
    signature (recipients | signer): read it column by column, so that each column's lines stay apart.
    """
    body = [b for b in doc.blocks if b.kind in ("p", "table")]
    filled = [i for i, b in enumerate(body) if b.text.strip()]
    edges = set(filled[:_EDGE_BLOCKS]) | set(filled[-_EDGE_BLOCKS:])
    lines: list[str] = []
    for i, b in enumerate(body):
        table = doc.tables[b.table_index] if b.kind == "table" and b.table_index is not None else None
        if table and i in edges and table.rows and len(table.rows) <= _LAYOUT_ROWS \
                and max(len(r) for r in table.rows) == 2:
            lines.extend(nfc(line) for line in _column_lines(table.rows))
        else:
            lines.extend(nfc(b.text).splitlines())
    return lines


def extract(doc: Document) -> Facts:
    """All the facts of DOC (see DESIGN.md, "Contracts")."""
    text = nfc(doc.text)
    lines = document_lines(doc)
    head = extract_header(lines)
    facts = Facts(
        doc_type=head.doc_type, type_name=head.type_name, number=head.number, issuer=head.issuer,
        parent_issuer=head.parent_issuer, place=head.place, date=head.date, subject=head.subject,
        encoding=doc.encoding, warnings=[*doc.warnings, *head.warnings],
    )
    signer, sig_line = extract_signer(lines)
    tail_from = max(head.body_start, len(lines) - 120)
    items, nn_line = noi_nhan(lines, tail_from)
    facts.signer = signer
    facts.recipients = [*kinh_gui(lines, head.kinh_gui_line), *items]
    ends = [x for x in (sig_line, nn_line) if x is not None and x >= head.body_start]
    body_end = min(ends) if ends else None
    facts.sections = extract_sections(lines, head.body_start, body_end)
    facts.footnotes = _footnotes(doc, lines)
    notes_text = "\n".join(nfc(f.text) for f in doc.footnotes)
    facts.cited = find_citations(text + ("\n" + notes_text if notes_text else ""), own_number=head.number)
    facts.quantities = _quantities(quantity_text(doc), facts.warnings)
    return facts


def extract_text(text: str) -> Facts:
    """Facts of a plain text (one block per line)."""
    return extract(Document.from_text(text))
