"""Web sessions: a cookie signed with HMAC-SHA256 over Settings.secret_key (HttpOnly, SameSite=Lax, Secure on https)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.responses import Response

from tonghop.services import accounts
from tonghop.services.accounts import User

COOKIE = "tonghop_session"
MAX_AGE = 12 * 3600


class LoginRequired(Exception):
    """The page needs a logged-in user; the handler redirects to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass(frozen=True)
class WebSession:
    """What the cookie carries: a random nonce (also the CSRF secret), the user and its password stamp."""

    nonce: str
    user_id: int | None = None
    stamp: str = ""
    issued: int = 0


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: str, data: str, purpose: str = "session") -> str:
    """HMAC-SHA256 of DATA under SECRET for PURPOSE, base64url."""
    return _b64(hmac.new(secret.encode(), f"{purpose}|{data}".encode(), hashlib.sha256).digest())


def encode_session(session: WebSession, secret: str) -> str:
    """The cookie value for SESSION."""
    data = _b64(json.dumps(asdict(session), separators=(",", ":")).encode())
    return f"{data}.{sign(secret, data)}"


def decode_session(value: str, secret: str, now: float | None = None) -> WebSession | None:
    """The session in a cookie VALUE, or None when it is forged, malformed or older than MAX_AGE."""
    data, _, sig = value.partition(".")
    if not data or not hmac.compare_digest(sig, sign(secret, data)):
        return None
    try:
        session = WebSession(**json.loads(_unb64(data)))
    except (ValueError, TypeError):
        return None
    if (now or time.time()) - session.issued > MAX_AGE:
        return None
    return session


def _secret(request: Request) -> str:
    return request.app.state.settings.secret_key


def _fresh(user: User | None = None) -> WebSession:
    return WebSession(nonce=secrets.token_urlsafe(24), user_id=user.id if user else None,
                      stamp=user.password_changed_at if user else "", issued=int(time.time()))


def web_session(request: Request) -> WebSession:
    """The request's session; a new anonymous one (to be set as a cookie) when there is none or it is invalid."""
    session = getattr(request.state, "web_session", None)
    if session is None:
        raw = request.cookies.get(COOKIE)
        session = decode_session(raw, _secret(request)) if raw else None
        if session is None:
            session = _fresh()
            request.state.session_dirty = True
        request.state.web_session = session
    return session


def _set(request: Request, session: WebSession) -> None:
    request.state.web_session = session
    request.state.session_dirty = True


def db_url(request: Request) -> str:
    """The database URL the app serves."""
    return request.app.state.settings.resolved_database_url()


def current_user(request: Request) -> User | None:
    """The logged-in user, or None (a session whose password was changed since login is ended)."""
    if getattr(request.state, "user_checked", False):
        return request.state.user
    session = web_session(request)
    user = accounts.session_user(session.user_id, session.nonce, url=db_url(request)) if session.user_id else None
    if user is not None and user.password_changed_at != session.stamp:
        user = None
    if user is None and session.user_id:
        _set(request, _fresh())
    request.state.user, request.state.user_checked = user, True
    return user


def require_user(request: Request) -> User:
    """Dependency: the logged-in user, or a redirect to the login page."""
    user = current_user(request)
    if user is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(path)
    return user


PageUser = Annotated[User, Depends(require_user)]


def require(user: User, action: str) -> None:
    """403 unless USER's role allows ACTION."""
    if not user.can(action):
        raise HTTPException(403, "Vai trò của bạn không được phép thực hiện thao tác này")


def log_in(request: Request, user: User) -> None:
    """Start a new session for USER (a new nonce, so a session fixed before login is worthless)."""
    _set(request, _fresh(user))
    request.state.user, request.state.user_checked = user, True


def log_out(request: Request) -> None:
    """End the session server-side (a copy of its cookie is refused too), then start a new anonymous one."""
    ended = web_session(request)
    if ended.user_id:
        expires = datetime.fromtimestamp(ended.issued + MAX_AGE, UTC)
        accounts.end_session(ended.user_id, ended.nonce, expires, url=db_url(request))
    _set(request, _fresh())
    request.state.user, request.state.user_checked = None, True


def refresh_stamp(request: Request, user: User) -> None:
    """Keep this session alive after USER changed the password (other sessions end)."""
    _set(request, replace(_fresh(user), nonce=web_session(request).nonce))
    request.state.user, request.state.user_checked = user, True


def apply_cookie(request: Request, response: Response) -> Response:
    """Set the session cookie on RESPONSE when the session is new or changed."""
    if getattr(request.state, "session_dirty", False):
        response.set_cookie(COOKIE, encode_session(web_session(request), _secret(request)), max_age=MAX_AGE,
                            path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return response
