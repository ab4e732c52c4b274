"""Back up a live database to one file and restore it: SQLite file copy or PostgreSQL custom dump."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tonghop.config import get_settings
from tonghop.db import backup as store
from tonghop.db import migrate
from tonghop.db.backup import BackupError
from tonghop.services.context import database_url

__all__ = ["BackupError", "BackupReport", "backup_database", "restore_database"]


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote or a restore loaded: file, its size, and the database's tables and row counts."""

    path: str
    kind: str  # "sqlite" or "pg_dump"
    bytes: int
    tables: int
    documents: int
    submissions: int


def _report(path: Path, kind: str, counts: dict[str, int]) -> BackupReport:
    return BackupReport(str(path), kind, path.stat().st_size, counts["tables"], counts["documents"],
                        counts["submissions"])


def backup_database(path: str | Path, *, url: str | None = None) -> BackupReport:
    """Write a consistent copy of the live database to PATH (SQLite: a .db file; PostgreSQL: a pg_dump .dump)."""
    url = database_url(url)
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path}: là một thư mục; hãy ghi rõ tên tệp sao lưu")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")  # an interrupted run never leaves a truncated PATH
    partial.unlink(missing_ok=True)
    try:
        if store.is_postgres(url):
            kind, counts = "pg_dump", store.pg_dump(url, partial)
        else:
            store.sqlite_copy(store.sqlite_path(url), partial)
            kind, counts = "sqlite", store.summary(f"sqlite:///{partial}")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return _report(path, kind, counts)


def restore_database(path: str | Path, *, force: bool = False, url: str | None = None) -> BackupReport:
    """Load the backup PATH into the database (default DATABASE_URL), then upgrade its schema to the newest.

    A target that already holds rows is refused unless FORCE; a SQLite backup goes into a SQLite database and a
    pg_dump into PostgreSQL."""
    url = url or get_settings().resolved_database_url()
    path = Path(path)
    kind = store.file_kind(path)
    target = "pg_dump" if store.is_postgres(url) else "sqlite"
    if kind != target:
        raise BackupError(f"{path}: bản sao lưu {'PostgreSQL' if kind == 'pg_dump' else 'SQLite'} không khôi phục "
                          f"được vào cơ sở dữ liệu {'PostgreSQL' if target == 'pg_dump' else 'SQLite'}")
    if not force and not store.is_empty(url):
        raise BackupError(f"{store.display(url)}: cơ sở dữ liệu đích đã có dữ liệu; dùng --force để ghi đè")
    if kind == "pg_dump":
        store.pg_restore(path, url)
    else:
        store.sqlite_restore(path, url)
    migrate.upgrade(url)
    return _report(path, kind, store.summary(url))
