"""Archive pages: search with highlighted, escaped snippets and filters; document links both ways; upload."""

from __future__ import annotations

import re

import pytest

from accounts_fixtures import csrf_of, log_in, make_client, make_units, make_user, sample_files
from tonghop.services import accounts, archive


@pytest.fixture
def site(db_url, tmp_path):
    make_units(db_url, tmp_path)
    make_user(db_url)
    make_user(db_url, "xem", role="viewer")
    report = archive.ingest_paths([str(p) for p in sample_files(tmp_path / "docs")], url=db_url)
    assert report.added == 3
    with make_client(db_url) as client:
        log_in(client)
        yield client, dict(zip(("kh", "bc", "xss"), report.document_ids, strict=True))


def test_search_highlights_terms_without_diacritics(site):
    client, ids = site
    page = client.get("/kho-van-ban", params={"q": "ke hoach 245"})
    assert page.status_code == 200
    assert f'href="/van-ban/{ids["kh"]}"' in page.text
    assert re.search(r"<mark>Kế</mark> <mark>hoạch</mark>", page.text)


def test_search_escapes_document_text(site):
    client, ids = site
    page = client.get("/kho-van-ban", params={"q": "tiep cong dan"})
    assert f'/van-ban/{ids["xss"]}' in page.text
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(" in page.text


def test_document_page_escapes_text(site):
    client, ids = site
    page = client.get(f"/van-ban/{ids['xss']}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in page.text


def test_search_filters_by_type(site):
    client, ids = site
    page = client.get("/kho-van-ban", params={"q": "245", "loai": "BC"})
    assert f'/van-ban/{ids["bc"]}"' in page.text and f'/van-ban/{ids["kh"]}"' not in page.text


def test_htmx_search_returns_fragment(site):
    client, _ = site
    page = client.get("/kho-van-ban", params={"q": "245"}, headers={"HX-Request": "true"})
    assert "<html" not in page.text and "Tìm thấy" in page.text


def test_listing_without_query(site):
    client, ids = site
    page = client.get("/kho-van-ban")
    assert "3</strong> văn bản" in page.text and "245/KH-UBND" in page.text


def test_document_links_to_cited_and_citing(site):
    client, ids = site
    report = client.get(f"/van-ban/{ids['bc']}").text
    assert f'<a href="/van-ban/{ids["kh"]}">245/KH-UBND</a>' in report
    plan = client.get(f"/van-ban/{ids['kh']}").text
    assert f'<a href="/van-ban/{ids["bc"]}">120/BC-UBND</a>' in plan


def test_unknown_document_is_404_page(site):
    client, _ = site
    page = client.get("/van-ban/99999")
    assert page.status_code == 404 and "Không tìm thấy" in page.text


def test_upload_batch_with_a_bad_file(site, db_url):
    client, _ = site
    token = csrf_of(client.get("/nap-van-ban").text)
    plan = "ỦY BAN NHÂN DÂN\nSố: 301/KH-UBND\nKẾ HOẠCH\nTriển khai Kế hoạch số 245/KH-UBND năm 2021\n"
    files = [("files", ("kế hoạch 301.txt", plan.encode(), "text/plain")),
             ("files", ("hong.docx", b"not a zip", "application/octet-stream"))]
    page = client.post("/nap-van-ban", data={"csrf_token": token}, files=files)
    assert page.status_code == 200
    assert re.search(r"<strong>1</strong> thêm mới", page.text) and re.search(r"<strong>1</strong> lỗi", page.text)
    assert "hong.docx" in page.text and "301/KH-UBND" in page.text
    entry = accounts.audit_log(action="archive.ingest", url=db_url)[0]
    assert entry["actor"] == "chuyenvien" and entry["after"]["added"] == 1


def test_upload_forbidden_for_viewer(db_url, site):
    with make_client(db_url) as viewer:
        log_in(viewer, "xem")
        assert viewer.get("/nap-van-ban").status_code == 403
        token = csrf_of(viewer.get("/kho-van-ban").text)
        files = [("files", ("a.txt", b"BAO CAO", "text/plain"))]
        assert viewer.post("/nap-van-ban", data={"csrf_token": token}, files=files).status_code == 403


def test_upload_without_csrf_is_403(site):
    client, _ = site
    response = client.post("/nap-van-ban", files=[("files", ("a.txt", b"x", "text/plain"))])
    assert response.status_code == 403


def test_units_pages_scoped_with_404_outside(site):
    client, _ = site
    listing = client.get("/don-vi").text
    assert "Ủy ban nhân dân huyện Đông Phú" in listing and "xã Tân Hòa" in listing and "Hà Thanh" not in listing
    assert "xã Tân Hòa" in client.get("/don-vi/H01").text
    for outside in ("T01", "H02", "X02"):
        assert client.get(f"/don-vi/{outside}").status_code == 404


def test_pages_carry_security_headers(site):
    client, _ = site
    headers = client.get("/kho-van-ban").headers
    assert "script-src 'self'" in headers["content-security-policy"] and headers["x-frame-options"] == "DENY"


def test_htmx_search_fragment_is_never_cached_as_the_page(site):
    client, _ = site
    fragment = client.get("/kho-van-ban", params={"q": "245"}, headers={"HX-Request": "true"})
    assert "HX-Request" in fragment.headers["vary"] and "no-store" in fragment.headers["cache-control"]
    page = client.get("/kho-van-ban", params={"q": "245"})
    assert "<html" in page.text and "HX-Request" in page.headers.get("vary", "")  # same address, other variant
