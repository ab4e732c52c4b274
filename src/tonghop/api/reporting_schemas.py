"""Pydantic schemas of the reporting endpoints: periods, submissions and their versions, reviews, consolidations."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, field_validator

from tonghop.api.deps import NUL_MESSAGE, has_nul
from tonghop.api.schemas import TemplatePublic, UnitPublic

MAX_VERSION = 2**31 - 1  # an INTEGER column: larger is refused (422), never sent to the database
# A figure as typed: a number, Vietnamese text ("1.204,5", "Không có") or blank; strict, so true is not taken for 1
Figure = StrictInt | StrictFloat | StrictStr | None

__all__ = ["UnitPublic", "TemplatePublic", "PeriodPublic", "SubmissionCreate", "SubmissionPublic", "SavedPublic",
           "SubmissionVersionPublic", "SubmissionDetail", "ReviewCreate", "ConsolidationPublic", "IssuePublic"]


def refuse_nul(value: Any) -> Any:
    """A field validator: PostgreSQL cannot store a NUL character, so a body holding one is invalid (422)."""
    if has_nul(value):
        raise ValueError(NUL_MESSAGE)
    return value


def json_integer(value: Any) -> Any:
    """A field validator: a JSON integer (1380 or 1380.0, as JSON Schema has it), never true/false or "12"."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ValueError("Phải là số nguyên JSON / Must be a JSON integer")
    return value


class PeriodBase(BaseModel):
    """A reporting period by its stable code."""

    code: str = Field(examples=["2025M11"])
    label: str = Field(examples=["tháng 11/2025"])
    kind: str


class PeriodPublic(PeriodBase):
    """A period with its calendar span, data cut-off window and filing deadline."""

    start: date
    end: date
    cutoff_start: date
    cutoff_end: date
    deadline: date


class SubmissionBase(BaseModel):
    """Figures and narrative of one unit's report."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, Figure | dict[str, Figure]] = Field(
        default_factory=dict, description="Mã chỉ tiêu → giá trị (số hoặc chữ: '1.204,5'; phân tổ → giá trị)")
    narrative: dict[str, str] = Field(default_factory=dict, description="Mục lời văn (I., II., …) → nội dung")

    _no_nul = field_validator("values", "narrative", mode="before")(refuse_nul)


class SubmissionCreate(SubmissionBase):
    """A save: 'save' keeps a draft, 'submit' files it; based_on_version is the version the user started from."""

    action: Literal["save", "submit"] = "save"
    based_on_version: int = Field(0, ge=0, le=MAX_VERSION, description="Phiên bản đã tải về (0 khi chưa có báo cáo)")
    comment: str | None = Field(None, max_length=2000)

    _no_nul_comment = field_validator("comment", mode="before")(refuse_nul)
    _integer_version = field_validator("based_on_version", mode="before")(json_integer)


class SubmissionPublic(BaseModel):
    """The latest version of one unit's submission in a listing."""

    unit: str
    state: str
    submitted_at: str | None = None
    on_time: bool | None = None
    version: int
    values: dict[str, Any]


class SavedPublic(BaseModel):
    """The outcome of a save or a review: the new version and state."""

    unit: str
    template: str
    period: str
    version: int
    state: str
    on_time: bool | None = None
    warnings: list[str] = []


class SubmissionVersionPublic(BaseModel):
    """One immutable version of a submission."""

    version: int
    state: str
    action: str
    author: str | None = None
    created_at: str
    comment: str | None = None
    source: str | None = None
    values: dict[str, Any]
    narrative: dict[str, str]


class SubmissionDetail(BaseModel):
    """A unit's submission for a period with every version, oldest first (none yet: version 0, state null)."""

    unit: str
    template: str
    period: str
    deadline: date
    state: str | None
    version: int
    versions: list[SubmissionVersionPublic]


class ReviewCreate(BaseModel):
    """Approve or return (a comment is required to return) the version the approver has read."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["approve", "return"]
    comment: str | None = Field(None, max_length=2000)

    _no_nul_comment = field_validator("comment", mode="before")(refuse_nul)
    _integer_version = field_validator("based_on_version", mode="before")(json_integer)
    based_on_version: int | None = Field(None, ge=1, le=MAX_VERSION, description="Phiên bản đã đọc (mặc định: phiên bản mới nhất)")


class IssuePublic(BaseModel):
    """A validation problem: the indicator (or narrative section) and the reason, in Vietnamese."""

    indicator: str
    message: str


class IndicatorTotal(BaseModel):
    """One indicator's consolidated value and comparisons."""

    code: str
    value: Any = None
    previous: Any = None
    same_period_last_year: Any = None
    categories: dict[str, float] | None = None
    progress: Any = None


class CompletenessPublic(BaseModel):
    """How many expected units filed, on time or late, and which are missing."""

    expected: int
    submitted: int
    on_time: int
    late: int
    missing: list[str]


class UnitValues(BaseModel):
    """A direct reporter's subtree figures."""

    unit: str
    values: dict[str, Any]


class ConsolidationPublic(BaseModel):
    """The consolidated figures of a unit's subtree (shape of `tonghop consolidate --json`)."""

    unit: str
    template: str
    period: str
    indicators: list[IndicatorTotal]
    completeness: CompletenessPublic
    by_unit: list[UnitValues]
    warnings: list[str] = []
