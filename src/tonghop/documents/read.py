"""Read any supported file into a Document: sniff the format, enforce the limits, wrap every failure."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from tonghop.documents.errors import ReadError
from tonghop.documents.limits import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DOCX_UNCOMPRESSED,
    DEFAULT_PDF_TIMEOUT,
    MB,
    OLE_MAGIC,
    OLE_REASON,
    Limits,
    describe,
)
from tonghop.documents.model import Document

TXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FORMAT_NAMES = {"txt": "văn bản", "docx": "Word .docx", "pdf": "PDF", "html": "HTML"}


def read_document(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_docx_uncompressed: int = DEFAULT_MAX_DOCX_UNCOMPRESSED,
    pdf_timeout: float = DEFAULT_PDF_TIMEOUT,
) -> Document:
    """Read PATH (TXT, DOCX, PDF or HTML) into a Document; any failure is a ReadError naming the file and why."""
    p = Path(path)
    name = str(p)
    limits = Limits(max_bytes=max_bytes, max_docx_uncompressed=max_docx_uncompressed, pdf_timeout=pdf_timeout)
    try:
        if not p.is_file():
            if p.exists():
                raise ReadError(name, "không phải tệp thông thường (not a regular file)")
            raise ReadError(name, "không tìm thấy tệp (file not found)")
        size = p.stat().st_size
        if size > max_bytes:
            raise ReadError(name, f"tệp quá lớn: {size / MB:.1f} MB > giới hạn {max_bytes / MB:.1f} MB (too large)")
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise ReadError(name, f"tệp quá lớn: > giới hạn {max_bytes / MB:.1f} MB (too large)")
    except OSError as exc:
        raise ReadError(name, f"không mở được tệp ({exc.strerror or exc})") from exc
    fmt = sniff_format(p, raw)
    try:
        return _reader(fmt)(p, raw, limits)
    except ReadError:
        raise
    except MemoryError as exc:
        raise ReadError(name, "không đủ bộ nhớ để đọc tệp (out of memory)") from exc
    except RecursionError as exc:
        raise ReadError(name, "cấu trúc tệp lồng nhau quá sâu (nesting too deep)") from exc
    except Exception as exc:  # a reader library failed on a malformed file: report it, never let it escape
        raise ReadError(name, f"tệp {FORMAT_NAMES[fmt]} hỏng, không đọc được ({describe(exc)})") from exc


def sniff_format(path: Path, raw: bytes) -> str:
    """'txt', 'docx', 'pdf' or 'html' from the content first and the suffix second; ReadError otherwise."""
    name, suffix = str(path), path.suffix.lower()
    head = raw[:1024]
    if raw.startswith(OLE_MAGIC):
        raise ReadError(name, OLE_REASON)
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        if suffix == ".docx" or _zip_has_word(raw):
            return "docx"
        raise ReadError(name, f"định dạng không hỗ trợ: tệp nén {suffix or '(không đuôi)'} không phải Word .docx")
    if b"%PDF-" in head:
        return "pdf"
    if suffix == ".docx":
        raise ReadError(name, "tệp .docx hỏng: không phải tệp zip (corrupt)")
    if suffix == ".pdf":
        raise ReadError(name, "tệp PDF hỏng: thiếu phần đầu %PDF (corrupt)")
    if suffix == ".doc":
        raise ReadError(name, OLE_REASON)
    if suffix in HTML_SUFFIXES or _looks_like_html(head):
        return "html"
    if suffix in TXT_SUFFIXES:
        return "txt"
    raise ReadError(name, f"định dạng không hỗ trợ (unsupported format): {suffix or '(không đuôi)'}")


def _zip_has_word(raw: bytes) -> bool:
    """True if the zip archive holds word/document.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            return "word/document.xml" in zf.namelist()
    except Exception:  # a broken zip is not a Word file
        return False


def _looks_like_html(head: bytes) -> bool:
    """True if the first bytes open an HTML document."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _reader(fmt: str) -> Callable[[Path, bytes, Limits], Document]:
    """The reader function for FMT (imported lazily so TXT reading does not load pdfminer)."""
    if fmt == "docx":
        from tonghop.documents.docx import read_docx

        return read_docx
    if fmt == "pdf":
        from tonghop.documents.pdf import read_pdf

        return read_pdf
    if fmt == "html":
        from tonghop.documents.html import read_html

        return lambda p, raw, limits: read_html(p, raw)
    return _read_txt


def _read_txt(path: Path, raw: bytes, limits: Limits) -> Document:
    """Read a text file through tonghop.documents.txt."""
    from tonghop.documents.txt import read_txt

    return read_txt(path, raw)
