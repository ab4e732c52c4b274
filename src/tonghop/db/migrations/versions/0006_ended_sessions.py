"""Sessions ended by logging out: a signed cookie stays valid until it expires, so logout must be remembered
server-side for the cookie to stop working everywhere it was copied.

Revision ID: 0006_ended_sessions
Revises: 0005_search_inline_tsv
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_ended_sessions"
down_revision = "0005_search_inline_tsv"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ended_sessions."""
    op.create_table(
        "ended_sessions",
        sa.Column("nonce", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("ended_at", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("nonce", name="pk_ended_sessions"),
    )
    op.create_index("ix_ended_sessions_expires_at", "ended_sessions", ["expires_at"])


def downgrade() -> None:
    """Drop ended_sessions (logged-out cookies would be accepted again until they expire)."""
    op.drop_index("ix_ended_sessions_expires_at", table_name="ended_sessions")
    op.drop_table("ended_sessions")
