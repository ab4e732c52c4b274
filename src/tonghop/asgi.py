"""The ASGI application: the web pages at / and the REST API at /api/v1 (run: tonghop serve)."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from tonghop.api.app import create_api
from tonghop.config import Settings, get_settings
from tonghop.web.app import install_web

log = logging.getLogger("tonghop")


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new application serving SETTINGS' database (default: the configured settings)."""
    settings = settings or get_settings()
    if settings.secret_key == "change-me":
        log.warning("SECRET_KEY chưa được đặt: phiên đăng nhập có thể bị giả mạo; hãy đặt biến môi trường SECRET_KEY")
    app = FastAPI(title="tonghop", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.mount("/api/v1", create_api(settings))
    install_web(app)
    return app
