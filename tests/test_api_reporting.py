"""REST API of the reporting desk: periods, saves and filings, conflicts, validation, reviews, consolidations."""

from __future__ import annotations

import io

import pytest

import pg
from accounts_fixtures import make_client, make_user
from tonghop.services import accounts, templates, units

TPL = "bc-tu-tuong-thang"
PERIOD = "2025M11"
UNITS = """
units:
  - {code: P, name: Ủy ban nhân dân tỉnh Thử, kind: province}
  - {code: C1, name: Ủy ban nhân dân xã Một, kind: commune, parent: P}
  - {code: C2, name: Ủy ban nhân dân xã Hai, kind: commune, parent: P}
"""
NARR = {"III": "Tiếp tục tuyên truyền."}


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """A database with the units, the assignment and four users, built once and copied for each test."""
    folder = tmp_path_factory.mktemp("seed")
    url = pg.seed_url(folder)
    (folder / "u.yaml").write_text(UNITS, encoding="utf-8")
    units.import_units_file(folder / "u.yaml", url=url)
    templates.assign(TPL, kinds=["commune"], url=url)
    for name, unit, role in (("bc1", "C1", "reporter"), ("bc2", "C2", "reporter"), ("duyet", "P", "approver"),
                             ("xem", "P", "viewer")):
        make_user(url, name, unit, role)
    return url


@pytest.fixture
def db_url(seed, db_url):
    """A copy of the seed database for this test."""
    pg.copy_seed(seed, db_url)
    return db_url


@pytest.fixture
def api(db_url):
    """A client factory: api("user") is a client carrying that user's token."""
    clients = []

    def client_for(username: str):
        client = make_client(db_url).__enter__()
        client.headers["Authorization"] = f"Bearer {accounts.issue_token(username, url=db_url)}"
        clients.append(client)
        return client

    yield client_for
    for client in clients:
        client.__exit__(None, None, None)


def _post(client, unit="C1", based_on=0, action="save", values=None, period=PERIOD, **extra):
    body = {"values": values if values is not None else {"bai_internet_mxh": "1.204", "binh_luan": 7},
            "narrative": NARR, "action": action, "based_on_version": based_on, **extra}
    return client.post(f"/api/v1/submissions/{unit}/{TPL}/{period}", json=body)


def test_save_draft_then_submit_keeps_versions(api):
    client = api("bc1")
    first = _post(client)
    assert first.status_code == 201 and first.json()["state"] == "draft" and first.json()["version"] == 1
    second = _post(client, based_on=1, action="submit")
    assert (second.status_code, second.json()["state"], second.json()["version"]) == (201, "submitted", 2)
    detail = client.get(f"/api/v1/submissions/C1/{TPL}/{PERIOD}").json()
    assert [v["state"] for v in detail["versions"]] == ["draft", "submitted"]
    assert detail["versions"][1]["values"]["bai_internet_mxh"] == 1204 and detail["versions"][1]["author"] == "bc1"
    assert detail["state"] == "submitted" and detail["deadline"] > "2025-11-14"


def test_nothing_saved_yet_is_version_zero(api):
    detail = api("bc1").get(f"/api/v1/submissions/C1/{TPL}/{PERIOD}").json()
    assert (detail["version"], detail["state"], detail["versions"]) == (0, None, [])


def test_stale_save_is_409_with_the_other_change(api):
    client = api("bc1")
    _post(client)
    _post(client, based_on=1, values={"bai_internet_mxh": 5})
    stale = _post(client, based_on=1)
    error = stale.json()["error"]
    assert stale.status_code == 409 and error["code"] == "conflict" and "phiên bản 2" in error["message"]
    assert error["current"]["version"] == 2 and error["current"]["values"]["bai_internet_mxh"] == 5


def test_invalid_figures_are_422_per_indicator(api):
    response = _post(api("bc1"), action="submit", values={"bai_internet_mxh": -3, "binh_luan": "mười"})
    error = response.json()["error"]
    assert response.status_code == 422 and error["code"] == "invalid"
    assert {i["indicator"] for i in error["issues"]} >= {"binh_luan"}
    assert all(i["message"] for i in error["issues"])


def test_unknown_indicator_field_in_body_is_422(api):
    response = api("bc1").post(f"/api/v1/submissions/C1/{TPL}/{PERIOD}", json={"values": {}, "bogus": 1})
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "bogus"


def test_bad_period_is_422_and_unknown_template_404(api):
    client = api("bc1")
    assert _post(client, period="2025M13").status_code == 422
    missing = client.post("/api/v1/submissions/C1/khong-co/2025M11", json={"values": {}})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_reporter_cannot_file_for_sibling(api):
    response = _post(api("bc1"), unit="C2")
    assert response.status_code == 404 and "Hai" not in response.text


def test_review_approve_and_return_need_the_parent_approver(api):
    _post(api("bc1"), action="submit")
    assert api("bc1").post(f"/api/v1/submissions/C1/{TPL}/{PERIOD}/review",
                           json={"action": "approve"}).status_code == 403  # a reporter does not review
    approver = api("duyet")
    no_reason = approver.post(f"/api/v1/submissions/C1/{TPL}/{PERIOD}/review", json={"action": "return"})
    assert no_reason.status_code == 422 and "lý do" in no_reason.json()["error"]["message"]
    returned = approver.post(f"/api/v1/submissions/C1/{TPL}/{PERIOD}/review",
                             json={"action": "return", "comment": "Bổ sung số liệu mục 3", "based_on_version": 1})
    assert returned.status_code == 201 and returned.json()["state"] == "returned"
    again = _post(api("bc1"), based_on=2, action="submit")
    assert again.json()["state"] == "resubmitted"
    approved = approver.post(f"/api/v1/submissions/C1/{TPL}/{PERIOD}/review", json={"action": "approve"})
    assert approved.status_code == 201 and approved.json()["state"] == "approved"


def test_review_of_a_draft_is_409(api):
    _post(api("bc1"))
    response = api("duyet").post(f"/api/v1/submissions/C1/{TPL}/{PERIOD.lower()}/review", json={"action": "approve"})
    error = response.json()["error"]
    assert response.status_code == 409 and "Nháp" in error["message"] and error["current"]["version"] == 1


def test_review_of_nothing_is_404(api):
    response = api("duyet").post(f"/api/v1/submissions/C2/{TPL}/{PERIOD}/review", json={"action": "approve"})
    assert response.status_code == 404


def test_every_write_is_audited(api, db_url):
    _post(api("bc1"), action="submit")
    api("duyet").post(f"/api/v1/submissions/C1/{TPL}/{PERIOD}/review", json={"action": "approve"})
    log = accounts.audit_log(url=db_url)
    got = [(e["actor"], e["action"], e["target"]) for e in log if e["action"].startswith("submission.")]
    target = f"submission:C1/{TPL}/{PERIOD}"
    assert sorted(got) == [("bc1", "submission.submit", target), ("duyet", "submission.approve", target)]
    approve = next(e for e in log if e["action"] == "submission.approve")
    assert approve["before"] == {"version": 1} and approve["after"]["state"] == "approved"


def test_listing_latest_per_unit_paginated(api):
    _post(api("bc1"), action="submit")
    _post(api("bc2"), unit="C2", values={"bai_internet_mxh": 3})
    client = api("xem")
    page = client.get("/api/v1/submissions", params={"template": TPL, "period": PERIOD, "limit": 1}).json()
    rest = client.get("/api/v1/submissions", params={"template": TPL, "period": PERIOD, "offset": 1}).json()
    assert page["total"] == 2 and len(page["items"]) == 1 and len(rest["items"]) == 1
    states = {r["unit"]: r["state"] for r in page["items"] + rest["items"]}
    assert states == {"C1": "submitted", "C2": "draft"}
    own = api("bc2").get("/api/v1/submissions", params={"template": TPL, "period": PERIOD}).json()
    assert [r["unit"] for r in own["items"]] == ["C2"]


def test_listing_needs_template_and_period(api):
    response = api("xem").get("/api/v1/submissions", params={"template": TPL})
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "period"


def test_periods_of_a_year_with_deadlines(api):
    body = api("xem").get("/api/v1/periods", params={"template": TPL, "year": 2025}).json()
    assert body["total"] == 12 and body["items"][10]["code"] == "2025M11"
    nov = body["items"][10]
    assert (nov["cutoff_start"], nov["cutoff_end"]) == ("2025-10-15", "2025-11-14")  # Decree 09 window
    assert nov["deadline"] > nov["cutoff_end"]
    assert api("xem").get("/api/v1/periods", params={"template": "khong-co"}).status_code == 404


def test_consolidation_json_counts_filed_units(api):
    _post(api("bc1"), action="submit", values={"bai_internet_mxh": 4})
    _post(api("bc2"), unit="C2", action="submit", values={"bai_internet_mxh": 6})
    body = api("duyet").get(f"/api/v1/consolidations/P/{TPL}/{PERIOD}").json()
    value = next(i for i in body["indicators"] if i["code"] == "bai_internet_mxh")["value"]
    assert (body["unit"], value, body["completeness"]["submitted"]) == ("P", 10, 2)
    assert {u["unit"] for u in body["by_unit"]} == {"C1", "C2"}


def test_viewer_may_not_file(api):
    response = _post(api("xem"), unit="P")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert "không được lập" in response.json()["error"]["message"]


def test_consolidated_docx_and_xlsx_downloads(api):
    import docx
    import openpyxl

    _post(api("bc1"), action="submit", values={"bai_internet_mxh": 4})
    client = api("xem")
    word = client.get(f"/api/v1/consolidations/P/{TPL}/{PERIOD}/docx")
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Ủy ban nhân dân tỉnh Thử".upper() in text.upper()
    sheet = client.get(f"/api/v1/consolidations/P/{TPL}/{PERIOD}/xlsx")
    assert sheet.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheet")
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    assert 4 in cells and "Ủy ban nhân dân xã Một" in cells


def test_reporting_endpoints_in_openapi(api):
    paths = api("xem").get("/api/v1/openapi.json").json()["paths"]
    assert {"/periods", "/submissions", "/submissions/{unit}/{template}/{period}/review",
            "/consolidations/{unit}/{template}/{period}/docx"} <= set(paths)


def test_period_in_year_9999_is_422_not_a_crash_past_the_calendar(api):
    client = api("bc1")
    response = client.get(f"/api/v1/submissions/C1/{TPL}/9999M12")
    assert response.status_code == 422 and "9999" in response.json()["error"]["message"]
    assert _post(client, period="3000M01").status_code == 422


def test_version_beyond_an_integer_column_is_422(api):
    response = _post(api("bc1"), based_on=2**63)
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "based_on_version"


@pytest.mark.parametrize("extra", [{"values": {"binh_luan": "7\x00"}}, {"narrative": {"III": "a\x00b"}},
                                   {"comment": "\x00"}, {"values": {"x\x00": 1}}])
def test_nul_in_a_body_is_422_and_nothing_saved(api, extra):
    client = api("bc1")
    response = _post(client, **extra)
    assert response.status_code == 422 and "NUL" in response.json()["error"]["details"][0]["message"]
    assert client.get(f"/api/v1/submissions/C1/{TPL}/{PERIOD}").json()["version"] == 0


def test_nul_in_a_period_is_422(api):
    assert api("bc1").get(f"/api/v1/submissions/C1/{TPL}/2025M1%001").status_code == 422


@pytest.mark.parametrize("figure", ["12" * 200, 10**30, 2**63, 1e308, -(2**53) - 1])
def test_figure_beyond_exact_storage_is_422_not_500_nor_rounded(api, figure):
    client = api("bc1")
    response = _post(client, values={"binh_luan": figure})
    assert response.status_code == 422 and response.json()["error"]["issues"][0]["indicator"] == "binh_luan"
    assert "giới hạn" in response.json()["error"]["issues"][0]["message"]
    assert _post(client, values={"binh_luan": 2**53}).json()["version"] == 1


@pytest.mark.parametrize("figure", [True, [3], {"a": [1]}])
def test_figure_of_a_type_the_schema_refuses_is_422_not_coerced(api, figure):
    response = _post(api("bc1"), values={"binh_luan": figure})
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"].startswith("values")


@pytest.mark.parametrize("version", [False, True, "0", 0.5])
def test_based_on_version_must_be_a_json_integer(api, version):
    response = _post(api("bc1"), based_on=version)
    assert response.status_code == 422 and response.json()["error"]["details"][0]["field"] == "based_on_version"


def test_based_on_version_as_a_whole_float_is_an_integer_as_json_schema_says(api):
    assert _post(api("bc1"), based_on=0.0).status_code == 201


def test_a_period_not_started_yet_is_422_naming_the_reason(api):
    response = _post(api("bc1"), period="2030M1")
    assert response.status_code == 422 and "Kỳ tháng 1/2030 chưa bắt đầu" in response.json()["error"]["message"]
