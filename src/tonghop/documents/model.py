"""The Document model every reader produces and every extractor consumes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    """A table as rows of cell texts."""

    rows: list[list[str]]


@dataclass
class Block:
    """One paragraph-like unit in reading order.

    kind: "p" (paragraph or text line), "table" (text is the table flattened, cells joined by " | ", rows by
    newlines; table_index points into Document.tables), "header" / "footer" (page header/footer text).
    """

    text: str
    kind: str = "p"
    table_index: int | None = None


@dataclass
class Footnote:
    """A footnote or endnote: its mark as printed ("¹", "1") and its text."""

    mark: str
    text: str


@dataclass
class Document:
    """A read file: blocks in reading order, tables, notes, the encoding it came in, and readers' warnings."""

    blocks: list[Block]
    format: str = "txt"
    path: str | None = None
    tables: list[Table] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The body text (header/footer blocks excluded), one block per line."""
        return "\n".join(b.text for b in self.blocks if b.kind in ("p", "table"))

    @classmethod
    def from_text(cls, text: str, *, path: str | None = None, encoding: str = "utf-8") -> Document:
        """A Document whose blocks are the lines of TEXT."""
        return cls(blocks=[Block(line) for line in text.splitlines()], path=path, encoding=encoding)
