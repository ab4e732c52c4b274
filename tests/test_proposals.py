"""Proposals: figures read from a unit's own report, matched to indicators by item number and unit."""

from __future__ import annotations

import pytest

from tonghop.services import proposals, submissions, units
from tonghop.services.context import transaction
from tonghop.services.submissions import Desk

TPL = "bc-tu-tuong-thang"
REPORT = """ỦY BAN NHÂN DÂN XÃ TÂN HÒA
Số: /BC-UBND
Tân Hòa, ngày   tháng 3 năm 2024
BÁO CÁO
Kết quả công tác đấu tranh bảo vệ nền tảng tư tưởng của Đảng tháng 3/2024

I. KẾT QUẢ ĐẤU TRANH BẢO VỆ NỀN TẢNG TƯ TƯỞNG CỦA ĐẢNG
1. Số bài đấu tranh, phản bác được công khai trên báo, đài, tạp chí.
 - Có 03 bài đăng trên báo Đồng Tháp.
2. Số bài đấu tranh, phản bác trên Intrenet, mạng xã hội và số lượt bài chia sẻ, quan tâm.
 - Có 27 tin bài được đăng lên trang facebook của xã với 1.350 lượt chia sẻ, quan tâm:
 - (1). Tuyên dương 45 điển hình tiêu biểu;
3. Tổng số bình luận đấu tranh, phản bác trên Intrenet, mạng xã hội.
 - Không có.
4. Kết quả đấu tranh, ngăn chặn, xử lý các tài khoản mạng xã hội có nội dung sai trái.
 - Không có.

II. KINH NGHIỆM HAY, CÁCH LÀM HIỆU QUẢ
Phối hợp chặt chẽ với Đoàn Thanh niên.

III. PHƯƠNG HƯỚNG, GIẢI PHÁP THỜI GIAN TỚI
1. Tiếp tục đăng 5 bài mỗi tháng.

IV- ĐỀ XUẤT, KIẾN NGHỊ (nếu có)./.
Nơi nhận:
- Ban Tuyên giáo Huyện ủy;
- Lưu: VT.
"""
CHAU_THANH_SHAPE = """I. KẾT QUẢ
1. Số bài đấu tranh, phản bác được công khai trên báo, đài, tạp chí.
 - Không có.
2. Số bài đấu tranh, phản bác trên Intrenet, mạng xã hội và số lượt bài chia sẻ, quan tâm.
 - Có 12 tin bài được đăng lên trang facebook và cổng thông tin điện tử huyện với các chủ đề:
 - (4). Tuyên dương 331 điển hình tiêu biểu trong phong trào thi đua yêu nước;
3. Tổng số bình luận đấu tranh, phản bác trên Intrenet, mạng xã hội.
 - Không có.
4. Kết quả đấu tranh, ngăn chặn, xử lý các tài khoản mạng xã hội.
 - Không có.
II. KINH NGHIỆM HAY, CÁCH LÀM HIỆU QUẢ
Không.
"""


@pytest.fixture
def template(db_url):
    with transaction(db_url) as session:
        return Desk(session).template(TPL)


def test_chau_thanh_shape(template):
    found = proposals.propose(CHAU_THANH_SHAPE, template)
    assert found.values() == {"bai_bao_dai_tap_chi": 0, "bai_internet_mxh": 12, "binh_luan": 0, "ket_qua_xu_ly": 0}
    assert any("2.b" in w for w in found.warnings)


def test_figures_by_item_and_unit_with_sentences(template):
    found = proposals.propose(REPORT, template)
    assert found.values() == {"bai_bao_dai_tap_chi": 3, "bai_internet_mxh": 27, "luot_chia_se_quan_tam": 1350,
                              "binh_luan": 0, "ket_qua_xu_ly": 0}
    by_code = {p.code: p for p in found.items}
    assert "27 tin bài" in by_code["bai_internet_mxh"].sentence
    assert by_code["binh_luan"].sentence == "Không có."


def test_narrative_sections_read_but_not_their_numbers(template):
    found = proposals.propose(REPORT, template)
    assert found.narrative["II"] == "Phối hợp chặt chẽ với Đoàn Thanh niên."
    assert "5 bài mỗi tháng" in found.narrative["III"]
    assert "Nơi nhận" not in found.narrative.get("IV", "")


def test_report_file_proposes_then_submits_only_when_asked(db_url, tmp_path):
    (tmp_path / "u.yaml").write_text("units:\n  - {code: X1, name: Xã Tân Hòa, kind: commune}\n", encoding="utf-8")
    units.import_units_file(tmp_path / "u.yaml", url=db_url)
    report = tmp_path / "bao-cao.txt"
    report.write_text(REPORT, encoding="utf-8")
    found = proposals.propose_from_report(report, TPL, url=db_url)
    assert submissions.list_submissions(TPL, "2024M3", url=db_url) == []
    saved = proposals.submit_proposals("X1", TPL, "2024M3", found, url=db_url)
    rows = submissions.list_submissions(TPL, "2024M3", url=db_url)
    assert (saved.state, rows[0]["values"]["bai_internet_mxh"]) == ("submitted", 27)
    assert submissions.history("X1", TPL, "2024M3", url=db_url)[0]["source"] == "report"


def test_items_matched_by_name_when_numbering_differs(template):
    text = """1. Tổng số bình luận đấu tranh, phản bác trên Internet, mạng xã hội.
 - Có 41 bình luận.
2. Số bài đấu tranh, phản bác được công khai trên báo, đài, tạp chí.
 - Có 6 bài.
"""
    assert proposals.propose(text, template).values() == {"binh_luan": 41, "bai_bao_dai_tap_chi": 6}


def test_word_report(db_url, tmp_path):
    from docx import Document

    doc = Document()
    for line in REPORT.splitlines():
        doc.add_paragraph(line)
    path = tmp_path / "bao-cao.docx"
    doc.save(path)
    found = proposals.propose_from_report(path, TPL, url=db_url)
    assert found.values()["bai_internet_mxh"] == 27 and found.values()["binh_luan"] == 0


def test_lettered_items_and_several_figures_in_one_sentence(db_url):
    with transaction(db_url) as session:
        annual = Desk(session).template("bc-thuc-hien-ke-hoach-nam")
    text = """I. KẾT QUẢ THỰC HIỆN
1. Công tác quán triệt, triển khai
Đã tổ chức 15 hội nghị với 120 điểm cầu, thu hút hơn 3.500 người tham dự.
2. Công tác bồi dưỡng
a) Mở 09 lớp bồi dưỡng lý luận chính trị.
b) Có 450 học viên tham gia.
"""
    values = proposals.propose(text, annual).values()
    assert values == {"hoi_nghi": 15, "diem_cau": 120, "nguoi_du": 3500, "lop_boi_duong": 9, "hoc_vien": 450}
