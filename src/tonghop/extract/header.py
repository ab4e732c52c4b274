"""The document header: type, number, issuer (and parent), place, date and subject (trích yếu).

Works on the first lines only and copes with copy-paste shapes: columns one after another, interleaved, in "|"
cells, or flattened onto one line with the two columns' words mixed; fields broken over lines; placeholders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tonghop.extract import lines as lu
from tonghop.extract.anchors import (
    MOTTO,
    NATIONAL,
    NUMBER,
    PARTY,
    PLACE_DATE,
    VV,
    VV_INSIDE,
    Seg,
    anchor_kind,
    type_at,
)
from tonghop.extract.doctypes import code_of_number
from tonghop.extract.issuer import group_issuers, issuer_pieces
from tonghop.extract.lines import UPPER, cells, drop_superscripts, is_rule, is_upper, squeeze, strip_markdown
from tonghop.text.dates import make_date
from tonghop.text.errors import ParseError

HEADER_LINES = 50  # non-blank lines looked at
DEEP_LINES = 200  # when a long site menu pushes the header down

KINH_GUI = re.compile(r"^Kính\s+gửi\b", re.IGNORECASE)
_LONE_SO = re.compile(r"(?:^|\s)(?:Số|SỐ)\s*[:.]?$")
_OPEN_DATE = re.compile(r"(?:ngày|NGÀY)\s*[\d.…_ ]*$|(?:tháng|THÁNG)\s*[\d.…_ ]*$")
_STARTS_DATE_REST = re.compile(r"^(?:tháng|THÁNG|năm|NĂM|[\d.…_ ]+\s*(?:tháng|THÁNG))\b")
_BODY_START = re.compile(
    r"^(?:Căn\s+cứ|Thực\s+hiện|Kính\s+gửi|Theo\s|Trên\s+cơ\s+sở|Nhằm|Hôm\s+nay|Để\s|Qua\s|Vừa\s+qua|Phần\s+[IVX\d]+\b|"
    r"(?:Ngày|Sáng|Chiều|Tối|Trưa)\s+(?:nay|hôm|\d)|Sau\s+khi|Tiếp\s+theo|Triển\s+khai\s+thực\s+hiện\s+|"
    r"(?:Năm|Tháng|Quý)\s+[\dIVX/]+\s*,|Trong\s|"
    r"Chương\s+[IVX\d]+\b|Điều\s+\d|[IVX]+\s*[.\-–)]\s|\d{1,2}\s*[.)]\s|[a-zđ]\)\s|[-+•–]\s)"
)
_AMBIGUOUS_OPENER = re.compile(r"^(?:Thực\s+hiện|Triển\s+khai)\s")  # opens a body paragraph, or a subject
_STOP_SUBJECT = re.compile(r"[.:;]\s*$")
_AUTHORITY_LINE = re.compile(r"^(?:CHỦ TỊCH|BỘ TRƯỞNG|GIÁM ĐỐC|THỦ TƯỚNG|TỔNG |CỤC TRƯỞNG|TRƯỞNG |QUYẾT|KHÓA|KHOÁ|KỲ HỌP)")
_PERIOD_NOTE = re.compile(r"^\((?:[Tt]ừ|[Tt]ính\s+từ|[Kk]ỳ|[Ss]ố\s+liệu|[Đđ]ến|[Nn]ăm|[Tt]háng|[Qq]uý|[Gg]iai\s+đoạn)[^()]{0,80}\)$")
_SENTENCE = re.compile(rf"[.;]\s+[{UPPER}]")
_PLACEHOLDER = re.compile(r"^[\s.…_,]*$")


@dataclass
class Header:
    """What the header says; body_start is the first line after the header (and subject)."""

    doc_type: str | None = None
    type_name: str | None = None
    number: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    date: str | None = None
    subject: str | None = None
    body_start: int = 0
    has_header: bool = False
    kinh_gui_line: int | None = None
    warnings: list[str] = field(default_factory=list)


def _segments(lines: list[str], limit: int = HEADER_LINES) -> list[Seg]:
    """Cells of the first LIMIT non-blank lines, with broken fields ("Số:" / "12/QĐ-UBND") joined."""
    segs: list[Seg] = []
    seen = 0
    for i, raw in enumerate(lines):
        if seen >= limit:
            break
        if not raw.strip():
            continue
        seen += 1
        for cell in cells(raw):
            prev = segs[-1] if segs else None
            if prev and (_LONE_SO.search(prev.text) or
                         (_OPEN_DATE.search(prev.text) and _STARTS_DATE_REST.match(cell))):
                prev.text = f"{prev.text} {cell}"
                continue
            segs.append(Seg(i, cell))
    return segs


def _number(segs: list[Seg]) -> str | None:
    for s in segs:
        m = NUMBER.search(s.text)
        if m:
            num = re.sub(r"\s+", "", m.group("num")).replace("–", "-").rstrip(".,;")
            return re.sub(r"^[.…_]+", "", num)
    return None


def _place_date(segs: list[Seg], h: Header) -> None:
    for s in segs:
        m = PLACE_DATE.search(s.text)
        if not m:
            continue
        prefix = s.text[: m.start()]
        for rx in (NATIONAL, PARTY, MOTTO, NUMBER):
            found = list(rx.finditer(prefix))
            if found:
                prefix = prefix[found[-1].end() :]
        prefix = squeeze(prefix).strip(" ,-–|*")
        words = prefix.split()
        if len(words) > 6:  # prose before the place: keep the trailing capitalised words
            keep: list[str] = []
            for w in reversed(words):
                if not (w[:1].isupper() or w in ("phố", "xã", "trấn")):
                    break
                keep.insert(0, w)
            prefix = " ".join(keep)
        h.place = None if _PLACEHOLDER.match(prefix) else prefix
        numeric = m.group("ny") is not None
        day = _int(m.group("nd" if numeric else "d"))
        month = _int(m.group("nm" if numeric else "m"))
        try:
            h.date = make_date(int(m.group("ny" if numeric else "y")), month, day if month else None).iso
        except ParseError as exc:
            h.warnings.append(f"ngày ban hành không hợp lệ: {exc}")
        return


def _int(s: str | None) -> int | None:
    s = (s or "").strip(" .…_\t")
    return int(s) if s.isdigit() else None


def _ends_subject(text: str, *, in_capitals: bool = False) -> bool:
    """True when TEXT cannot continue a subject: the body, another header field, a title line, a note.

    A subject printed in capitals (IN_CAPITALS) may continue on further capital lines, but not into the
    authority line of a decision ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "HỘI ĐỒNG NHÂN DÂN TỈNH").
    """
    if _BODY_START.match(text) or anchor_kind(text) in ("date", "number"):
        return True
    if is_upper(text) and (not in_capitals or lu.ORG_HEAD.match(text) or _AUTHORITY_LINE.match(text)):
        return True
    if NATIONAL.search(text) or MOTTO.search(text) or PARTY.search(text):
        return True
    if text.startswith(("(", "[")):
        return not _PERIOD_NOTE.match(text)  # "(Từ ngày 15/10 đến ngày 14/11/2020)" belongs to the subject
    return text.endswith(":") or bool(_SENTENCE.search(text))


def _opener_subject(lines: list[str], i: int, text: str) -> bool:
    """True when TEXT, right under the type name, is a subject that opens like the body ("Thực hiện Nghị quyết ...").

    It must read as a title (no end punctuation, no second sentence, not a paragraph) and be followed by a blank
    line, the body's opener or its own continuation in small letters, not by the rest of a wrapped paragraph.
    """
    if not _AMBIGUOUS_OPENER.match(text) or len(text) > 250 or _STOP_SUBJECT.search(text) or _SENTENCE.search(text):
        return False
    j = i + 1
    while j < len(lines) and is_rule(squeeze(strip_markdown(lines[j]))):
        j += 1
    if j >= len(lines) or j > i + 1:
        return True
    nxt = squeeze(strip_markdown(lines[j]))
    return bool(_BODY_START.match(nxt) or nxt[:1].islower())


def _collect(lines: list[str], start: int, *, limit: int = 12, continuing: bool = False) -> tuple[str | None, int]:
    """Subject text from line START on: continues over line breaks, stops at the body; returns (text, next line)."""
    parts: list[str] = []
    i, blank = start, False
    while i < len(lines) and len(parts) < limit:
        raw = strip_markdown(lines[i])
        text = squeeze(" ".join(cells(raw))) if "|" in raw or "\t" in raw else squeeze(raw)
        if not text or is_rule(text):
            if text and (parts or continuing):
                break
            blank = blank or bool(parts) or continuing
            i += 1
            continue
        if parts or continuing:
            capitals = bool(parts) and is_upper(parts[0])
            short = len(text) <= 80 and not text.endswith((".", ";"))
            if _ends_subject(text, in_capitals=capitals) or (blank and not text[:1].islower() and not capitals
                                                               and not short):
                break
            if parts and _STOP_SUBJECT.search(parts[-1]):
                break
            if not text[:1].islower() and not capitals and (len(text) > 120 or text.endswith(".")):
                break  # a paragraph of the body, not the subject's next line
        elif _BODY_START.match(text) and not VV.match(text) and (blank or not _opener_subject(lines, i, text)):
            return None, i
        parts.append(text)
        blank = False
        i += 1
    subject = squeeze(drop_superscripts(" ".join(parts))).rstrip(" ;,")
    return (subject or None), i


def _cluster(anchors: list[int], gap: int = 8) -> list[int]:
    """The first run of anchors no more than GAP segments apart: the header, not a later mention."""
    out: list[int] = []
    for a in anchors:
        if out and a - out[-1] > gap:
            break
        out.append(a)
    return out


def _subject_follows(segs: list[Seg], i: int, hit: tuple[str, str, str]) -> bool:
    """A type name with no header around it counts only when a subject follows (menus list names alone)."""
    if hit[2]:
        return True
    nxt = segs[i + 1].text if i + 1 < len(segs) else ""
    return len(nxt.split()) >= 3 and not is_upper(nxt)


def extract_header(lines: list[str]) -> Header:
    """Read the header from the first lines of a document (see module docstring)."""
    h = _read_header(lines, HEADER_LINES)
    if h.doc_type == "TIN" and sum(1 for line in lines[:DEEP_LINES * 2] if line.strip()) > HEADER_LINES:
        deep = _read_header(lines, DEEP_LINES)
        if deep.number and deep.doc_type != "TIN":  # a real header below a long menu, not a mention in a news item
            return deep
    return h


def _read_header(lines: list[str], limit: int) -> Header:
    h = Header()
    segs = _segments(lines, limit)
    kinds = [anchor_kind(s.text) for s in segs]
    anchors = _cluster([i for i, k in enumerate(kinds) if k])
    type_idx, type_hit = None, None
    for i, s in enumerate(segs):
        hit = type_at(s)
        if not hit:
            continue
        if anchors and i < anchors[0] and anchors[0] - i <= 15 and kinds[anchors[0]] != "date":
            continue  # a menu item before the header proper
        if not anchors and (not _subject_follows(segs, i, hit) or (hit[2] and is_upper(hit[2]))):
            continue  # a menu item, or a news title in capitals that starts with a type word
        type_idx, type_hit = i, hit
        break
    if type_idx is not None:
        anchors = [a for a in anchors if a < type_idx]
    kg_idx = next((i for i, s in enumerate(segs) if KINH_GUI.match(s.text)), None)
    if kg_idx is not None:
        anchors = [a for a in anchors if a < kg_idx]
    vv_idx = next((i for i, s in enumerate(segs) if (VV.match(s.text) or VV_INSIDE.search(s.text))
                   and (type_idx is None or i < type_idx)), None)
    end = type_idx if type_idx is not None else kg_idx
    if end is None:
        end = (max(anchors + [vv_idx or 0]) + 1) if anchors else (vv_idx or 0)
    head_anchors = [a for a in anchors if a < end or (type_idx is None and a <= end)]
    h.has_header = bool(head_anchors) or type_hit is not None
    if kg_idx is not None:
        h.kinh_gui_line = segs[kg_idx].line
    if head_anchors:
        h.number = _number(segs[:end])
        _place_date(segs[:end], h)
    if head_anchors or type_idx is not None:
        first = head_anchors[0] if head_anchors else type_idx
        groups = group_issuers(issuer_pieces(segs, first, end if head_anchors else type_idx))
        h.issuer, h.parent_issuer = (groups[-1], groups[-2] if len(groups) > 1 else None) if groups else (None, None)
    body_start = (segs[end].line if end < len(segs) else (segs[-1].line + 1 if segs else 0)) if segs else 0
    if type_hit is not None:
        h.type_name, h.doc_type = type_hit[0], type_hit[1]
        t_line = segs[type_idx].line
        rest = type_hit[2]
        if rest:
            more, body_start = _collect(lines, t_line + 1, continuing=True)
            h.subject = squeeze(drop_superscripts(f"{rest} {more or ''}")).rstrip(" ;,") or None
        else:
            h.subject, body_start = _collect(lines, t_line + 1)
    elif vv_idx is not None:
        s = segs[vv_idx]
        inside = None if VV.match(s.text) else VV_INSIDE.search(s.text)
        first = s.text[inside.end() :] if inside else VV.sub("", s.text, count=1)
        pd = PLACE_DATE.search(first)  # "V/v báo cáo kết quả Kon Tum, ngày 05 tháng 01 năm 2024" (columns flattened)
        if pd:
            first = first[: pd.start()].rstrip(" ,")
            first = first[: -len(h.place)].rstrip(" ,") if h.place and first.endswith(h.place) else first
        more, nxt = _collect(lines, s.line + 1, limit=5, continuing=True)
        h.subject = squeeze(drop_superscripts(f"{first} {more or ''}")).rstrip(" ;,") or None
        body_start = max(body_start, nxt)
    if h.doc_type is None and h.has_header:
        code = code_of_number(h.number) if h.number else None
        if code:
            h.doc_type, h.type_name = code, None
        elif vv_idx is not None or h.number or kg_idx is not None:
            h.doc_type = "CV"
    titled = any(kinds[a] == "title" for a in head_anchors)
    if h.doc_type is None and not (titled or h.number or vv_idx is not None):
        h.doc_type = "TIN"  # no national title, no number, no type line: a news item (a dateline is not a header)
    if kg_idx is not None:
        body_start = max(body_start, segs[kg_idx].line)
    h.body_start = body_start
    return h
