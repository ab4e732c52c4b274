"""Unicode normalization: NFC, canonical tone-mark placement, invisible-character cleanup.

Canonical tone placement is the one Vietnamese government text uses today (Decree 30: "CỘNG HÒA", "Ủy ban"):
in an open syllable whose vowel is oa, oe or uy the mark sits on the first vowel ("hòa", "khỏe", "thủy"). With a
final consonant or a third vowel both styles agree already ("hoàng", "khuyến", "ngoài"). After "qu" the u is part of
the consonant, so "quý", "quỳ" stay as they are; "gi" words never have these vowels and are untouched.
"""

from __future__ import annotations

import re
import unicodedata

# Tone mark (as a combining character) -> how it sits on each bare vowel, precomposed.
_TONED = {
    "a": "àáảãạ",
    "e": "èéẻẽẹ",
    "o": "òóỏõọ",
    "u": "ùúủũụ",
    "y": "ỳýỷỹỵ",
}
_TONES = "\u0300\u0301\u0309\u0303\u0323"  # grave, acute, hook above, tilde, dot below


def _tone_pairs() -> dict[str, str]:
    """'oà' -> 'òa' (every case combination) for the three vowel pairs whose placement varies."""
    pairs: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for i in range(len(_TONES)):
            for f in (first, first.upper()):
                for s in (second, second.upper()):
                    toned_s = _TONED[second][i] if s.islower() else _TONED[second][i].upper()
                    toned_f = _TONED[first][i] if f.islower() else _TONED[first][i].upper()
                    pairs[f + toned_s] = toned_f + s
    return pairs


_PAIRS = _tone_pairs()
_LETTER = r"[^\W\d_]"
_SECOND = "".join(sorted({pair[1] for pair in _PAIRS}))
# The toned second vowel of a new-style pair at the end of a syllable (no letter or combining mark after it);
# matching on the rarer toned vowel first is twice as fast as matching the pair. "qu" + y is not the uy vowel.
_NEW_STYLE = re.compile(
    f"[{_SECOND}](?<=(?<![qQ])[oO][{_SECOND}]|(?<![qQ])[uU][{_SECOND}])(?!{_LETTER}|[\u0300-\u036f])"
)

_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACE_RE = re.compile(f"[{_SPACES}]")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")


def nfc(s: str) -> str:
    """Return S in NFC (text from some sources arrives decomposed)."""
    return unicodedata.normalize("NFC", s)


def canonical_tones(s: str) -> str:
    """Put tone marks in one place: 'hoà' -> 'hòa', 'thuỷ' -> 'thủy', 'KHOẺ' -> 'KHỎE'; 'quý', 'hoàng' unchanged."""
    s = unicodedata.normalize("NFC", s)
    pieces: list[str] = []
    last = 0
    for m in _NEW_STYLE.finditer(s):
        i = m.start()
        pair = _PAIRS.get(s[i - 1 : i + 1])
        if pair is not None:  # "uè" passes the look-behind's class test but is no oa/oe/uy pair
            pieces += [s[last : i - 1], pair]
            last = i + 1
    return "".join(pieces) + s[last:] if pieces else s


def clean_spaces(s: str) -> str:
    """Replace no-break and other wide spaces by a space and drop zero-width characters and soft hyphens."""
    return _INVISIBLE_RE.sub("", _SPACE_RE.sub(" ", s))


def normalize(s: str) -> str:
    """NFC, canonical tone placement and invisible-character cleanup; newlines are kept as they are."""
    return canonical_tones(clean_spaces(s))
