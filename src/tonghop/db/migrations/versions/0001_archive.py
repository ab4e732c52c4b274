"""Archive: documents, citations, quantities and the folded full-text index.

Revision ID: 0001_archive
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision = "0001_archive"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the archive tables and the search index (FTS5 on SQLite, a GIN tsvector index on PostgreSQL)."""
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("filename", sa.String(512), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("encoding", sa.String(32), nullable=False),
        sa.Column("doc_type", sa.String(16)),
        sa.Column("type_name", sa.String(128)),
        sa.Column("number", sa.String(128)),
        sa.Column("number_key", sa.String(128)),
        sa.Column("issuer", sa.Text),
        sa.Column("issuer_folded", sa.Text),
        sa.Column("parent_issuer", sa.Text),
        sa.Column("place", sa.String(256)),
        sa.Column("date", sa.String(10)),
        sa.Column("year", sa.Integer),
        sa.Column("subject", sa.Text),
        sa.Column("signer_authority", sa.String(16)),
        sa.Column("signer_title", sa.String(256)),
        sa.Column("signer_name", sa.String(256)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("facts_json", sa.Text, nullable=False),
        sa.Column("warnings_json", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    for col in ("path", "doc_type", "number_key", "year"):
        op.create_index(f"ix_documents_{col}", "documents", [col])
    op.create_table(
        "citations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("doc_type", sa.String(16)),
        sa.Column("number", sa.String(128), nullable=False),
        sa.Column("number_key", sa.String(128)),
        sa.Column("date", sa.String(10)),
        sa.Column("issuer", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("target_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_citations"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_citations_document_id_documents", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["documents.id"], name="fk_citations_target_id_documents", ondelete="SET NULL"
        ),
    )
    for col in ("document_id", "number_key", "target_id"):
        op.create_index(f"ix_citations_{col}", "citations", [col])
    op.create_table(
        "quantities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(64)),
        sa.Column("qualifier", sa.String(32)),
        sa.Column("what", sa.Text),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quantities"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_quantities_document_id_documents", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_quantities_document_id", "quantities", ["document_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # đ/Đ is a letter, not a mark: the index holds text already folded by tonghop.text.fold.
        # tags holds filter tokens (type, year, issuer words) so filters are matched inside the index.
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "folded_title, folded_text, tags, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        # PostgreSQL stores the weighted tsvector (tonghop.db.search_pg.VECTOR): ranking reads it instead of
        # parsing every matching text again.
        vector = "setweight(to_tsvector('simple', folded_title), 'A') || to_tsvector('simple', folded_text)"
        tsv = [sa.Column("tsv", TSVECTOR, sa.Computed(vector, persisted=True))] if dialect == "postgresql" else []
        op.create_table(
            "documents_fts",
            sa.Column("rowid", sa.Integer, primary_key=True),
            sa.Column("folded_title", sa.Text, nullable=False),
            sa.Column("folded_text", sa.Text, nullable=False),
            sa.Column("tags", sa.Text, nullable=False),
            *tsv,
            sa.PrimaryKeyConstraint("rowid", name="pk_documents_fts"),
        )
        if dialect == "postgresql":
            op.execute("CREATE INDEX ix_documents_fts_tsv ON documents_fts USING GIN (tsv)")


def downgrade() -> None:
    """Drop everything upgrade() created."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    else:
        op.drop_table("documents_fts")
    op.drop_index("ix_quantities_document_id", table_name="quantities")
    op.drop_table("quantities")
    for col in ("document_id", "number_key", "target_id"):
        op.drop_index(f"ix_citations_{col}", table_name="citations")
    op.drop_table("citations")
    for col in ("path", "doc_type", "number_key", "year"):
        op.drop_index(f"ix_documents_{col}", table_name="documents")
    op.drop_table("documents")
