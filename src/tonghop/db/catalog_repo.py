"""Read-only listings for the interfaces: archived documents page by page (never commits)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tonghop.db.archive import DocumentRow

LIST_COLUMNS = ("id", "doc_type", "type_name", "number", "issuer", "date", "year", "subject", "filename", "ingested_at")


def _where(doc_type: str | None, year: int | None) -> list:
    clauses = []
    if doc_type:
        clauses.append(DocumentRow.doc_type == doc_type)
    if year:
        clauses.append(DocumentRow.year == year)
    return clauses


def list_documents(session: Session, *, doc_type: str | None = None, year: int | None = None, limit: int = 20,
                   offset: int = 0) -> tuple[list[dict], int]:
    """A page of documents (newest date first) without their text, and how many match in all."""
    where = _where(doc_type, year)
    cols = [getattr(DocumentRow, c) for c in LIST_COLUMNS]
    query = (select(*cols).where(*where).order_by(DocumentRow.date.desc().nulls_last(), DocumentRow.id.desc())
             .limit(limit).offset(offset))
    rows = [dict(r._mapping) for r in session.execute(query)]
    total = session.scalar(select(func.count(DocumentRow.id)).where(*where)) or 0
    return rows, total


def document_years(session: Session) -> list[int]:
    """The years that archived documents carry, newest first."""
    query = select(DocumentRow.year).where(DocumentRow.year.is_not(None)).distinct().order_by(DocumentRow.year.desc())
    return [int(y) for y in session.scalars(query)]
