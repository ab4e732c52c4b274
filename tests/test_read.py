"""read_document: format sniffing, limits, and every failure as a ReadError naming the file."""

from __future__ import annotations

import zipfile

import pytest

from fixtures_docs import make_docx, make_html, make_pdf, rewrite_zip
from tonghop.documents.errors import ReadError
from tonghop.documents.limits import MB
from tonghop.documents.read import read_document, sniff_format


def read_error(path, **kwargs) -> ReadError:
    """The ReadError read_document raises for PATH."""
    with pytest.raises(ReadError) as err:
        read_document(path, **kwargs)
    assert str(path) in str(err.value), "the error must name the file"
    return err.value


def test_txt_is_read(tmp_path):
    path = tmp_path / "bc.txt"
    path.write_text("BÁO CÁO\nKết quả năm 2023\n", encoding="utf-8")
    doc = read_document(path)
    assert [b.text for b in doc.blocks][:2] == ["BÁO CÁO", "Kết quả năm 2023"]


def test_format_comes_from_content_before_suffix(tmp_path):
    pdf = make_pdf(tmp_path / "x.pdf", ["Báo cáo"])
    renamed = tmp_path / "that-bai.txt"
    renamed.write_bytes(pdf.read_bytes())
    assert sniff_format(renamed, renamed.read_bytes()) == "pdf"
    docx_file = make_docx(tmp_path / "a.docx", ["x"])
    assert sniff_format(tmp_path / "no-suffix", docx_file.read_bytes()) == "docx"
    html = make_html(tmp_path / "a.html", "<p>x</p>")
    assert sniff_format(tmp_path / "page", html.read_bytes()) == "html"


def test_missing_file(tmp_path):
    assert "không tìm thấy" in read_error(tmp_path / "khong-co.docx").reason


def test_oversize_file(tmp_path):
    path = tmp_path / "lon.txt"
    path.write_bytes(b"a" * 2048)
    assert "quá lớn" in read_error(path, max_bytes=1024).reason


def test_unknown_format(tmp_path):
    path = tmp_path / "anh.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert "không hỗ trợ" in read_error(path).reason


@pytest.mark.parametrize("suffix", [".doc", ".docx"])
def test_ole_file_is_legacy_doc_or_encrypted(tmp_path, suffix):
    path = tmp_path / f"cu{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    assert ".doc/được mã hóa" in read_error(path).reason


def test_corrupt_docx(tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes(make_docx(tmp_path / "ok.docx", ["Nội dung"]).read_bytes()[:300])
    assert "hỏng" in read_error(path).reason


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "gia.docx"
    path.write_text("chỉ là văn bản", encoding="utf-8")
    assert "không phải tệp zip" in read_error(path).reason


def test_zip_that_is_not_word(tmp_path):
    path = tmp_path / "bang.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert "không hỗ trợ" in read_error(path).reason


def test_zip_bomb_ratio(tmp_path):
    path = make_docx(tmp_path / "bom.docx", ["x"])
    rewrite_zip(path, {"word/media/zeros.bin": b"\0" * (8 * MB)})
    assert "zip bomb" in read_error(path).reason


def test_uncompressed_total_limit(tmp_path):
    path = make_docx(tmp_path / "to.docx", ["x"])
    assert "giải nén" in read_error(path, max_docx_uncompressed=1000).reason


def test_too_many_zip_members(tmp_path):
    path = make_docx(tmp_path / "nhieu.docx", ["x"])
    rewrite_zip(path, {f"customXml/item{i}.xml": b"<a/>" for i in range(5001)})
    assert "quá nhiều" in read_error(path).reason


def test_encrypted_zip_member(tmp_path):
    path = make_docx(tmp_path / "khoa.docx", ["x"])
    data = bytearray(path.read_bytes())
    # set the "encrypted" general-purpose flag on the first local header and its central directory entry
    data[6] |= 1
    cd = data.find(b"PK\x01\x02")
    data[cd + 8] |= 1
    path.write_bytes(bytes(data))
    assert "mã hóa" in read_error(path).reason


def test_pdf_without_header(tmp_path):
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"not a pdf at all")
    assert "PDF hỏng" in read_error(path).reason


def test_library_failures_are_wrapped(tmp_path):
    path = make_docx(tmp_path / "xml.docx", ["x"])
    rewrite_zip(path, {"word/document.xml": b"<w:document><unclosed>"})
    err = read_error(path)
    assert "hỏng" in err.reason and err.path == str(path)


def test_directory_is_not_a_file(tmp_path):
    folder = tmp_path / "thu-muc.docx"
    folder.mkdir()
    assert "không phải tệp" in read_error(folder).reason


def test_legacy_txt_goes_through_the_text_reader(tmp_path):
    from tonghop.text.legacy import encode_tcvn3

    path = tmp_path / "cu.txt"
    path.write_bytes(encode_tcvn3("Báo cáo kết quả thực hiện nhiệm vụ năm 2023 của huyện"))
    doc = read_document(path)
    assert doc.text == "Báo cáo kết quả thực hiện nhiệm vụ năm 2023 của huyện" and doc.encoding == "tcvn3"
