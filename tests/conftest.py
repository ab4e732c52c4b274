"""Shared fixtures: a temporary database per test (SQLite; PostgreSQL too when TONGHOP_TEST_PG_URL is set).

A module that builds a seed once and copies it per test: `url = pg.seed_url(folder)` in the module fixture,
`pg.copy_seed(url, db_url)` in the per-test one; both work on either backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import settings

import pg

# Hypothesis' default 200 ms per example fails on a busy CI machine (2 shared cores) without anything being wrong;
# 2 s still catches an example that hangs or goes quadratic.
settings.register_profile("tonghop", deadline=timedelta(seconds=2))
settings.load_profile("tonghop")


@pytest.fixture(scope="session")
def _pg_template():
    """Name of a migrated template database on the test PostgreSQL server (None on SQLite)."""
    server = pg.server_url()
    if not server:
        yield None
        return
    name = pg.TEMPLATE = pg.create_template(server)
    yield name
    pg.drop_seeds()
    pg.drop_database(pg.with_database(server, name))


@pytest.fixture
def db_url(tmp_path, monkeypatch, _pg_template) -> str:
    """A fresh database URL for this test (SQLite file, or a PostgreSQL database), also set as DATABASE_URL."""
    server = pg.server_url()
    url = pg.create_database(server, _pg_template) if server else f"sqlite:///{tmp_path / 'tonghop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("UPLOAD_DIR", str(tmp_path / "uploads"))  # never the working folder, whatever the backend
    from tonghop.config import get_settings

    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
    if server:
        pg.drop_database(url)


@pytest.fixture(scope="module")
def form_seed(tmp_path_factory) -> str:
    """A seed database, built once per module: the five test units with the monthly ideology form due from communes."""
    from accounts_fixtures import seed_with_form

    return seed_with_form(tmp_path_factory.mktemp("form-seed"))


@pytest.fixture
def form_db(db_url, form_seed) -> str:
    """A copy of `form_seed` for this test (its URL)."""
    pg.copy_seed(form_seed, db_url)
    return db_url
