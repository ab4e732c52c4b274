"""Quantity extraction from Vietnamese report prose."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tonghop.extract.quantities import extract_quantities

SOCIO_ECONOMIC = (
    "1. Kinh tế\n"
    "- Tổng vốn đầu tư đạt 1.204,75 tỷ đồng, tăng 12,5% so với cùng kỳ; thu ngân sách 4,6 nghìn tỷ đồng.\n"
    "- Diện tích gieo trồng 3.250 ha, sản lượng lúa ước đạt 45.600 tấn, năng suất 58,5 tạ/ha.\n"
    "- Tỷ lệ hộ nghèo còn 2,35%; thu nhập bình quân 55 triệu đồng/người/năm.\n"
    "- Có 12/10 chỉ tiêu đạt và vượt kế hoạch; giải ngân đạt 75,3%KH.\n"
)

IDEOLOGY_REPORT = (
    "Thực hiện Kế hoạch số 245/KH-UBND ngày 07/3/2023 của UBND huyện, trong 9 tháng đầu năm 2023 "
    "đã tổ chức 05 lớp bồi dưỡng cho hơn 420 học viên; đăng 36 tin bài trên Cổng thông tin điện tử huyện¹. "
    "In gần 1.500m² pa nô, khẩu hiệu; phát sóng khoảng 3.200 phút.\n"
    "¹ Hội nghị ngày 12/4/2023 gồm 06 điểm cầu cho 310 đồng chí tham dự."
)

NEWS = (
    "Ngày đăng 14/09/2023 | 08:15 | Lượt xem: 342\n"
    "Sáng nay (14/9/2023), Ban Chỉ đạo 35 Huyện tổ chức Hội nghị sơ kết 6 tháng, triển khai nhiệm vụ quý IV/2023. "
    "Tham dự có đồng chí Trần Văn B, Trưởng BCĐ 35 Huyện, nhân kỷ niệm 78 năm Cách mạng Tháng Tám (19/8/1945 - "
    "19/8/2023) và Quốc khánh 2/9. Hội nghị quán triệt Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị "
    "khóa XII, Chỉ thị 05 của Ban Bí thư, Công văn số 1194 /STTTT-BCVT và Điều 5, khoản 2 Quy định 102."
)


def _q(text: str) -> list[tuple]:
    return [(q.text, q.value, q.unit, q.qualifier) for q in extract_quantities(text)]


def test_socio_economic_figures_in_base_units():
    assert _q(SOCIO_ECONOMIC) == [
        ("1.204,75 tỷ đồng", 1_204_750_000_000, "đồng", None),
        ("12,5%", 12.5, "%", None),
        ("4,6 nghìn tỷ đồng", 4_600_000_000_000, "đồng", None),
        ("3.250 ha", 3250, "ha", None),
        ("ước đạt 45.600 tấn", 45600, "tấn", "ước"),
        ("58,5 tạ/ha", 58.5, "tạ", None),
        ("2,35%", 2.35, "%", None),
        ("55 triệu đồng/người/năm", 55_000_000, "đồng", None),
        ("12/10 chỉ tiêu", 12, "chỉ tiêu", None),
        ("75,3%KH", 75.3, "%", None),
    ]


def test_report_counts_with_qualifiers_and_footnotes():
    assert _q(IDEOLOGY_REPORT) == [
        ("05 lớp", 5, "lớp", None),
        ("hơn 420 học viên", 420, "học viên", "hơn"),
        ("36 tin bài", 36, "tin bài", None),
        ("gần 1.500m²", 1500, "m²", "gần"),
        ("khoảng 3.200 phút", 3200, "phút", "khoảng"),
        ("06 điểm cầu", 6, "điểm cầu", None),
        ("310 đồng chí", 310, "đồng chí", None),
    ]


def test_news_dates_identifiers_and_anniversaries_are_not_quantities():
    assert _q(NEWS) == []


@pytest.mark.parametrize(
    "text",
    [
        "ngày 24/4/2023",
        "tháng 11 năm 2023",
        "ngày 28-02-2023",
        "(03/2/1930 -03/2/2023)",
        "11/4 Ngày truyền thống",
        "năm 2023",
        "trong 9 tháng, 6 tháng đầu năm",
        "lần thứ 3",
        "kỷ niệm 90 năm ngày thành lập",
        "93 năm Ngày thành lập Đảng",
        "08 năm thành lập huyện",
        "Kỷ niệm 110 thành lập tỉnh",
        "Số: 15/QĐ-BNV",
        "Kế hoạch 3006/KH-UBND",
        "chương trình VOV1",
        "(1). Tinh gọn bộ máy",
        "lúc 13:30",
        "Điều 5 khoản 2",
        "vào lúc 14 giờ 30 phút",
        "giai đoạn 2021 - 2025 và năm 2030",
        "lao động1/5",
    ],
)
def test_labels_are_not_quantities(text):
    assert _q(text) == []


def test_list_sharing_a_unit_gives_each_value():
    assert _q("tỷ lệ lần lượt đạt 91,2; 87,05% và 80,4%") == [
        ("91,2", 91.2, "%", None),
        ("87,05%", 87.05, "%", None),
        ("80,4%", 80.4, "%", None),
    ]


def test_range_gives_both_ends_with_the_unit_and_scale():
    assert _q("mở rộng từ 5 đến 8 ha") == [("5", 5, "ha", None), ("8 ha", 8, "ha", None)]
    assert _q("kinh phí 3 - 5 tỷ đồng") == [("3", 3_000_000_000, "đồng", None), ("5 tỷ đồng", 5_000_000_000, "đồng", None)]


def test_calendar_word_only_labels_numbers_that_fit_the_calendar():
    assert _q("mỗi tháng 30 tấn rác") == [("30 tấn", 30, "tấn", None)]
    assert _q("tháng 11 có 14 xã") == [("14 xã", 14, "xã", None)]


def test_counted_noun_of_one_two_or_three_words():
    got = _q("có 235 đồng chí, 14 xã, 3 hợp tác xã và 68 chương trình phát thanh")
    assert [(t, u) for t, _, u, _ in got] == [
        ("235 đồng chí", "đồng chí"),
        ("14 xã", "xã"),
        ("3 hợp tác xã", "hợp tác xã"),
        ("68 chương trình", "chương trình"),
    ]


def test_unknown_noun_is_still_counted_but_function_words_are_not():
    assert _q("Tuyên dương 331 điển hình tiêu biểu") == [("331 điển hình", 331, "điển hình", None)]
    assert _q("trong 5 của các xã, 12 và") == []


def test_qualifier_forms_are_canonical():
    got = _q("Ước đạt 98% kế hoạch, gần như 100% hộ dân, dưới 5% hộ nghèo, trên 1.000 người")
    assert [q for *_, q in got] == ["ước", "gần như", "dưới", "trên"]


def test_what_names_the_counted_thing():
    by_text = {q.text: q.what for q in extract_quantities(SOCIO_ECONOMIC + IDEOLOGY_REPORT)}
    assert by_text["05 lớp"] == "lớp bồi dưỡng"
    assert by_text["1.204,75 tỷ đồng"] == "Tổng vốn đầu tư"
    assert by_text["gần 1.500m²"] == "pa nô"
    assert by_text["3.250 ha"] == "Diện tích gieo trồng"


def test_scale_without_unit_has_no_unit():
    assert _q("thu khoảng 4,6 nghìn tỷ.") == [("khoảng 4,6 nghìn tỷ", 4_600_000_000_000, None, "khoảng")]


def test_ambiguous_number_is_skipped_not_misread():
    assert _q("đạt 1.5 tấn và 2,5 tấn") == [("2,5 tấn", 2.5, "tấn", None)]


def test_four_digit_year_before_noun_is_not_a_count():
    assert _q("nông thôn mới 2023 trên địa bàn, Quý Mão 2023 các xã") == []


_PIECES = st.sampled_from(
    ["12", "1.204,75", "6.000", "65,9", "%", "%KH", "m²", " ", ", ", "; ", " và ", "/", "-", ":", "tỷ", "nghìn",
     "đồng", "đồng chí", "xã", "hơn ", "ngày ", "năm ", "2023", "tin bài", "\n", "¹", "KH-UBND", "giờ", "A", "ha"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join) | st.text(max_size=80))
def test_random_text_gives_valid_spans_and_finite_values(text):
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.text
        assert isinstance(q.value, int) or math.isfinite(q.value)
        assert q.unit is None or q.unit.strip() == q.unit != ""


def test_spans_index_the_given_text():
    for q in extract_quantities(IDEOLOGY_REPORT):
        assert IDEOLOGY_REPORT[q.start : q.end] == q.text


def test_amount_written_in_two_scales_is_one_value():
    assert _q("kinh phí 2 tỷ 500 triệu đồng.") == [("2 tỷ 500 triệu đồng", 2_500_000_000, "đồng", None)]


def test_weak_label_yields_to_a_measure_but_not_to_a_noun():
    assert _q("vượt kế hoạch 12%") == [("12%", 12, "%", None)]
    assert _q("Kế hoạch 3006 năm 2019 và Chương trình 135 xã") == []


def test_acronym_label_and_glued_names_are_not_counts():
    assert _q("BCĐ 35 huyện; COVID-19, 120 ca mắc; BHYT 1.250 người") == [
        ("120 ca", 120, "ca", None),
        ("1.250 người", 1250, "người", None),
    ]


def test_thousands_grouped_by_space_is_refused_rather_than_cut():
    assert _q("có 1 204 hộ") == []


def test_capitalised_counted_noun_only_when_it_is_a_known_compound():
    assert _q("tổ chức 01 Hội nghị quán triệt cho 35 Huyện") == [("01 Hội nghị", 1, "hội nghị", None)]


def test_fraction_of_a_total_reads_the_numerator():
    assert _q("1.532/1.560 đảng viên tham gia; 30/4 Hội nghị; 9/9 thôn") == [
        ("1.532/1.560 đảng viên", 1532, "đảng viên", None),
        ("9/9 thôn", 9, "thôn", None),
    ]


def test_comrade_abbreviation_is_a_count_not_money():
    assert _q("cho 235 đ/c dự hội nghị") == [("235 đ/c", 235, "đồng chí", None)]


def test_range_shares_the_scale_of_its_upper_end():
    assert _q("từ 5 đến 8 tỷ đồng") == [("5", 5_000_000_000, "đồng", None), ("8 tỷ đồng", 8_000_000_000, "đồng", None)]


def test_number_dense_table_stays_fast():
    table = "| Xã A | 95% | 96,5% | 1.204 hộ | 12 |\n" * 5000
    started = time.perf_counter()
    found = extract_quantities(table)
    assert len(found) == 15000
    assert time.perf_counter() - started < 3.0


def test_among_is_not_a_document_number():
    assert _q("Trong số 11 nhóm hàng có 06 nhóm tăng giá") == [("11 nhóm", 11, "nhóm", None), ("06 nhóm", 6, "nhóm", None)]


def test_page_view_counter_is_site_chrome():
    assert _q("Thứ hai, 11 Tháng 12 2023 16:03\n4664 Lượt xem\nLượt xem: 115; 20 lượt xem") == []


def test_pdf_line_break_between_number_and_known_unit():
    text = "Hội nghị có 13\nđiểm cầu với hơn\n2.000 đại biểu; trên 12\nvườn mẫu"
    assert _q(text) == [("13\nđiểm cầu", 13, "điểm cầu", None), ("hơn\n2.000 đại biểu", 2000, "đại biểu", "hơn")]


def test_list_members_share_one_subject():
    found = extract_quantities("Tỷ lệ tham gia học tập lần lượt đạt 91,2; 87,05% và 80,4%.")
    assert [q.what for q in found] == ["Tỷ lệ tham gia học tập"] * 3


def test_number_glued_to_a_lowercase_word_is_read_when_a_unit_follows():
    text = "Tỷ lệ hộ dùng nước sạch đạt82,6% và diện tích trồng rừng đạt1.250 ha; tổng vốn là2.129 tỷ đồng."
    got = [(q.text, q.value, q.unit) for q in extract_quantities(text)]
    assert got == [("82,6%", 82.6, "%"), ("1.250 ha", 1250, "ha"), ("2.129 tỷ đồng", 2129 * 10**9, "đồng")]
    assert text[text.index("82,6") :].startswith(extract_quantities(text)[0].text)


@pytest.mark.parametrize("text", ["Kênh VOV1 phát sóng", "dịch COVID-19 lan rộng", "cúm H5N1 tại xã", "nhóm Zalo2 có",
                                  "nhóm zalo2 có", "có12 xã", "mã abc-đạt12%"])
def test_codes_and_glued_counts_are_not_quantities(text):
    assert extract_quantities(text) == []
