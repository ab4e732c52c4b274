"""The ASGI application: the web pages at / and the REST API at /api/v1 (run: tonghop serve)."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from fastapi import FastAPI

from tonghop.api.app import mount_api
from tonghop.config import Settings, get_settings
from tonghop.web.app import install_web

log = logging.getLogger("tonghop")
DEFAULT_SECRET = "change-me"


def secret_file(settings: Settings) -> Path:
    """Where a generated secret key is kept: beside an SQLite database, else in the user's data folder."""
    url = settings.resolved_database_url()
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return Path(url.removeprefix("sqlite:///")).parent / ".tonghop_secret_key"
    from platformdirs import user_data_dir

    return Path(user_data_dir("tonghop")) / "secret_key"


def ensure_secret(settings: Settings) -> Settings:
    """SETTINGS with a real secret key: the configured one, or one generated once and kept in a 0600 file
    (shared by every worker, surviving restarts) — never the public default, which would let anyone forge sessions."""
    if settings.secret_key and settings.secret_key != DEFAULT_SECRET:
        return settings
    path = secret_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        log.info("Đã tạo khóa bí mật cho phiên đăng nhập tại %s", path)
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path}: khóa bí mật quá ngắn hoặc rỗng; hãy xóa tệp này hoặc đặt biến môi trường SECRET_KEY")
    return settings.model_copy(update={"secret_key": key})


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application serving SETTINGS' database (default: the configured settings)."""
    settings = ensure_secret(settings or get_settings())
    app = FastAPI(title="tonghop", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    mount_api(app, settings)
    install_web(app)
    return app
