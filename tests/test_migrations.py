"""Migrations: every revision upgrades, downgrades and upgrades again (SQLite file; PostgreSQL when configured)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

import pg
from tonghop.db import migrate

ARCHIVE_TABLES = {"documents", "citations", "quantities", "documents_fts"}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_archive_revision_round_trip(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate.upgrade(url, "0001_archive")
    assert ARCHIVE_TABLES <= _tables(url)
    migrate.downgrade(url, "base")
    assert not ARCHIVE_TABLES & _tables(url)
    migrate.upgrade(url, "0001_archive")
    assert ARCHIVE_TABLES <= _tables(url)


def test_fts_index_folds_with_unicode61(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate.upgrade(url, "0001_archive")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents_fts (rowid, folded_title, folded_text) VALUES (7, 'bao cao', 'x')"))
        rows = conn.execute(text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'cao'")).all()
    engine.dispose()
    assert rows == [(7,)]


def test_head_round_trip(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    migrate.upgrade(url)
    head_tables = _tables(url)
    migrate.downgrade(url, "base")
    assert _tables(url) <= {"alembic_version"}
    migrate.upgrade(url)
    assert _tables(url) == head_tables


def test_round_trip_on_postgresql():
    server = pg.server_url()
    if not server:
        pytest.skip(f"{pg.ENV} not set: no PostgreSQL server for this run")
    url = pg.create_database(server)
    try:
        migrate.upgrade(url, "0001_archive")
        assert ARCHIVE_TABLES <= _tables(url)
        migrate.downgrade(url, "base")
        assert not ARCHIVE_TABLES & _tables(url)
        migrate.upgrade(url)
        assert ARCHIVE_TABLES <= _tables(url)
    finally:
        pg.drop_database(url)
