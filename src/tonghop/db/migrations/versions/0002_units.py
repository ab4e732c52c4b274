"""Units: dated unit versions, lineage events (merge, split, rename, move), committee memberships, change log.

Revision ID: 0002_units
Revises: 0001_archive
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_units"
down_revision = "0001_archive"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create units, unit_events and unit_memberships."""
    op.create_table(
        "units",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parent", sa.String(64)),
        sa.Column("valid_from", sa.String(10)),
        sa.Column("valid_to", sa.String(10)),
        sa.PrimaryKeyConstraint("id", name="pk_units"),
        sa.UniqueConstraint("code", "valid_from", name="uq_units_code"),
    )
    for col in ("code", "kind", "parent"):
        op.create_index(f"ix_units_{col}", "units", [col])
    op.create_table(
        "unit_events",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("sources_json", sa.Text, nullable=False),
        sa.Column("targets_json", sa.Text, nullable=False),
        sa.Column("shares_json", sa.Text),
        sa.Column("note", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unit_events"),
    )
    op.create_index("ix_unit_events_date", "unit_events", ["date"])
    op.create_table(
        "unit_memberships",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("committee", sa.String(64), nullable=False),
        sa.Column("valid_from", sa.String(10)),
        sa.Column("valid_to", sa.String(10)),
        sa.PrimaryKeyConstraint("id", name="pk_unit_memberships"),
    )
    op.create_index("ix_unit_memberships_unit", "unit_memberships", ["unit"])
    op.create_index("ix_unit_memberships_committee", "unit_memberships", ["committee"])
    op.create_table(
        "unit_changes",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unit_changes"),
    )


def downgrade() -> None:
    """Drop the unit tables."""
    op.drop_table("unit_changes")
    op.drop_table("unit_memberships")
    op.drop_table("unit_events")
    op.drop_table("units")
