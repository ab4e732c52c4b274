"""Read a plain-text file: detect its encoding (UTF-8/16, TCVN3, VNI, Windows-1258), one block per line."""

from __future__ import annotations

from pathlib import Path

from tonghop.documents.model import Block, Document
from tonghop.text.legacy import decode_bytes

CONVERTED = {
    "tcvn3": "Đã chuyển mã TCVN3 (ABC, phông .VnTime) sang Unicode",
    "vni": "Đã chuyển mã VNI-Windows sang Unicode",
    "cp1258": "Đã chuyển mã Windows-1258 sang Unicode",
    "latin-1": "Không nhận ra bảng mã tiếng Việt của tệp; đã đọc tạm theo Latin-1, dấu tiếng Việt có thể sai",
}


def read_txt(path: Path, raw: bytes) -> Document:
    """Decode RAW (the bytes of PATH) to NFC text, keeping the document's own tone placement; one Block per line."""
    text, encoding = decode_bytes(raw)
    warnings = [CONVERTED[encoding]] if encoding in CONVERTED else []
    bad = text.count("\ufffd")
    if bad:
        warnings.append(f"Có {bad} ký tự không giải mã được (thay bằng \ufffd)")
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")  # a NUL cannot be stored (PostgreSQL text) and is never content
        warnings.append(f"Đã bỏ {nuls} ký tự NUL: tệp có thể không phải văn bản thuần")
    return Document(
        blocks=[Block(line) for line in text.splitlines()],
        format="txt",
        path=str(path),
        encoding=encoding,
        warnings=warnings,
    )
