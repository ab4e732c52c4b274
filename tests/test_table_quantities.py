"""Figures in tables whose unit sits in a ĐVT column, a column heading or a caption."""

from __future__ import annotations

import time

import docx
from hypothesis import given, settings
from hypothesis import strategies as st

from tonghop.documents.model import Block, Document, Table
from tonghop.documents.read import read_document
from tonghop.extract import extract, extract_text, quantity_text
from tonghop.extract.quantities import extract_quantities
from tonghop.extract.table_quantities import extract_table_quantities, parse_unit

PLAN_TABLE = (
    "Kết quả thực hiện các chỉ tiêu chủ yếu năm 2023:\n"
    "| STT | Chỉ tiêu | ĐVT | Kế hoạch năm 2023 | Thực hiện năm 2023 | So sánh (%) |\n"
    "|---|---|---|---|---|---|\n"
    "| 1 | Diện tích nuôi tôm | ha | 4.850 | 4.812 | 99,2 |\n"
    "| 2 | Tổng vốn đầu tư | triệu đồng | 2.150 | 2.300,5 | 107 |\n"
    "| II | Văn hóa - xã hội | | | | |\n"
    "| 3 | Số học sinh | Học sinh | 12.500 | 12.640 | 101,1 |\n"
    "| 4 | Tỷ lệ hộ nghèo | % | 2,5 | 2,35 | |\n"
)

TAB_TABLE = (
    "Đơn vị tính: triệu đồng\n"
    "STT\tĐơn vị\tThu ngân sách\tChi ngân sách\n"
    "1\tXã An Bình\t1.250\t980\n"
    "2\tXã Tân Phú\t2.100,5\t1.750\n"
)

SCHOOL_TABLE = (
    "Trường | Số học sinh | Số lớp | Năm thành lập | Kinh phí (triệu đồng)\n"
    "Tiểu học An Bình | 1.240 | 36 | 1998 | 450\n"
    "THCS Tân Phú | 980 | 30 | 2005 | 1.200\n"
)


def _q(text: str, already: list | None = None) -> list[tuple]:
    return [(q.text, q.value, q.unit) for q in extract_table_quantities(text, already or [])]


def test_dvt_column_gives_each_row_its_unit() -> None:
    found = _q(PLAN_TABLE)
    assert ("4.850", 4850, "ha") in found and ("4.812", 4812, "ha") in found
    assert ("12.640", 12640, "học sinh") in found
    assert ("2,35", 2.35, "%") in found


def test_scale_in_dvt_folds_into_the_value() -> None:
    assert ("2.150", 2_150_000_000, "đồng") in _q(PLAN_TABLE)
    assert ("2.300,5", 2_300_500_000, "đồng") in _q(PLAN_TABLE)


def test_percent_heading_wins_over_row_unit() -> None:
    found = _q(PLAN_TABLE)
    assert ("99,2", 99.2, "%") in found and ("107", 107, "%") in found
    assert not any(t == "99,2" and u != "%" for t, _, u in found)


def test_stt_years_in_headings_and_group_rows_are_not_quantities() -> None:
    texts = [t for t, _, _ in _q(PLAN_TABLE)]
    assert "1" not in texts and "2" not in texts and "2023" not in texts
    assert len(texts) == 11


def test_spans_and_labels() -> None:
    for q in extract_table_quantities(PLAN_TABLE, []):
        assert PLAN_TABLE[q.start : q.end] == q.text
    whats = {q.text: q.what for q in extract_table_quantities(PLAN_TABLE, [])}
    assert whats["4.850"] == "Diện tích nuôi tôm" and whats["2,35"] == "Tỷ lệ hộ nghèo"


def test_tab_separated_table_with_caption_unit() -> None:
    assert _q(TAB_TABLE) == [
        ("1.250", 1_250_000_000, "đồng"), ("980", 980_000_000, "đồng"),
        ("2.100,5", 2_100_500_000, "đồng"), ("1.750", 1_750_000_000, "đồng"),
    ]


def test_count_and_unit_headings_without_dvt_column() -> None:
    found = _q(SCHOOL_TABLE)
    assert ("1.240", 1240, "học sinh") in found and ("30", 30, "lớp") in found
    assert ("1.200", 1_200_000_000, "đồng") in found
    assert not any(t in ("1998", "2005") for t, _, _ in found)


def test_cells_without_a_unit_are_skipped() -> None:
    text = "| STT | Xã | Kế hoạch | Thực hiện |\n| 1 | An Bình | 120 | 118 |\n| 2 | Tân Phú | 95 | 97 |\n"
    assert _q(text) == []


def test_headerless_row_with_a_known_unit_cell() -> None:
    text = "1 | Diện tích lúa | ha | 3.250 | 3.300\n2 | Sản lượng | tấn | 45.600 | 46.100\n"
    assert _q(text) == [("3.250", 3250, "ha"), ("3.300", 3300, "ha"), ("45.600", 45600, "tấn"),
                        ("46.100", 46100, "tấn")]


def test_column_numbering_row_is_not_read() -> None:
    text = (
        "STT | Chỉ tiêu | ĐVT | Kế hoạch | Thực hiện\n"
        "(1) | (2) | (3) | (4) | (5)\n"
        "A | B | 1 | 2 | 3\n"
        "1 | Số hộ được hỗ trợ | hộ | 320 | 335\n"
    )
    assert _q(text) == [("320", 320, "hộ"), ("335", 335, "hộ")]


def test_unreadable_cells_and_taken_spans_are_skipped() -> None:
    text = "| TT | Chỉ tiêu | ĐVT | Số liệu |\n| 1 | Diện tích | ha | 1.5 |\n| 2 | Rừng trồng | ha | 812 |\n"
    assert _q(text) == [("812", 812, "ha")]
    start = text.index("812")
    taken = extract_quantities(" " * start + "812 ha")
    assert [(q.start, q.end) for q in taken] == [(start, start + 6)]
    assert _q(text, taken) == []


def test_merged_header_rows_keep_the_dvt_column() -> None:
    text = (
        "STT | Chỉ tiêu | ĐVT | Năm 2023 | Năm 2024\n"
        " | | | KH | TH | KH | TH\n"
        "1 | Diện tích | ha | 100 | 98 | 110 | 105\n"
    )
    assert [v for _, v, u in _q(text) if u == "ha"] == [100, 98, 110, 105]


def test_year_headings_stay_headings_and_comparisons_are_percent() -> None:
    text = "STT | Chỉ tiêu | ĐVT | 2022 | 2023 | So sánh\n1 | Diện tích lúa | ha | 1.000 | 1.100 | 110\n"
    assert _q(text) == [("1.000", 1000, "ha"), ("1.100", 1100, "ha"), ("110", 110, "%")]


def test_unit_in_parentheses_wins_over_a_rate_word() -> None:
    text = "Xã | Tỷ lệ hộ nghèo (hộ) | Tỷ lệ\nAn Bình | 35 | 2,1\nTân Phú | 28 | 1,8\n"
    assert _q(text) == [("35", 35, "hộ"), ("2,1", 2.1, "%"), ("28", 28, "hộ"), ("1,8", 1.8, "%")]


def test_misplaced_dvt_cell_needs_a_known_unit() -> None:
    header = "Chỉ tiêu | ĐVT | Năm 2023 | Năm 2024\n | | KH | TH | KH | TH\n"
    rows = "Trồng rừng | Diện tích | 120 | 118 | 130 | 131\nSản lượng gỗ | tấn | 45 | 47 | 50 | 52\n"
    assert _q(header + rows) == [("45", 45, "tấn"), ("47", 47, "tấn"), ("50", 50, "tấn"), ("52", 52, "tấn")]


def test_parse_unit_forms() -> None:
    assert parse_unit("Tr.đ") == ("đồng", 10**6) and parse_unit("Trđ") == ("đồng", 10**6)
    assert parse_unit("tỷ đồng") == ("đồng", 10**9) and parse_unit("1000đ") == ("đồng", 10**3)
    assert parse_unit("tạ/ha") == ("tạ", 1) and parse_unit("m2") == ("m²", 1)
    assert parse_unit("Lượt người") == ("lượt người", 1)
    assert parse_unit("") is None and parse_unit("4.850") is None


def test_extract_merges_table_and_prose_without_duplicates() -> None:
    text = "Tổng diện tích 3.250 ha.\n" + PLAN_TABLE + "| 5 | Rừng trồng mới | ha | 120 ha | 130 |\n"
    facts = extract_text(text)
    spans = [(q.start, q.end) for q in facts.quantities]
    assert len(spans) == len(set(spans))
    assert [q.text for q in facts.quantities if q.text.startswith("120")] == ["120 ha"]
    body = quantity_text(Document.from_text(text))
    assert all(body[q.start : q.end] == q.text for q in facts.quantities)
    assert ("130", 130, "ha") in [(q.text, q.value, q.unit) for q in facts.quantities]


def test_document_table_blocks() -> None:
    rows = [["STT", "Chỉ tiêu", "ĐVT", "Thực hiện"], ["1", "Số người tham gia", "Người", "1.204"],
            ["2", "Kinh phí", "Tỷ đồng", "12,5"]]
    doc = Document(blocks=[Block("Báo cáo kết quả."), Block("\n".join(" | ".join(r) for r in rows), kind="table",
                                                             table_index=0)], tables=[Table(rows)])
    qs = [(q.text, q.value, q.unit) for q in extract(doc).quantities]
    assert ("1.204", 1204, "người") in qs and ("12,5", 12_500_000_000, "đồng") in qs
    assert not any(t in ("1", "2") for t, _, _ in qs)


def test_text_without_tables_bails_out_fast() -> None:
    prose = ("Tổng vốn đầu tư đạt 1.204,75 tỷ đồng, tăng 12,5% so với cùng kỳ; diện tích 3.250 ha. " * 60)[:5000]
    assert extract_table_quantities(prose, []) == []
    t0 = time.perf_counter()
    for _ in range(200):
        extract_table_quantities(prose, [])
    assert time.perf_counter() - t0 < 0.05


_LABELS = st.text(st.characters(blacklist_characters="|\t\n\r", blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_LABELS, st.integers(0, 10**7)), min_size=1, max_size=6))
def test_random_rows_give_only_the_value_column(rows: list[tuple[str, int]]) -> None:
    lines = ["STT | Chỉ tiêu | ĐVT | Giá trị"]
    lines += [f"{i} | {label} | ha | {n:,}".replace(",", ".") for i, (label, n) in enumerate(rows, 1)]
    text = "\n".join(lines)
    for q in extract_table_quantities(text, []):
        line_start = text.rfind("\n", 0, q.start) + 1
        assert text[q.start : q.end] == q.text and text.count("|", line_start, q.start) == 3
        assert (q.unit, q.value) == ("ha", int(q.text.replace(".", "")))


def test_real_docx_table(tmp_path) -> None:
    word = docx.Document()
    word.add_paragraph("Kết quả thực hiện năm 2023.")
    rows = [["STT", "Chỉ tiêu", "ĐVT", "Thực hiện", "So sánh (%)"], ["1", "Diện tích nuôi tôm", "ha", "4.812", "99,2"],
            ["2", "Thu ngân sách", "Tỷ đồng", "18,5", "104"]]
    table = word.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    word.save(tmp_path / "bc.docx")
    doc = read_document(tmp_path / "bc.docx")
    body = quantity_text(doc)
    qs = extract(doc).quantities
    assert all(body[q.start : q.end] == q.text for q in qs)
    found = [(q.text, q.value, q.unit) for q in qs]
    assert ("4.812", 4812, "ha") in found and ("18,5", 18_500_000_000, "đồng") in found and ("104", 104, "%") in found
    assert not any(t in ("1", "2", "2023") for t, _, _ in found)
