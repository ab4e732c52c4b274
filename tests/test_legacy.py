"""Legacy encodings: TCVN3 (ABC) and VNI-Windows tables, Windows-1258, detection by syllable score."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tonghop.text.legacy import (
    convert_legacy_text,
    decode_bytes,
    encode_cp1258,
    encode_tcvn3,
    encode_vni,
    is_syllable,
)

# Real syllables of administrative text whose TCVN3 and VNI bytes read as nothing valid in another encoding.
SYLLABLES = """biển biểu báo bản bảy bệnh bốn bộ chuyển chánh chế chỉ chức các cách cán cáo có công cùng cơ cải
cận cộng của dân dấu dịch dục dựng già giám giáo giải giảm hiện hoạch huyện hành hòa hóa hạn hạnh học hộ hội hợp
khiếu khó không khăn khỏe kiến kiểm kê ký kế kết kỳ là làm lãnh lập lịch lợi môi mười mạnh mẫu mặt một nghiệp
nghèo nghị nguyên ngành ngày người nhiệm nhà nhân nhận nhập những niên nông năm nại nữ pháp phát phòng phó phúc
phường phụ quyết quân quả rừng sách sát sáu số sở thiên tháng thông thường thể thị thời thủy thực tiêu triển
triệu truyền trăm trường trưởng trạm trận trật trẻ trực tuyên tuyến tuổi tài tác tám tên tăng tế tỉnh tịch tổ
tổng tới tục tự tỷ viên việc viện việt và văn vượt về với vụ xây xã đai điều đoàn đình đó đóng đơn đường được
đạo đạt đảng đảo đất đầu đến đề để định đồng đổi độc động ở ủy ban nam thanh tra kinh gia""".split()
RELIABLE = set("ĂÂÊÔƠƯĐ")
SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", " - ", "\n", ": ", " 12/"])


def reliable(word: str) -> list[str]:
    """Letters whose case TCVN3 records (it has no codes for toned capitals)."""
    return [c for c in word.upper() if c.isascii() or c in RELIABLE]


def tcvn3_case(word: str, style: int) -> str:
    """WORD in a case TCVN3 carries without context: lower; title or upper if two letters have case codes."""
    if style == 1 and len(reliable(word)) >= 2 and reliable(word)[0] == word[0].upper():
        return word.capitalize()
    if style == 2 and len(reliable(word)) >= 2:
        return word.upper()
    return word


@st.composite
def texts(draw, case=None) -> str:
    alphabet = [w for w in SYLLABLES if reliable(w)] if case else SYLLABLES  # "ở" follows its line's case
    words = draw(st.lists(st.sampled_from(alphabet), min_size=1, max_size=30))
    styles = draw(st.lists(st.integers(0, 2), min_size=len(words), max_size=len(words)))
    seps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
    cased = [case(w, s) if case else (w, w.capitalize(), w.upper())[s] for w, s in zip(words, styles, strict=True)]
    text = "".join(w + sep for w, sep in zip(cased, seps, strict=True)).strip()
    assume(not text.isascii())
    return text


def test_tables_give_the_known_bytes_of_bo_noi_vu():
    assert encode_tcvn3("Bộ Nội vụ") == b"B\xe9 N\xe9i v\xf4"
    assert encode_vni("Bộ Nội vụ") == "Boä Noäi vuï".encode("cp1252")
    assert encode_tcvn3("Đảng") == b"\xa7\xb6ng" and encode_vni("Đảng") == "Ñaûng".encode("cp1252")


@given(texts(case=tcvn3_case))
def test_tcvn3_round_trip(text):
    assert decode_bytes(encode_tcvn3(text)) == (text, "tcvn3")


@given(texts())
def test_vni_round_trip_in_any_letter_case(text):
    assert decode_bytes(encode_vni(text)) == (text, "vni")


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_decodes_as_utf8(text):
    assert decode_bytes(text.encode("ascii")) == (text, "utf-8")


@given(st.binary())
def test_any_bytes_decode_without_raising(raw):
    text, encoding = decode_bytes(raw)
    assert encoding in {"utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni", "latin-1"}
    assert unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(
    "text", ["ĐẢNG CỘNG SẢN VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
             "ỦY BAN NHÂN DÂN TỈNH", "Số: 15/QĐ-UBND ngày 03 tháng 11 năm 2023 của Ủy ban nhân dân xã Tân Hòa"],
)  # fmt: skip
def test_header_lines_round_trip_in_vni_and_cp1258(text):
    assert decode_bytes(encode_vni(text)) == (text, "vni")
    assert decode_bytes(encode_cp1258(text)) == (text, "cp1258")


def test_tcvn3_capitals_come_back_from_their_context():
    header = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nỦY BAN NHÂN DÂN"
    assert decode_bytes(encode_tcvn3(header)) == (header, "tcvn3")
    # A toned capital at the start of a mixed-case word has no TCVN3 code: it comes back lower case.
    assert decode_bytes(encode_tcvn3("Ủy ban nhân dân xã Tân Hòa")) == ("ủy ban nhân dân xã Tân Hòa", "tcvn3")


def test_windows_1258_bytes_with_combining_tones():
    raw = b"C\xf4\xf2ng ho\xcca xa\xde h\xf4\xf2i chu\xd2 nghi\xdea Vi\xea\xf2t Nam"  # tones as combining bytes
    text = "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert encode_cp1258(text) == raw
    assert decode_bytes(raw) == (text, "cp1258")
    assert decode_bytes(encode_cp1258(text.upper())) == (text.upper(), "cp1258")


def test_bom_utf16_and_utf8_sig_and_nfd_utf8():
    text = "Ủy ban nhân dân huyện Đông Phú"
    assert decode_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == (text, "utf-16")
    assert decode_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == (text, "utf-16")
    assert decode_bytes(text.encode("utf-8-sig")) == (text, "utf-8-sig")
    assert decode_bytes(unicodedata.normalize("NFD", text).encode("utf-8")) == (text, "utf-8")


def test_legacy_glyphs_saved_as_utf8_are_converted():
    assert decode_bytes("Bé Néi vô vµ c¸c c¬ quan".encode()) == ("Bộ Nội vụ và các cơ quan", "tcvn3")
    assert decode_bytes("Boä Noäi vuï vaø caùc cô quan".encode()) == ("Bộ Nội vụ và các cơ quan", "vni")


def test_convert_legacy_text_on_docx_like_runs():
    assert convert_legacy_text("Bé Néi vô") == ("Bộ Nội vụ", "tcvn3")
    assert convert_legacy_text("Boä Noäi vuï") == ("Bộ Nội vụ", "vni")
    assert convert_legacy_text("c«ng", encoding="tcvn3") == ("công", "tcvn3")  # one word: the font decides
    assert convert_legacy_text("c«ng") == ("công", "tcvn3")  # "«" inside a word: clearly a glyph
    assert convert_legacy_text("Bé") == ("Bé", None)  # a valid word as it stands: not without the font
    assert convert_legacy_text("Bé", encoding="tcvn3") == ("Bộ", "tcvn3")


@given(texts())
def test_unicode_text_is_never_converted(text):
    assert convert_legacy_text(text) == (text, None)
    if any(c > "\u00ff" for c in text):  # "kê" alone is also TCVN3 "kờ": a font hint then decides
        assert convert_legacy_text(text, encoding="tcvn3") == (text, None)
        assert convert_legacy_text(text, encoding="vni") == (text, None)


def test_one_short_word_can_be_either_encoding():
    # The same bytes are "cụ" in TCVN3 and "cơ" in VNI: only more text decides, so the decoder needs context.
    assert encode_tcvn3("cụ") == encode_vni("cơ")


def test_garbage_falls_back_and_says_so():
    assert decode_bytes(b"\x81\x8d\x8f\x90\x9d\xff\xfe\xfd") == (b"\x81\x8d\x8f\x90\x9d\xff\xfe\xfd".decode("latin-1"),
                                                             "latin-1")  # fmt: skip
    text, encoding = decode_bytes(bytes([0xC0, 0xC1, 0x20, 0xD7, 0xF7]))
    assert encoding in {"cp1258", "latin-1"} and text


@pytest.mark.parametrize(
    ("word", "ok"),
    [("hòa", True), ("hoà", True), ("quý", True), ("giữ", True), ("gì", True), ("người", True), ("khuỷu", True),
     ("aù", False), ("beõ", False), ("xoong", False), ("bát", True), ("bàt", False), ("ươ", False), ("bé", True)],
)  # fmt: skip
def test_is_syllable(word, ok):
    assert is_syllable(word) is ok


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_by_its_zero_bytes(codec):
    text = "Báo cáo số 12/BC-UBND của Ủy ban nhân dân xã"
    assert decode_bytes(text.encode(codec)) == (text, "utf-16")
    assert decode_bytes(b"\x00" * 4) == ("\x00" * 4, "utf-8")  # all zero: no evidence of UTF-16
