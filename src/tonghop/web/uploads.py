"""Uploaded files: kept under an uploads folder next to the database (the archive records their paths).

Limits: MAX_FILE_BYTES per file (refused before anything is written), and per user at most UPLOADS_PER_WINDOW
files every UPLOAD_WINDOW_SECONDS (environment variables of those names; this process only: with N workers a
user may reach N times the limit, which still bounds a runaway script)."""

from __future__ import annotations

import math
import os
import re
import secrets
import shutil
import threading
import time
import unicodedata
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

from fastapi import Request, UploadFile

from tonghop.config import Settings

CHUNK = 1 << 20
MAX_NAME_BYTES = 200  # file systems allow 255 bytes per name; Vietnamese letters take 2-3 bytes each
DEFAULT_UPLOADS_PER_WINDOW = 60
DEFAULT_UPLOAD_WINDOW_SECONDS = 600
_UNSAFE = re.compile(r"[^\w.\- ()]+")


class TooLarge(ValueError):
    """An uploaded file is over the size limit."""


class TooManyUploads(ValueError):
    """A user sent more files than the upload rate limit allows; retry_after is in seconds."""

    def __init__(self, limit: int, window: int, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"Bạn đã nạp quá {limit} tệp trong {window // 60} phút; hãy thử lại sau {minutes} phút")
        self.retry_after = retry_after


class UploadLimiter:
    """A sliding window of upload times per user (thread-safe: sync pages run in a thread pool)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, who: str, count: int, now: float | None = None) -> None:
        """Count COUNT files for WHO, or raise TooManyUploads (counting nothing) when that would pass the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._times.setdefault(who, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) + count > self.limit:
                # the wait until enough of the oldest uploads leave the window
                oldest = times[min(len(times) - 1, len(times) + count - self.limit - 1)] if times else now
                free_at = oldest + self.window
                raise TooManyUploads(self.limit, int(self.window), max(1, math.ceil(free_at - now)))
            times.extend([now] * count)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def limiter_of(request: Request) -> UploadLimiter:
    """The app's upload limiter, made on first use from UPLOADS_PER_WINDOW and UPLOAD_WINDOW_SECONDS."""
    state = request.app.state
    if getattr(state, "upload_limiter", None) is None:
        state.upload_limiter = UploadLimiter(_env_int("UPLOADS_PER_WINDOW", DEFAULT_UPLOADS_PER_WINDOW),
                                             _env_int("UPLOAD_WINDOW_SECONDS", DEFAULT_UPLOAD_WINDOW_SECONDS))
    return state.upload_limiter


def check_rate(request: Request, username: str, files: list[UploadFile]) -> None:
    """Count the named FILES against USERNAME's upload limit; TooManyUploads when over it."""
    count = sum(1 for f in files if f.filename)
    if count:
        limiter_of(request).take(username, count)


def upload_root(settings: Settings) -> Path:
    """Where uploads live: UPLOAD_DIR, else beside an SQLite database file, else in the working folder."""
    if settings.upload_dir:
        return Path(settings.upload_dir)
    url = settings.resolved_database_url()
    if url.startswith("sqlite:///") and ":memory:" not in url:
        return Path(url.removeprefix("sqlite:///")).parent / "uploads"
    return Path("uploads").resolve()


def _cut(text: str, limit: int) -> str:
    """TEXT cut to at most LIMIT bytes of UTF-8, on a character boundary."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def clean_name(name: str) -> str:
    """A safe file name from a browser's (no folders, no control or shell characters), NFC, at most
    MAX_NAME_BYTES bytes with its extension kept."""
    base = unicodedata.normalize("NFC", Path(name.replace("\\", "/").replace("\x00", "")).name).strip()
    base = _UNSAFE.sub("_", base).lstrip(".").strip()
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem or len(suffix) > 10:
        stem, suffix = base, ""
    suffix = _cut(suffix, 10)
    stem = _cut(stem, MAX_NAME_BYTES - len(suffix.encode()) - 1).rstrip(". ")
    return (f"{stem}.{suffix}" if suffix else stem) if stem else (f"tep.{suffix}" if suffix else "tep")


def _too_large(upload: UploadFile, settings: Settings) -> TooLarge:
    limit_mb = settings.max_file_bytes // (1024 * 1024)
    return TooLarge(f"{upload.filename}: tệp lớn hơn giới hạn {limit_mb} MB")


async def save_uploads(files: list[UploadFile], settings: Settings) -> list[Path]:
    """Write FILES into a new folder under the upload root; TooLarge names the first file over the limit, and then
    nothing of the batch is kept."""
    named = [f for f in files if f.filename]
    for upload in named:
        if upload.size is not None and upload.size > settings.max_file_bytes:
            raise _too_large(upload, settings)
    if not named:
        return []
    folder = upload_root(settings) / (datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4))
    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    try:
        for upload in named:
            target = folder / clean_name(upload.filename or "")
            while target in saved:
                target = target.with_stem(target.stem + "_1")
            size = 0
            with target.open("wb") as out:
                while chunk := await upload.read(CHUNK):
                    size += len(chunk)
                    if size > settings.max_file_bytes:  # the stated size was missing or wrong
                        raise _too_large(upload, settings)
                    out.write(chunk)
            saved.append(target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return saved
