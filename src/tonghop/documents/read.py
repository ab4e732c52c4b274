"""Read any supported file into a Document, enforcing the limits (size, format)."""

from __future__ import annotations

from pathlib import Path

from tonghop.documents.errors import ReadError
from tonghop.documents.model import Document

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def read_document(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read PATH (TXT for now) into a Document; raise ReadError naming the file and the reason."""
    p = Path(path)
    if not p.is_file():
        raise ReadError(str(p), "không tìm thấy tệp (file not found)")
    size = p.stat().st_size
    if size > max_bytes:
        raise ReadError(str(p), f"tệp quá lớn: {size} byte > giới hạn {max_bytes} byte")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(str(p), f"không giải mã được: {exc.reason}") from exc
    return Document.from_text(text, path=str(p))
