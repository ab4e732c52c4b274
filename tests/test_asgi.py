"""The app factory: a generated secret key, kept beside the database, when none is configured."""

from __future__ import annotations

import stat

from tonghop.asgi import create_app, ensure_secret, secret_file
from tonghop.config import Settings


def test_default_secret_replaced_by_a_kept_random_one(db_url):
    settings = Settings(database_url=db_url)
    first, second = ensure_secret(settings), ensure_secret(settings)
    assert first.secret_key != "change-me" and len(first.secret_key) >= 32
    assert first.secret_key == second.secret_key
    assert stat.S_IMODE(secret_file(settings).stat().st_mode) == 0o600


def test_configured_secret_is_kept(db_url):
    assert ensure_secret(Settings(database_url=db_url, secret_key="s" * 40)).secret_key == "s" * 40
    assert create_app(Settings(database_url=db_url, secret_key="s" * 40)).state.settings.secret_key == "s" * 40
