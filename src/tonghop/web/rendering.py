"""Jinja2 environment and page responses (every response carries the session cookie when it changed)."""

from __future__ import annotations

from numbers import Number
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import RedirectResponse, Response

from tonghop.services import desk
from tonghop.services.accounts import ROLES
from tonghop.web.auth import apply_cookie, current_user, db_url
from tonghop.web.csrf import csrf_token

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
STATIC_DIR = Path(__file__).parent / "static"
TYPE_NAMES = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "KH": "Kế hoạch", "BC": "Báo cáo", "CV": "Công văn",
    "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình", "TTr": "Tờ trình", "CĐ": "Công điện",
    "GM": "Giấy mời", "QC": "Quy chế", "ĐA": "Đề án", "PA": "Phương án", "BB": "Biên bản", "TIN": "Tin bài",
}  # fmt: skip


def vn_number(value: Any) -> str:
    """A number written the Vietnamese way: 2.129.000 and 65,9."""
    if value is None or value == "":
        return ""
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}".replace(",", ".")
    whole, _, frac = f"{number:,.4f}".rstrip("0").partition(".")
    return whole.replace(",", ".") + ("," + frac if frac else "")


def shown(value: Any) -> Any:
    """A figure as a form or table cell shows it: numbers the Vietnamese way (fractions to 2 places), text as is,
    nothing for a missing value (a filter, not a macro: tables call it thousands of times per page)."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return vn_number(round(value, 2))
    return vn_number(value) if isinstance(value, Number) else value


def vn_date(value: str | None) -> str:
    """ISO 2021-04-20 as 20/04/2021 (a year-month as 04/2021)."""
    if not value:
        return ""
    parts = value.split("-")
    return "/".join(reversed(parts))


TEMPLATES.env.filters["so"] = vn_number
TEMPLATES.env.filters["ngay"] = vn_date
TEMPLATES.env.filters["shown"] = shown
TEMPLATES.env.filters["basename"] = lambda path: Path(str(path)).name
TEMPLATES.env.globals["TYPE_NAMES"] = TYPE_NAMES
TEMPLATES.env.globals["ROLES"] = ROLES


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def secure(response: Response) -> Response:
    """RESPONSE with the page security headers (no inline script, no framing)."""
    response.headers.update(SECURITY_HEADERS)
    return response


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """The template NAME filled with CONTEXT plus the user and the CSRF token."""
    user, context = current_user(request), context or {}
    if "unit_name" not in context:  # the menu names the user's unit; a page that read it already passes it
        context.update(desk.menu(user.unit_code, url=db_url(request)) if user else {"unit_name": None})
    ctx = {"user": user, "csrf_token": csrf_token(request), "path": request.url.path, **context}
    return secure(apply_cookie(request, TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code)))


def vary_on_htmx(response: Response) -> Response:
    """RESPONSE marked as one of two variants of its address (whole page or htmx fragment) for every cache."""
    vary = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    response.headers["Vary"] = ", ".join([*vary, "HX-Request"] if "HX-Request" not in vary else vary)
    return response


def fragment(response: Response) -> Response:
    """RESPONSE, an htmx fragment: never stored, so a browser cannot show it as a page (back button, reload)."""
    response.headers["Cache-Control"] = "no-store"
    return vary_on_htmx(response)


def redirect(request: Request, url: str, status_code: int = 303) -> Response:
    """A redirect to URL (303 after a POST), carrying the session cookie."""
    return apply_cookie(request, RedirectResponse(url, status_code=status_code))


def safe_next(target: str | None, default: str = "/viec-can-lam") -> str:
    """TARGET when it is a path on this site, else DEFAULT (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def login_url(next_path: str) -> str:
    """The login page, returning to NEXT_PATH."""
    return "/dang-nhap?next=" + quote(next_path, safe="/")
