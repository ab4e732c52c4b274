"""Reporting tables: units (dated versions), lineage events, memberships, templates, assignments, submissions."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tonghop.db.base import Base


class UnitRow(Base):
    """One version of an org unit (dates ISO 'YYYY-MM-DD', inclusive; NULL = open-ended)."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("code", "valid_from", name="uq_units_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(256))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    parent: Mapped[str | None] = mapped_column(String(64), index=True)
    valid_from: Mapped[str | None] = mapped_column(String(10))
    valid_to: Mapped[str | None] = mapped_column(String(10))


class UnitEventRow(Base):
    """A lineage event: merge, split, rename or move, effective on `date`."""

    __tablename__ = "unit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    date: Mapped[str] = mapped_column(String(10), index=True)
    sources_json: Mapped[str] = mapped_column(Text)
    targets_json: Mapped[str] = mapped_column(Text)
    shares_json: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")


class MembershipRow(Base):
    """A unit that reports to a committee besides its parent."""

    __tablename__ = "unit_memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit: Mapped[str] = mapped_column(String(64), index=True)
    committee: Mapped[str] = mapped_column(String(64), index=True)
    valid_from: Mapped[str | None] = mapped_column(String(10))
    valid_to: Mapped[str | None] = mapped_column(String(10))


class UnitChangeRow(Base):
    """One row per change of the unit tables (never deleted): its newest id tells caches the tree changed."""

    __tablename__ = "unit_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String(32))


class TemplateRow(Base):
    """A report template; its definitions live in template_versions."""

    __tablename__ = "templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(512))
    current_version: Mapped[int] = mapped_column(Integer)


class TemplateVersionRow(Base):
    """One immutable version of a template definition (the dict `parse_template` reads, as JSON)."""

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("template_id", "version", name="uq_template_versions_template_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("templates.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    period_type: Mapped[str] = mapped_column(String(16))
    definition_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))


class AssignmentRow(Base):
    """Template due from every unit of a kind, or from one unit."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_code: Mapped[str] = mapped_column(String(64), index=True)
    unit_kind: Mapped[str | None] = mapped_column(String(32))
    unit_code: Mapped[str | None] = mapped_column(String(64))


class HolidayOverrideRow(Base):
    """A day added to (kind 'extra') or removed from (kind 'removed') the public holiday calendar."""

    __tablename__ = "holiday_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[str] = mapped_column(String(10), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(256), default="")


class SubmissionRow(Base):
    """One unit × template × period; `latest_version_id` points at the newest immutable version."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("unit_code", "template_code", "period", name="uq_submissions_unit_code"),
        Index("ix_submissions_template_period", "template_code", "period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(64))
    template_code: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    template_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    latest_version_id: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[str | None] = mapped_column(String(32))
    deadline: Mapped[str | None] = mapped_column(String(10))
    on_time: Mapped[int | None] = mapped_column(Integer)  # 1 on time, 0 late, NULL not filed yet


class SubmissionVersionRow(Base):
    """An immutable saved version: who, when, what action, the state after it, values and narrative as JSON."""

    __tablename__ = "submission_versions"
    __table_args__ = (UniqueConstraint("submission_id", "number", name="uq_submission_versions_submission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[str] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="api")
    values_json: Mapped[str] = mapped_column(Text)
    narrative_json: Mapped[str] = mapped_column(Text, default="{}")


class SubmissionValueRow(Base):
    """The numeric values of one version in long form (category '' for a plain figure), for SQL aggregation."""

    __tablename__ = "submission_values"

    version_id: Mapped[int] = mapped_column(ForeignKey("submission_versions.id", ondelete="CASCADE"),
                                            primary_key=True)
    indicator: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(128), primary_key=True, default="")
    value: Mapped[float] = mapped_column(Float)
