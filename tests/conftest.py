"""Shared fixtures: a temporary SQLite database per test."""

from __future__ import annotations

import pytest


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    """A fresh SQLite database URL for this test, also set as DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'tonghop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    from tonghop.config import get_settings

    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()
