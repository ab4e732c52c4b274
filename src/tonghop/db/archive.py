"""Archive tables: documents, the citations between them and the quantities read from them."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tonghop.db.base import Base

# The search index is not a declarative table: on SQLite it is the FTS5 virtual table `documents_fts`
# (rowid = documents.id), created by migration 0001_archive; see tonghop.db.search_sql.


class DocumentRow(Base):
    """One archived file with the facts extracted from it."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, index=True)
    filename: Mapped[str] = mapped_column(String(512))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str] = mapped_column(String(32), default="utf-8")
    doc_type: Mapped[str | None] = mapped_column(String(16), index=True)
    type_name: Mapped[str | None] = mapped_column(String(128))
    number: Mapped[str | None] = mapped_column(String(128))
    number_key: Mapped[str | None] = mapped_column(String(128), index=True)
    issuer: Mapped[str | None] = mapped_column(Text)
    issuer_folded: Mapped[str | None] = mapped_column(Text)
    parent_issuer: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(256))
    date: Mapped[str | None] = mapped_column(String(10))
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    subject: Mapped[str | None] = mapped_column(Text)
    signer_authority: Mapped[str | None] = mapped_column(String(16))
    signer_title: Mapped[str | None] = mapped_column(String(256))
    signer_name: Mapped[str | None] = mapped_column(String(256))
    text: Mapped[str] = mapped_column(Text)
    facts_json: Mapped[str] = mapped_column(Text)
    warnings_json: Mapped[str] = mapped_column(Text, default="[]")
    ingested_at: Mapped[str] = mapped_column(String(32))


class CitationRow(Base):
    """A document cited by an archived document; target_id is the archived document it resolves to."""

    __tablename__ = "citations"
    __table_args__ = (Index("ix_citations_number_key", "number_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[str | None] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(128))
    number_key: Mapped[str | None] = mapped_column(String(128))
    date: Mapped[str | None] = mapped_column(String(10))
    issuer: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    target_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"), index=True)


class QuantityRow(Base):
    """A figure read from an archived document (value in base units)."""

    __tablename__ = "quantities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(64))
    qualifier: Mapped[str | None] = mapped_column(String(32))
    what: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
