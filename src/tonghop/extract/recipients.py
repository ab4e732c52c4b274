"""Recipients: the "Nơi nhận:" dash list at the end and the "Kính gửi:" addressees of a công văn."""

from __future__ import annotations

import re

from tonghop.extract.lines import cells, is_upper, squeeze, strip_markdown
from tonghop.extract.signature import AUTHORITY, SEAL, is_name, split_signature

NOI_NHAN = re.compile(r"^[\s*_]*N[ơo]i\s+nh[ậa]n\s*[:.]?[\s*_]*", re.IGNORECASE)
KINH_GUI = re.compile(r"^\s*Kính\s+gửi\s*[:.]?\s*", re.IGNORECASE)
_DASH = re.compile(r"^[-+•–—]\s*")


def _clean(item: str) -> str:
    item = _DASH.sub("", squeeze(item))
    return re.sub(r"(?:\./\.|[;,.])+$", "", item).strip()


def _items(parts: list[str], first: str) -> list[str]:
    """Dash items from PARTS; FIRST is what followed the label on its own line."""
    items: list[str] = []
    if first.strip():
        items.extend(_split_inline(first))
    for t in parts:
        if not t:
            continue
        if _DASH.match(t):
            items.append(_clean(t))
        elif items and (t[:1].islower() or t.startswith("(")):
            items[-1] = _clean(f"{items[-1]} {t}")
        else:
            break
    return [i for i in items if i]


def _split_inline(text: str) -> list[str]:
    """"- Như trên; - Lưu: VT." on one line -> ["Như trên", "Lưu: VT"]."""
    parts = re.split(r"(?:^|\s)[-+•–]\s+", text)
    return [_clean(p) for p in parts if _clean(p)]


def noi_nhan(lines: list[str], start: int = 0) -> tuple[list[str], int | None]:
    """Items of the last "Nơi nhận:" list at or after line START, and the line of the label."""
    label = None
    for i in range(len(lines) - 1, start - 1, -1):
        if NOI_NHAN.match(lines[i]):
            label = i
            break
    if label is None:
        return [], None
    head = cells(lines[label])
    first = split_signature(NOI_NHAN.sub("", head[0]))[0] if head else ""
    if AUTHORITY.match(first) and is_upper(first):
        first = ""
    parts: list[str] = []
    for raw in lines[label + 1 : label + 40]:
        for c in cells(raw):
            c = squeeze(strip_markdown(c))
            left = split_signature(c)[0]
            if AUTHORITY.match(left) and is_upper(left):
                continue  # the signature column interleaved with the list
            if not _DASH.match(left) and (is_upper(left) or is_name(left) or SEAL.match(left.lstrip("(["))):
                continue
            parts.append(left)
    return _items(parts, first), label


def kinh_gui(lines: list[str], line: int | None) -> list[str]:
    """Addressees after "Kính gửi:" at LINE (inline, or a dash list below it)."""
    if line is None or line >= len(lines):
        return []
    first = KINH_GUI.sub("", strip_markdown(lines[line]).strip())
    parts = []
    for raw in lines[line + 1 : line + 15]:
        t = squeeze(strip_markdown(raw))
        if not t:
            continue
        if not _DASH.match(t):
            break
        parts.append(t)
    if parts:
        return _items(parts, first)
    return [_clean(first)] if _clean(first) else []
