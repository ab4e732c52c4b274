"""One Settings object, read from the environment (prefix-free names, as deployments expect)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_database_url() -> str:
    """SQLite file in the current folder: the embedded default."""
    return f"sqlite:///{Path('tonghop.db').resolve()}"


class Settings(BaseSettings):
    """Runtime settings; every field can be set by an environment variable of the same name."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    database_url: str = ""
    max_file_bytes: int = 50 * 1024 * 1024
    max_docx_uncompressed_bytes: int = 200 * 1024 * 1024
    pdf_timeout_seconds: float = 30.0
    secret_key: str = ""
    upload_dir: str = ""

    def resolved_database_url(self) -> str:
        """The database URL, falling back to the embedded SQLite file."""
        return self.database_url or _default_database_url()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own Settings)."""
    return Settings()
