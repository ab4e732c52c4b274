"""DOCX rendering in the Decree 30 layout: read the file back with python-docx and check what a clerk would."""

from __future__ import annotations

import datetime as dt
import re
import time
import unicodedata
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tonghop.render import registry
from tonghop.render.docx_report import render_docx
from tonghop.render.model import (
    ReportComparison,
    ReportData,
    ReportSection,
    ReportTable,
    Series,
    Signer,
    clean_text,
    column_decimals,
    date_line,
    format_cell,
    number_line,
)
from tonghop.text.numbers import parse_number


def sample_report(units: int = 5, **changes) -> ReportData:
    """A realistic consolidated report with UNITS rows in its per-unit table (shared by the render tests)."""
    rows = [[i + 1, f"Xã Phước Hòa {i + 1}", 1200 + i * 37, 65.9 + (i % 7) / 10, 1234567 + i] for i in range(units)]
    total = [None, "Tổng cộng", sum(r[2] for r in rows), None, sum(r[4] for r in rows)]
    fields = dict(
        parent_issuer="UBND tỉnh Bình Dương", issuer="Sở Văn hóa, Thể thao và Du lịch",
        subject="Kết quả công tác tuyên truyền 6 tháng đầu năm 2025",
        number=None, number_suffix="BC-SVHTTDL", place="Bình Dương", date=dt.date(2025, 2, 5),
        intro=["Thực hiện Kế hoạch số 3006/KH-UBND ngày 13/11/2019 của Ủy ban nhân dân tỉnh, Sở báo cáo như sau:"],
        completeness="Đã có 3.450/3.500 đơn vị gửi báo cáo (98,6%).",
        sections=[ReportSection("I.", "KẾT QUẢ THỰC HIỆN", ["Toàn tỉnh tổ chức 1.234 buổi tuyên truyền."],
                                [ReportSection("1.", "Công tác kiểm tra", ["Kiểm tra 45 cơ sở."])]),
                  ReportSection("II.", "PHƯƠNG HƯỚNG, NHIỆM VỤ", ["Tiếp tục đẩy mạnh công tác tuyên truyền."])],
        tables=[ReportTable("Bảng tổng hợp theo đơn vị", ["STT", "Đơn vị", "Số buổi", "Tỷ lệ (%)", "Kinh phí (đồng)"],
                            rows, total, ["Số liệu tính đến ngày 14/6/2025."], "Đơn vị tính: buổi, %, đồng")],
        comparisons=[ReportComparison("Số buổi tuyên truyền", "buổi", 1234, 1100, 1300)],
        signer=Signer("KT.", "Giám đốc", "Phó Giám đốc", "Nguyễn Văn An"),
        recipients=["UBND tỉnh (b/c);", "Ban Tuyên giáo Tỉnh ủy", "Lưu: VT, VHGĐ"],
        series=[Series("Số buổi tuyên truyền theo tháng", ["01/2025", "02/2025", "03/2025"],
                       {"Số buổi": [100, 120, 95]}, "buổi")],
    )
    fields.update(changes)
    return ReportData(**fields)


@pytest.fixture
def rendered(tmp_path):
    return Document(str(render_docx(sample_report(), tmp_path / "bc.docx")))


def _texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def _run(paragraph):
    return next(r for r in paragraph.runs if r.text.strip())


def test_page_is_a4_with_decree_30_margins(rendered):
    s = rendered.sections[0]
    got = [round(v.mm, 1) for v in (s.page_width, s.page_height, s.top_margin, s.bottom_margin, s.left_margin,
                                     s.right_margin)]
    assert got == [210.0, 297.0, 20.0, 20.0, 30.0, 15.0]


def test_every_font_is_times_new_roman_for_all_scripts(rendered):
    fonts = list(rendered.styles.element.iter(qn("w:rFonts")))
    assert fonts
    for f in fonts:
        assert {k.split("}")[1]: v for k, v in f.attrib.items()} == dict.fromkeys(
            ("ascii", "hAnsi", "cs", "eastAsia"), "Times New Roman")
    assert not list(rendered.element.body.iter(qn("w:rFonts")))  # nothing overrides the styles


def test_header_table_holds_issuer_and_national_title(rendered):
    table = rendered.tables[0]
    assert rendered.element.body[0] is table._tbl
    (left, right), (number, place_date) = table.rows[0].cells, table.rows[1].cells
    assert _texts(left) == ["UBND TỈNH BÌNH DƯƠNG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"]
    assert _texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert _texts(number) == ["Số:      /BC-SVHTTDL"] and _run(number.paragraphs[0]).font.size == Pt(13)
    assert _texts(place_date) == ["Bình Dương, ngày 05 tháng 02 năm 2025"]
    issuer, motto, place = _run(left.paragraphs[1]), _run(right.paragraphs[1]), _run(place_date.paragraphs[0])
    assert (issuer.bold, issuer.font.size) == (True, Pt(13))
    assert (motto.bold, motto.font.size) == (True, Pt(14))
    assert place.italic and _run(left.paragraphs[0]).bold is None


def test_header_table_is_borderless_fixed_and_widths_set_twice(rendered):
    tbl = rendered.tables[0]._tbl
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    borders = tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    grid = [int(c.get(qn("w:w"))) for c in tbl.tblGrid]
    for tr in tbl.tr_lst:
        assert [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in tr.tc_lst] == grid
    assert sum(grid) == round(16.5 * 567)


def test_motto_and_issuer_have_short_rules_under_them(rendered):
    left, right = rendered.tables[0].rows[0].cells
    for cell, index in ((left, 2), (right, 2)):
        rule = cell.paragraphs[index]
        assert rule.text == "" and rule._p.pPr.find(qn("w:pBdr")) is not None


def test_number_given_or_left_blank():
    assert number_line(sample_report(number=None)) == "Số:      /BC-SVHTTDL"
    assert number_line(sample_report(number="12")) == "Số: 12/BC-SVHTTDL"
    assert number_line(sample_report(number="07/BC-UBND")) == "Số: 07/BC-UBND"


def test_date_leading_zeros_and_blank_date():
    assert date_line(sample_report(date=dt.date(2025, 11, 3))) == "Bình Dương, ngày 03 tháng 11 năm 2025"
    assert date_line(sample_report(date=dt.date(2025, 1, 20))) == "Bình Dương, ngày 20 tháng 01 năm 2025"
    assert re.fullmatch(r"Bình Dương, ngày\s{3,}tháng\s{3,}năm\s+", date_line(sample_report(date=None)))
    draft = sample_report(date=None, month_of_issue=(2020, 11))
    assert re.fullmatch(r"Bình Dương, ngày\s{3,}tháng 11 năm 2020", date_line(draft))
    assert date_line(sample_report(date=None, month_of_issue=(2021, 2))).endswith("tháng 02 năm 2021")


def test_type_name_and_subject_centred_bold(rendered):
    paragraphs = [p for p in rendered.paragraphs if p.text]
    kind, subject = paragraphs[0], paragraphs[1]
    assert kind.text == "BÁO CÁO" and subject.text == "Kết quả công tác tuyên truyền 6 tháng đầu năm 2025"
    for p in (kind, subject):
        assert p.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert _run(p).bold and _run(p).font.size == Pt(14)


def test_body_justified_indented_and_headings_bold(rendered):
    normal = rendered.styles["Normal"]
    fmt = normal.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and normal.font.size == Pt(14)
    assert round(fmt.first_line_indent.cm, 2) == 1.27 and fmt.space_after == Pt(6)
    heading = next(p for p in rendered.paragraphs if p.text.startswith("I. "))
    assert heading.text == "I. KẾT QUẢ THỰC HIỆN" and _run(heading).bold
    assert any(p.text == "1. Công tác kiểm tra" for p in rendered.paragraphs)


def test_roman_sections_printed_in_capitals(tmp_path):
    sections = [ReportSection("III.", "Đề xuất, kiến nghị", [], [ReportSection("1.", "Đối với Ủy ban nhân dân tỉnh")])]
    doc = Document(str(render_docx(sample_report(sections=sections), tmp_path / "s.docx")))
    texts = [p.text for p in doc.paragraphs]
    assert "III. ĐỀ XUẤT, KIẾN NGHỊ" in texts and "1. Đối với Ủy ban nhân dân tỉnh" in texts


def test_data_table_numbers_vietnamese_right_aligned_with_bold_total(rendered):
    table = rendered.tables[2]  # header, comparisons, units
    header, first, total = table.rows[0], table.rows[1], table.rows[-1]
    assert [c.text for c in header.cells][:3] == ["STT", "Đơn vị", "Số buổi"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None and _run(header.cells[0].paragraphs[0]).bold
    assert [c.text for c in first.cells] == ["1", "Xã Phước Hòa 1", "1.200", "65,9", "1.234.567"]
    assert first.cells[4].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert [c.text for c in total.cells] == ["", "Tổng cộng", "6.370", "", "6.172.845"]
    assert all(_run(c.paragraphs[0]).bold for c in total.cells if c.text)


def test_column_shares_one_precision():
    assert column_decimals([66.0, 65.9, 66.25, None, "x"]) == 2
    assert column_decimals([1, 2.0, None]) is None
    assert [format_cell(v, 1) for v in (66, 65.9)] == ["66,0", "65,9"]
    assert [format_cell(v) for v in (Decimal("1204.75"), Decimal("1205.00"), None)] == ["1.204,75", "1.205", ""]


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_format_cell_round_trips_through_the_vietnamese_parser(n):
    assert parse_number(format_cell(n)) == n


def test_comparison_ratios_in_percent(rendered):
    row = [c.text for c in rendered.tables[1].rows[1].cells]
    assert row == ["Số buổi tuyên truyền", "buổi", "1.234", "1.100", "112,2", "1.300", "94,9"]


def test_signature_block_and_recipients(rendered):
    table = rendered.tables[-1]
    body = rendered.element.body
    assert body[-3] is table._tbl and not body[-2].xpath("string(.)")  # then an empty paragraph and sectPr
    left, right = table.rows[0].cells
    heading = left.paragraphs[0]
    assert heading.text == "Nơi nhận:" and _run(heading).bold and _run(heading).italic
    assert _run(heading).font.size == Pt(12)
    assert _texts(left)[1:] == ["- UBND tỉnh (b/c);", "- Ban Tuyên giáo Tỉnh ủy;", "- Lưu: VT, VHGĐ."]
    assert {_run(p).font.size for p in left.paragraphs[1:]} == {Pt(11)}
    assert _texts(right) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]
    assert all(_run(p).bold for p in right.paragraphs if p.text)


def test_recipients_always_end_with_the_archive_copy(tmp_path):
    doc = Document(str(render_docx(sample_report(recipients=["- Như trên"]), tmp_path / "r.docx")))
    assert _texts(doc.tables[-1].rows[0].cells[0])[1:] == ["- Như trên;", "- Lưu: VT."]


def test_page_numbers_top_centre_from_page_two(rendered):
    section = rendered.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in "".join(t.text for t in section.header._element.iter(qn("w:instrText")))
    assert section.header.paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not section.first_page_header.is_linked_to_previous
    assert not list(section.first_page_header._element.iter(qn("w:instrText")))


def test_row_of_wrong_width_is_refused_with_the_table_named(tmp_path):
    bad = ReportTable("Bảng lỗi", ["Đơn vị", "Số"], [["Xã A", 1], ["Xã B"]])
    with pytest.raises(ValueError, match=r"Bảng lỗi.*dòng 2"):
        render_docx(sample_report(tables=[bad]), tmp_path / "x.docx")


def test_3500_units_render_in_under_five_seconds(tmp_path):
    start = time.perf_counter()
    path = render_docx(sample_report(3500), tmp_path / "big.docx")
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"{elapsed:.2f} s"
    table = Document(str(path)).tables[2]
    assert len(table.rows) == 3502 and table.rows[-1].cells[1].text == "Tổng cộng"


def test_registry_lists_formats_and_renders_docx(tmp_path):
    assert registry.formats() == ["docx", "png", "svg", "xlsx"]
    path = registry.render("DOCX", sample_report(), tmp_path / "r.docx")
    assert Document(str(path)).tables[0].rows[0].cells[1].paragraphs[0].text.startswith("CỘNG HÒA")
    with pytest.raises(ValueError, match="pdf"):
        registry.render("pdf", sample_report(), tmp_path / "r.pdf")


def test_minimal_report_renders_without_optional_parts(tmp_path):
    data = ReportData(issuer="Ủy ban nhân dân xã Định Hòa", subject="Tình hình tháng 3", number_suffix="BC-UBND")
    doc = Document(str(render_docx(data, tmp_path / "m.docx")))
    assert len(doc.tables) == 2  # header and signature only
    assert _texts(doc.tables[0].rows[0].cells[0]) == ["ỦY BAN NHÂN DÂN XÃ ĐỊNH HÒA"]
    assert _texts(doc.tables[0].rows[1].cells[1])[0].startswith("............, ngày")
    assert _texts(doc.tables[-1].rows[0].cells[1]) == []


def test_empty_table_keeps_its_header(tmp_path):
    empty = ReportTable("Chưa có số liệu", ["STT", "Đơn vị", "Số buổi"], [], [None, None, 0])
    doc = Document(str(render_docx(sample_report(tables=[empty]), tmp_path / "e.docx")))
    assert [[c.text for c in r.cells] for r in doc.tables[2].rows] == [["STT", "Đơn vị", "Số buổi"],
                                                                       ["Tổng cộng", "", "0"]]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=40))
def test_any_text_comes_back_nfc_without_control_characters(tmp_path, text):
    decomposed = unicodedata.normalize("NFD", text)
    table = ReportTable("Bảng", ["Nội dung"], [[decomposed]])
    doc = Document(str(render_docx(sample_report(subject=decomposed, tables=[table]), tmp_path / "t.docx")))
    expected = clean_text(text)
    assert doc.tables[2].rows[1].cells[0].text == expected
    assert any(p.text == expected for p in doc.paragraphs) or not expected.strip()


def wide_table(units: int = 3) -> ReportTable:
    """A per-unit table with ten indicator columns (too wide for a portrait page)."""
    columns = ["STT", "Đơn vị"] + [f"Chỉ tiêu {i}" for i in range(1, 11)]
    rows = [[u + 1, f"Phường {u + 1}"] + [1_000_000 * (u + 1) + i for i in range(10)] for u in range(units)]
    return ReportTable("Chi tiết theo đơn vị", columns, rows)


def test_wide_table_goes_on_a_landscape_page_and_numbering_continues(tmp_path):
    doc = Document(str(render_docx(sample_report(tables=[wide_table()]), tmp_path / "w.docx")))
    orientation = [(round(s.page_width.mm), s.different_first_page_header_footer) for s in doc.sections]
    assert orientation == [(210, True), (297, False), (210, False)]
    assert all(s.header.is_linked_to_previous for s in doc.sections[1:])
    widths = [int(c.get(qn("w:w"))) for c in doc.tables[2]._tbl.tblGrid]
    assert sum(widths) == round(25.2 * 567)
