"""The signature block: authority prefix, the last title line, the signer's name."""

from __future__ import annotations

import pytest

from tonghop.extract.signature import extract_signer, is_name


def signer(text: str):
    s, _ = extract_signer(text.splitlines())
    return (s.authority, s.title, s.name) if s else None


def test_tm_kt_block_takes_the_last_authority_and_title():
    text = "Nơi nhận:\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Tiến Dũng"
    assert signer(text) == ("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Tiến Dũng")


def test_markdown_and_seal_lines_are_not_names():
    text = "- Lưu: VT.\n**KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG**\n(Đã ký)\n\n**Nguyễn Vĩnh Phúc**"
    assert signer(text) == ("KT.", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Vĩnh Phúc")


@pytest.mark.parametrize(("prefix", "norm"), [("T/M", "T/M"), ("K/T", "K/T"), ("T/L", "T/L"), ("TL.", "TL."), ("TM", "TM.")])
def test_party_and_state_prefixes_are_normalized(prefix, norm):
    assert signer(f"{prefix} BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nLê Văn Thành")[0] == norm


def test_no_authority_only_a_title():
    assert signer("- Lưu: VT.\nGIÁM ĐỐC\n(Ký, đóng dấu)\nNGUYỄN VĂN TÂM") == (None, "GIÁM ĐỐC", "NGUYỄN VĂN TÂM")


def test_whole_block_on_one_line():
    assert signer("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hồ Quang Bửu") == ("KT.", "PHÓ CHỦ TỊCH", "Hồ Quang Bửu")


def test_signature_column_interleaved_with_recipients():
    text = "Nơi nhận:\t\tTM. ỦY BAN NHÂN DÂN\n- Sở Nội vụ;\t\tKT. CHỦ TỊCH\n- Lưu: VT.\t\tPHÓ CHỦ TỊCH\n\t\t\tY Phương Niê"
    assert signer(text) == ("KT.", "PHÓ CHỦ TỊCH", "Y Phương Niê")


def test_tuq_with_acting_title():
    assert signer("TUQ. CHỦ TỊCH\nQ. CHÁNH VĂN PHÒNG\nTrần Văn Long") == ("TUQ.", "Q. CHÁNH VĂN PHÒNG", "Trần Văn Long")


def test_unsigned_draft_has_no_name():
    assert signer("- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n") == ("TM.", "CHỦ TỊCH", None)


def test_cut_off_text_has_no_signer():
    assert signer("I. MỤC ĐÍCH\n1. Nâng cao nhận thức của người dân về an toàn thực phẩm, thực hiện theo") is None


def test_quyet_nghi_is_not_an_authority():
    assert signer("QUYẾT NGHỊ:\nĐiều 1. Phạm vi\n- Lưu: VT.\nCHỦ TỊCH\nDương Văn Trang") == (None, "CHỦ TỊCH", "Dương Văn Trang")


@pytest.mark.parametrize("text", ["Tin liên quan", "Lưu: VT", "PHÓ CHỦ TỊCH", "Số 12", "(Đã ký)"])
def test_is_name_rejects_non_names(text):
    assert not is_name(text)


def test_site_footer_after_the_document_is_not_the_signature():
    text = "- Lưu: VT.\nCHỦ TỊCH\nNguyễn Văn Tuấn\nCỔNG THÔNG TIN ĐIỆN TỬ HUYỆN\nTRƯỞNG BAN BIÊN TẬP\nĐịa chỉ: 12 Lê Lợi"
    assert signer(text) == (None, "CHỦ TỊCH", "Nguyễn Văn Tuấn")
