"""Where services find their database: a URL from Settings, migrated on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from threading import Lock

from tonghop.config import get_settings
from tonghop.db import migrate
from tonghop.db.engine import session_scope

_migrated: set[str] = set()
_migrate_lock = Lock()


def _ensure_schema(url: str) -> None:
    # Alembic is not thread-safe: a server's first concurrent requests must not migrate at the same time.
    if url in _migrated:
        return
    with _migrate_lock:
        if url not in _migrated:
            migrate.upgrade(url)
            _migrated.add(url)


def database_url(url: str | None = None) -> str:
    """URL, or the configured one; the schema is upgraded to the newest once per process."""
    url = url or get_settings().resolved_database_url()
    _ensure_schema(url)
    return url


@contextmanager
def transaction(url: str | None = None) -> Iterator:
    """A session on the (migrated) database that commits when the block ends without error."""
    with session_scope(database_url(url)) as session:
        yield session
