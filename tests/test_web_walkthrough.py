"""Rough edges found walking the demo as a new user: each page fix checked in process (issue #4)."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import pg
from accounts_fixtures import PASSWORD, csrf_of, log_in, make_client, seed_with_form
from tonghop.services import accounts, submissions, templates

TPL = "bc-tu-tuong-thang"  # its name ends in "của Đảng"
PERIOD = "2026M10"
FIGURES = {"bai_bao_dai_tap_chi": 3, "bai_internet_mxh": 14, "luot_chia_se_quan_tam": 1200, "binh_luan": 45,
           "ket_qua_xu_ly": 2}
CSS = Path(__file__).parents[1] / "src" / "tonghop" / "web" / "static" / "app.css"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> str:
    """Five units, the monthly template assigned to communes, a commune clerk, a district approver and admin."""
    folder = tmp_path_factory.mktemp("walk")
    url = seed_with_form(folder, TPL)
    accounts.create_user("xa", PASSWORD, unit="X01", role="reporter", full_name="Văn thư xã", url=url)
    accounts.create_user("huyen", PASSWORD, unit="H01", role="approver", full_name="Chuyên viên huyện", url=url)
    accounts.create_user("quantri", PASSWORD, unit="H01", role="admin", full_name="Quản trị huyện", url=url)
    return url


@pytest.fixture
def site(db_url, seeded):
    pg.copy_seed(seeded, db_url)
    with make_client(db_url) as client:
        yield client


def login(client, username: str) -> None:
    assert log_in(client, username, next_path="/").status_code == 303


def test_chase_list_keeps_the_capital_of_dang(site):
    login(site, "huyen")
    page = site.get(f"/tong-hop/H01/{TPL}/{PERIOD}").text
    chase = re.search(r'<textarea id="nhac-nop"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "gửi báo cáo tháng kết quả công tác" in chase  # the name still reads as part of the sentence
    assert "tư tưởng của Đảng kỳ tháng 10/2026" in chase and "của đảng" not in chase


def test_no_chart_image_before_any_unit_files(site, db_url):
    login(site, "xa")  # the commune's own consolidation: no unit below it, nothing filed yet
    page = site.get(f"/tong-hop/X01/{TPL}/{PERIOD}").text
    assert "/tai/png" not in page and "chưa có biểu đồ" in page


def test_chart_image_once_a_unit_has_filed(site, db_url):
    _filed(db_url)
    login(site, "huyen")
    page = site.get(f"/tong-hop/H01/{TPL}/{PERIOD}").text
    assert f'<img src="/tong-hop/H01/{TPL}/{PERIOD}/tai/png"' in page and "chưa có biểu đồ" not in page
    assert site.get(f"/tong-hop/H01/{TPL}/{PERIOD}/tai/png").content[:4] == b"\x89PNG"


def test_not_found_page_leads_home_or_to_login(site):
    anonymous = site.get("/khong-co-trang-nay")
    assert anonymous.status_code == 404 and 'href="/dang-nhap"' in anonymous.text
    login(site, "xa")
    page = site.get("/khong-co-trang-nay")
    assert page.status_code == 404 and 'href="/viec-can-lam"' in page.text and 'href="/kho-van-ban"' in page.text


def test_required_fields_are_announced_not_just_starred(site):
    login(site, "xa")
    page = site.get(f"/bao-cao/X01/{TPL}/{PERIOD}").text
    required = re.search(r'<textarea id="n-[^"]+"[^>]*aria-required="true"', page)
    assert required, "the required narrative section is not marked aria-required"
    label = re.search(r'<label for="n-[^"]+">III\.[^<]*<span class="req" aria-hidden="true">\*</span>'
                      r'<span class="sr-only"> \(bắt buộc\)</span>', page)
    assert label and "Ô có dấu" in page and "là bắt buộc khi nộp báo cáo" in page


def test_audit_json_font_has_vietnamese_letters():
    rule = re.search(r"\.audit-json \{([^}]*)\}", CSS.read_text(encoding="utf-8")).group(1)
    fonts = re.search(r"font-family:([^;]*);", rule).group(1)
    assert fonts.split(",")[0].strip().strip('"') == "Liberation Mono" and "DejaVu Sans Mono" not in fonts


@pytest.mark.parametrize(("seconds", "shown"), [(12.34, "12,3"), (0.04, "0"), (1234.5, "1.234,5")])
def test_upload_time_in_vietnamese_number_format(seconds, shown):
    from tonghop.web.rendering import TEMPLATES

    report = SimpleNamespace(added=1, skipped=0, failed=0, seconds=seconds, failures=[])
    html = TEMPLATES.env.get_template("_upload_result.html").render(report=report, documents=[])
    assert f"<strong>{shown}</strong> giây" in html


def test_upload_counts_in_vietnamese_number_format():
    from tonghop.web.rendering import TEMPLATES

    report = SimpleNamespace(added=12345, skipped=1200, failed=0, seconds=3.0, failures=[])
    html = TEMPLATES.env.get_template("_upload_result.html").render(report=report, documents=[])
    assert "<strong>12.345</strong> thêm mới" in html and "<strong>1.200</strong> đã có" in html


def _filed(db_url) -> None:
    from tonghop.services.context import transaction

    with transaction(db_url) as session:
        section = next(s.code for s in templates.get_template(session, TPL).sections if s.label == "III.")
    submissions.save_submission("X01", TPL, PERIOD, FIGURES, narrative={section: "Tiếp tục."}, url=db_url)


def test_review_comes_back_to_the_units_row(site, db_url):
    _filed(db_url)
    login(site, "huyen")
    base = f"/tong-hop/H01/{TPL}/{PERIOD}"
    page = site.get(base).text
    assert '<tr id="dv-X01">' in page and page.count(f'action="{base}/duyet#dv-X01"') == 2  # approve and return
    token = csrf_of(page)
    refused = site.post(f"{base}/duyet", data={"child": "X01", "action": "return", "based_on": "1", "comment": " ",
                                                "csrf_token": token})
    assert refused.status_code == 422
    row = refused.text.split('<tr id="dv-X01">')[1].split("</tr>")[0]
    assert "cần ghi rõ lý do" in row and "<details class=\"return\" open>" in row
    assert "cần ghi rõ lý do" not in refused.text.split('<tr id="dv-X01">')[0]  # said once, where the user is


def test_consolidation_chooser_says_what_to_do(site):
    login(site, "huyen")
    page = site.get("/tong-hop").text
    assert "bấm vào một kỳ của mẫu báo cáo" in page and f'href="/tong-hop/H01/{TPL}/' in page


def test_filed_report_is_not_called_data_entry(site, db_url):
    _filed(db_url)
    login(site, "xa")
    crumbs = re.search(r'<p class="crumbs">(.*?)</p>', site.get(f"/bao-cao/X01/{TPL}/{PERIOD}").text).group(1)
    assert "Xem báo cáo đã nộp" in crumbs and "Nhập số liệu" not in crumbs
    crumbs = re.search(r'<p class="crumbs">(.*?)</p>', site.get(f"/bao-cao/X01/{TPL}/2026M11").text).group(1)
    assert "Nhập số liệu" in crumbs


def test_new_account_form_is_not_filled_with_the_admins_own_login(site):
    login(site, "quantri")
    page = site.get("/quan-tri/nguoi-dung").text
    username = re.search(r'<input type="text" id="n-username"[^>]*>', page).group(0)
    assert 'autocomplete="off"' in username
    assert re.search(r'<input type="password" id="n-pass"[^>]*autocomplete="new-password"', page)


@pytest.mark.parametrize("unit", ["X01", "H01"])  # no unit below it; units below, none has filed
def test_chart_download_with_nothing_to_draw_is_an_image_saying_so(site, unit):
    login(site, "huyen" if unit == "H01" else "xa")
    response = site.get(f"/tong-hop/{unit}/{TPL}/{PERIOD}/tai/png")
    assert response.status_code == 200 and response.content[:4] == b"\x89PNG"


def _tolerant(site):
    """A client of the same app that answers server errors as the browser sees them (not raised in the test)."""
    from fastapi.testclient import TestClient

    client = TestClient(site.app, raise_server_exceptions=False, follow_redirects=False)
    login(client, "huyen")
    return client


def test_server_error_on_a_page_is_a_vietnamese_page_and_logged(site, monkeypatch, caplog):
    from tonghop.services import catalog

    client = _tolerant(site)
    monkeypatch.setattr(catalog, "scoped_units", lambda *a, **k: 1 / 0)
    with caplog.at_level("ERROR", logger="tonghop"):
        page = client.get("/don-vi")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "Lỗi máy chủ" in page.text and "Internal Server Error" not in page.text
    assert 'href="/viec-can-lam"' in page.text  # the user is still shown as logged in, with a way on
    logged = [r for r in caplog.records if r.name == "tonghop" and r.exc_info]
    assert logged and logged[0].exc_info[0] is ZeroDivisionError and "/don-vi" in logged[0].getMessage()


def test_server_error_under_the_api_is_not_answered_with_a_page(site, monkeypatch, caplog):
    from tonghop.services import catalog

    client = _tolerant(site)
    token = accounts.issue_token("huyen", "thu", url=site.app.state.settings.database_url)
    monkeypatch.setattr(catalog, "scoped_units", lambda *a, **k: 1 / 0)
    answer = client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 500 and "<html" not in answer.text
    assert answer.json()["error"]["code"] == "internal_error" and "ZeroDivisionError" in caplog.text


@pytest.mark.parametrize("path", ["/van-ban/abc", "/van-ban/1.5"])
def test_path_of_the_wrong_type_is_the_vietnamese_not_found_page(site, path):
    login(site, "xa")
    page = site.get(path)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy" in page.text and "int_parsing" not in page.text


def test_form_without_its_file_names_the_field_in_vietnamese(site):
    login(site, "xa")
    token = csrf_of(site.get(f"/bao-cao/X01/{TPL}/{PERIOD}").text)
    page = site.post(f"/bao-cao/X01/{TPL}/{PERIOD}/nap-bieu-mau", data={"csrf_token": token})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "Thiếu hoặc sai trường: file" in page.text and "Field required" not in page.text


def test_api_keeps_its_json_validation_errors(site):
    answer = site.get("/api/v1/documents/abc")
    assert answer.status_code in (401, 422) and answer.json()["error"]["code"] in ("unauthorized", "invalid")


def test_server_error_page_still_shown_when_the_database_is_what_failed(site, monkeypatch):
    from tonghop.services import catalog
    from tonghop.web import rendering

    client = _tolerant(site)
    monkeypatch.setattr(catalog, "scoped_units", lambda *a, **k: 1 / 0)
    monkeypatch.setattr(rendering, "current_user", lambda *a, **k: 1 / 0)  # the error page's own lookups fail too
    page = client.get("/don-vi")
    assert page.status_code == 500 and "Lỗi máy chủ" in page.text and 'href="/dang-nhap"' in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


def test_field_check_fragment_is_never_cached_as_a_page(site):
    login(site, "xa")
    base = f"/bao-cao/X01/{TPL}/{PERIOD}"
    token = csrf_of(site.get(base).text)
    answer = site.post(f"{base}/kiem-tra/binh_luan", data={"v:binh_luan": "-4"},
                       headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert answer.status_code == 200 and "<html" not in answer.text
    assert "HX-Request" in answer.headers["vary"] and "no-store" in answer.headers["cache-control"]


MERGER = """
units:
  - {code: X03, name: Xã Hòa An, kind: commune, parent: H01, valid_to: 2025-06-30}
  - {code: X04, name: Xã Hòa Bình, kind: commune, parent: H01, valid_to: 2025-06-30}
  - {code: X05, name: Xã Hòa Thịnh, kind: commune, parent: H01, valid_from: 2025-07-01}
events:
  - {kind: merge, date: 2025-07-01, sources: [X03, X04], targets: [X05], note: Nghị quyết 1656/NQ-UBTVQH15}
"""


def test_unit_page_shows_its_lineage(site, db_url, tmp_path):
    from tonghop.services import units

    (tmp_path / "merger.yaml").write_text(MERGER, encoding="utf-8")
    units.import_units_file(tmp_path / "merger.yaml", url=db_url)
    login(site, "huyen")
    page = site.get("/don-vi/X05").text
    lineage = page.split('id="bien-dong"')[1]
    assert "01/07/2025" in lineage and "Hợp nhất" in lineage and "Nghị quyết 1656/NQ-UBTVQH15" in lineage
    assert lineage.index("Xã Hòa An") < lineage.index("Xã Hòa Thịnh") and "Xã Hòa Bình" in lineage
    assert "Không có biến động" in site.get("/don-vi/X01").text.split('id="bien-dong"')[1]


def test_error_page_keeps_the_headers_of_its_error(site):
    answer = site.options("/dang-xuat")
    assert answer.status_code == 405 and answer.headers["allow"] == "POST" and "Phương thức" in answer.text
