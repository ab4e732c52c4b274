"""Search folding: lower case, every mark stripped, đ→d.

`fold` is one `str.translate` over NFC text, with a table that maps every character to at most one character.
So for NFC input without stray combining marks (marks that NFC could not compose onto a letter, which fold
drops) ``len(fold(s)) == len(s)`` and position i of the folded text is character i of the input: search can
find a match in the folded text and cut the snippet from the original at the same offsets.
"""

from __future__ import annotations

import unicodedata

_LETTERS = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ı": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ħ": "h"}


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")


def _folded_char(cp: int) -> str | None:
    """What one code point folds to: None for a mark (dropped), else a single character."""
    ch = chr(cp)
    if ch in _LETTERS:
        return _LETTERS[ch]
    if _is_mark(ch):
        return None
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not _is_mark(c))
    for candidate in (base.lower(), ch.lower()):
        if len(candidate) == 1:
            return _LETTERS.get(candidate, candidate)
    return ch


class _FoldTable(dict):
    """str.translate table computed lazily per code point and cached (dict.__missing__)."""

    def __missing__(self, cp: int) -> int | str | None:
        value = _folded_char(cp)
        self[cp] = value
        return value


_TABLE = _FoldTable()
for _cp in [*range(0x80), *range(0xC0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00)]:
    _TABLE[_cp]  # warm the table for ASCII, Latin and every Vietnamese letter


def fold(s: str) -> str:
    """Fold S for search: 'Đảng Hoà' -> 'dang hoa'; idempotent, and fold(NFD(s)) == fold(s)."""
    if not s.isascii():
        s = unicodedata.normalize("NFC", s)
    return s.translate(_TABLE)
