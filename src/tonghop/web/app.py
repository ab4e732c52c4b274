"""The web pages: a router (account pages here, archive pages in archive_pages) and what the app must install."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Request
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from tonghop.services import accounts
from tonghop.web import admin_pages, archive_pages, reporting_pages, unit_pages
from tonghop.web.auth import LoginRequired, PageUser, db_url, log_in, log_out, refresh_stamp
from tonghop.web.csrf import csrf_protect
from tonghop.web.rendering import STATIC_DIR, login_url, redirect, render, safe_next

ERROR_TITLES = {
    400: "Yêu cầu không hợp lệ", 403: "Không được phép", 404: "Không tìm thấy", 405: "Phương thức không được hỗ trợ",
    413: "Tệp quá lớn", 422: "Dữ liệu không hợp lệ", 429: "Thử lại sau",
}  # fmt: skip


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
        title = ERROR_TITLES.get(exc.status_code, "Lỗi")
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else (
            "Trang hoặc văn bản bạn tìm không có, hoặc bạn không có quyền xem.")
        return render(request, "error.html", {"title": title, "status": exc.status_code, "detail": detail},
                      exc.status_code)
