"""HTML reader: main content without site chrome, blocks, tables, charsets."""

from __future__ import annotations

import time

from fixtures_docs import make_html
from tonghop.documents.html import decode_html
from tonghop.documents.read import read_document
from tonghop.text.legacy import encode_vni

NEWS = (
    "<header><h1>Hội nghị giao ban quý I năm 2023</h1></header>"
    "<p>Sáng 05/4, UBND huyện tổ chức&nbsp;hội nghị với <b>04 điểm cầu</b>.</p>"
    "<div class='share-links'>Chia sẻ bài viết</div>"
    "<p>Tỷ lệ giải ngân đạt 65,9%.</p>"
)
CHROME = [
    "Trang chủ",
    "Giới thiệu",
    "Tin khác",
    "Bản quyền",
    "Chia sẻ",
    "Bình luận",
    "Tìm kiếm",
    "mã theo dõi",
    "color",
]


def test_main_content_without_chrome(tmp_path):
    doc = read_document(make_html(tmp_path / "tin.html", NEWS))
    assert [b.text for b in doc.blocks] == [
        "Hội nghị giao ban quý I năm 2023",
        "Sáng 05/4, UBND huyện tổ chức hội nghị với 04 điểm cầu.",
        "Tỷ lệ giải ngân đạt 65,9%.",
    ]
    assert not [word for word in CHROME if word in doc.text]
    assert doc.format == "html" and doc.encoding == "utf-8"


def test_page_without_article_uses_the_densest_text_block(tmp_path):
    body = (
        "<div class='top-links'><p>Liên kết</p></div>"
        "<div class='noi-dung'><p>Đoạn thứ nhất của bản tin khá dài.</p><p>Đoạn thứ hai cũng dài.</p></div>"
    )
    doc = read_document(make_html(tmp_path / "div.html", body, main_tag=""))
    assert [b.text for b in doc.blocks] == ["Đoạn thứ nhất của bản tin khá dài.", "Đoạn thứ hai cũng dài."]


def test_block_elements_and_line_breaks_split_blocks(tmp_path):
    body = "<h2>I. KẾT QUẢ</h2><ul><li>Mục một</li><li>Mục <i>hai</i></li></ul><div>Dòng 1<br>Dòng 2</div>"
    doc = read_document(make_html(tmp_path / "b.html", body, nav=False))
    assert [b.text for b in doc.blocks] == ["I. KẾT QUẢ", "Mục một", "Mục hai", "Dòng 1", "Dòng 2"]


def test_data_table_becomes_a_table(tmp_path):
    body = (
        "<p>Kết quả:</p><table><thead><tr><th>Chỉ tiêu</th><th>Kết quả</th></tr></thead>"
        "<tbody><tr><td>Số lớp</td><td>09</td></tr><tr><td colspan='2'>Tổng</td></tr></tbody></table><p>Hết.</p>"
    )
    doc = read_document(make_html(tmp_path / "t.html", body))
    assert [b.kind for b in doc.blocks] == ["p", "table", "p"]
    assert doc.tables[0].rows == [["Chỉ tiêu", "Kết quả"], ["Số lớp", "09"], ["Tổng"]]
    assert doc.blocks[1].text == "Chỉ tiêu | Kết quả\nSố lớp | 09\nTổng"


def test_layout_table_is_read_as_text(tmp_path):
    body = "<table><tr><td><p>Đoạn trong bảng bố cục.</p><p>Đoạn hai.</p></td></tr></table>"
    doc = read_document(make_html(tmp_path / "l.html", body, nav=False))
    assert doc.tables == [] and [b.text for b in doc.blocks] == ["Đoạn trong bảng bố cục.", "Đoạn hai."]


def test_meta_charset_windows_1258(tmp_path):
    path = make_html(tmp_path / "cu.htm", "<p>Báo cáo tình hình Thủy lợi quý IV</p>", charset="windows-1258")
    doc = read_document(path)
    assert doc.blocks[-1].text == "Báo cáo tình hình Thủy lợi quý IV" and doc.encoding == "cp1258"


def test_undeclared_bad_bytes_decode_with_a_warning():
    text, encoding, warnings = decode_html(b"<p>caf\xe9</p>")
    assert encoding == "utf-8" and "\ufffd" in text and warnings


def test_deep_nesting_within_the_limit_is_parsed(tmp_path):
    body = "<div>" * 1500 + "<p>Nội dung sâu</p>" + "</div>" * 1500
    doc = read_document(make_html(tmp_path / "deep.html", body, nav=False, main_tag=""))
    assert doc.text == "Nội dung sâu" and doc.warnings == []


def test_pathological_nesting_is_read_as_crude_text_quickly(tmp_path):
    body = "<ul><li>" * 50_000 + "Nội dung &amp; số liệu<script>x()</script>" + "</li></ul>" * 50_000
    start = time.monotonic()
    doc = read_document(make_html(tmp_path / "bomb.html", body, nav=False))
    assert time.monotonic() - start < 2
    assert "Nội dung & số liệu" in doc.text and "x()" not in doc.text and "quá sâu" in doc.warnings[0]


def test_word_exported_table_with_paragraphs_in_cells_is_a_table(tmp_path):
    body = (
        "<table class=MsoTableGrid><tr><td><p class=MsoNormal>Xã</p></td><td><p class=MsoNormal>Số hộ</p></td></tr>"
        "<tr><td><p class=MsoNormal>Ia Tơi</p></td><td><p class=MsoNormal>1.204</p></td></tr></table>"
    )
    doc = read_document(make_html(tmp_path / "w.htm", body, nav=False))
    assert doc.tables[0].rows == [["Xã", "Số hộ"], ["Ia Tơi", "1.204"]]


def test_two_column_layout_with_long_prose_is_text(tmp_path):
    prose = "Nội dung bài viết rất dài. " * 30
    body = f"<table><tr><td>Menu trái</td><td><p>{prose}</p></td></tr></table>"
    doc = read_document(make_html(tmp_path / "lay.html", body, nav=False))
    assert doc.tables == [] and prose.strip() in doc.text


def test_text_directly_in_body_is_kept(tmp_path):
    doc = read_document(make_html(tmp_path / "tho.html", "Thông báo <b>khẩn</b> về lịch họp", nav=False, main_tag=""))
    assert doc.text == "Thông báo khẩn về lịch họp"


def test_page_in_a_vni_font_is_converted(tmp_path):
    glyphs = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in encode_vni("Báo cáo tình hình"))
    body = f"<p><font face='VNI-Times'>{glyphs}</font></p><table><tr><td>{glyphs}</td><td>1</td></tr></table>"
    doc = read_document(make_html(tmp_path / "vni.html", body, nav=False))
    assert doc.blocks[0].text == "Báo cáo tình hình" and doc.tables[0].rows[0][0] == "Báo cáo tình hình"
    assert doc.encoding == "vni" and "VNI" in doc.warnings[-1]


def test_sup_numbers_become_superscript_digits(tmp_path):
    body = "<p>Tỉnh ủy<sup>1</sup>, in 2143m<sup>2</sup> pa nô<a href='#_ftn2'><sup>[2]</sup></a> và x<sup>n</sup></p>"
    doc = read_document(make_html(tmp_path / "sup.html", body, nav=False))
    assert doc.text == "Tỉnh ủy¹, in 2143m² pa nô² và xn"
