"""Account repository: users, tokens, audit entries and login attempts as plain dicts (never commits)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from tonghop.db.accounts import ApiTokenRow, AuditRow, EndedSessionRow, LoginAttemptRow, UserRow

USER_FIELDS = ("id", "username", "full_name", "unit_code", "role", "active", "created_at", "password_changed_at")
_BY_ID = select(*(getattr(UserRow, f) for f in USER_FIELDS)).where(UserRow.id == bindparam("id"))


def _user(row: UserRow | None, with_hash: bool = False) -> dict[str, Any] | None:
    if row is None:
        return None
    out = {k: getattr(row, k) for k in USER_FIELDS}
    if with_hash:
        out["password_hash"] = row.password_hash
    return out


def add_user(session: Session, fields: dict[str, Any]) -> int:
    """Insert a user from FIELDS (column names); its id."""
    row = UserRow(**fields)
    session.add(row)
    session.flush()
    return row.id


def user_by_name(session: Session, username: str, with_hash: bool = False) -> dict[str, Any] | None:
    """The user called USERNAME, or None."""
    return _user(session.scalar(select(UserRow).where(UserRow.username == username)), with_hash)


def user_by_id(session: Session, user_id: int, with_hash: bool = False) -> dict[str, Any] | None:
    """The user with USER_ID, or None."""
    if with_hash:
        return _user(session.get(UserRow, user_id), with_hash)
    # every page and API call looks its user up: plain columns, no ORM identity map
    row = session.execute(_BY_ID, {"id": user_id}).first()
    return dict(zip(USER_FIELDS, row, strict=True)) if row is not None else None


_FOR_SESSION = select(*(getattr(UserRow, f) for f in USER_FIELDS),
                      select(EndedSessionRow.nonce).where(EndedSessionRow.nonce == bindparam("nonce"))
                      .scalar_subquery()).where(UserRow.id == bindparam("id"))


def user_for_session(session: Session, user_id: int, nonce: str) -> dict[str, Any] | None:
    """The user with USER_ID unless the web session NONCE was ended (one query: every page asks)."""
    row = session.execute(_FOR_SESSION, {"id": user_id, "nonce": nonce}).first()
    if row is None or row[-1] is not None:
        return None
    return dict(zip(USER_FIELDS, row[:-1], strict=True))


def end_session(session: Session, nonce: str, user_id: int, at: str, expires_at: str) -> None:
    """Remember that web session NONCE ended AT (forgetting sessions that have expired by now)."""
    session.execute(delete(EndedSessionRow).where(EndedSessionRow.expires_at < at))
    if session.get(EndedSessionRow, nonce) is None:
        session.add(EndedSessionRow(nonce=nonce, user_id=user_id, ended_at=at, expires_at=expires_at))


def list_users(session: Session) -> list[dict[str, Any]]:
    """Every user, by username."""
    return [_user(r) for r in session.scalars(select(UserRow).order_by(UserRow.username))]  # type: ignore[misc]


def update_user(session: Session, user_id: int, **fields: Any) -> None:
    """Set FIELDS on the user USER_ID."""
    row = session.get(UserRow, user_id)
    if row is None:
        raise LookupError(user_id)
    for key, value in fields.items():
        setattr(row, key, value)
    session.flush()


def add_token(session: Session, fields: dict[str, Any]) -> int:
    """Insert an API token row; its id."""
    row = ApiTokenRow(**fields)
    session.add(row)
    session.flush()
    return row.id


def token_by_hash(session: Session, token_hash: str) -> dict[str, Any] | None:
    """The token whose SHA-256 is TOKEN_HASH, or None."""
    row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
    if row is None:
        return None
    return {"id": row.id, "user_id": row.user_id, "name": row.name, "prefix": row.prefix,
            "expires_at": row.expires_at, "revoked_at": row.revoked_at, "last_used_at": row.last_used_at}


def touch_token(session: Session, token_id: int, at: str) -> None:
    """Record that the token was used AT."""
    row = session.get(ApiTokenRow, token_id)
    if row is not None:
        row.last_used_at = at


def revoke_token(session: Session, token_id: int, at: str) -> bool:
    """Revoke a token; False when it does not exist or was revoked already."""
    row = session.get(ApiTokenRow, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = at
    return True


def add_audit(session: Session, entry: dict[str, Any]) -> None:
    """Append one audit entry."""
    session.add(AuditRow(**entry))


def audit_entries(session: Session, limit: int = 100, action: str | None = None) -> list[dict[str, Any]]:
    """The newest audit entries first."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if action:
        query = query.where(AuditRow.action == action)
    return [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action, "target": r.target,
             "before_json": r.before_json, "after_json": r.after_json} for r in session.scalars(query)]


def add_attempt(session: Session, username: str, client: str, at: str, success: bool) -> None:
    """Record a login attempt."""
    session.add(LoginAttemptRow(username=username, client=client, at=at, success=success))


def failures_since(session: Session, since: str, username: str | None = None, client: str | None = None) -> int:
    """Failed attempts since SINCE for USERNAME and/or CLIENT, counted after the last success of that name."""
    query = select(func.count()).select_from(LoginAttemptRow).where(
        LoginAttemptRow.at >= since, LoginAttemptRow.success.is_(False))
    if username is not None:
        last_ok = session.scalar(select(func.max(LoginAttemptRow.at)).where(
            LoginAttemptRow.username == username, LoginAttemptRow.success.is_(True)))
        query = query.where(LoginAttemptRow.username == username)
        if last_ok and last_ok > since:
            query = query.where(LoginAttemptRow.at > last_ok)
    if client is not None:
        query = query.where(LoginAttemptRow.client == client)
    return session.scalar(query) or 0


def prune_attempts(session: Session, before: str) -> None:
    """Forget attempts older than BEFORE."""
    session.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < before))
