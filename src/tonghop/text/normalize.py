"""Unicode normalization: NFC and canonical tone-mark placement."""

from __future__ import annotations

import unicodedata


def nfc(s: str) -> str:
    """Return S in NFC (text from some sources arrives decomposed)."""
    return unicodedata.normalize("NFC", s)
