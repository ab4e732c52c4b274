"""Read limits: file size, zip bombs, page counts, wall-clock deadlines."""

from __future__ import annotations

import time
import zipfile
from dataclasses import dataclass

from tonghop.documents.errors import ReadError

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MB
DEFAULT_MAX_DOCX_UNCOMPRESSED = 200 * MB
DEFAULT_PDF_TIMEOUT = 30.0
MAX_ZIP_MEMBERS = 5_000
# XML compresses well (30-60x for repetitive tables); a ratio far above that on a big member means a bomb.
MAX_ZIP_RATIO = 200
ZIP_RATIO_MIN_SIZE = 4 * MB
MAX_PDF_PAGES = 2_000
MAX_TABLE_DEPTH = 5

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
OLE_REASON = "tệp .doc/được mã hóa, không đọc được (legacy .doc or encrypted OOXML)"


@dataclass(frozen=True)
class Limits:
    """The limits one read runs under."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_docx_uncompressed: int = DEFAULT_MAX_DOCX_UNCOMPRESSED
    pdf_timeout: float = DEFAULT_PDF_TIMEOUT
    max_pdf_pages: int = MAX_PDF_PAGES
    max_zip_members: int = MAX_ZIP_MEMBERS


def check_zip(zf: zipfile.ZipFile, path: str, limits: Limits) -> None:
    """Raise ReadError if the archive is encrypted, has too many members or inflates too much (zip bomb)."""
    infos = zf.infolist()
    if len(infos) > limits.max_zip_members:
        raise ReadError(path, f"tệp nén có quá nhiều thành phần: {len(infos)} > {limits.max_zip_members}")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError(path, "tệp nén được mã hóa, không đọc được (encrypted zip)")
        # zipfile stops inflating at the declared size, so the declared sizes bound the real ones.
        total += info.file_size
        if total > limits.max_docx_uncompressed:
            raise ReadError(
                path,
                f"dung lượng giải nén vượt giới hạn {limits.max_docx_uncompressed // MB} MB (zip bomb?)",
            )
        if info.file_size > ZIP_RATIO_MIN_SIZE and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise ReadError(
                path,
                f"tỷ lệ nén bất thường ở {info.filename}: {info.file_size // max(info.compress_size, 1)}:1 (zip bomb)",
            )


class Deadline:
    """A wall-clock deadline checked between units of work."""

    def __init__(self, path: str, seconds: float, what: str) -> None:
        self.path = path
        self.seconds = seconds
        self.what = what
        self.start = time.monotonic()

    def check(self) -> None:
        """Raise ReadError once the deadline has passed."""
        if time.monotonic() - self.start > self.seconds:
            raise ReadError(
                self.path, f"quá thời gian đọc {self.what} ({self.seconds:g} giây) — tệp bất thường (timeout)"
            )


def describe(exc: BaseException, limit: int = 160) -> str:
    """EXC as one short line for an error message: 'Type: message' with whitespace collapsed."""
    message = " ".join(str(exc).split())
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
