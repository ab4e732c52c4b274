"""The web pages: a router (account pages here, archive pages in archive_pages) and what the app must install."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response

from tonghop.services import accounts
from tonghop.web import admin_pages, archive_pages, reporting_pages, unit_pages
from tonghop.web.auth import LoginRequired, PageUser, db_url, log_in, log_out, refresh_stamp
from tonghop.web.csrf import csrf_protect
from tonghop.web.rendering import STATIC_DIR, TEMPLATES, login_url, redirect, render, safe_next, secure

ERROR_TITLES = {
    400: "Yêu cầu không hợp lệ", 403: "Không được phép", 404: "Không tìm thấy", 405: "Phương thức không được hỗ trợ",
    413: "Tệp quá lớn", 422: "Dữ liệu không hợp lệ", 429: "Thử lại sau", 500: "Lỗi máy chủ",
}  # fmt: skip
NOT_FOUND = "Trang hoặc văn bản bạn tìm không có, hoặc bạn không có quyền xem."
SERVER_ERROR = ("Trang này chưa mở được do một lỗi ngoài ý muốn của máy chủ; lỗi đã được ghi lại cho người quản trị. "
                "Hãy thử lại sau ít phút; nếu vẫn lỗi, hãy báo cho người quản trị hệ thống.")
API_PREFIX = "/api/"  # the API answers its own errors as JSON ({"error": {"code", "message"}})
log = logging.getLogger("tonghop")


def client_of(request: Request) -> str:
    """The client address, as the server sees it (uvicorn applies trusted proxy headers)."""
    return request.client.host if request.client else ""


def _account_routes(router: APIRouter) -> None:
    @router.get("/dang-nhap")
    def login_form(request: Request, next: str = "") -> Response:
        return render(request, "login.html", {"next": safe_next(next), "title": "Đăng nhập"})

    @router.post("/dang-nhap")
    def login(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
              next: Annotated[str, Form()] = "") -> Response:
        try:
            user = accounts.authenticate(username, password, client=client_of(request), url=db_url(request))
        except accounts.AccountError as exc:
            status = 429 if isinstance(exc, accounts.RateLimited) else 401
            context = {"next": safe_next(next), "error": str(exc), "username": username, "title": "Đăng nhập"}
            return render(request, "login.html", context, status_code=status)
        log_in(request, user)
        return redirect(request, safe_next(next))

    @router.post("/dang-xuat")
    def logout(request: Request) -> Response:
        log_out(request)
        return redirect(request, "/dang-nhap")

    @router.get("/doi-mat-khau")
    def password_form(request: Request, user: PageUser) -> Response:
        return render(request, "password.html", {"title": "Đổi mật khẩu"})

    @router.post("/doi-mat-khau")
    def password_change(request: Request, user: PageUser, current: Annotated[str, Form()] = "",
                        new: Annotated[str, Form()] = "", confirm: Annotated[str, Form()] = "") -> Response:
        context = {"title": "Đổi mật khẩu"}
        if new != confirm:
            return render(request, "password.html", {**context, "error": "Mật khẩu nhập lại không khớp"}, 422)
        try:
            changed = accounts.change_password(user.id, current, new, url=db_url(request))
        except accounts.AccountError as exc:
            return render(request, "password.html", {**context, "error": str(exc)}, 422)
        refresh_stamp(request, changed)
        return render(request, "password.html", {**context, "done": True})


def create_web_router() -> APIRouter:
    """Every page, with CSRF checked on every unsafe request."""
    router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
    _account_routes(router)
    archive_pages.add_routes(router)
    unit_pages.add_routes(router)
    admin_pages.add_routes(router)
    reporting_pages.add_routes(router)
    return router


def install_web(app: FastAPI) -> None:
    """Add the pages, the static files and the HTML error pages to APP."""
    app.include_router(create_web_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            response = Response(status_code=204, headers={"HX-Redirect": login_url(exc.next_path)})
            return response
        return redirect(request, login_url(exc.next_path), 303)

    @app.exception_handler(StarletteHTTPException)
    async def error_page(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else NOT_FOUND
        response = _error_page(request, exc.status_code, detail)
        response.headers.update(exc.headers or {})  # Retry-After, Allow
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_page(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith(API_PREFIX):
            return await request_validation_exception_handler(request, exc)
        errors = exc.errors()
        if all(e["loc"][:1] == ("path",) for e in errors):  # /van-ban/abc names no document: a missing page
            return _error_page(request, 404, NOT_FOUND)
        fields = ", ".join(dict.fromkeys(str(e["loc"][-1]) for e in errors))
        return _error_page(request, 400, f"Thiếu hoặc sai trường: {fields}. Hãy quay lại trang trước và gửi lại.")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith(API_PREFIX):  # never sent: the API app has already answered
            return Response("Internal Server Error", status_code=500, media_type="text/plain")
        log.exception("Lỗi máy chủ khi phục vụ %s %s", request.method, request.url.path)
        try:
            return _error_page(request, 500, SERVER_ERROR)
        except Exception:  # the database may be what failed: the page without the user's menu
            return secure(HTMLResponse(_bare_error_page(request), status_code=500))


def _bare_error_page(request: Request) -> str:
    """The 500 page rendered without the session, the user or the database."""
    try:
        return TEMPLATES.env.get_template("error.html").render(
            title=ERROR_TITLES[500], status=500, detail=SERVER_ERROR, user=None, csrf_token="", path=request.url.path)
    except Exception:
        log.exception("Không hiển thị được trang lỗi")
        return (f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>{ERROR_TITLES[500]}</title>'
                f'<h1>{ERROR_TITLES[500]} (500)</h1><p>{SERVER_ERROR}</p><p><a href="/dang-nhap">Đăng nhập</a></p>')


def _error_page(request: Request, status: int, detail: str) -> Response:
    """The HTML error page with STATUS and DETAIL (a title in Vietnamese)."""
    return render(request, "error.html", {"title": ERROR_TITLES.get(status, "Lỗi"), "status": status,
                                          "detail": detail}, status)
