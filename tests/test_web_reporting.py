"""Reporting pages: forms due, entry with validation and autosave, XLSX, report reading, history, consolidation."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

import pg
from accounts_fixtures import PASSWORD, csrf_of, log_in, make_client, seed_with_form
from fixtures_docs import make_docx
from tonghop.services import accounts, submissions
from tonghop.web.rendering import vn_number

TPL = "bc-tu-tuong-thang"
PERIOD = "2026M10"
ENTRY = f"/bao-cao/X01/{TPL}/{PERIOD}"
FIGURES = {"bai_bao_dai_tap_chi": 3, "bai_internet_mxh": 14, "luot_chia_se_quan_tam": 1200, "binh_luan": 45,
           "ket_qua_xu_ly": 2}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> str:
    """A database file with the five-unit tree, the template assigned to communes and four users (built once:
    migrations and password hashing are the slow part)."""
    folder = tmp_path_factory.mktemp("seed")
    url = seed_with_form(folder, TPL)
    for name, unit, role in (("xa", "X01", "reporter"), ("huyen", "H01", "approver"), ("tinh", "T01", "viewer"),
                             ("chuyenvien", "H01", "reporter")):
        accounts.create_user(name, PASSWORD, unit=unit, role=role, full_name=f"Cán bộ {name}", url=url)
    return url


@pytest.fixture
def site(db_url, seeded):
    pg.copy_seed(seeded, db_url)
    with make_client(db_url) as client:
        yield client


def login(client, username: str) -> str:
    """Log in as USERNAME; the session's CSRF token."""
    assert log_in(client, username, next_path="/viec-can-lam").status_code == 303
    return csrf_of(client.get("/viec-can-lam").text)


def section_codes(db_url) -> dict[str, str]:
    """Narrative section codes of the template, by label."""
    from tonghop.services.context import transaction
    from tonghop.services.desk import _template_dict
    from tonghop.services.submissions import Desk

    with transaction(db_url) as session:
        t = Desk(session, db_url).template(TPL)
    return {s["label"]: s["code"] for s in _template_dict(t)["sections"]}


def narrative(db_url) -> dict[str, str]:
    return {f"n:{section_codes(db_url)['III.']}": "Tiếp tục tăng cường tuyên truyền trên không gian mạng."}


def test_home_is_the_todo_list(site):
    login(site, "xa")
    home = site.get("/")
    assert home.status_code == 200 and "location" not in home.headers  # served directly: no second round trip
    page = site.get("/viec-can-lam").text
    assert home.text.split('name="csrf_token"')[0] == page.split('name="csrf_token"')[0]
    assert "Báo cáo tháng kết quả công tác đấu tranh" in page
    assert "tháng 10/2026" in page and "Chưa nộp" in page
    assert re.search(r"trễ \d+ ngày", page)
    assert f'href="{ENTRY}"' in page


def test_field_validation_message_then_correction(site):
    token = login(site, "xa")
    bad = site.post(f"{ENTRY}/kiem-tra/luot_chia_se_quan_tam", data={"v:luot_chia_se_quan_tam": "mười hai"},
                    headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert "<html" not in bad.text and 'aria-invalid="true"' in bad.text
    assert "Chỉ tiêu 2.b (Số lượt chia sẻ, quan tâm): &#39;mười hai&#39; không phải là số" in bad.text
    negative = site.post(f"{ENTRY}/kiem-tra/binh_luan", data={"v:binh_luan": "-4"}, headers={"X-CSRF-Token": token})
    assert "phải là số không âm" in negative.text
    good = site.post(f"{ENTRY}/kiem-tra/luot_chia_se_quan_tam", data={"v:luot_chia_se_quan_tam": "1.200"},
                     headers={"X-CSRF-Token": token})
    assert "aria-invalid" not in good.text and 'value="1.200"' in good.text


def test_autosave_creates_a_draft_version(site, db_url):
    token = login(site, "xa")
    saved = site.post(f"{ENTRY}/luu-nhap", data={"v:bai_internet_mxh": "14", "v:binh_luan": "abc",
                                                "based_on": "0"}, headers={"X-CSRF-Token": token,
                                                                            "HX-Request": "true"})
    assert "phiên bản 1" in saved.text and 'id="based-on" value="1"' in saved.text
    assert "Chưa lưu 1 ô nhập sai" in saved.text
    (v1,) = submissions.history("X01", TPL, PERIOD, url=db_url)
    assert v1["state"] == "draft" and v1["values"] == {"bai_internet_mxh": 14} and v1["author"] == "Cán bộ xa"
    assert accounts.audit_log(action="submission.edit", url=db_url)[0]["actor"] == "xa"


def test_submit_lists_problems_then_files(site, db_url):
    token = login(site, "xa")
    data = {f"v:{k}": str(v) for k, v in FIGURES.items()} | {"based_on": "0", "csrf_token": token}
    refused = site.post(f"{ENTRY}/nop", data=data)
    assert refused.status_code == 422 and "PHƯƠNG HƯỚNG" in refused.text and "bắt buộc nhập" in refused.text
    assert submissions.history("X01", TPL, PERIOD, url=db_url) == []
    done = site.post(f"{ENTRY}/nop", data=data | narrative(db_url))
    assert done.status_code == 303 and done.headers["location"].endswith("?da=nop")
    (v1,) = submissions.history("X01", TPL, PERIOD, url=db_url)
    assert v1["state"] == "submitted" and v1["values"] == FIGURES
    assert "Đã nộp báo cáo." in site.get(done.headers["location"]).text


def test_conflict_names_the_other_persons_save(site, db_url):
    submissions.save_submission("X01", TPL, PERIOD, {"binh_luan": 5}, action="edit", author="Trần Thị Bình",
                                url=db_url)
    token = login(site, "xa")
    page = site.post(f"{ENTRY}/nop", data={"v:binh_luan": "7", "based_on": "0", "csrf_token": token})
    assert page.status_code == 409
    assert "đã được Trần Thị Bình lưu (phiên bản 1" in page.text and 'value="7"' in page.text


def test_xlsx_round_trip_and_bad_cells(site, db_url, tmp_path):
    token = login(site, "xa")
    got = site.get(f"{ENTRY}/bieu-mau.xlsx")
    assert got.status_code == 200 and got.content[:2] == b"PK"
    wb = load_workbook(io.BytesIO(got.content))
    ws = wb["Biểu mẫu"]
    rows = {ws[f"F{r}"].value: r for r in range(7, ws.max_row + 1)}
    for code, value in FIGURES.items():
        ws[f"C{rows[code]}"] = value
    good, bad = tmp_path / "dien.xlsx", tmp_path / "sai.xlsx"
    wb.save(good)
    ws[f"C{rows['binh_luan']}"] = "nhiều"
    wb.save(bad)
    refused = site.post(f"{ENTRY}/nap-bieu-mau", files={"file": ("sai.xlsx", bad.read_bytes())},
                        data={"csrf_token": token})
    assert refused.status_code == 422 and f"C{rows['binh_luan']}: " in refused.text
    ok = site.post(f"{ENTRY}/nap-bieu-mau", files={"file": ("dien.xlsx", good.read_bytes())},
                   data={"csrf_token": token})
    assert ok.status_code == 303
    (v1,) = submissions.history("X01", TPL, PERIOD, url=db_url)
    assert v1["values"] == FIGURES and v1["source"] == "xlsx" and v1["state"] == "draft"


REPORT_TEXT = [
    "ỦY BAN NHÂN DÂN XÃ TÂN HÒA", "BÁO CÁO", "Kết quả công tác tháng 10 năm 2026",
    "I. KẾT QUẢ ĐẤU TRANH BẢO VỆ NỀN TẢNG TƯ TƯỞNG CỦA ĐẢNG",
    "1. Số bài đấu tranh, phản bác được công khai trên báo, đài, tạp chí: 03 bài.",
    "2. Trên Internet, mạng xã hội", "a) Số bài đấu tranh, phản bác: 14 bài.",
    "b) Số lượt chia sẻ, quan tâm: 1.200 lượt.",
    "3. Tổng số bình luận đấu tranh, phản bác: 45 bình luận.",
    "4. Kết quả đấu tranh, ngăn chặn, xử lý: Không có.",
    "III. PHƯƠNG HƯỚNG, GIẢI PHÁP THỜI GIAN TỚI", "Tiếp tục tăng cường tuyên truyền trên không gian mạng.",
]


def test_report_upload_proposes_and_confirm_stores(site, db_url, tmp_path):
    token = login(site, "xa")
    docx = make_docx(tmp_path / "bao-cao-thang-10.docx", REPORT_TEXT)
    page = site.post(f"{ENTRY}/doc-bao-cao", files={"file": (docx.name, docx.read_bytes())},
                     data={"csrf_token": token})
    assert page.status_code == 200 and "Số liệu đọc từ báo cáo" in page.text
    assert 'name="v:luot_chia_se_quan_tam" value="1.200"' in page.text
    assert '<q class="source">1.200 lượt.</q>' in page.text  # the sentence the figure came from
    assert submissions.history("X01", TPL, PERIOD, url=db_url) == []  # nothing stored before confirmation
    fields = dict(re.findall(r'name="(v:\w+)" value="([^"]*)"', page.text))
    fields["v:binh_luan"] = "46"  # the user corrects one figure
    done = site.post(f"{ENTRY}/xac-nhan", data=fields | {"csrf_token": token, "based_on": "0"} | narrative(db_url))
    assert done.status_code == 303
    (v1,) = submissions.history("X01", TPL, PERIOD, url=db_url)
    assert v1["source"] == "report" and v1["values"] == FIGURES | {"binh_luan": 46, "ket_qua_xu_ly": 0}


def test_history_highlights_changed_values(site, db_url):
    submissions.save_submission("X01", TPL, PERIOD, FIGURES, action="edit", author="A", url=db_url)
    submissions.save_submission("X01", TPL, PERIOD, FIGURES | {"binh_luan": 50}, action="edit", based_on=1,
                                author="B", url=db_url)
    login(site, "xa")
    page = site.get(f"{ENTRY}/lich-su").text
    rows = {m[0]: m[1] for m in re.findall(r'<tr><th scope="row"><span class="item">[^<]*</span> ([^<]+?)'
                                            r'(?: <span class="muted">[^<]*</span>)?</th>(.*?)</tr>', page, re.S)}
    assert 'class="num changed">50' in rows["Tổng số bình luận đấu tranh, phản bác trên Internet, mạng xã hội"]
    assert "changed" not in rows["Số lượt chia sẻ, quan tâm"]


def _file(db_url, unit: str, values: dict, author: str = "Văn thư") -> None:
    narrative_ = {section_codes(db_url)["III."]: f"Phương hướng của {unit}."}
    submissions.save_submission(unit, TPL, PERIOD, values, narrative=narrative_, author=author, url=db_url)


def test_consolidation_totals_equal_the_units_sum(site, db_url):
    _file(db_url, "X01", FIGURES)
    _file(db_url, "X02", {k: v * 2 for k, v in FIGURES.items()})
    login(site, "tinh")
    page = site.get(f"/tong-hop/T01/{TPL}/{PERIOD}")
    assert page.status_code == 200
    total = re.search(r'<tr class="total">(.*?)</tr>', page.text, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', total)
    assert cells == [vn_number(3 * v) for v in FIGURES.values()]
    assert "Phương hướng của X02." in page.text and "Duyệt" not in page.text  # a viewer reads only


def test_completeness_names_missing_units_and_chase_list(site, db_url):
    _file(db_url, "X01", FIGURES)
    login(site, "tinh")
    page = site.get(f"/tong-hop/T01/{TPL}/{PERIOD}").text
    chase = re.search(r'<textarea id="nhac-nop"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert "Ủy ban nhân dân xã Phú Lộc (X02): chưa nộp" in chase
    assert "Ủy ban nhân dân xã Tân Hòa (X01): nộp trễ hạn" in chase


def test_approve_and_return_with_required_comment(site, db_url):
    _file(db_url, "X01", FIGURES)
    token = login(site, "huyen")
    base = f"/tong-hop/H01/{TPL}/{PERIOD}"
    no_reason = site.post(f"{base}/duyet", data={"child": "X01", "action": "return", "based_on": "1",
                                                 "comment": " ", "csrf_token": token})
    assert no_reason.status_code == 422 and "cần ghi rõ lý do" in no_reason.text
    back = site.post(f"{base}/duyet", data={"child": "X01", "action": "return", "based_on": "1",
                                            "comment": "Bổ sung mục 2.b", "csrf_token": token})
    assert back.status_code == 303
    assert "Đã trả lại báo cáo của Ủy ban nhân dân xã Tân Hòa." in site.get(back.headers["location"]).text
    assert submissions.history("X01", TPL, PERIOD, url=db_url)[-1]["state"] == "returned"
    _file_again = submissions.save_submission("X01", TPL, PERIOD, FIGURES, based_on=2, url=db_url,
                                              narrative={section_codes(db_url)["III."]: "Đã bổ sung."})
    assert _file_again.state == "resubmitted"
    ok = site.post(f"{base}/duyet", data={"child": "X01", "action": "approve", "based_on": "3", "csrf_token": token})
    assert ok.status_code == 303
    assert "Đã duyệt báo cáo của Ủy ban nhân dân xã Tân Hòa." in site.get(ok.headers["location"]).text
    assert "Đã duyệt báo cáo." in site.get(f"{base}?da=duyet&dv=X02").text  # a unit outside the page: not named
    assert submissions.history("X01", TPL, PERIOD, url=db_url)[-1]["state"] == "approved"
    assert [e["action"] for e in accounts.audit_log(url=db_url)][:2] == ["submission.approve", "submission.return"]


def test_returned_comment_shows_on_the_todo_list(site, db_url):
    _file(db_url, "X01", FIGURES)
    submissions.review("X01", TPL, PERIOD, "return", based_on=1, comment="Thiếu số liệu mục 3", url=db_url)
    login(site, "xa")
    page = site.get("/viec-can-lam").text
    assert "Bị trả lại" in page and "Thiếu số liệu mục 3" in page


@pytest.mark.parametrize("path", [
    f"/tong-hop/H02/{TPL}/{PERIOD}", f"/tong-hop/T01/{TPL}/{PERIOD}", f"/bao-cao/X02/{TPL}/{PERIOD}/lich-su",
    f"/tong-hop/H02/{TPL}/{PERIOD}/tai/docx", f"/bao-cao/X01/{TPL}/{PERIOD}/bieu-mau.xlsx",
])
def test_outside_scope_or_not_own_unit_is_404(site, path):
    login(site, "chuyenvien")  # a reporter of H01: sees H01 and X01, edits only H01 (reads X01's entry page)
    assert site.get(path).status_code == 404


def _read_only(page: str) -> bool:
    return ("readonly" in page and "Nộp báo cáo</button>" not in page and "/luu-nhap" not in page
            and "bieu-mau.xlsx" not in page)


def test_approver_of_a_unit_without_units_below_reads_its_forms(site, db_url):
    accounts.create_user("pheduyet", PASSWORD, unit="X01", role="approver", full_name="Cán bộ phê duyệt", url=db_url)
    _file(db_url, "X01", FIGURES)
    token = login(site, "pheduyet")
    home = site.get("/viec-can-lam").text
    assert "Cán bộ báo cáo của đơn vị lập và nộp các báo cáo này" in home
    assert f'href="{ENTRY}"' in home and f'href="/bao-cao/X01/{TPL}/2026M11"' in home  # filed or not: a view
    page = site.get(ENTRY)
    assert page.status_code == 200 and _read_only(page.text) and 'value="45"' in page.text
    assert "Chế độ chỉ xem" in page.text
    data = {f"v:{k}": str(v) for k, v in FIGURES.items()} | {"based_on": "1", "csrf_token": token}
    assert site.post(f"{ENTRY}/luu-nhap", data=data).status_code == 404
    assert len(submissions.history("X01", TPL, PERIOD, url=db_url)) == 1


def test_reporter_above_reads_a_childs_entry(site, db_url):
    login(site, "chuyenvien")
    page = site.get(ENTRY)
    assert page.status_code == 200 and _read_only(page.text) and "chưa lưu số liệu" in page.text


def test_sibling_review_and_unknown_period_are_404(site, db_url):
    _file(db_url, "X02", FIGURES)
    token = login(site, "huyen")
    assert site.post(f"/tong-hop/H01/{TPL}/{PERIOD}/duyet", data={"child": "X02", "action": "approve",
                                                                 "based_on": "1", "csrf_token": token}).status_code == 404
    assert site.get(f"/tong-hop/H01/{TPL}/2026Q3").status_code == 404
    assert submissions.history("X02", TPL, PERIOD, url=db_url)[-1]["state"] == "submitted"


def test_downloads_docx_xlsx_and_chart(site, db_url):
    _file(db_url, "X01", FIGURES)
    login(site, "huyen")
    base = f"/tong-hop/H01/{TPL}/{PERIOD}/tai"
    docx, xlsx, png = (site.get(f"{base}/{kind}") for kind in ("docx", "xlsx", "png"))
    assert docx.status_code == 200 and docx.content[:2] == b"PK" and "attachment" in docx.headers["content-disposition"]
    assert xlsx.content[:2] == b"PK" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert site.get(f"{base}/exe").status_code == 404


def test_approver_home_lists_submissions_waiting_for_review(site, db_url):
    _file(db_url, "X01", FIGURES)
    login(site, "huyen")
    page = site.get("/viec-can-lam").text
    assert "Báo cáo chờ duyệt" in page and "Ủy ban nhân dân xã Tân Hòa" in page
    assert f'href="/tong-hop/H01/{TPL}/' in page


def test_returned_form_shows_reason_and_resubmits(site, db_url):
    _file(db_url, "X01", FIGURES)
    submissions.review("X01", TPL, PERIOD, "return", based_on=1, comment="Sai số mục 2.b", url=db_url)
    token = login(site, "xa")
    page = site.get(ENTRY).text
    assert "Báo cáo bị trả lại." in page and "Sai số mục 2.b" in page and "Nộp báo cáo" in page
    data = {f"v:{k}": str(v) for k, v in FIGURES.items()} | {"based_on": "2", "csrf_token": token}
    draft = site.post(f"{ENTRY}/luu-nhap", data=data | {"v:luot_chia_se_quan_tam": "1.250"} | narrative(db_url))
    assert draft.status_code == 303 and draft.headers["location"].endswith("?da=nhap")
    assert site.post(f"{ENTRY}/nop", data=data | {"based_on": "3"} | narrative(db_url)).status_code == 303
    states = [v["state"] for v in submissions.history("X01", TPL, PERIOD, url=db_url)]
    assert states == ["submitted", "returned", "returned", "resubmitted"]


def test_text_report_is_read_too(site, tmp_path):
    token = login(site, "xa")
    page = site.post(f"{ENTRY}/doc-bao-cao", data={"csrf_token": token},
                     files={"file": ("bao-cao.txt", "\n".join(REPORT_TEXT).encode("utf-8"))})
    assert page.status_code == 200 and 'name="v:bai_internet_mxh" value="14"' in page.text
    unreadable = site.post(f"{ENTRY}/doc-bao-cao", data={"csrf_token": token},
                           files={"file": ("hong.docx", b"not a zip")})
    assert unreadable.status_code == 422 and "hong.docx" in unreadable.text


def test_chooser_offers_units_and_periods_in_scope(site):
    login(site, "huyen")
    page = site.get("/tong-hop").text
    assert '<option value="H01" selected>' in page and 'value="X01"' in page and 'value="X02"' not in page
    assert f'href="/tong-hop/H01/{TPL}/{PERIOD}"' in page
    chosen = site.get("/tong-hop", params={"don_vi": "X01", "mau": TPL, "ky": PERIOD})
    assert chosen.headers["location"] == f"/tong-hop/X01/{TPL}/{PERIOD}"


def test_downloaded_files_do_not_linger(site, db_url):
    import tempfile

    login(site, "xa")
    before = set(Path(tempfile.gettempdir()).glob("tonghop-form-*"))
    assert site.get(f"{ENTRY}/bieu-mau.xlsx").status_code == 200
    assert set(Path(tempfile.gettempdir()).glob("tonghop-form-*")) == before


def test_consolidation_is_offered_only_to_units_with_units_below(site):
    login(site, "xa")
    for page in ("/viec-can-lam", "/kho-van-ban"):
        text = site.get(page).text
        assert 'href="/tong-hop"' not in text and "các đơn vị trực thuộc →" not in text, page
    site.cookies.clear()
    login(site, "huyen")
    home = site.get("/viec-can-lam").text
    assert 'href="/tong-hop"' in home and "Xem tổng hợp báo cáo của các đơn vị trực thuộc →" in home
    assert 'href="/tong-hop"' in site.get("/kho-van-ban").text


def test_a_reader_cannot_upload_to_the_entry_page(site, db_url):
    token = login(site, "chuyenvien")
    for action in ("nap-bieu-mau", "doc-bao-cao"):
        sent = site.post(f"{ENTRY}/{action}", data={"csrf_token": token},
                         files={"file": ("bao-cao.txt", "\n".join(REPORT_TEXT).encode("utf-8"))})
        assert sent.status_code == 404, action
    assert submissions.history("X01", TPL, PERIOD, url=db_url) == []


def test_a_period_not_started_yet_has_no_entry_form(site, db_url):
    token = login(site, "xa")
    future = f"/bao-cao/X01/{TPL}/2030M1"
    page = site.get(future)
    assert page.status_code == 404 and "Kỳ tháng 1/2030 chưa bắt đầu" in page.text and "entry-form" not in page.text
    data = {f"v:{k}": str(v) for k, v in FIGURES.items()} | {"based_on": "0", "csrf_token": token}
    sent = site.post(f"{future}/nop", data=data | narrative(db_url))
    assert sent.status_code == 404 and "chưa bắt đầu" in sent.text
    assert submissions.history("X01", TPL, "2030M1", url=db_url) == []
    sibling = site.get(f"/bao-cao/X02/{TPL}/2030M1")  # out of scope: nothing said about it
    assert sibling.status_code == 404 and "chưa bắt đầu" not in sibling.text


def test_a_period_before_the_unit_existed_has_no_entry_form(site, db_url, tmp_path):
    from tonghop.services import units

    (tmp_path / "new.yaml").write_text("units:\n  - {code: X09, name: Xã Mới Lập, kind: commune, parent: H01, "
                                       "valid_from: 2025-07-01}\n", encoding="utf-8")
    units.import_units_file(tmp_path / "new.yaml", url=db_url)
    login(site, "huyen")
    page = site.get(f"/bao-cao/X09/{TPL}/2020M1")
    assert page.status_code == 404 and "'X09' chưa có hoặc không còn trong kỳ tháng 1/2020" in html.unescape(page.text)
    assert site.get(f"/bao-cao/X09/{TPL}/2025M8").status_code == 200
