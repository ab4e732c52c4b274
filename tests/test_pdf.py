"""PDF reader: text lines, running headers and page numbers, scans, encryption, corruption, limits, timeouts."""

from __future__ import annotations

import threading
import time

import pytest

from fixtures_docs import make_pdf, make_raw_pdf, make_scanned_pdf, one_page_pdf_objects
from tonghop.documents import pdf as pdf_reader
from tonghop.documents.errors import ReadError
from tonghop.documents.limits import Limits
from tonghop.documents.pdf import SCANNED_WARNING, read_pdf
from tonghop.documents.read import read_document

LINES = [
    "ỦY BAN NHÂN DÂN HUYỆN IA H'DRAI",
    "BÁO CÁO",
    "Kết quả thực hiện Kế hoạch số 3006/KH-UBND năm 2023",
    "Tổng thời lượng phát sóng hơn 6.000 phút; in hơn 2143m² pa nô.",
]


def test_lines_come_in_order_as_nfc(tmp_path):
    doc = read_document(make_pdf(tmp_path / "bc.pdf", LINES))
    assert [b.text for b in doc.blocks] == LINES
    assert doc.format == "pdf" and doc.warnings == []


def test_running_header_footer_and_page_numbers_are_dropped(tmp_path):
    body = [f"Mục {i}: kết quả thực hiện" for i in range(12)]
    path = make_pdf(tmp_path / "dai.pdf", body, lines_per_page=3, header="Báo cáo số 12/BC-UBND", page_numbers=True)
    doc = read_document(path)
    assert [b.text for b in doc.blocks if b.kind == "p"] == body
    assert [(b.kind, b.text) for b in doc.blocks if b.kind != "p"] == [("header", "Báo cáo số 12/BC-UBND")]


def test_short_pdf_keeps_its_first_line(tmp_path):
    doc = read_document(make_pdf(tmp_path / "ngan.pdf", LINES[:2] + LINES[:2], lines_per_page=2))
    assert [b.text for b in doc.blocks] == LINES[:2] + LINES[:2]


def test_scanned_pdf_is_a_warning_not_an_error(tmp_path):
    doc = read_document(make_scanned_pdf(tmp_path / "scan.pdf", pages=2))
    assert doc.blocks == [] and doc.warnings == [SCANNED_WARNING]


def test_encrypted_pdf(tmp_path):
    with pytest.raises(ReadError) as err:
        read_document(make_pdf(tmp_path / "khoa.pdf", LINES, encrypt="matkhau"))
    assert "mã hóa" in err.value.reason and "khoa.pdf" in str(err.value)


def test_truncated_pdf(tmp_path):
    path = make_pdf(tmp_path / "cut.pdf", LINES)
    path.write_bytes(path.read_bytes()[:400])
    with pytest.raises(ReadError) as err:
        read_document(path)
    assert "cut.pdf" in str(err.value)


def test_too_many_pages(tmp_path):
    path = make_pdf(tmp_path / "nhieu.pdf", LINES * 3, lines_per_page=4)
    with pytest.raises(ReadError) as err:
        read_pdf(path, path.read_bytes(), Limits(max_pdf_pages=2))
    assert "quá nhiều trang" in err.value.reason


def test_a_hanging_page_is_interrupted(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_reader, "page_items", lambda page: time.sleep(10))
    path = make_pdf(tmp_path / "treo.pdf", LINES)
    start = time.monotonic()
    with pytest.raises(ReadError) as err:
        read_document(path, pdf_timeout=0.2)
    assert "quá thời gian" in err.value.reason and time.monotonic() - start < 8


def test_deadline_between_pages_off_the_main_thread(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_reader, "page_items", lambda page: time.sleep(0.15) or ["dòng"])
    path = make_pdf(tmp_path / "cham.pdf", LINES * 10, lines_per_page=2)
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(_try_read(path, 0.3)))
    worker.start()
    worker.join(10)
    assert outcome and isinstance(outcome[0], ReadError) and "quá thời gian" in outcome[0].reason


def _try_read(path, timeout):
    """read_document's result or the exception it raised."""
    try:
        return read_document(path, pdf_timeout=timeout)
    except Exception as exc:
        return exc


def test_a_page_of_endless_drawing_operators_times_out(tmp_path):
    path = make_raw_pdf(tmp_path / "ve.pdf", one_page_pdf_objects(b"0 0 m 1 1 l S\n" * 300_000))
    start = time.monotonic()
    with pytest.raises(ReadError) as err:
        read_document(path, pdf_timeout=0.3)
    assert "quá thời gian" in err.value.reason and time.monotonic() - start < 8  # untimed, it takes 10-30 s


def test_deeply_nested_arrays_do_not_crash(tmp_path):
    path = make_raw_pdf(tmp_path / "mang.pdf", one_page_pdf_objects(b"[" * 100_000 + b"]" * 100_000))
    doc = read_document(path)
    assert doc.blocks == [] and doc.warnings == [SCANNED_WARNING]


def test_pdf_without_pages(tmp_path):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 0 >>"]
    doc = read_document(make_raw_pdf(tmp_path / "rong.pdf", objects))
    assert doc.blocks == [] and "không có trang" in doc.warnings[0]


def test_raised_small_digits_become_superscript_marks(tmp_path):
    path = make_pdf(
        tmp_path / "cc.pdf",
        ["Kế hoạch số 102-KH/TU của Tỉnh ủy[^1], năm 2023", "In hơn 2143m[^2] pa nô[^12]."],
        footnotes=["về tăng cường ngày 24/4/2023", "Hội nghị"],
    )
    assert [b.text for b in read_document(path).blocks] == [
        "Kế hoạch số 102-KH/TU của Tỉnh ủy¹, năm 2023",
        "In hơn 2143m² pa nô¹².",
        "¹ về tăng cường ngày 24/4/2023",
        "² Hội nghị",
    ]


def test_ruled_table_becomes_a_table_in_place(tmp_path):
    rows = [["Chỉ tiêu", "Kết quả"], ["Số lớp bồi dưỡng", "09 lớp"], ["Học viên", "311"]]
    path = make_pdf(tmp_path / "bang.pdf", ["Kết quả như sau:", "Ghi chú: số liệu ước."], tables=[(0, rows)])
    doc = read_document(path)
    assert [b.kind for b in doc.blocks] == ["p", "table", "p"]
    assert doc.tables[0].rows == rows
    assert doc.blocks[1].text == "Chỉ tiêu | Kết quả\nSố lớp bồi dưỡng | 09 lớp\nHọc viên | 311"


def test_a_single_framed_box_stays_text(tmp_path):
    doc = read_document(make_pdf(tmp_path / "khung.pdf", ["Trước", "Sau"], tables=[(0, [["Chỉ một ô"]])]))
    assert doc.tables == [] and [b.text for b in doc.blocks] == ["Trước", "Chỉ một ô", "Sau"]
