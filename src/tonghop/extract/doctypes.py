"""Decree 30 type codes and the type names printed on documents ("BÁO CÁO" <-> "BC")."""

from __future__ import annotations

import re
import unicodedata

# Upper-case type name as printed -> Decree 30 code (công văn has no code; the wild writes "CV").
NAME_TO_CODE: dict[str, str] = {
    "NGHỊ QUYẾT": "NQ", "QUYẾT ĐỊNH": "QĐ", "CHỈ THỊ": "CT", "QUY CHẾ": "QC", "QUY ĐỊNH": "QyĐ",
    "THÔNG CÁO": "TC", "THÔNG BÁO": "TB", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr", "KẾ HOẠCH": "KH",
    "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA", "DỰ ÁN": "DA", "BÁO CÁO": "BC", "BIÊN BẢN": "BB", "TỜ TRÌNH": "TTr",
    "HỢP ĐỒNG": "HĐ", "CÔNG ĐIỆN": "CĐ", "BẢN GHI NHỚ": "BGN", "BẢN THỎA THUẬN": "BTT", "GIẤY ỦY QUYỀN": "GUQ",
    "GIẤY MỜI": "GM", "GIẤY GIỚI THIỆU": "GGT", "GIẤY NGHỈ PHÉP": "GNP", "PHIẾU GỬI": "PG", "PHIẾU CHUYỂN": "PC",
    "PHIẾU BÁO": "PB", "CÔNG VĂN": "CV", "KẾT LUẬN": "KL", "NGHỊ ĐỊNH": "NĐ", "THÔNG TƯ": "TT", "LUẬT": "L",
    "THÔNG TƯ LIÊN TỊCH": "TTLT", "PHÁP LỆNH": "PL", "BẢN SAO Y": "SY", "CHỈ THỊ LIÊN TỊCH": "CTLT",
}
CODE_TO_NAME: dict[str, str] = {code: name for name, code in NAME_TO_CODE.items()}
# Codes seen inside numbers ("12/BC-UBND", "35-NQ/TW"); "CV" is a công văn in Party numbering.
CODES: frozenset[str] = frozenset(CODE_TO_NAME) | {"QĐ", "NQ", "CV", "TTLT", "NQLT", "QyĐ", "KL", "NĐ", "TT", "HD"}
_CODES_FOLDED = {c.upper(): c for c in CODES}


def _squash(s: str) -> str:
    """Upper case, NFC, no spaces, tone placement folded (HÒA/HOÀ): the key used to recognise a printed name."""
    s = unicodedata.normalize("NFC", s).upper()
    s = s.replace("OÀ", "ÒA").replace("OÁ", "ÓA").replace("OẢ", "ỎA").replace("OÃ", "ÕA").replace("OẠ", "ỌA")
    s = s.replace("UỶ", "ỦY").replace("UÝ", "ÚY").replace("UỲ", "ÙY").replace("UỸ", "ŨY").replace("UỴ", "ỤY")
    return re.sub(r"[\s*_:.]+", "", s)


_SQUASHED = {_squash(name): name for name in NAME_TO_CODE}


def name_code(printed: str) -> tuple[str, str] | None:
    """(name, code) when PRINTED is a type name, tolerating OCR spaces ("B ÁO CÁO") and tone placement."""
    name = _SQUASHED.get(_squash(printed))
    return (name, NAME_TO_CODE[name]) if name else None


def code_of_number(number: str) -> str | None:
    """The type code inside a document number: "12/BC-UBND" -> "BC", "35-NQ/TW" -> "NQ", "12/UBND-VX" -> None."""
    parts = [p for p in re.split(r"[/-]", number) if p and not p.isdigit()]
    if not parts:
        return None
    first = parts[0]
    return _CODES_FOLDED.get(first.upper()) if first.upper() in _CODES_FOLDED else None


# Type words as written in running text ("Kế hoạch số 3006/KH-UBND", "Công Văn số 728/UBND-TH").
TEXT_WORD_TO_CODE: dict[str, str] = {
    "kế hoạch": "KH", "công văn": "CV", "quyết định": "QĐ", "nghị quyết": "NQ", "nghị định": "NĐ",
    "thông tư liên tịch": "TTLT", "thông tư": "TT", "chỉ thị": "CT", "kết luận": "KL", "thông báo": "TB",
    "hướng dẫn": "HD", "báo cáo": "BC", "tờ trình": "TTr", "quy định": "QyĐ", "quy chế": "QC",
    "chương trình": "CTr", "công điện": "CĐ", "đề án": "ĐA", "phương án": "PA", "giấy mời": "GM",
    "thông cáo": "TC", "biên bản": "BB", "luật": "L", "pháp lệnh": "PL", "văn bản": None,  # type: ignore[dict-item]
}


def text_word_code(word: str) -> str | None:
    """Code for a type word in running text ("Công Văn" -> "CV"); None for a generic word ("văn bản")."""
    return TEXT_WORD_TO_CODE.get(" ".join(word.lower().split()))
