"""Header anchors: national title, Party title, motto, number, place-date; header segments and type-name lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tonghop.extract.doctypes import name_code
from tonghop.extract.lines import is_upper, squeeze, strip_markdown

NATIONAL = re.compile(
    r"C[ỘO]NG\s*H[OÒ]\s*[AÀ]\s*X[ÃA]\s*H[ỘO]I\s*CH[ỦU]\s*NGH[ĨI]A(?:\s*VI[ỆE]T\s*NAM)?|^\s*VI[ỆE]T\s*NAM\b",
    re.IGNORECASE,
)  # the title may be wrapped before "VIỆT NAM"
PARTY = re.compile(r"Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM")
# A mass organisation's heading stands where the national title does (right column), like the Party's.
MASS_TITLE = re.compile(
    r"^(?:(?:HỘI\s+(?:NÔNG\s+DÂN|CỰU\s+CHIẾN\s+BINH|LIÊN\s+HIỆP\s+PHỤ\s+NỮ|CHỮ\s+THẬP\s+ĐỎ|LIÊN\s+HIỆP\s+THANH\s+NIÊN|"
    r"NGƯỜI\s+CAO\s+TUỔI)|MẶT\s+TRẬN\s+TỔ\s+QUỐC|CÔNG\s+ĐOÀN|TỔNG\s+LIÊN\s+ĐOÀN\s+LAO\s+ĐỘNG)\s+VI[ỆE]T\s+NAM|"
    r"ĐOÀN\s+(?:TNCS|THANH\s+NIÊN\s+CỘNG\s+SẢN)\s+HỒ\s+CHÍ\s+MINH)$"
)
MOTTO = re.compile(r"Đ[ộô]c\s*l[ậa]p\s*[-–—]*\s*T[ựư]\s*do\s*[-–—]*\s*H[ạa]nh\s*ph[úu]c", re.IGNORECASE)
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*(?![\wÀ-ỹ])"
NUMBER_BODY = rf"(?:\d+|[.…_]+)?\s?(?:/\s?\d{{4}}\s?)?[/\-–]\s?{_CODE}(?:\s?[\-–/]\s?{_CODE})*"
NUMBER = re.compile(rf"(?<![\wÀ-ỹ])(?:Số|SỐ)\s*[:.]?\s*(?P<num>{NUMBER_BODY})")
_BLANK = r"[ \t.…_]*"
PLACE_DATE = re.compile(
    rf"(?P<ngay>ngày|NGÀY)\s*(?:(?P<d>\d{{1,2}}|{_BLANK})\s*(?:tháng|THÁNG)\s*(?P<m>\d{{1,2}}|{_BLANK})\s*"
    rf"(?:năm|NĂM)\s*(?P<y>\d{{4}})|(?P<nd>\d{{1,2}})\s*[/.-]\s*(?P<nm>\d{{1,2}})\s*[/.-]\s*(?P<ny>\d{{4}}))(?!\d)"
)
VV = re.compile(r"^(?:V/[vV]|v/v|Về việc|V\.v)\s*[:.]?\s*", re.UNICODE)
VV_INSIDE = re.compile(r"(?:^|\s)(?:V/[vV]|v/v|V\.v)\s*[:.]?\s+")  # "Số: 245/UBND-VP V/v báo cáo ..."
NAV_WORDS = re.compile(r"\b(?:TRANG CHỦ|TIN TỨC|GIỚI THIỆU|LIÊN HỆ|ĐĂNG NHẬP|TÌM KIẾM|SƠ ĐỒ)\b")


@dataclass
class Seg:
    """A piece of a header line (a cell, or a whole line) and the line it came from."""

    line: int
    text: str


def type_at(seg: Seg) -> tuple[str, str, str] | None:
    """(name, code, rest) when SEG is a type-name line: "BÁO CÁO", "B ÁO CÁO", "KẾ HOẠCH Triển khai ..."."""
    text = strip_markdown(seg.text).strip(" :")
    if len(text) > 300:
        return None
    if is_upper(text) or len(text.split()) <= 4:  # "Báo cáo" alone: a page that capitalises with CSS
        hit = name_code(text)
        if hit:
            return hit[0], hit[1], ""
    words = text.split()
    for n in range(min(4, len(words) - 1), 0, -1):
        head = " ".join(words[:n])
        hit = name_code(head) if is_upper(head) else None
        if not hit:
            continue
        rest = words[n:]
        if not is_upper(rest[0]):
            return hit[0], hit[1], " ".join(rest)
        if is_upper(text) and not anchor_kind(text):
            # "BÁO CÁO NHANH" qualifies the type; a long capitalised rest is the subject in capitals.
            return hit[0], hit[1], "" if len(rest) <= 3 else " ".join(rest)
    return None


def is_mass_title(text: str) -> bool:
    """True when TEXT is a whole mass organisation's national heading ("HỘI NÔNG DÂN VIỆT NAM")."""
    return bool(MASS_TITLE.match(squeeze(text.strip(" *-–|_"))))


def anchor_kind(text: str) -> str | None:
    """What header field TEXT carries: the national title or motto, the number, the place-date; None for prose."""
    if NATIONAL.search(text) or PARTY.search(text) or MOTTO.search(text) or is_mass_title(text):
        return "title"
    if len(text) > 160:
        return None  # a paragraph mentioning "số 12/KH-UBND ngày ..." is body, not header
    if NUMBER.search(text):
        return "number"
    m = PLACE_DATE.search(text)
    if m and (m.start() == 0 or text[: m.start()].rstrip().endswith(",")) and len(text[: m.start()].split()) <= 6:
        return "date"
    return None


def remainders(text: str) -> list[str]:
    """TEXT with the anchors (title, motto, number, place-date) cut out: what is left may be the issuer."""
    pieces = [text]
    for rx in (NATIONAL, PARTY, MOTTO, NUMBER):
        nxt = []
        for p in pieces:
            nxt.extend(rx.sub("\x00", p).split("\x00"))
        pieces = nxt
    out = []
    for p in pieces:
        m = PLACE_DATE.search(p)
        if m:
            p = p[: m.start()]
            p = p.rsplit(",", 1)[0] if "," in p else p
        p = squeeze(p.strip(" -–—|*_:,"))
        if p and not is_mass_title(p):
            out.append(p)
    return out
