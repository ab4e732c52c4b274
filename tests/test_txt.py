"""The TXT reader: encodings detected and said, NFC lines, the document's own tone placement kept."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tonghop.documents.read import read_document
from tonghop.documents.txt import read_txt
from tonghop.text.legacy import encode_cp1258, encode_tcvn3, encode_vni

REPORT = """ỦY BAN NHÂN DÂN
XÃ TÂN HÒA
Số: 07/BC-UBND
BÁO CÁO
Kết quả công tác hoà giải ở cơ sở và thuỷ lợi nội đồng năm 2023
Xã đã huy động 230 người tham gia, đạt 65,9% kế hoạch."""


def test_utf8_lines_become_blocks_with_their_own_tone_placement():
    doc = read_txt(Path("bc.txt"), REPORT.encode())
    assert [b.text for b in doc.blocks] == REPORT.splitlines()
    assert (doc.format, doc.encoding, doc.path, doc.warnings) == ("txt", "utf-8", "bc.txt", [])
    assert "hoà giải" in doc.text and "thuỷ lợi" in doc.text  # canonical tones are for search, not the text


def test_nfd_and_crlf_input_gives_nfc_lines():
    raw = unicodedata.normalize("NFD", REPORT).replace("\n", "\r\n").encode()
    doc = read_txt(Path("nfd.txt"), raw)
    assert [b.text for b in doc.blocks] == REPORT.splitlines()
    assert all(unicodedata.is_normalized("NFC", b.text) for b in doc.blocks)


@pytest.mark.parametrize(
    ("encode", "encoding", "says"),
    [(encode_vni, "vni", "VNI"), (encode_cp1258, "cp1258", "Windows-1258"), (encode_tcvn3, "tcvn3", "TCVN3")],
)
def test_legacy_encodings_are_converted_and_said(encode, encoding, says):
    doc = read_txt(Path("cu.txt"), encode(REPORT))
    assert doc.encoding == encoding
    assert any(says in w and "Unicode" in w for w in doc.warnings)
    body = REPORT.splitlines()[3:]  # TCVN3 has no codes for "Ủ", "Ò": the capitals lines are checked below
    assert [b.text for b in doc.blocks][3:] == body


def test_tcvn3_header_capitals_come_back():
    doc = read_txt(Path("tcvn3.txt"), encode_tcvn3(REPORT))
    assert [b.text for b in doc.blocks][:4] == REPORT.splitlines()[:4]


def test_utf16_with_bom_and_utf8_sig():
    for raw, encoding in ((REPORT.encode("utf-16"), "utf-16"), (codecs.BOM_UTF8 + REPORT.encode(), "utf-8-sig")):
        doc = read_txt(Path("u.txt"), raw)
        assert (doc.text, doc.encoding, doc.warnings) == (REPORT, encoding, [])


def test_broken_bytes_and_nuls_are_reported():
    doc = read_txt(Path("hong.txt"), REPORT.encode() + b"\xff\n" + b"ab\x00c")
    assert doc.encoding == "utf-8"
    assert doc.blocks[-1].text == "abc"
    assert any("không giải mã được" in w for w in doc.warnings)
    assert any("NUL" in w for w in doc.warnings)


def test_empty_file():
    doc = read_txt(Path("rong.txt"), b"")
    assert (doc.blocks, doc.encoding, doc.warnings) == ([], "utf-8", [])


@given(st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))))
def test_utf8_text_reads_back_line_by_line(text):
    doc = read_txt(Path("t.txt"), text.encode())
    if doc.encoding == "utf-8":
        assert [b.text for b in doc.blocks] == unicodedata.normalize("NFC", text).splitlines()


@given(st.binary(max_size=2000))
def test_any_bytes_give_a_document(raw):
    doc = read_txt(Path("x.txt"), raw)
    assert "\x00" not in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)


def test_read_document_dispatches_txt_to_this_reader(tmp_path):
    path = tmp_path / "bao-cao-tcvn3.txt"
    path.write_bytes(encode_tcvn3(REPORT))
    doc = read_document(path)
    assert doc.encoding == "tcvn3" and doc.path == str(path)
    assert "Kết quả công tác hoà giải" in doc.text
