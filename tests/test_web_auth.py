"""Web sessions: login, logout, rate limit, CSRF, cookie flags, password change, forged cookies."""

from __future__ import annotations

import pytest

from accounts_fixtures import PASSWORD, csrf_of, log_in, make_client, make_units, make_user
from tonghop.services import accounts
from tonghop.web.auth import COOKIE, WebSession, decode_session, encode_session


@pytest.fixture
def client(db_url, tmp_path):
    make_units(db_url, tmp_path)
    make_user(db_url)
    with make_client(db_url) as c:
        yield c


def test_pages_need_login(client):
    response = client.get("/kho-van-ban?q=ke+hoach")
    assert response.status_code == 303
    assert response.headers["location"] == "/dang-nhap?next=/kho-van-ban%3Fq%3Dke%2Bhoach"


def test_login_ok_redirects_to_next(client):
    response = log_in(client, next_path="/kho-van-ban?q=245")
    assert response.status_code == 303 and response.headers["location"] == "/kho-van-ban?q=245"
    page = client.get("/kho-van-ban")
    assert page.status_code == 200 and "Nguyễn Văn An" in page.text and "Đăng xuất" in page.text


def test_login_bad_password(client):
    response = log_in(client, password="sai-mat-khau-123")
    assert response.status_code == 401 and "không đúng" in response.text
    assert client.get("/kho-van-ban").status_code == 303


def test_open_redirect_refused(client):
    assert log_in(client, next_path="//evil.example/x").headers["location"] == "/viec-can-lam"


def test_rate_limit_after_failures(client):
    for _ in range(accounts.MAX_FAILURES):
        assert log_in(client, password="sai-mat-khau-123").status_code == 401
    response = log_in(client)
    assert response.status_code == 429 and "thử lại sau" in response.text


def test_post_without_csrf_is_403(client):
    response = client.post("/dang-nhap", data={"username": "chuyenvien", "password": PASSWORD})
    assert response.status_code == 403 and "CSRF" in response.text
    assert client.get("/kho-van-ban").status_code == 303


def test_csrf_of_another_session_is_403(db_url, client):
    with make_client(db_url) as other:
        foreign = csrf_of(other.get("/dang-nhap").text)
    client.get("/dang-nhap")
    response = client.post("/dang-nhap", data={"username": "chuyenvien", "password": PASSWORD, "csrf_token": foreign})
    assert response.status_code == 403


def test_csrf_header_accepted_for_htmx(client):
    log_in(client)
    token = csrf_of(client.get("/doi-mat-khau").text)
    assert client.post("/dang-xuat", headers={"X-CSRF-Token": token}).status_code == 303
    assert client.get("/kho-van-ban").status_code == 303


def test_cookie_flags_http_and_https(db_url, client):
    cookie = client.get("/dang-nhap").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    with make_client(db_url, base_url="https://testserver") as secure:
        assert "Secure" in secure.get("/dang-nhap").headers["set-cookie"]


def test_login_rotates_session(client):
    client.get("/dang-nhap")
    before = client.cookies[COOKIE]
    log_in(client)
    assert client.cookies[COOKIE] != before


def test_logout(client):
    log_in(client)
    token = csrf_of(client.get("/kho-van-ban").text)
    assert client.post("/dang-xuat", data={"csrf_token": token}).headers["location"] == "/dang-nhap"
    assert client.get("/kho-van-ban").status_code == 303


def test_logout_refuses_a_copy_of_the_cookie(db_url, client):
    log_in(client)
    stolen = client.cookies[COOKIE]
    client.post("/dang-xuat", data={"csrf_token": csrf_of(client.get("/kho-van-ban").text)})
    with make_client(db_url) as thief:
        thief.cookies.set(COOKIE, stolen)
        assert thief.get("/kho-van-ban").status_code == 303


def test_logout_leaves_other_sessions_alone(db_url, client):
    log_in(client)
    with make_client(db_url) as second:
        log_in(second)
        client.post("/dang-xuat", data={"csrf_token": csrf_of(client.get("/kho-van-ban").text)})
        assert second.get("/kho-van-ban").status_code == 200


def test_password_change_ends_other_sessions(db_url, client):
    log_in(client)
    with make_client(db_url) as second:
        log_in(second)
        form = {"current": PASSWORD, "new": "mat-khau-moi-2026", "confirm": "mat-khau-moi-2026",
                "csrf_token": csrf_of(client.get("/doi-mat-khau").text)}
        response = client.post("/doi-mat-khau", data=form)
        assert response.status_code == 200 and "Đã đổi mật khẩu" in response.text
        assert client.get("/kho-van-ban").status_code == 200
        assert second.get("/kho-van-ban").status_code == 303
    assert accounts.authenticate("chuyenvien", "mat-khau-moi-2026", url=db_url)


def test_password_change_mismatch(client):
    log_in(client)
    form = {"current": PASSWORD, "new": "mat-khau-moi-2026", "confirm": "khac-han-2026",
            "csrf_token": csrf_of(client.get("/doi-mat-khau").text)}
    assert "không khớp" in client.post("/doi-mat-khau", data=form).text


def test_forged_or_expired_cookie_rejected():
    good = encode_session(WebSession(nonce="n", user_id=1, stamp="s", issued=1_000_000), "secret")
    assert decode_session(good, "secret", now=1_000_100) == WebSession("n", 1, "s", 1_000_000)
    assert decode_session(good, "other-secret", now=1_000_100) is None
    data, sig = good.split(".")
    assert decode_session(data[:-2] + "xx." + sig, "secret", now=1_000_100) is None
    assert decode_session(good, "secret", now=1_000_000 + 13 * 3600) is None


def test_forged_cookie_does_not_log_in(client):
    client.cookies.set(COOKIE, encode_session(WebSession(nonce="n", user_id=1, issued=2_000_000_000), "guess"))
    assert client.get("/kho-van-ban").status_code == 303
