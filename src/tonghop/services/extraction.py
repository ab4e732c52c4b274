"""Extraction service: a file -> the facts of `tonghop extract --json` (no database)."""

from __future__ import annotations

import tonghop.extract as extraction
from tonghop.documents.errors import ReadError
from tonghop.documents.read import read_document

__all__ = ["ReadError", "extract_file"]


def extract_file(path: str) -> dict:
    """Read PATH and return its facts as the JSON-ready dict of the extract contract; raise ReadError if unreadable."""
    return extraction.extract(read_document(path)).to_dict()
