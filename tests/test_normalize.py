"""Unicode normalization: NFC, one canonical tone placement (hòa/thủy/khỏe), invisible-character cleanup."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tonghop.text.fold import fold
from tonghop.text.normalize import canonical_tones, clean_spaces, nfc, normalize

TONES = "\u0300\u0301\u0309\u0303\u0323"
ONSETS = ["", "h", "th", "kh", "l", "t", "x", "ng", "h", "g"]


def toned(vowel: str, tone: str) -> str:
    return unicodedata.normalize("NFC", vowel + tone)


@st.composite
def pair_syllables(draw) -> tuple[str, str]:
    """An open oa/oe/uy syllable written both ways: (old style 'hòa', new style 'hoà'), in some letter case."""
    onset = draw(st.sampled_from(ONSETS))
    first, second = draw(st.sampled_from([("o", "a"), ("o", "e"), ("u", "y")]))
    tone = draw(st.sampled_from(TONES))
    old, new = onset + toned(first, tone) + second, onset + first + toned(second, tone)
    case = draw(st.sampled_from([str.lower, str.upper, str.capitalize]))
    return case(old), case(new)


@pytest.mark.parametrize(
    ("old", "new"),
    [("hòa", "hoà"), ("thủy", "thuỷ"), ("khỏe", "khoẻ"), ("Hóa", "Hoá"), ("HÒA", "HOÀ"), ("Ủy ban", "Uỷ ban"),
     ("tùy", "tuỳ"), ("xòe", "xoè")],
)  # fmt: skip
def test_new_style_placement_becomes_the_government_one(old, new):
    assert canonical_tones(new) == old
    assert canonical_tones(old) == old


@pytest.mark.parametrize("word", ["quý", "Quỳnh", "QUÝ", "giữ", "hoàng", "ngoài", "khuỷu", "xoáy", "tuyến", "hoạch"])
def test_words_whose_placement_is_fixed_are_unchanged(word):
    assert canonical_tones(word) == word


@given(pair_syllables(), st.sampled_from(["", " ", ", ", ".\n"]))
def test_both_placements_give_one_string(pair, tail):
    old, new = pair
    assert canonical_tones(new + tail) == canonical_tones(old + tail) == old + tail


@given(st.text())
def test_canonical_tones_is_idempotent_and_keeps_the_folded_text(s):
    once = canonical_tones(s)
    assert canonical_tones(once) == once
    assert fold(once) == fold(s)


@given(st.text())
def test_normalize_ignores_decomposition(s):
    assert normalize(unicodedata.normalize("NFD", s)) == normalize(s)


def test_nfd_input_is_recomposed():
    composed = "Ủy ban nhân dân huyện Đông Phú"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert nfc(decomposed) == composed
    assert normalize(decomposed) == composed


def test_invisible_characters_go_and_wide_spaces_become_spaces_but_newlines_stay():
    raw = "Số:\u00a012/BC-UBND\r\n\n\u200bBáo\u00adcáo\u202fnăm\u3000 2023\ufeff\n"
    assert normalize(raw) == "Số: 12/BC-UBND\r\n\nBáocáo năm  2023\n"
    assert clean_spaces("a\u2007b\u200dc") == "a bc"


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_normalize_never_changes_the_line_count(s):
    assert normalize(s).count("\n") == s.count("\n")
