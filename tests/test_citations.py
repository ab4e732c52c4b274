"""Cited documents: type, number without spaces, date, issuer after "của"; deduplicated; own number left out."""

from __future__ import annotations

from tonghop.extract.citations import find_citations


def cites(text: str, own: str | None = None):
    return [(c.doc_type, c.number, c.date, c.issuer) for c in find_citations(text, own)]


def test_full_citation_with_date_and_issuer():
    text = "Thực hiện Kế hoạch số 3006/KH-UBND ngày 13/11/2019 của UBND tỉnh về triển khai Kế hoạch số 102-KH/TU ngày 10 tháng 7 năm 2019 của Ban Thường vụ Tỉnh ủy¹, năm 2023"
    assert cites(text) == [
        ("KH", "3006/KH-UBND", "2019-11-13", "UBND tỉnh"),
        ("KH", "102-KH/TU", "2019-07-10", "Ban Thường vụ Tỉnh ủy"),
    ]


def test_spaces_in_codes_and_capitalised_type_word():
    text = "Công văn số 2153 /STTTT-TTBCXB ngày 03/11/2023; Công Văn số 728/UBND-TH, ngày 19/5/2023 của UBND huyện"
    assert [c[:3] for c in cites(text)] == [("CV", "2153/STTTT-TTBCXB", "2023-11-03"), ("CV", "728/UBND-TH", "2023-05-19")]


def test_party_and_legal_numbers_without_so():
    text = "Nghị quyết số 35-NQ/TW, Kết luận số 01-KL/TW, Quyết định 15/2021/QĐ-UBND, Thông tư số 08/2020/TT-BNV, Nghị định 30/2020/NĐ-CP"
    assert [(t, n) for t, n, _, _ in cites(text)] == [
        ("NQ", "35-NQ/TW"), ("KL", "01-KL/TW"), ("QĐ", "15/2021/QĐ-UBND"), ("TT", "08/2020/TT-BNV"), ("NĐ", "30/2020/NĐ-CP"),
    ]  # fmt: skip


def test_dashed_dates():
    assert [c[2] for c in cites("Kế hoạch số 88-KH/HU, ngày 28-02-2023 và Kế hoạch số 91-KH/HU, ngày 06-3-2023")] == [
        "2023-02-28", "2023-03-06",
    ]  # fmt: skip


def test_deduplicated_and_own_number_excluded():
    text = "Số: 12/BC-UBND\nKế hoạch số 36-KH/HU ngày 07/4/2023; theo Kế hoạch số 36-KH/HU, Báo cáo số 12/BC-UBND"
    assert [c[1] for c in cites(text, own="12/BC-UBND")] == ["36-KH/HU"]


def test_dates_periods_and_identifiers_are_not_citations():
    text = "Kỷ niệm 110 năm (09/02/1913-09/02/2023), Quý II/2023, 12/10 chỉ tiêu, BCĐ 35, lao động1/5"
    assert cites(text) == []


def test_text_is_the_matched_phrase():
    c = find_citations("theo Hướng dẫn số 21-HD/BTGTU ngày 02/3/2022 của Ban Tuyên giáo Tỉnh ủy về việc")[0]
    assert c.text == "Hướng dẫn số 21-HD/BTGTU ngày 02/3/2022 của Ban Tuyên giáo Tỉnh ủy"


def test_code_decides_the_type_and_en_dash_is_a_hyphen():
    assert cites("Thông báo Kết luận số 123-TB/TU ngày 2/3/2021; Nghị quyết 35–NQ/TW") == [
        ("TB", "123-TB/TU", "2021-03-02", None), ("NQ", "35-NQ/TW", None, None),
    ]  # fmt: skip


def test_form_labels_are_not_citations_and_issuer_stops_at_a_verb():
    text = "theo Mẫu số 02/BC-UBND; Mẫu số 01/BC; Quyết định số 1719/QĐ-TTg ngày 14/10/2021 của Thủ tướng Chính phủ phê duyệt"
    assert cites(text) == [("QĐ", "1719/QĐ-TTg", "2021-10-14", "Thủ tướng Chính phủ")]


def test_own_number_written_as_a_file_name_is_not_cited():
    text = "Thực hiện Kế hoạch số 12-KH/TU ngày 3/1/2024.\nTệp đính kèm: 48-KL-HU.pdf"
    assert cites(text, own="48-KL/HU") == [("KH", "12-KH/TU", "2024-01-03", None)]
    assert cites("Quyết định số 48/QĐ-UBND và Quyết định số 49/QĐ-UBND", own="48 / QĐ - UBND") == [
        ("QĐ", "49/QĐ-UBND", None, None)]


def test_attachment_file_names_are_not_citations():
    assert cites("Tải về: Kế hoạch số 12-KH-HU.doc; 15-UBND-VX.docx; bieu-mau 03-BC-UBND.PDF") == []
