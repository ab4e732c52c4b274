"""Administration pages: admins only (404 otherwise), scoped to the admin's subtree, CSRF, audit, escaping."""

from __future__ import annotations

import re

import pytest

import pg
from accounts_fixtures import PASSWORD, csrf_of, log_in, make_client, make_units, make_user
from tonghop.services import accounts, templates

PAGES = ["/quan-tri/don-vi", "/quan-tri/mau-bao-cao", "/quan-tri/mau-bao-cao/bc-kinh-te-xa-hoi-thang",
         "/quan-tri/giao-bao-cao", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky"]
BAD_TEMPLATE = """code: bc-thu
name: Báo cáo thử
period_type: month
indicators:
  - {code: a, name: Chỉ tiêu A, unit: người}
  - {code: b, name: Chỉ tiêu B, unit: người, aggregation: trung-binh}
"""


def _seed(url: str, folder) -> None:
    make_units(url, folder)
    make_user(url, "quantri", unit="H01", role="admin")
    make_user(url, "canbo", unit="X01", role="reporter")
    make_user(url, "ngoai", unit="H02", role="reporter")
    make_user(url, "quantri.tinh", unit="T01", role="admin")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A database with the five units and three users, built once and copied for each test."""
    folder = tmp_path_factory.mktemp("admin-seed")
    url = pg.seed_url(folder)
    _seed(url, folder)
    return url


@pytest.fixture
def seeded_url(db_url, seeded, tmp_path) -> str:
    """The test's database holding a copy of the seed."""
    pg.copy_seed(seeded, db_url)
    return db_url


@pytest.fixture
def admin_client(seeded_url):
    with make_client(seeded_url) as c:
        log_in(c, "quantri")
        yield c


@pytest.fixture
def top_client(seeded_url):
    with make_client(seeded_url) as c:
        log_in(c, "quantri.tinh")
        yield c


def _token(client, path: str = "/quan-tri/nguoi-dung") -> str:
    return csrf_of(client.get(path).text)


@pytest.mark.parametrize("path", PAGES)
def test_each_page_renders_for_admin(admin_client, path):
    page = admin_client.get(path)
    assert page.status_code == 200, page.text[:500]
    assert 'aria-current="page">Quản trị' in page.text and "Ủy ban nhân dân huyện Đông Phú" in page.text


@pytest.mark.parametrize("role", ["reporter", "approver", "viewer"])
def test_other_roles_get_404(seeded_url, role):
    db_url = seeded_url
    make_user(db_url, "nguoidung", unit="T01", role=role)
    with make_client(db_url) as c:
        log_in(c, "nguoidung")
        assert ">Quản trị<" not in c.get("/kho-van-ban").text
        for path in PAGES:
            assert c.get(path).status_code == 404, path
        token = csrf_of(c.get("/kho-van-ban").text)
        form = {"csrf_token": token, "username": "moi.tao", "unit": "T01", "role": "admin", "password": PASSWORD}
        assert c.post("/quan-tri/nguoi-dung", data=form).status_code == 404
    assert "moi.tao" not in {u.username for u in accounts.list_users(url=db_url)}


def test_admin_sees_only_its_subtree(admin_client):
    text = admin_client.get("/quan-tri/nguoi-dung").text
    assert "canbo" in text and "ngoai" not in text
    units = admin_client.get("/quan-tri/don-vi").text
    assert "Tân Hòa" in units and "Phú Lộc" not in units and "Lam Giang</li>" not in units


def test_template_upload_error_names_field_path(top_client, tmp_path):
    files = {"file": ("mau-thu.yaml", BAD_TEMPLATE.encode(), "application/x-yaml")}
    response = top_client.post("/quan-tri/mau-bao-cao", data={"csrf_token": _token(top_client)}, files=files)
    assert response.status_code == 422
    assert "indicators[1].aggregation" in response.text and "mau-thu.yaml" in response.text


def test_template_upload_then_preview_and_export(top_client, db_url):
    good = BAD_TEMPLATE.replace("trung-binh", "sum")
    files = {"file": ("mau-thu.yaml", good.encode(), "application/x-yaml")}
    response = top_client.post("/quan-tri/mau-bao-cao", data={"csrf_token": _token(top_client)}, files=files)
    assert response.status_code == 303 and response.headers["location"].startswith("/quan-tri/mau-bao-cao/bc-thu")
    preview = top_client.get("/quan-tri/mau-bao-cao/bc-thu").text
    assert "Chỉ tiêu B" in preview and "người" in preview
    exported = top_client.get("/quan-tri/mau-bao-cao/bc-thu/yaml")
    assert exported.status_code == 200 and "Chỉ tiêu A" in exported.text
    assert accounts.audit_log(action="template.import", url=db_url)[0]["actor"] == "quantri.tinh"


def test_user_creation_is_audited_and_scoped(admin_client, db_url):
    token = _token(admin_client)
    form = {"csrf_token": token, "username": "moi.tao", "full_name": "Trần Thị Bình", "unit": "X01",
            "role": "reporter", "password": PASSWORD}
    assert admin_client.post("/quan-tri/nguoi-dung", data=form).status_code == 303
    entry = accounts.audit_log(action="user.create", url=db_url)[0]
    assert entry["actor"] == "quantri" and entry["after"]["unit_code"] == "X01"
    outside = admin_client.post("/quan-tri/nguoi-dung", data={**form, "username": "ngoai2", "unit": "H02"})
    assert outside.status_code == 422 and "ngoài phạm vi" in outside.text
    log = admin_client.get("/quan-tri/nhat-ky?hanh-dong=user.create").text
    assert "user:moi.tao" in log and "Trần Thị Bình" in log


def test_change_role_and_outside_user_is_404(admin_client, db_url):
    token = _token(admin_client)
    assert admin_client.post("/quan-tri/nguoi-dung/canbo/vai-tro",
                             data={"csrf_token": token, "role": "approver"}).status_code == 303
    assert {u.username: u.role for u in accounts.list_users(url=db_url)}["canbo"] == "approver"
    assert accounts.audit_log(action="user.role", url=db_url)[0]["before"] == {"role": "reporter"}
    assert admin_client.post("/quan-tri/nguoi-dung/ngoai/vai-tro",
                             data={"csrf_token": token, "role": "admin"}).status_code == 404


def test_token_shown_once_and_works(admin_client, db_url):
    page = admin_client.post("/quan-tri/nguoi-dung/canbo/ma-api", data={"csrf_token": _token(admin_client)})
    token = re.search(r'value="(thp_[^"]+)"', page.text).group(1)
    assert accounts.verify_token(token, url=db_url).username == "canbo"
    assert token not in admin_client.get("/quan-tri/nguoi-dung").text


def test_post_without_csrf_is_403(admin_client, db_url):
    form = {"username": "moi.tao", "unit": "X01", "role": "reporter", "password": PASSWORD}
    assert admin_client.post("/quan-tri/nguoi-dung", data=form).status_code == 403
    assert admin_client.post("/quan-tri/giao-bao-cao", data={"template": "bc-tu-tuong-thang",
                                                             "unit": "X01"}).status_code == 403
    assert "moi.tao" not in {u.username for u in accounts.list_users(url=db_url)}


def test_assign_and_remove(admin_client, db_url):
    token = _token(admin_client, "/quan-tri/giao-bao-cao")
    form = {"csrf_token": token, "template": "bc-tu-tuong-thang", "unit": "X01"}
    assert admin_client.post("/quan-tri/giao-bao-cao", data=form).status_code == 303
    assert "xã Tân Hòa" in admin_client.get("/quan-tri/giao-bao-cao").text
    by_kind = admin_client.post("/quan-tri/giao-bao-cao", data={**form, "unit": "", "kind": "commune"})
    assert by_kind.status_code == 422 and "cấp cao nhất" in by_kind.text
    assert admin_client.post("/quan-tri/giao-bao-cao/xoa", data=form).status_code == 303
    assert [e["action"] for e in accounts.audit_log(url=db_url)][:2] == ["assignment.remove", "assignment.add"]


def test_names_are_escaped(admin_client, db_url):
    accounts.create_user("xss", PASSWORD, unit="X01", role="viewer", full_name='<script>alert("x")</script>',
                         url=db_url)
    text = admin_client.get("/quan-tri/nguoi-dung").text
    assert '<script>alert("x")</script>' not in text and "&lt;script&gt;" in text
    log = admin_client.get("/quan-tri/nhat-ky").text
    assert "<script>alert" not in log


def test_units_import_and_date_view(admin_client, tmp_path, db_url):
    yaml_text = ("units:\n  - {code: X03, name: Xã Mới <b>, kind: commune, parent: H01, valid_from: 2025-07-01}\n")
    files = {"file": ("don-vi.yaml", yaml_text.encode(), "application/x-yaml")}
    response = admin_client.post("/quan-tri/don-vi", data={"csrf_token": _token(admin_client)}, files=files)
    assert response.status_code == 303
    assert "Xã Mới &lt;b&gt;" in admin_client.get("/quan-tri/don-vi").text
    assert "Xã Mới" not in admin_client.get("/quan-tri/don-vi?at=2025-01-01").text
    outside = yaml_text.replace("X03", "X04").replace("H01", "H02")
    files = {"file": ("ngoai.yaml", outside.encode(), "application/x-yaml")}
    response = admin_client.post("/quan-tri/don-vi", data={"csrf_token": _token(admin_client)}, files=files)
    assert response.status_code == 422 and "X04" in response.text
    assert accounts.audit_log(action="units.import", url=db_url)[0]["actor"] == "quantri"


def test_builtin_templates_listed_with_versions(admin_client, db_url):
    text = admin_client.get("/quan-tri/mau-bao-cao").text
    for t in templates.list_templates(url=db_url):
        assert f"/quan-tri/mau-bao-cao/{t['code']}" in text


def test_yaml_syntax_error_names_the_uploaded_file_only(top_client):
    files = {"file": ("hong.yaml", b"code: [bc\nname: x\n", "application/x-yaml")}
    response = top_client.post("/quan-tri/mau-bao-cao", data={"csrf_token": _token(top_client)}, files=files)
    assert response.status_code == 422 and "hong.yaml" in response.text and "tonghop-template-" not in response.text


def test_audit_log_is_paged_and_filtered(admin_client, db_url):
    for i in range(55):
        accounts.audit("quantri", "user.role", f"user:u{i:02d}", {"role": "viewer"}, {"role": "reporter"}, url=db_url)
    accounts.audit("ngoai", "user.role", "user:hidden", None, None, url=db_url)  # outside the admin's subtree
    first = admin_client.get("/quan-tri/nhat-ky?hanh-dong=user.role").text
    assert "user:u54" in first and "user:u04" not in first and "trang=2" in first and "user:hidden" not in first
    second = admin_client.get("/quan-tri/nhat-ky?hanh-dong=user.role&trang=2").text
    assert "user:u04" in second and "user:u54" not in second and "trang=3" not in second
    assert "user:u00" not in admin_client.get("/quan-tri/nhat-ky?hanh-dong=user.create").text



def test_templates_are_changed_by_top_admins_only(admin_client, db_url):
    files = {"file": ("mau-thu.yaml", BAD_TEMPLATE.replace("trung-binh", "sum").encode(), "application/x-yaml")}
    page = admin_client.get("/quan-tri/mau-bao-cao").text
    assert 'action="/quan-tri/mau-bao-cao"' not in page
    response = admin_client.post("/quan-tri/mau-bao-cao", data={"csrf_token": csrf_of(page)}, files=files)
    assert response.status_code == 422 and "cấp cao nhất" in response.text
    assert "bc-thu" not in {t["code"] for t in templates.list_templates(url=db_url)}


def _written_audit_actions() -> set[str]:
    """Every action code the source passes to audit(), audit_entry() or the API's _saved() (f-strings expanded)."""
    import ast
    from pathlib import Path

    from tonghop.api.reporting import ACTIONS as API_ACTIONS
    from tonghop.regime.submissions import ACTIONS as SUBMISSION_ACTIONS

    position = {"audit": 1, "audit_entry": 2, "_saved": 1}
    verbs = {*SUBMISSION_ACTIONS, *API_ACTIONS}
    found: set[str] = set()
    for path in (Path(__file__).parents[1] / "src" / "tonghop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in position or len(node.args) <= position[name]:
                continue
            arg = node.args[position[name]]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.JoinedStr):
                prefix = arg.values[0].value
                assert prefix == "submission.", f"{path.name}:{node.lineno}: unknown computed audit action"
                found |= {prefix + verb for verb in verbs}
    return found


def test_every_audit_action_written_has_a_vietnamese_name():
    written = _written_audit_actions()
    assert {"user.create", "submission.edit", "submission.submit", "submission.approve"} <= written
    assert written <= set(accounts.AUDIT_ACTIONS), written - set(accounts.AUDIT_ACTIONS)


def test_audit_page_names_report_actions_and_offers_them_as_filters(admin_client, db_url):
    target = "submission:X01/bc-tu-tuong-thang/2026M10"
    for action in ("edit", "submit", "approve", "return"):
        accounts.audit("quantri", f"submission.{action}", target, None, {"version": 1}, url=db_url)
    page = admin_client.get("/quan-tri/nhat-ky").text
    rows = page.split("<tbody>")[1]
    for name in ("Lưu báo cáo (nháp)", "Nộp báo cáo", "Duyệt báo cáo", "Trả lại báo cáo"):
        assert f"<td>{name}</td>" in rows
        assert re.search(rf'<option value="submission\.\w+"\s*>{re.escape(name)}</option>', page)
    assert ">submission." not in rows


def test_audit_times_are_vietnam_time(admin_client, db_url, monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.setattr(accounts, "_now", lambda: datetime(2026, 11, 23, 20, 5, 9, tzinfo=UTC))
    accounts.audit("quantri", "user.role", "user:canbo", None, None, url=db_url)
    page = admin_client.get("/quan-tri/nhat-ky").text
    assert "<th scope=\"col\">Thời điểm</th>" in page and "UTC" not in page
    assert "24/11/2026 03:05:09" in page  # 20:05 UTC is 03:05 the next morning in Hà Nội


@pytest.mark.parametrize("typed", ["30/06/2025", "30-06-2025", "2025-06-30", " 30/6/2025 "])
def test_units_tree_at_a_date_typed_as_asked(admin_client, typed):
    page = admin_client.get("/quan-tri/don-vi", params={"at": typed}).text
    assert "Ngày không hợp lệ" not in page and "Đơn vị ngày 30/06/2025" in page
    assert 'value="2025-06-30"' in page


@pytest.mark.parametrize("typed", ["31/02/2025", "06/2025", "hôm qua"])
def test_units_tree_at_an_impossible_or_partial_date_says_so(admin_client, typed):
    page = admin_client.get("/quan-tri/don-vi", params={"at": typed}).text
    assert "Ngày không hợp lệ" in page and "đang có hiệu lực hôm nay" in page


def test_removing_an_assignment_asks_for_confirmation_first(admin_client, db_url):
    templates.assign("bc-tu-tuong-thang", units=["X01"], url=db_url)
    page = admin_client.get("/quan-tri/giao-bao-cao").text
    form = re.search(r'<form method="post" action="/quan-tri/giao-bao-cao/xoa"[^>]*>', page).group(0)
    assert 'hx-boost="true"' in form  # htmx sends the form, so it asks first (window.confirm, no inline script)
    question = re.search(r'hx-confirm="([^"]*)"', form).group(1)
    assert question.startswith("Bỏ giao mẫu bc-tu-tuong-thang cho Ủy ban nhân dân xã Tân Hòa (mã X01)?")
