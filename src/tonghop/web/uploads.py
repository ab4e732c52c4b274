"""Uploaded files: kept under an uploads folder next to the database (the archive records their paths)."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from fastapi import UploadFile

from tonghop.config import Settings

CHUNK = 1 << 20
_UNSAFE = re.compile(r"[^\w.\- ()]+")


class TooLarge(ValueError):
    """An uploaded file is over the size limit."""


def upload_root(settings: Settings) -> Path:
    """Where uploads live: UPLOAD_DIR, else beside an SQLite database file, else in the working folder."""
    if settings.upload_dir:
        return Path(settings.upload_dir)
    url = settings.resolved_database_url()
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return Path(url.removeprefix("sqlite:///")).parent / "uploads"
    return Path("uploads").resolve()


def clean_name(name: str) -> str:
    """A safe file name from a browser's (no folders, no control or shell characters), NFC."""
    base = unicodedata.normalize("NFC", Path(name.replace("\\", "/")).name).strip()
    base = _UNSAFE.sub("_", base).lstrip(".")
    return base[:150] or "tep"


async def save_uploads(files: list[UploadFile], settings: Settings) -> list[Path]:
    """Write FILES into a new folder under the upload root; TooLarge names the first file over the limit."""
    folder = upload_root(settings) / (datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4))
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    for upload in files:
        if not upload.filename:
            continue
        target = folder / clean_name(upload.filename)
        while target in saved:
            target = target.with_stem(target.stem + "_1")
        size = 0
        with target.open("wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > settings.max_file_bytes:
                    out.close()
                    target.unlink(missing_ok=True)
                    limit_mb = settings.max_file_bytes // (1024 * 1024)
                    raise TooLarge(f"{upload.filename}: tệp lớn hơn giới hạn {limit_mb} MB")
                out.write(chunk)
        saved.append(target)
    return saved
