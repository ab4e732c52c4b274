"""Search on PostgreSQL: the stored tsvector kept inside its row, and the filter columns in an index by id.

A document's vector (~2 kB) went out of line, so matching and ranking a window of 2,000 documents fetched 4,000
TOAST chunks through the TOAST index: 21 ms of a common query's 25 ms. Inline (STORAGE MAIN), 7 ms.
Filtered searches test type, year and issuer of the documents in a range of ids: ix_documents_filters answers
that from the index alone instead of reading the documents' rows (text included). SQLite is untouched: FTS5 has
neither the column nor the join (filters are index tags there).

Revision ID: 0005_search_inline_tsv
Revises: 0004_accounts
"""

from __future__ import annotations

from alembic import op

revision = "0005_search_inline_tsv"
down_revision = "0004_accounts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Keep documents_fts.tsv inline (rewriting the vectors already stored); index the filter columns by id."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_documents_filters ON documents (id) INCLUDE (doc_type, year, issuer_folded)")
    op.execute("ALTER TABLE documents_fts ALTER COLUMN tsv SET STORAGE MAIN")
    # The storage policy applies to values written from now on: recomputing the generated column rewrites them.
    op.execute("UPDATE documents_fts SET folded_title = folded_title")


def downgrade() -> None:
    """Drop the index; back to the default storage policy (vectors written from then on may go out of line)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_documents_filters")
    op.execute("ALTER TABLE documents_fts ALTER COLUMN tsv SET STORAGE EXTENDED")
