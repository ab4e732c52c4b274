"""PostgreSQL for the tests: one database per test, copied from a migrated template (no Alembic run per test)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ENV = "TONGHOP_TEST_PG_URL"
TEMPLATE: str | None = None  # the migrated template database of this session (set by conftest)
_seeds: list[str] = []  # databases made by seed_url, dropped when the session ends


def server_url() -> str | None:
    """The PostgreSQL URL the suite runs against (env TONGHOP_TEST_PG_URL), or None for SQLite only."""
    return os.environ.get(ENV) or None


def is_postgres(url: str) -> bool:
    """Whether URL names a PostgreSQL database."""
    return url.startswith("postgresql")


def with_database(url: str, name: str) -> str:
    """URL on the same server, naming database NAME (SQLAlchemy form, password kept)."""
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _admin(url: str) -> psycopg.Connection:
    """An autocommit connection to the server's maintenance database."""
    u = make_url(url)
    return psycopg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, dbname="postgres", autocommit=True
    )


def create_database(url: str, template: str | None = None) -> str:
    """A new empty database (or a copy of TEMPLATE) on URL's server; returns its URL."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
    with _admin(url) as conn:
        conn.execute(f"CREATE DATABASE {name}{copy}")
    return with_database(url, name)


def drop_database(url: str) -> None:
    """Drop URL's database, closing our pooled connections to it first."""
    from tonghop.db.engine import get_engine

    get_engine(url).dispose()
    name = make_url(url).database
    with _admin(url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def create_template(url: str) -> str:
    """A database migrated to the newest schema, to copy per test; returns its name."""
    from tonghop.db import migrate

    tpl_url = create_database(url)
    migrate.upgrade(tpl_url)
    return make_url(tpl_url).database


def seed_url(folder: Path) -> str:
    """A database to build a module's seed in: a SQLite file in FOLDER, or a PostgreSQL database on the test server."""
    server = server_url()
    if not server:
        return f"sqlite:///{folder / 'seed.db'}"
    url = create_database(server, TEMPLATE)
    _seeds.append(url)
    return url


def copy_seed(seed: str, url: str) -> None:
    """Make the test database URL a copy of the database SEED (a seed_url), on either backend."""
    if not is_postgres(url):
        with closing(sqlite3.connect(seed.removeprefix("sqlite:///"))) as src:
            with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as dst:
                src.backup(dst)  # the backup API reads through the write-ahead log, unlike a file copy
        return
    from tonghop.db.engine import get_engine

    get_engine(seed).dispose()  # PostgreSQL copies a template only while nobody is connected to it
    drop_database(url)
    with _admin(url) as conn:
        conn.execute(f"CREATE DATABASE {make_url(url).database} TEMPLATE {make_url(seed).database} STRATEGY FILE_COPY")


def drop_seeds() -> None:
    """Drop the databases seed_url made."""
    while _seeds:
        drop_database(_seeds.pop())
