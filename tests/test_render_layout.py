"""The DOCX as LibreOffice lays it out: convert to PDF headless and read pages back with pdfplumber."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pdfplumber
import pytest

from test_render_docx import sample_report, wide_table
from tonghop.render.docx_report import render_docx
from tonghop.text.numbers import format_number

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed: "
                       "apt-get install libreoffice-writer-nogui fonts-liberation2"),
    pytest.mark.slow,  # one LibreOffice start-up and conversion, 2-6 s
]


def to_pdf(docx: Path, outdir: Path) -> Path:
    """Convert DOCX to PDF with a private LibreOffice profile so parallel runs don't clash."""
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(docx)], check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (docx.stem + ".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {docx.name}"
    return pdf


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Text, fonts and size of each page of a 40-unit report (and a wide table) laid out by LibreOffice."""
    outdir = tmp_path_factory.mktemp("layout")
    data = sample_report(40)
    data.tables.append(wide_table(5))
    pdf = to_pdf(render_docx(data, outdir / "bao-cao.docx"), outdir)
    with pdfplumber.open(pdf) as doc:
        return [{"text": p.extract_text(), "size": (round(p.width), round(p.height)),
                 "fonts": {c["fontname"] for c in p.chars}, "top_words": p.extract_words()[:3]} for p in doc.pages]


def test_every_page_is_a4_and_the_wide_table_landscape(pages):
    assert len(pages) >= 3
    assert {p["size"] for p in pages} == {(595, 842), (842, 595)}
    wide = [p for p in pages if p["size"] == (842, 595)]
    assert len(wide) == 1 and "Chi tiết theo đơn vị" in wide[0]["text"]
    assert "Phường 5 5.000.000" in wide[0]["text"] and "5.000.009" in wide[0]["text"]  # last row, last column
    assert pages[-1]["size"] == (595, 842)


def test_fonts_are_times_new_roman_or_its_metric_twin(pages):
    fonts = set().union(*(p["fonts"] for p in pages))
    assert fonts and all("LiberationSerif" in f or "TimesNewRoman" in f for f in fonts), fonts


def test_first_page_carries_header_title_and_subject(pages):
    first = pages[0]["text"]
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ VĂN HÓA, THỂ THAO",
                 "Bình Dương, ngày 05 tháng 02 năm 2025", "BÁO CÁO",
                 "Kết quả công tác tuyên truyền 6 tháng đầu năm 2025"):
        assert text in first


def test_table_headers_do_not_wrap_mid_word(pages):
    assert "STT Đơn vị Số buổi" in pages[0]["text"] + pages[1]["text"]


def test_motto_line_does_not_wrap(pages):
    lines = pages[0]["text"].splitlines()
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in lines)
    assert any("Độc lập - Tự do - Hạnh phúc" in line for line in lines)


def test_last_page_has_total_recipients_and_signer(pages):
    total = sample_report(40).tables[0].total_row
    text = "\n".join(p["text"] for p in pages)
    assert f"Tổng cộng {format_number(total[2])} {format_number(total[4])}" in text
    last = pages[-1]["text"]
    for wanted in ("Nơi nhận:", "- Lưu: VT, VHGĐ.", "KT. GIÁM ĐỐC", "Nguyễn Văn An"):
        assert wanted in last


def test_page_number_top_centre_from_page_two(pages):
    assert pages[0]["top_words"][0]["text"] != "1"
    for i, page in enumerate(pages[1:], start=2):
        number, width = page["top_words"][0], page["size"][0]
        assert number["text"] == str(i)
        assert abs((number["x0"] + number["x1"]) / 2 - (85 + (width - 42.5)) / 2) < 15
