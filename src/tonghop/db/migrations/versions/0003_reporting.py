"""Reporting: templates and their versions, assignments, holiday overrides, submissions and their versions.

Revision ID: 0003_reporting
Revises: 0002_units
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_reporting"
down_revision = "0002_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the reporting tables."""
    op.create_table(
        "templates",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(512), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_templates"),
        sa.UniqueConstraint("code", name="uq_templates_code"),
    )
    op.create_table(
        "template_versions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("template_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("period_type", sa.String(16), nullable=False),
        sa.Column("definition_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_template_versions"),
        sa.UniqueConstraint("template_id", "version", name="uq_template_versions_template_id"),
        sa.ForeignKeyConstraint(["template_id"], ["templates.id"], name="fk_template_versions_template_id_templates",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_template_versions_template_id", "template_versions", ["template_id"])
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("template_code", sa.String(64), nullable=False),
        sa.Column("unit_kind", sa.String(32)),
        sa.Column("unit_code", sa.String(64)),
        sa.PrimaryKeyConstraint("id", name="pk_assignments"),
    )
    op.create_index("ix_assignments_template_code", "assignments", ["template_code"])
    op.create_table(
        "holiday_overrides",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_holiday_overrides"),
        sa.UniqueConstraint("day", name="uq_holiday_overrides_day"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("unit_code", sa.String(64), nullable=False),
        sa.Column("template_code", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("template_version", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("latest_version_id", sa.Integer),
        sa.Column("submitted_at", sa.String(32)),
        sa.Column("deadline", sa.String(10)),
        sa.Column("on_time", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.UniqueConstraint("unit_code", "template_code", "period", name="uq_submissions_unit_code"),
    )
    op.create_index("ix_submissions_template_period", "submissions", ["template_code", "period"])
    op.create_table(
        "submission_versions",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("submission_id", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("values_json", sa.Text, nullable=False),
        sa.Column("narrative_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submission_versions"),
        sa.UniqueConstraint("submission_id", "number", name="uq_submission_versions_submission_id"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name="fk_submission_versions_submission_id_submissions", ondelete="CASCADE"),
    )
    op.create_index("ix_submission_versions_submission_id", "submission_versions", ["submission_id"])
    op.create_table(
        "submission_values",
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("category", sa.String(128), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("version_id", "indicator", "category", name="pk_submission_values"),
        sa.ForeignKeyConstraint(["version_id"], ["submission_versions.id"],
                                name="fk_submission_values_version_id_submission_versions", ondelete="CASCADE"),
    )


def downgrade() -> None:
    """Drop the reporting tables."""
    for table in ("submission_values", "submission_versions", "submissions", "holiday_overrides", "assignments",
                  "template_versions", "templates"):
        op.drop_table(table)
