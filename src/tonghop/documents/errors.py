"""The one error type readers raise."""

from __future__ import annotations


class ReadError(Exception):
    """A file could not be read; carries the file and the reason, printed as one line."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
