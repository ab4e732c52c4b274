"""Search folding: lower case, marks stripped, đ→d, one character per character of NFC text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tonghop.text.fold import fold
from tonghop.text.normalize import canonical_tones

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
ALPHABET = VIETNAMESE + VIETNAMESE.upper() + "bcghklmnpqrstvx -.,/0123456789\n"


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Đảng Hoà", "dang hoa"), ("Ủy ban nhân dân", "uy ban nhan dan"),
     ("ĐẢNG CỘNG SẢN VIỆT NAM", "dang cong san viet nam"), ("Số: 12/QĐ-UBND", "so: 12/qd-ubnd"),
     ("thuỷ lợi, khỏe mạnh", "thuy loi, khoe manh"), ("Ưu tiên đường ĐT.741", "uu tien duong dt.741")],
)  # fmt: skip
def test_fold_examples(text, folded):
    assert fold(text) == folded


def test_every_vietnamese_letter_folds_to_an_ascii_letter():
    for ch in VIETNAMESE + VIETNAMESE.upper():
        assert fold(ch).isascii() and fold(ch).isalpha() and len(fold(ch)) == 1, ch


@given(st.text())
def test_fold_is_idempotent_and_ignores_decomposition(s):
    folded = fold(s)
    assert fold(folded) == folded
    assert fold(unicodedata.normalize("NFD", s)) == folded


@given(st.text(alphabet=ALPHABET))
def test_fold_keeps_the_length_of_nfc_vietnamese_text(s):
    assert len(fold(s)) == len(s)
    assert fold(s) == fold(s.upper()) == fold(canonical_tones(s))


@given(st.text())
def test_fold_keeps_length_when_nfc_leaves_no_loose_mark(s):
    s = unicodedata.normalize("NFC", s)
    if not any(unicodedata.category(c) in ("Mn", "Me") for c in s):
        assert len(fold(s)) == len(s)


def test_tone_placements_fold_alike_and_fold_of_nfd_is_nfc_fold():
    assert fold("hòa thủy") == fold("hoà thuỷ") == "hoa thuy"
    assert fold(unicodedata.normalize("NFD", "Đảng bộ xã Tân Hòa")) == "dang bo xa tan hoa"
