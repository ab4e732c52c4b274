"""Archive repository: store documents with their citations and quantities, resolve links, read them back."""

from __future__ import annotations

import json
import re

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from tonghop.db import search_sql
from tonghop.db.archive import CitationRow, DocumentRow, QuantityRow
from tonghop.db.sequences import sync_id_sequences
from tonghop.text.fold import fold

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
_ABBREVIATIONS = ((" ubnd ", " uy ban nhan dan "), (" hdnd ", " hoi dong nhan dan "), (" tw ", " trung uong "))
_DOC_FIELDS = [c.key for c in DocumentRow.__table__.columns if c.key != "id"]


def number_key(number: str | None) -> str | None:
    """The matching key of a document number: no spaces, upper case; None when the number itself is blank."""
    if not number:
        return None
    key = _SPACES.sub("", number).upper()
    return key if key[:1].isdigit() else None


def _issuer_words(issuer: str) -> str:
    words = f" {' '.join(_WORD.findall(fold(issuer)))} "
    for short, long in _ABBREVIATIONS:
        words = words.replace(short, long)
    return words


def _same_issuer(cited: str, issuer: str) -> bool:
    """Whether a citation's issuer ("UBND tỉnh", "Ban Thường vụ Tỉnh ủy") names the document's issuer."""
    a, b = _issuer_words(cited), _issuer_words(issuer)
    return bool(a.strip() and b.strip()) and (a in b or b in a)


def _compatible(cite_date: str | None, cite_issuer: str | None, doc: DocumentRow) -> int:
    """-1 when the dates say it is another document; else how many of date/issuer agree."""
    if cite_date and doc.date:
        # Both full dates must agree; a month-only date ("2020-11") must at least share the month.
        shared = min(len(cite_date), len(doc.date))
        if cite_date[:shared] != doc.date[:shared]:
            return -1
    score = int(bool(cite_date and doc.date and cite_date == doc.date))
    if cite_issuer and doc.issuer and _same_issuer(cite_issuer, doc.issuer):
        score += 1
    return score


def _resolve(session: Session, key: str | None, date: str | None, issuer: str | None, citing_id: int) -> int | None:
    """The archived document a citation points to, or None if none (or several equally good) match."""
    if not key:
        return None
    candidates = session.scalars(
        select(DocumentRow).where(DocumentRow.number_key == key, DocumentRow.id != citing_id)
    ).all()
    scored = sorted(((_compatible(date, issuer, d), d.id) for d in candidates), key=lambda s: (-s[0], s[1]))
    scored = [s for s in scored if s[0] >= 0]
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def find_by_sha(session: Session, sha256: str) -> int | None:
    """The id of the document with this content hash, if archived."""
    return session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256))


def find_by_path(session: Session, path: str) -> list[int]:
    """Ids of documents archived from PATH."""
    return list(session.scalars(select(DocumentRow.id).where(DocumentRow.path == path)))


def delete_document(session: Session, doc_id: int) -> None:
    """Remove a document, its citations, quantities and index row; links pointing at it become dangling."""
    session.execute(update(CitationRow).where(CitationRow.target_id == doc_id).values(target_id=None))
    session.execute(delete(CitationRow).where(CitationRow.document_id == doc_id))
    session.execute(delete(QuantityRow).where(QuantityRow.document_id == doc_id))
    search_sql.remove_document(session, doc_id)
    session.execute(delete(DocumentRow).where(DocumentRow.id == doc_id))


def add_document(
    session: Session,
    record: dict,
    citations: list[dict],
    quantities: list[dict],
    folded: tuple[str, str],
) -> int:
    """Store one document (RECORD holds DocumentRow fields), link its citations both ways, index FOLDED."""
    doc = DocumentRow(**{k: record.get(k) for k in _DOC_FIELDS})
    doc.number_key = number_key(doc.number)
    session.add(doc)
    session.flush()
    for c in citations:
        key = number_key(c.get("number"))
        session.add(
            CitationRow(
                document_id=doc.id,
                doc_type=c.get("doc_type"),
                number=c.get("number") or "",
                number_key=key,
                date=c.get("date"),
                issuer=c.get("issuer"),
                text=c.get("text") or "",
                target_id=_resolve(session, key, c.get("date"), c.get("issuer"), doc.id),
            )
        )
    for q in quantities:
        session.add(QuantityRow(document_id=doc.id, **{k: q.get(k) for k in _QUANTITY_FIELDS}))
    session.flush()
    if doc.number_key:
        resolve_dangling(session, doc)
    search_sql.index_document(session, doc.id, folded, {**record, "doc_type": doc.doc_type})
    return doc.id


_QUANTITY_FIELDS = ("text", "value", "unit", "qualifier", "what", "start", "end")


def resolve_dangling(session: Session, doc: DocumentRow) -> int:
    """Re-resolve every citation of DOC's number now that DOC is archived; returns how many links changed.

    Not only the dangling ones: numbers repeat across issuers and years, so DOC may be a better match for a
    citation linked earlier to a namesake, or make it ambiguous.
    """
    cites = session.scalars(
        select(CitationRow).where(CitationRow.number_key == doc.number_key, CitationRow.document_id != doc.id)
    ).all()
    changed = 0
    for cite in cites:
        target = _resolve(session, cite.number_key, cite.date, cite.issuer, cite.document_id)
        if target != cite.target_id:
            cite.target_id = target
            changed += 1
    return changed


def bulk_add(session: Session, records: list[dict], folded: list[tuple[str, str]]) -> list[int]:
    """Insert many new documents at once (no citations, no link resolution): for benchmarks and imports."""
    start = (session.scalar(select(func.max(DocumentRow.id))) or 0) + 1
    rows = []
    for i, record in enumerate(records):
        row = {k: record.get(k) for k in _DOC_FIELDS}
        row["id"] = start + i
        row["number_key"] = number_key(row.get("number"))
        rows.append(row)
    session.execute(insert(DocumentRow), rows)
    sync_id_sequences(session, DocumentRow.__tablename__)
    search_sql.index_many(session, [r["id"] for r in rows], folded, rows)
    return [start + i for i in range(len(records))]


def _doc_dict(doc: DocumentRow) -> dict:
    out = {k: getattr(doc, k) for k in _DOC_FIELDS if not k.endswith("_json") and k != "issuer_folded"}
    out["id"] = doc.id
    out["facts"] = json.loads(doc.facts_json)
    out["warnings"] = json.loads(doc.warnings_json)
    return out


def get_document(session: Session, doc_id: int) -> dict | None:
    """Every stored field of a document, facts and warnings decoded; None if there is no such document."""
    doc = session.get(DocumentRow, doc_id)
    return _doc_dict(doc) if doc else None


def summaries(session: Session, ids: list[int]) -> dict[int, dict]:
    """Header fields and body text of the documents IDS, by id."""
    if not ids:
        return {}
    cols = (
        DocumentRow.id,
        DocumentRow.doc_type,
        DocumentRow.type_name,
        DocumentRow.number,
        DocumentRow.issuer,
        DocumentRow.date,
        DocumentRow.year,
        DocumentRow.subject,
        DocumentRow.filename,
        DocumentRow.text,
    )
    rows = session.execute(select(*cols).where(DocumentRow.id.in_(ids)))
    return {r.id: dict(r._mapping) for r in rows}


def _cite_dict(c: CitationRow) -> dict:
    return {
        "id": c.id,
        "document_id": c.document_id,
        "doc_type": c.doc_type,
        "number": c.number,
        "date": c.date,
        "issuer": c.issuer,
        "text": c.text,
        "target_id": c.target_id,
    }


def citations_of(session: Session, doc_id: int) -> list[dict]:
    """The citations a document makes, in order, with their resolved target ids."""
    rows = session.scalars(select(CitationRow).where(CitationRow.document_id == doc_id).order_by(CitationRow.id))
    return [_cite_dict(c) for c in rows]


def cited_by(session: Session, doc_id: int) -> list[dict]:
    """The citations (from other documents) that resolve to DOC_ID."""
    rows = session.scalars(select(CitationRow).where(CitationRow.target_id == doc_id).order_by(CitationRow.id))
    return [_cite_dict(c) for c in rows]


def quantities_of(session: Session, doc_id: int) -> list[dict]:
    """The figures stored for a document, in text order."""
    rows = session.scalars(select(QuantityRow).where(QuantityRow.document_id == doc_id).order_by(QuantityRow.start))
    return [{k: getattr(q, k) for k in _QUANTITY_FIELDS} for q in rows]


def count_documents(session: Session) -> int:
    """How many documents the archive holds."""
    return session.scalar(select(func.count(DocumentRow.id))) or 0
