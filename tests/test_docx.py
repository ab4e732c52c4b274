"""DOCX reader: body order, tables, merged cells, notes, headers/footers, legacy fonts, nesting."""

from __future__ import annotations

import zipfile

import docx
import pytest

from fixtures_docs import make_docx, notes_xml, rewrite_zip
from tonghop.documents import docx as docx_reader
from tonghop.documents.docx import legacy_encoding_of, superscript
from tonghop.documents.docx_numbering import format_number
from tonghop.documents.errors import ReadError
from tonghop.documents.read import read_document
from tonghop.text.legacy import encode_tcvn3, encode_vni

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_paragraphs_and_table_keep_body_order(tmp_path):
    path = make_docx(
        tmp_path / "bc.docx",
        ["I. KẾT QUẢ", "Bảng số liệu:", "II. NHIỆM VỤ"],
        tables=[(1, [["STT", "Chỉ tiêu", "Kết quả"], ["1", "Số lớp bồi dưỡng", "09 lớp"]])],
    )
    doc = read_document(path)
    assert [b.kind for b in doc.blocks] == ["p", "p", "table", "p"]
    assert doc.blocks[2].text == "STT | Chỉ tiêu | Kết quả\n1 | Số lớp bồi dưỡng | 09 lớp"
    assert doc.tables[doc.blocks[2].table_index].rows[1] == ["1", "Số lớp bồi dưỡng", "09 lớp"]
    assert doc.format == "docx" and doc.path == str(path)


def test_footnote_marks_sit_where_referenced(tmp_path):
    path = make_docx(
        tmp_path / "fn.docx",
        ["Kế hoạch số 102-KH/TU của Ban Thường vụ Tỉnh ủy[^1], năm 2023", "các nhiệm vụ liên quan[^2] do Ban"],
        footnotes=["về “tăng cường bảo vệ nền tảng tư tưởng của Đảng”", "Hội nghị ngày 24/4/2023"],
    )
    doc = read_document(path)
    assert doc.blocks[0].text == "Kế hoạch số 102-KH/TU của Ban Thường vụ Tỉnh ủy¹, năm 2023"
    assert doc.blocks[1].text == "các nhiệm vụ liên quan² do Ban"
    assert [(f.mark, f.text) for f in doc.footnotes] == [
        ("¹", "về “tăng cường bảo vệ nền tảng tư tưởng của Đảng”"),
        ("²", "Hội nghị ngày 24/4/2023"),
    ]


def test_endnotes_continue_the_numbering(tmp_path):
    path = make_docx(tmp_path / "en.docx", ["A[^1] B[^e1]"], footnotes=["chú thích"], endnotes=["ghi chú cuối"])
    doc = read_document(path)
    assert doc.blocks[0].text == "A¹ B²"
    assert [f.text for f in doc.footnotes] == ["chú thích", "ghi chú cuối"]


def test_separator_notes_are_skipped(tmp_path):
    path = make_docx(tmp_path / "sep.docx", ["Chỉ một[^1]"], footnotes=["nội dung"])
    reader = docx_reader._Reader(str(path))
    with zipfile.ZipFile(path) as zf:
        notes = docx_reader._read_notes(zf, "word/footnotes.xml", "footnote", reader)
    assert notes == {"1": "nội dung"}


@pytest.mark.parametrize(("n", "expected"), [(1, "¹"), (4, "⁴"), (10, "¹⁰"), (12, "¹²"), (90, "⁹⁰")])
def test_superscript_digits(n, expected):
    assert superscript(n) == expected


def test_header_and_footer_blocks_stay_out_of_body_text(tmp_path):
    path = make_docx(tmp_path / "hf.docx", ["Nội dung chính"], header="UBND HUYỆN IA H'DRAI", footer="Trang 1")
    doc = read_document(path)
    assert ("header", "UBND HUYỆN IA H'DRAI") in [(b.kind, b.text) for b in doc.blocks]
    assert ("footer", "Trang 1") in [(b.kind, b.text) for b in doc.blocks]
    assert doc.text == "Nội dung chính"


def test_merged_cells_are_not_duplicated(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "TỔNG HỢP SỐ LIỆU"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "Xã A"
    t.cell(1, 1).text, t.cell(1, 2).text = "Dân số", "1.204"
    t.cell(2, 1).text, t.cell(2, 2).text = "Hộ", "311"
    d.save(tmp_path / "m.docx")
    doc = read_document(tmp_path / "m.docx")
    rows = doc.tables[0].rows
    assert rows[0] == ["TỔNG HỢP SỐ LIỆU"]
    assert rows[1] == ["Xã A", "Dân số", "1.204"] and rows[2] == ["", "Hộ", "311"]
    assert doc.blocks[0].text.count("TỔNG HỢP") == 1 and doc.blocks[0].text.count("Xã A") == 1


def test_nested_tables_flatten_into_their_cell(tmp_path):
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Ngoài"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "Trong 1", "Trong 2"
    d.save(tmp_path / "n.docx")
    doc = read_document(tmp_path / "n.docx")
    assert len(doc.tables) == 1
    assert doc.tables[0].rows[0][0] == "Ngoài" and "Trong 1 | Trong 2" in doc.tables[0].rows[0][1]


def test_nesting_beyond_the_limit_is_dropped_with_a_warning(tmp_path):
    d = docx.Document()
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    for level in range(docx_reader.MAX_TABLE_DEPTH + 3):
        cell.text = f"cấp {level}"
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    d.save(tmp_path / "deep.docx")
    doc = read_document(tmp_path / "deep.docx")
    assert "cấp 0" in doc.text and f"cấp {docx_reader.MAX_TABLE_DEPTH + 2}" not in doc.text
    assert any("lồng" in w for w in doc.warnings)


def test_text_is_nfc(tmp_path):
    decomposed = "Tuyên truyền pháp luật".replace("ê", "e\u0302").replace("á", "a\u0301")
    doc = read_document(make_docx(tmp_path / "nfd.docx", [decomposed]))
    assert doc.blocks[0].text == "Tuyên truyền pháp luật"


@pytest.mark.parametrize(
    ("font", "enc"), [(".VnTime", "tcvn3"), (".VnArialH", "tcvn3"), ("VNI-Times", "vni"), ("Times New Roman", None)]
)
def test_legacy_font_names(font, enc):
    assert legacy_encoding_of(font) == enc


def test_legacy_font_runs_are_converted(tmp_path, monkeypatch):
    calls = []

    def fake_convert(s, encoding=None):
        calls.append((s, encoding))
        return s.upper(), "tcvn3"

    monkeypatch.setattr(docx_reader, "convert_legacy_text", fake_convert)
    doc = read_document(make_docx(tmp_path / "vn.docx", ["b¸o c¸o"], font=".VnTime"))
    assert calls == [("b¸o c¸o", "tcvn3")]
    assert doc.blocks[0].text == "B¸O C¸O" and doc.encoding == "tcvn3"
    assert any("TCVN3" in w for w in doc.warnings)


def test_unicode_font_runs_are_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(
        docx_reader, "convert_legacy_text", lambda s, encoding=None: pytest.fail("converted a Unicode run")
    )
    doc = read_document(make_docx(tmp_path / "u.docx", ["Báo cáo"], font="Times New Roman"))
    assert doc.blocks[0].text == "Báo cáo" and doc.encoding == "utf-8"


def test_billion_laughs_in_footnotes_is_refused(tmp_path):
    path = make_docx(tmp_path / "bomb.docx", ["Văn bản[^1]"], footnotes=["x"])
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b'<w:footnotes xmlns:w="' + W_NS.encode() + b'"><w:footnote w:id="1"><w:p><w:r><w:t>&lol2;</w:t>'
        b"</w:r></w:p></w:footnote></w:footnotes>"
    )
    rewrite_zip(path, {"word/footnotes.xml": bomb})
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert "bomb.docx" in str(err.value) and "footnotes.xml" in err.value.reason


def test_corrupt_footnotes_part_is_a_warning(tmp_path):
    path = make_docx(tmp_path / "bad.docx", ["Văn bản[^1]"], footnotes=["x"])
    rewrite_zip(path, {"word/footnotes.xml": notes_xml("footnote", ["x"])[:-20]})
    doc = read_document(path)
    assert doc.blocks[0].text == "Văn bản¹" and any("footnotes.xml" in w for w in doc.warnings)


def test_automatic_list_numbers_are_written_out(tmp_path):
    d = docx.Document()
    d.add_paragraph("Mở đầu")
    for text in ["Mục một", "Mục hai"]:
        d.add_paragraph(text, style="List Number")
    d.add_paragraph("Ý chính", style="List Bullet")
    d.add_paragraph("Mục ba", style="List Number")
    d.save(tmp_path / "so.docx")
    doc = read_document(tmp_path / "so.docx")
    assert [b.text for b in doc.blocks] == ["Mở đầu", "1. Mục một", "2. Mục hai", "- Ý chính", "3. Mục ba"]


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (4, "upperRoman", "IV"),
        (9, "lowerRoman", "ix"),
        (14, "upperRoman", "XIV"),
        (1, "lowerLetter", "a"),
        (27, "lowerLetter", "aa"),
        (3, "upperLetter", "C"),
        (5, "decimalZero", "05"),
        (12, "decimal", "12"),
    ],
)
def test_list_number_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected


def _with_xml(tmp_path, name: str, inner: str):
    """A .docx whose only paragraph holds the raw run-level XML INNER."""
    from docx.oxml import parse_xml

    d = docx.Document()
    para = d.add_paragraph()
    ns = f'xmlns:w="{W_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    for el in parse_xml(f"<w:wrap {ns}>{inner}</w:wrap>"):
        para._p.append(el)
    d.save(tmp_path / name)
    return tmp_path / name


def test_moved_text_is_read_once_at_its_new_place(tmp_path):
    path = _with_xml(
        tmp_path,
        "move.docx",
        "<w:r><w:t xml:space='preserve'>Trước </w:t></w:r><w:moveFrom><w:r><w:t>CŨ</w:t></w:r></w:moveFrom>"
        "<w:moveTo><w:r><w:t>MỚI</w:t></w:r></w:moveTo>",
    )
    assert read_document(path).text == "Trước MỚI"


def test_text_box_is_read_once_with_its_lines(tmp_path):
    box = "<w:txbxContent><w:p><w:r><w:t>ỦY BAN NHÂN DÂN</w:t></w:r></w:p><w:p><w:r><w:t>XÃ A</w:t></w:r></w:p></w:txbxContent>"
    path = _with_xml(
        tmp_path,
        "box.docx",
        f"<w:r><mc:AlternateContent><mc:Choice Requires='wps'>{box}</mc:Choice>"
        f"<mc:Fallback>{box}</mc:Fallback></mc:AlternateContent></w:r>",
    )
    assert read_document(path).text == "ỦY BAN NHÂN DÂN\nXÃ A"


def test_unicode_text_in_a_legacy_named_font_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_reader, "convert_legacy_text", lambda s, encoding=None: pytest.fail("converted"))
    doc = read_document(make_docx(tmp_path / "mix.docx", ["Cộng hòa xã hội chủ nghĩa Việt Nam"], font=".VnTime"))
    assert doc.blocks[0].text == "Cộng hòa xã hội chủ nghĩa Việt Nam" and doc.encoding == "utf-8"


def _glyphs(raw: bytes) -> str:
    """Legacy-font bytes as Word stores them: the Windows code page's characters."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in raw)


@pytest.mark.parametrize(
    ("font", "encode", "enc"), [(".VnTime", encode_tcvn3, "tcvn3"), ("VNI-Times", encode_vni, "vni")]
)
def test_legacy_documents_are_converted_to_unicode(tmp_path, font, encode, enc):
    text = "Báo cáo kết quả thực hiện năm 2023 của Ban chỉ đạo huyện"  # TCVN3 has no toned capitals
    path = make_docx(
        tmp_path / "cu.docx", [_glyphs(encode(text)) + "[^1]"], footnotes=[_glyphs(encode("Hội nghị"))], font=font
    )
    doc = read_document(path)
    assert doc.blocks[0].text == text + "¹" and doc.footnotes[0].text == "Hội nghị"
    assert doc.encoding == enc and any(enc.upper() in w for w in doc.warnings)


def test_raised_digits_typed_in_runs_become_superscripts(tmp_path):
    path = _with_xml(
        tmp_path,
        "m2.docx",
        "<w:r><w:t>In 2143m</w:t></w:r><w:r><w:rPr><w:vertAlign w:val='superscript'/></w:rPr><w:t>2</w:t></w:r>"
        "<w:r><w:t xml:space='preserve'> pa nô</w:t></w:r>",
    )
    assert read_document(path).text == "In 2143m² pa nô"
