"""Consistent copies of a live database: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from glob import glob
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import URL, make_url

from tonghop.db.engine import get_engine

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
COUNTED = ("documents", "submissions")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message names the file or database and the reason."""


def is_postgres(url: str) -> bool:
    """Whether URL names a PostgreSQL database."""
    return url.startswith("postgresql")


def sqlite_path(url: str) -> Path:
    """The file of an SQLite URL."""
    path = url.split("///", 1)[-1]
    if not url.startswith("sqlite") or not path or ":memory:" in path:
        raise BackupError(f"{url}: không phải tệp SQLite")
    return Path(path)


def file_kind(path: Path) -> str:
    """'sqlite' or 'pg_dump' from the file's first bytes (BackupError for anything else)."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        raise BackupError(f"{path}: không đọc được tệp ({e.strerror})") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "pg_dump"
    raise BackupError(f"{path}: không phải bản sao lưu của tonghop (tệp SQLite .db hoặc pg_dump .dump)")


def _user_tables(conn: Connection) -> list[str]:
    names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
    # FTS5 keeps its index in shadow tables named after the virtual table: not tables of ours.
    return [n for n in names if not any(n.startswith(f"{v}_") for v in names if v.endswith("_fts"))]


def _summary(conn: Connection) -> dict[str, int]:
    tables = _user_tables(conn)
    out = {"tables": len(tables)}
    for name in COUNTED:
        out[name] = conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() if name in tables else 0
    return out


def summary(url: str) -> dict[str, int]:
    """Number of tables and of documents and submissions in the database at URL."""
    with get_engine(url).connect() as conn:
        return _summary(conn)


def is_empty(url: str) -> bool:
    """Whether no table of the database at URL holds a row (a missing SQLite file is empty)."""
    if not is_postgres(url) and not sqlite_path(url).exists():
        return True
    with get_engine(url).connect() as conn:
        return not any(conn.execute(text(f'SELECT 1 FROM "{t}" LIMIT 1')).first() for t in _user_tables(conn))


def sqlite_copy(src: Path, dst: Path) -> None:
    """Copy the SQLite database SRC into DST with the online backup API (one step: consistent while writers run)."""
    with closing(sqlite3.connect(src, timeout=30)) as source, closing(sqlite3.connect(dst, timeout=30)) as target:
        source.backup(target)


def _major(tool: str) -> tuple[int, ...]:
    version = Path(tool).parent.parent.name  # /usr/lib/postgresql/<version>/bin/<tool>
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def pg_tool(name: str) -> str:
    """The newest pg_dump/pg_restore: Debian's versioned folders first (a dump needs a client >= the server)."""
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major, reverse=True)
    tool = (found[0] if found else None) or shutil.which(name)
    if not tool:
        raise BackupError(f"không tìm thấy {name}; hãy cài gói postgresql-client")
    return tool


def libpq_args(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI for a SQLAlchemy URL (postgresql+psycopg://...) and the environment carrying the
    password (kept out of the command line, where `ps` would show it)."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = u.password
    plain = URL.create("postgresql", username=u.username, host=u.host, port=u.port, database=u.database,
                       query=u.query)
    return plain.render_as_string(hide_password=False), env


def _run(cmd: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} thất bại (mã {done.returncode}): {done.stderr.strip()[-2000:]}")


def pg_dump(url: str, dst: Path) -> dict[str, int]:
    """Dump the PostgreSQL database at URL into DST (custom format); the counts are read from the dump's snapshot."""
    conninfo, env = libpq_args(url)
    with get_engine(url).connect() as conn:
        # pg_dump reads the exported snapshot, so the counts below describe exactly what the file holds.
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        counts = _summary(conn)
        _run([pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={dst}", conninfo], env,
             "pg_dump")
        conn.rollback()
    return counts


def pg_restore(src: Path, url: str) -> None:
    """Restore the custom-format dump SRC into the PostgreSQL database at URL, replacing the objects it holds."""
    conninfo, env = libpq_args(url)
    get_engine(url).dispose()  # idle pooled sessions would only hold up the DROPs
    _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", conninfo,
          str(src)], env, "pg_restore")


def sqlite_restore(src: Path, url: str) -> None:
    """Copy the SQLite backup SRC over the database file of URL (closing our pooled connections to it first)."""
    dst = sqlite_path(url)
    dst.parent.mkdir(parents=True, exist_ok=True)
    get_engine(url).dispose()
    sqlite_copy(src, dst)


def display(url: str) -> str:
    """URL as safe to print: password hidden."""
    return make_url(url).render_as_string(hide_password=True)
