"""File -> Document: readers for TXT, DOCX, PDF and HTML."""

from tonghop.documents.errors import ReadError
from tonghop.documents.model import Block, Document, Footnote, Table

__all__ = ["Block", "Document", "Footnote", "ReadError", "Table"]
