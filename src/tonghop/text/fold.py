"""Search folding: lower case, every mark stripped, đ→d."""

from __future__ import annotations

import unicodedata


def fold(s: str) -> str:
    """Fold S for search: 'Đảng Hòa' -> 'dang hoa' (tone placement no longer matters once marks are gone)."""
    decomposed = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.lower()
