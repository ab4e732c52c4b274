"""The header reader on the shapes copy-paste produces (DESIGN.md, "What real input looks like")."""

from __future__ import annotations

from tonghop.extract.header import extract_header


def head(text: str):
    return extract_header(text.splitlines())


def test_columns_one_after_another():
    h = head(
        "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/BC-UBND\nChâu Thành, ngày 03 tháng 11 năm 2023\nBÁO CÁO\nKết quả công tác tháng 11\nI. KẾT QUẢ"
    )
    assert (h.doc_type, h.type_name, h.number) == ("BC", "BÁO CÁO", "12/BC-UBND")
    assert (h.issuer, h.parent_issuer) == ("ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH", None)
    assert (h.place, h.date, h.subject) == ("Châu Thành", "2023-11-03", "Kết quả công tác tháng 11")


def test_flattened_header_with_mixed_column_words():
    h = head(
        "UBND TỈNH KON TUM\n"
        "SỞ NÔNG NGHIỆP VÀ PHÁT CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM TRIỂN NÔNG THÔN\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 15/KH-SNN\nKon Tum, ngày 5 tháng 3 năm 2023\nKẾ HOẠCH\nTrồng rừng năm 2023"
    )
    assert h.issuer == "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"
    assert h.parent_issuer == "UBND TỈNH KON TUM"
    assert h.doc_type == "KH"


def test_cells_and_rules():
    h = head(
        "| ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n| XÃ AN BÌNH | Độc lập - Tự do - Hạnh phúc |\n"
        "| ------- | ************ |\n| Số: 7/TB-UBND | An Bình, ngày 1 tháng 2 năm 2024 |\nTHÔNG BÁO\nLịch tiếp công dân"
    )
    assert (h.issuer, h.number, h.place, h.date) == ("ỦY BAN NHÂN DÂN XÃ AN BÌNH", "7/TB-UBND", "An Bình", "2024-02-01")
    assert h.subject == "Lịch tiếp công dân"


def test_fields_broken_over_lines_and_spaces_in_codes():
    h = head(
        "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố:\n27 /2016/QĐ-UBND\n"
        "Đồng Tháp, ngày 07\ntháng 3 năm 2022\nQUYẾT ĐỊNH\nBan hành Quy chế phối hợp\ntrên địa bàn tỉnh\n"
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP\nCăn cứ Luật Tổ chức chính quyền địa phương;"
    )
    assert (h.number, h.date, h.doc_type) == ("27/2016/QĐ-UBND", "2022-03-07", "QĐ")
    assert h.subject == "Ban hành Quy chế phối hợp trên địa bàn tỉnh"


def test_placeholders_leave_blanks():
    h = head(
        "ỦY BAN NHÂN DÂN\nPHƯỜNG ........\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: ....../BC-UBND\n"
        "............, ngày    tháng 9 năm 2019\nBÁO CÁO\nKết quả quý III"
    )
    assert (h.number, h.place, h.date) == ("/BC-UBND", None, "2019-09")
    assert h.issuer.startswith("ỦY BAN NHÂN DÂN PHƯỜNG")


def test_party_header_and_ocr_type_name():
    h = head(
        "ĐẢNG BỘ TỈNH KON TUM\nHUYỆN ỦY IA H'DRAI\n*\nSố 88-KH/HU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Ia H'Drai, ngày 28 tháng 02 năm 2023\nK Ế HOẠCH\nhọc tập và làm theo tư tưởng Hồ Chí Minh"
    )
    assert (h.issuer, h.parent_issuer, h.number) == ("HUYỆN ỦY IA H'DRAI", "ĐẢNG BỘ TỈNH KON TUM", "88-KH/HU")
    assert (h.doc_type, h.place) == ("KH", "Ia H'Drai")


def test_cong_van_subject_after_vv():
    h = head(
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 415 /SVHTT-QLVH\n"
        "V/v hướng dẫn tổ chức các hoạt động\nvăn hóa mừng Xuân\nKon Tum, ngày 05 tháng 01 năm 2024\nKính gửi: Các huyện."
    )
    assert (h.doc_type, h.number) == ("CV", "415/SVHTT-QLVH")
    assert h.subject == "hướng dẫn tổ chức các hoạt động văn hóa mừng Xuân"
    assert (h.place, h.date) == ("Kon Tum", "2024-01-05")


def test_site_navigation_is_not_the_issuer():
    h = head(
        "Trang chủ | Tin tức | Văn bản\nTHÔNG BÁO\nVĂN BẢN CHỈ ĐẠO\nỦY BAN NHÂN DÂN\nHUYỆN ĐĂK GLEI\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 10/BC-UBND\nĐăk Glei, ngày 5 tháng 6 năm 2023\nBÁO CÁO\nTình hình tháng 5"
    )
    assert h.issuer == "ỦY BAN NHÂN DÂN HUYỆN ĐĂK GLEI"
    assert (h.doc_type, h.subject) == ("BC", "Tình hình tháng 5")


def test_news_item_without_header():
    h = head("Hội nghị sơ kết quý I\nNgày đăng 25/04/2023 | 13:30\nSáng nay, Ban Chỉ đạo tổ chức hội nghị theo Kế hoạch số 36-KH/HU.")
    assert (h.doc_type, h.number, h.issuer, h.subject) == ("TIN", None, None, None)


def test_impossible_date_is_a_warning_not_a_value():
    h = head("ỦY BAN NHÂN DÂN XÃ A\nSố: 1/BC-UBND\nXã A, ngày 31 tháng 02 năm 2023\nBÁO CÁO\nVề việc X")
    assert h.date is None
    assert any("31" in w or "02" in w for w in h.warnings)


def test_a_category_heading_is_not_an_issuer():
    h = head("CẢI CÁCH HÀNH CHÍNH\nSố: /BC-VPUBND\nChâu Thành, ngày   tháng 11 năm 2020\nBÁO CÁO\nKết quả tháng 11/2020")
    assert (h.issuer, h.number, h.date, h.place) == (None, "/BC-VPUBND", "2020-11", "Châu Thành")


def test_number_and_vv_on_one_line():
    h = head("ỦY BAN NHÂN DÂN HUYỆN ĐẮK HÀ\nSố: 245/UBND-VP V/v báo cáo chuyển đổi số\nĐắk Hà, ngày 18 tháng 7 năm 2023\nKính gửi: Sở TTTT.")
    assert (h.doc_type, h.number, h.subject, h.date) == ("CV", "245/UBND-VP", "báo cáo chuyển đổi số", "2023-07-18")


def test_header_below_a_long_site_menu():
    menu = "\n".join(f"Mục {i} | Liên kết {i}" for i in range(70))
    h = head(f"{menu}\nỦY BAN NHÂN DÂN\nHUYỆN ĐẮK HÀ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 245/BC-UBND\nBÁO CÁO\nKết quả năm 2023")
    assert (h.doc_type, h.number, h.issuer, h.subject) == ("BC", "245/BC-UBND", "ỦY BAN NHÂN DÂN HUYỆN ĐẮK HÀ", "Kết quả năm 2023")


def test_sentence_case_header_from_a_css_capitalised_page():
    h = head(
        "Ủy ban nhân dân\nhuyện Ia H'Drai\nCộng hòa xã hội chủ nghĩa Việt Nam\nSố: 1890/BC-UBND\n"
        "Ia H'Drai, ngày 15 tháng 12 năm 2023\nBáo cáo\nKết quả công tác dân tộc năm 2023"
    )
    assert (h.issuer, h.doc_type, h.subject) == ("Ủy ban nhân dân huyện Ia H'Drai", "BC", "Kết quả công tác dân tộc năm 2023")


def test_vv_flattened_with_the_place_date():
    h = head("SỞ TÀI CHÍNH\nSố: 88/STC-NS\nV/v lập dự toán năm 2024 Quảng Nam, ngày 11 tháng 01 năm 2024\nKính gửi: Các huyện.")
    assert (h.subject, h.place, h.date) == ("lập dự toán năm 2024", "Quảng Nam", "2024-01-11")


def test_mass_organisation_heading_is_a_title_not_the_issuer():
    h = head(
        "ỦY BAN MTTQ VIỆT NAM | MẶT TRẬN TỔ QUỐC VIỆT NAM\nHUYỆN ĐỨC HÒA | \n"
        "BAN THƯỜNG TRỰC | Đức Hòa, ngày 05 tháng 3 năm 2024\nSố: 15/TB-MTTQ-BTT | \n\nTHÔNG BÁO\nKết quả hội nghị"
    )
    assert (h.issuer, h.parent_issuer) == ("BAN THƯỜNG TRỰC", "ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC HÒA")
    assert (h.place, h.date, h.number) == ("Đức Hòa", "2024-03-05", "15/TB-MTTQ-BTT")


def test_youth_union_heading_above_the_issuer():
    h = head("ĐOÀN TNCS HỒ CHÍ MINH\nBCH ĐOÀN HUYỆN TÂN TRỤ\nSố: 31-KH/HĐTN\nTân Trụ, ngày 2 tháng 3 năm 2024\n"
             "KẾ HOẠCH\nTổ chức Tháng Thanh niên năm 2024")
    assert (h.issuer, h.parent_issuer) == ("BCH ĐOÀN HUYỆN TÂN TRỤ", None)
    assert h.subject == "Tổ chức Tháng Thanh niên năm 2024"
