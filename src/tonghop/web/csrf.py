"""CSRF protection: a per-session token in every form (and in htmx's hx-headers), checked on every unsafe request."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from tonghop.web.auth import sign, web_session

HEADER = "x-csrf-token"
FIELD = "csrf_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def csrf_token(request: Request) -> str:
    """The token of the request's session."""
    return sign(request.app.state.settings.secret_key, web_session(request).nonce, purpose="csrf")


async def csrf_protect(request: Request) -> None:
    """Dependency: 403 when an unsafe request lacks its session's token (header or form field)."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, csrf_token(request)):
        raise HTTPException(403, "Phiên làm việc không hợp lệ hoặc đã hết hạn (thiếu mã CSRF); hãy tải lại trang")
