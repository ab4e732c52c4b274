"""In a real browser: a commune clerk files a form (a validation error, then corrected), reads figures from its Word
report and confirms them, submits; the district approver consolidates, approves and downloads the DOCX."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from conftest import snapshot, uvicorn_on
from fixtures_docs import make_docx

TPL = "bc-tu-tuong-thang"
PERIOD = "2026M10"
PASSWORD = "mat-khau-an-toan-2026"
UNITS = """units:
  - {code: T01, name: Ủy ban nhân dân tỉnh Lam Giang, kind: province}
  - {code: H01, name: Ủy ban nhân dân huyện Đông Phú, kind: district, parent: T01}
  - {code: X01, name: Ủy ban nhân dân xã Tân Hòa, kind: commune, parent: H01}
  - {code: X02, name: Ủy ban nhân dân xã Phú Lộc, kind: commune, parent: H01}
  - {code: X03, name: Ủy ban nhân dân xã Hòa Bình, kind: commune, parent: H01}
"""
REPORT = [
    "ỦY BAN NHÂN DÂN XÃ TÂN HÒA", "BÁO CÁO", "Kết quả công tác tháng 10 năm 2026",
    "I. KẾT QUẢ ĐẤU TRANH BẢO VỆ NỀN TẢNG TƯ TƯỞNG CỦA ĐẢNG",
    "1. Số bài đấu tranh, phản bác được công khai trên báo, đài, tạp chí: 03 bài.",
    "2. Trên Internet, mạng xã hội", "a) Số bài đấu tranh, phản bác: 14 bài.",
    "b) Số lượt chia sẻ, quan tâm: 1.200 lượt.",
    "3. Tổng số bình luận đấu tranh, phản bác: 45 bình luận.",
    "4. Kết quả đấu tranh, ngăn chặn, xử lý: Không có.",
    "III. PHƯƠNG HƯỚNG, GIẢI PHÁP THỜI GIAN TỚI", "Tiếp tục tăng cường tuyên truyền trên không gian mạng.",
]


def _figures(scale: float) -> dict[str, int]:
    return {"bai_bao_dai_tap_chi": round(2 * scale), "bai_internet_mxh": round(11 * scale),
            "luot_chia_se_quan_tam": round(950 * scale), "binh_luan": round(38 * scale),
            "ket_qua_xu_ly": round(1 * scale)}


def _seed(url: str, folder) -> None:
    from tonghop.services import accounts, submissions, templates, units

    (folder / "units.yaml").write_text(UNITS, encoding="utf-8")
    units.import_units_file(folder / "units.yaml", url=url)
    templates.assign(TPL, kinds=["commune"], url=url)
    accounts.create_user("xa", PASSWORD, unit="X01", role="reporter", full_name="Lò Thị Mai", url=url)
    accounts.create_user("huyen", PASSWORD, unit="H01", role="approver", full_name="Nguyễn Văn An", url=url)
    section = "III"
    for period, scale in (("2025M10", 0.8), ("2026M9", 0.9)):
        for unit in ("X01", "X02", "X03"):
            submissions.save_submission(unit, TPL, period, _figures(scale), author="Văn thư", url=url,
                                        narrative={section: "Tiếp tục tuyên truyền."})
    submissions.save_submission("X02", TPL, PERIOD, _figures(1.3), author="Văn thư xã Phú Lộc", url=url,
                                narrative={section: "Đẩy mạnh tuyên truyền trên nhóm Zalo của các thôn."})


@pytest.fixture(scope="module")
def desk_server(tmp_path_factory):
    """Base URL of a uvicorn serving three communes under a district, the monthly template, a clerk and an approver."""
    root = tmp_path_factory.mktemp("desk")
    url = f"sqlite:///{root / 'tonghop.db'}"
    _seed(url, root)
    with uvicorn_on(url) as base:
        yield base, root


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/dang-nhap\?next="))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(re.escape(base) + r"/(viec-can-lam)?$"))  # Việc cần làm is also the home page


def _settled(page, input_id: str) -> None:
    """Wait until htmx has processed the swapped-in field (a person is never fast enough to beat it; a robot is)."""
    page.wait_for_function("id => { const e = document.getElementById(id); return e && e['htmx-internal-data'] && "
                           "e['htmx-internal-data'].initHash && !document.querySelector('.htmx-settling') }", arg=input_id)


def test_file_a_form_then_consolidate(page, desk_server, tmp_path):
    base, _ = desk_server
    _log_in(page, base, "xa")
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    snapshot(page, "reporting-todo")
    page.get_by_role("link", name=re.compile(r"Nhập số liệu .* tháng 10.2026")).click()
    expect(page).to_have_url(f"{base}/bao-cao/X01/{TPL}/{PERIOD}")

    field = page.locator("#f-luot_chia_se_quan_tam")
    page.get_by_label("Số lượt chia sẻ, quan tâm").fill("mười hai")
    page.keyboard.press("Tab")
    expect(field).to_contain_text("không phải là số")
    expect(page.get_by_label("Số lượt chia sẻ, quan tâm")).to_have_attribute("aria-invalid", "true")
    snapshot(page, "reporting-entry-invalid")
    _settled(page, "i-luot_chia_se_quan_tam")
    page.get_by_label("Số lượt chia sẻ, quan tâm").fill("1.200")
    page.keyboard.press("Tab")
    expect(field.locator(".msg")).to_be_empty()
    expect(page.locator("#save-status")).to_contain_text("Đã tự động lưu nháp", timeout=10_000)
    page.wait_for_load_state("networkidle")

    report = make_docx(tmp_path / "bao-cao-thang-10-xa-tan-hoa.docx", REPORT)
    page.get_by_label("Tệp báo cáo").set_input_files(str(report))
    page.get_by_role("button", name="Đọc số liệu").click()
    expect(page.get_by_role("heading", name="Số liệu đọc từ báo cáo")).to_be_visible()
    expect(page.get_by_label("Số lượt chia sẻ, quan tâm")).to_have_value("1.200")
    expect(page.locator("q.source").first).to_be_visible()
    snapshot(page, "reporting-proposals")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".notice").first).to_contain_text("Đã lưu các số liệu bạn xác nhận")
    expect(page.get_by_label("Số bài đấu tranh, phản bác trên Internet, mạng xã hội")).to_have_value("14")
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.locator(".notice").first).to_contain_text("Đã nộp báo cáo.")
    snapshot(page, "reporting-entry-submitted")
    page.get_by_role("button", name="Đăng xuất").click()

    _log_in(page, base, "huyen")
    expect(page.get_by_role("heading", name=re.compile("Báo cáo chờ duyệt"))).to_be_visible()
    snapshot(page, "reporting-todo-approver")
    page.goto(f"{base}/tong-hop/H01/{TPL}/{PERIOD}")
    total = page.locator("tr.total td")
    expect(total.nth(2)).to_have_text("2.435")  # 1.200 (Tân Hòa) + 1.235 (Phú Lộc)
    expect(page.locator("#nhac-nop")).to_contain_text("Ủy ban nhân dân xã Hòa Bình (X03): chưa nộp")
    page.get_by_role("button", name="Duyệt báo cáo của Ủy ban nhân dân xã Tân Hòa").click()
    expect(page.locator(".notice").first).to_contain_text("Đã duyệt báo cáo của Ủy ban nhân dân xã Tân Hòa.")
    expect(page.locator(".chart-card img")).to_have_js_property("complete", True)
    snapshot(page, "reporting-overview")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải báo cáo (.docx)").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".docx" and saved.read_bytes()[:2] == b"PK"
    page.goto(f"{base}/bao-cao/X01/{TPL}/{PERIOD}/lich-su")
    expect(page.locator("td.changed").first).to_be_visible()
    snapshot(page, "reporting-history")
    page.set_viewport_size({"width": 400, "height": 860})  # a narrow window: everything still reachable
    page.goto(f"{base}/tong-hop/H01/{TPL}/{PERIOD}")
    expect(page.get_by_role("link", name="Tải báo cáo (.docx)")).to_be_visible()
    snapshot(page, "reporting-overview-narrow")
    # Playwright's screenshots inject a caret-hiding style, which the CSP rightly refuses: not the pages' fault.
    errors = [e for e in page.console_errors if not (os.environ.get("TONGHOP_SCREENSHOTS") and "inline style" in e)]
    assert errors == []
