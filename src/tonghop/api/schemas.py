"""Pydantic schemas of the REST API: XBase (shared fields), XCreate (input), XPublic (output)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class ErrorDetail(BaseModel):
    """What went wrong: a stable code and a message in Vietnamese / English."""

    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["Không tìm thấy / Not found"])


class ErrorBody(BaseModel):
    """Every error response."""

    error: ErrorDetail


class Page(BaseModel, Generic[T]):  # noqa: UP046 — Python 3.11 has no type parameter syntax
    """A page of a listing."""

    items: list[T]
    total: int
    limit: int
    offset: int


class DocumentBase(BaseModel):
    """Header fields of an archived document."""

    doc_type: str | None = None
    type_name: str | None = None
    number: str | None = None
    issuer: str | None = None
    date: str | None = None
    subject: str | None = None


class DocumentPublic(DocumentBase):
    """A document in a listing."""

    id: int
    filename: str
    year: int | None = None


class CitationPublic(BaseModel):
    """A document cited by another; target_id is set when the cited document is in the archive."""

    doc_type: str | None = None
    number: str | None = None
    date: str | None = None
    issuer: str | None = None
    text: str
    target_id: int | None = None


class CitedByPublic(BaseModel):
    """A document in the archive that cites this one."""

    document_id: int
    number: str | None = None
    title: str
    cited_as: str


class QuantityPublic(BaseModel):
    """A figure read from the text (value in base units)."""

    text: str
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    what: str | None = None


class DocumentDetail(DocumentPublic):
    """One document with its text, facts, figures and citations both ways."""

    title: str
    parent_issuer: str | None = None
    place: str | None = None
    format: str
    encoding: str | None = None
    text: str
    facts: dict
    warnings: list[str]
    quantities: list[QuantityPublic]
    cites: list[CitationPublic]
    cited_by: list[CitedByPublic]


class SearchHitPublic(DocumentBase):
    """A search hit: the snippet and the [start, end) spans in it to highlight."""

    id: int
    title: str
    snippet: str
    highlights: list[tuple[int, int]]
    score: float
    by_number: bool


class UnitBase(BaseModel):
    """An org unit."""

    code: str
    name: str
    kind: str


class UnitPublic(UnitBase):
    """A unit as listed (tree in force today)."""

    parent: str | None = None


class IndicatorPublic(BaseModel):
    """One indicator of a template."""

    code: str
    name: str
    unit: str | None = None
    aggregation: str


class TemplateBase(BaseModel):
    """A report template."""

    code: str
    name: str
    period_type: str


class TemplatePublic(TemplateBase):
    """A template with its current version and indicators."""

    version: int
    indicators: list[IndicatorPublic]


class UserPublic(BaseModel):
    """The caller's account."""

    username: str
    full_name: str
    unit_code: str
    role: str
