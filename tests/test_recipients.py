"""Recipients: the "Nơi nhận:" list and "Kính gửi:" addressees."""

from __future__ import annotations

from tonghop.extract.recipients import kinh_gui, noi_nhan


def test_dash_list_without_dashes_and_trailing_marks():
    lines = "Nơi nhận:\n\n- Sở Thông tin và Truyền thông;\n- Chủ tịch, các PCT UBND huyện;\n- Lưu: VT, TH.\n\nKT. CHỦ TỊCH".splitlines()
    items, label = noi_nhan(lines)
    assert items == ["Sở Thông tin và Truyền thông", "Chủ tịch, các PCT UBND huyện", "Lưu: VT, TH"]
    assert label == 0


def test_list_on_the_label_line_and_wrapped_item():
    lines = ["***Nơi nhận:*** - Như trên;", "- Ban Tuyên giáo Huyện ủy", "(phụ trách tuyên truyền)", "- Lưu VP."]
    assert noi_nhan(lines)[0] == ["Như trên", "Ban Tuyên giáo Huyện ủy (phụ trách tuyên truyền)", "Lưu VP"]


def test_signature_column_is_not_a_recipient():
    lines = ["Nơi nhận:\t\tTM. ỦY BAN NHÂN DÂN", "- Sở VHTTDL;\t\tKT. CHỦ TỊCH", "- Lưu: VT.\t\tPHÓ CHỦ TỊCH", "\t\tLê Văn A"]
    assert noi_nhan(lines)[0] == ["Sở VHTTDL", "Lưu: VT"]


def test_no_list():
    assert noi_nhan(["Trên đây là báo cáo."]) == ([], None)


def test_kinh_gui_inline_and_listed():
    assert kinh_gui(["Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi."], 0) == ["Ủy ban nhân dân tỉnh Quảng Ngãi"]
    lines = ["Kính gửi:", "- Ủy ban nhân dân các huyện;", "- Phòng Văn hóa và Thông tin.", "Căn cứ ..."]
    assert kinh_gui(lines, 0) == ["Ủy ban nhân dân các huyện", "Phòng Văn hóa và Thông tin"]
