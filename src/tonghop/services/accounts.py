"""Accounts: users with roles scoped to a unit subtree, passwords (argon2), API tokens, audit, login limits."""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tonghop.db import accounts_repo as repo
from tonghop.services.context import database_url, transaction
from tonghop.services.units import load_tree

ROLES = {"reporter": "Cán bộ báo cáo", "approver": "Người phê duyệt", "viewer": "Người xem", "admin": "Quản trị"}
PERMISSIONS = {
    "archive.upload": {"reporter", "approver", "admin"},
    "submissions.submit": {"reporter", "admin"},
    "submissions.review": {"approver", "admin"},
    "users.manage": {"admin"},
}
# Every action code written to the audit log, named as the audit page shows it (a test checks the source against it)
AUDIT_ACTIONS = {
    "user.create": "Tạo tài khoản", "user.role": "Đổi vai trò", "user.password": "Đổi mật khẩu",
    "token.issue": "Cấp mã API", "token.grant": "Quản trị cấp mã API", "token.revoke": "Thu hồi mã API",
    "units.import": "Nhập danh sách đơn vị", "template.import": "Nạp mẫu báo cáo",
    "assignment.add": "Giao báo cáo", "assignment.remove": "Bỏ giao báo cáo", "archive.ingest": "Nạp văn bản",
    "submission.edit": "Lưu báo cáo (nháp)", "submission.save": "Lưu báo cáo (nháp, qua API)",
    "submission.submit": "Nộp báo cáo", "submission.resubmit": "Nộp lại báo cáo",
    "submission.approve": "Duyệt báo cáo", "submission.return": "Trả lại báo cáo",
}  # fmt: skip
MIN_PASSWORD = 10
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
TOKEN_PREFIX = "thp_"
# "last used" is for spotting forgotten tokens, not an access log (the audit log records writes): writing it on
# every call made each read a write, all of a system client's calls contending for one row
TOKEN_TOUCH_EVERY = timedelta(minutes=5)
_HASHER = PasswordHasher()


class AccountError(ValueError):
    """A request about accounts that cannot be honoured; the message is for the user."""


class AuthenticationFailed(AccountError):
    """Wrong user name or password (deliberately not saying which)."""

    def __init__(self) -> None:
        super().__init__("Tên đăng nhập hoặc mật khẩu không đúng")


class RateLimited(AccountError):
    """Too many failed logins recently."""

    def __init__(self, minutes: int) -> None:
        super().__init__(f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {minutes} phút")
        self.minutes = minutes


@dataclass(frozen=True)
class User:
    """A logged-in person (never carries the password hash)."""

    id: int
    username: str
    full_name: str
    unit_code: str
    role: str
    active: bool = True
    password_changed_at: str = ""

    @property
    def role_name(self) -> str:
        """The role in Vietnamese."""
        return ROLES.get(self.role, self.role)

    def can(self, action: str) -> bool:
        """True when the user's role allows ACTION (a key of PERMISSIONS)."""
        return self.role in PERMISSIONS.get(action, set())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def _user(row: dict[str, Any]) -> User:
    return User(id=row["id"], username=row["username"], full_name=row["full_name"], unit_code=row["unit_code"],
                role=row["role"], active=bool(row["active"]), password_changed_at=row["password_changed_at"])


def _clean_username(username: str) -> str:
    name = unicodedata.normalize("NFC", username.strip()).lower()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        raise AccountError(f"Tên đăng nhập '{username}' không hợp lệ (chữ, số, dấu . _ -; tối đa 64 ký tự)")
    return name


def _check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự")
    if username and username in password.lower():
        raise AccountError("Mật khẩu không được chứa tên đăng nhập")


def audit_entry(session, actor: str, action: str, target: str = "", before: Any = None, after: Any = None) -> None:
    """Append an audit entry inside the caller's transaction."""
    def dump(value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)

    repo.add_audit(session, {"at": _iso(_now()), "actor": actor, "action": action, "target": target,
                             "before_json": dump(before), "after_json": dump(after)})


def audit(actor: str, action: str, target: str = "", before: Any = None, after: Any = None, *,
          url: str | None = None) -> None:
    """Record that ACTOR did ACTION to TARGET (object BEFORE and AFTER, JSON)."""
    with transaction(url) as session:
        audit_entry(session, actor, action, target, before, after)


def audit_log(limit: int = 100, action: str | None = None, *, url: str | None = None) -> list[dict[str, Any]]:
    """The newest audit entries, before/after decoded."""
    with transaction(url) as session:
        rows = repo.audit_entries(session, limit, action)
    for row in rows:
        for key in ("before", "after"):
            raw = row.pop(f"{key}_json")
            row[key] = None if raw is None else json.loads(raw)
    return rows


def _public(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("username", "full_name", "unit_code", "role", "active")}


def create_user(username: str, password: str, *, unit: str, role: str, full_name: str = "", actor: str = "system",
                url: str | None = None) -> User:
    """Create an account for USERNAME in UNIT with ROLE; the unit must exist today."""
    name = _clean_username(username)
    if role not in ROLES:
        raise AccountError(f"Vai trò '{role}' không hợp lệ; chọn một trong: {', '.join(ROLES)}")
    _check_password(password, name)
    with transaction(url) as session:
        if unit not in load_tree(session, database_url(url)).at(date.today()):
            raise AccountError(f"Không có đơn vị mã '{unit}' (đang có hiệu lực)")
        if repo.user_by_name(session, name) is not None:
            raise AccountError(f"Đã có tài khoản '{name}'")
        now = _iso(_now())
        fields = {"username": name, "full_name": full_name.strip(), "unit_code": unit, "role": role,
                  "password_hash": _HASHER.hash(password), "active": True, "created_at": now,
                  "password_changed_at": now}
        user_id = repo.add_user(session, fields)
        row = repo.user_by_id(session, user_id)
        audit_entry(session, actor, "user.create", f"user:{name}", None, _public(row))
    return _user(row)


def get_user(user_id: int, *, url: str | None = None) -> User | None:
    """The active user USER_ID, or None."""
    with transaction(url) as session:
        row = repo.user_by_id(session, user_id)
    return _user(row) if row and row["active"] else None


def session_user(user_id: int, nonce: str, *, url: str | None = None) -> User | None:
    """The active user of the web session NONCE, or None (user gone or inactive, or the session was ended)."""
    with transaction(url) as session:
        row = repo.user_for_session(session, user_id, nonce)
    return _user(row) if row and row["active"] else None


def end_session(user_id: int, nonce: str, expires: datetime, *, url: str | None = None) -> None:
    """Refuse the web session NONCE from now on (kept until EXPIRES, when its cookie lapses anyway)."""
    with transaction(url) as session:
        repo.end_session(session, nonce, user_id, _iso(_now()), _iso(expires))


def list_users(*, url: str | None = None) -> list[User]:
    """Every account."""
    with transaction(url) as session:
        return [_user(r) for r in repo.list_users(session)]


def _verify(row: dict[str, Any] | None, password: str) -> bool:
    if row is None:
        # Hash anyway so that a missing user takes as long as a wrong password.
        _HASHER.hash(password)
        return False
    try:
        return _HASHER.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(username: str, password: str, *, client: str = "", url: str | None = None) -> User:
    """The user for USERNAME/PASSWORD; AuthenticationFailed, or RateLimited after too many recent failures."""
    name = unicodedata.normalize("NFC", username.strip()).lower()[:64]
    now = _now()
    since = _iso(now - FAILURE_WINDOW)
    with transaction(url) as session:
        by_name = repo.failures_since(session, since, username=name)
        by_client = repo.failures_since(session, since, client=client) if client else 0
        if by_name >= MAX_FAILURES or by_client >= 4 * MAX_FAILURES:
            raise RateLimited(int(FAILURE_WINDOW.total_seconds() // 60))
        row = repo.user_by_name(session, name, with_hash=True)
    ok = _verify(row, password) and bool(row and row["active"])
    with transaction(url) as session:
        repo.add_attempt(session, name, client[:64], _iso(now), ok)
        repo.prune_attempts(session, _iso(now - 8 * FAILURE_WINDOW))
        if ok and _HASHER.check_needs_rehash(row["password_hash"]):
            repo.update_user(session, row["id"], password_hash=_HASHER.hash(password))
    if not ok:
        raise AuthenticationFailed()
    return _user(row)


def change_password(user_id: int, old_password: str, new_password: str, *, url: str | None = None) -> User:
    """Replace the password of USER_ID after checking the old one (other sessions end)."""
    with transaction(url) as session:
        row = repo.user_by_id(session, user_id, with_hash=True)
        if row is None or not _verify(row, old_password):
            raise AccountError("Mật khẩu hiện tại không đúng")
        if new_password == old_password:
            raise AccountError("Mật khẩu mới phải khác mật khẩu cũ")
        _check_password(new_password, row["username"])
        now = _iso(_now())
        repo.update_user(session, user_id, password_hash=_HASHER.hash(new_password), password_changed_at=now)
        audit_entry(session, row["username"], "user.password", f"user:{row['username']}",
                    {"password_changed_at": row["password_changed_at"]}, {"password_changed_at": now})
        row = repo.user_by_id(session, user_id)
    return _user(row)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(username: str, name: str = "", *, days: int | None = None, url: str | None = None) -> str:
    """A new API token for USERNAME (shown once; only its hash is stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    with transaction(url) as session:
        row = repo.user_by_name(session, _clean_username(username))
        if row is None:
            raise AccountError(f"Không có tài khoản '{username}'")
        expires = _iso(now + timedelta(days=days)) if days else None
        repo.add_token(session, {"user_id": row["id"], "name": name, "token_hash": _token_hash(token),
                                 "prefix": token[:10], "created_at": _iso(now), "expires_at": expires})
        audit_entry(session, row["username"], "token.issue", f"user:{row['username']}", None,
                    {"name": name, "prefix": token[:10], "expires_at": expires})
    return token


def verify_token(token: str, *, url: str | None = None) -> User | None:
    """The active user owning TOKEN when it is valid (not revoked, not expired), else None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = _iso(_now())
    with transaction(url) as session:
        found = repo.token_by_hash(session, _token_hash(token))
        if found is None or found["revoked_at"] or (found["expires_at"] and found["expires_at"] < now):
            return None
        row = repo.user_by_id(session, found["user_id"])
        if row is None or not row["active"]:
            return None
        if not found["last_used_at"] or found["last_used_at"] < _iso(_now() - TOKEN_TOUCH_EVERY):
            repo.touch_token(session, found["id"], now)
    return _user(row)


def revoke_token(token: str, *, actor: str = "system", url: str | None = None) -> bool:
    """Revoke TOKEN; False when unknown or already revoked."""
    with transaction(url) as session:
        found = repo.token_by_hash(session, _token_hash(token))
        if found is None or not repo.revoke_token(session, found["id"], _iso(_now())):
            return False
        audit_entry(session, actor, "token.revoke", f"token:{found['prefix']}", {"revoked_at": None},
                    {"revoked_at": "now"})
    return True


def visible_units(user: User, *, at: date | None = None, url: str | None = None) -> list[str]:
    """Codes of the units USER may see: its unit and everything below it, in tree order (empty if it is gone)."""
    with transaction(url) as session:
        view = load_tree(session, database_url(url)).at(at or date.today())
    return view.subtree(user.unit_code) if user.unit_code in view else []
