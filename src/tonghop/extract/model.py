"""The facts extracted from a document; `Facts.to_dict()` is the `tonghop extract --json` contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Signer:
    """Signature block: authority prefix (TM./KT./TL./TUQ./Q. or T/M, K/T, T/L), title and name."""

    authority: str | None = None
    title: str | None = None
    name: str | None = None


@dataclass
class Cited:
    """A document cited in the text, as written."""

    doc_type: str | None
    number: str
    date: str | None = None
    issuer: str | None = None
    text: str = ""


@dataclass
class Quantity:
    """A figure in the text: value in base units, its unit, qualifier, what is counted and its span."""

    text: str
    value: float | int
    unit: str | None
    qualifier: str | None = None
    what: str | None = None
    start: int = 0
    end: int = 0


@dataclass
class Section:
    """A heading of the body outline: "I." level 1, "1." level 2, "a)" level 3."""

    label: str
    title: str
    level: int


@dataclass
class FootnoteFact:
    """A footnote linked to its marker."""

    mark: str
    text: str


@dataclass
class Facts:
    """Everything extracted from one document."""

    doc_type: str | None = None
    type_name: str | None = None
    number: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    date: str | None = None
    subject: str | None = None
    signer: Signer | None = None
    recipients: list[str] = field(default_factory=list)
    cited: list[Cited] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footnotes: list[FootnoteFact] = field(default_factory=list)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON-ready dict of the extract contract (DESIGN.md)."""
        return asdict(self)
