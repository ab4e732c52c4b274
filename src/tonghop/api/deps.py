"""API dependencies: settings, the bearer-token user, pagination."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tonghop.config import Settings
from tonghop.services import accounts
from tonghop.services.accounts import User

NUL_MESSAGE = "Không được chứa ký tự NUL (\\x00) / Must not contain a NUL character"


def has_nul(value: object) -> bool:
    """Whether VALUE, or any string inside it (dict keys included), holds a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def refuse_nul(request: Request) -> None:
    """422 for a NUL character in the path or the query string, before anything reaches the database: PostgreSQL
    refuses NUL in text, and SQLite's full-text query syntax ends at one ("unterminated string")."""
    bad = [("path", k) for k, v in request.path_params.items() if has_nul(v)]
    bad += [("query", k) for k, v in request.query_params.multi_items() if has_nul(k) or has_nul(v)]
    if bad:
        raise RequestValidationError([{"loc": loc, "msg": NUL_MESSAGE, "type": "value_error"} for loc in bad])


_bearer = HTTPBearer(auto_error=False, description="Mã truy cập API: `tonghop users token USERNAME`")


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def current_user(settings: SettingsDep,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> User:
    """The user owning the bearer token; 401 without a valid one."""
    user = None
    if credentials is not None and credentials.scheme.lower() == "bearer":
        user = accounts.verify_token(credentials.credentials, url=settings.resolved_database_url())
    if user is None:
        raise HTTPException(401, "Cần mã truy cập hợp lệ / A valid bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[User, Depends(current_user)]


# Integers the database columns hold (PostgreSQL INTEGER): a larger id or offset is refused with 422, never sent to
# SQLite, which raises OverflowError above 2**63 - 1.
MAX_INT = 2**31 - 1
Id = Annotated[int, Path(ge=1, le=MAX_INT)]
Year = Annotated[int | None, Query(ge=1, le=9999)]


class Paging:
    """?limit=&offset= (limit 1–200, default 50)."""

    def __init__(self, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                 offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0) -> None:
        self.limit, self.offset = limit, offset


PagingDep = Annotated[Paging, Depends()]
