"""The signature block at the end: authority prefix (TM./KT./TL./TUQ./Q., T/M, K/T, T/L), title, signer's name."""

from __future__ import annotations

import re

from tonghop.extract.lines import LOWER, UPPER, cells, is_upper, squeeze, strip_markdown
from tonghop.extract.model import Signer

TAIL_LINES = 40  # non-blank lines looked at

AUTHORITY = re.compile(
    rf"^(?P<a>T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|TUQ|TM|KT|TL|Q(?=\s*\.))(?:\s*[.:]\s*|\s+)(?=[{UPPER}])(?P<rest>.*)$"
)
_NORMAL = {"TM": "TM.", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q.", "T/M": "T/M", "K/T": "K/T", "T/L": "T/L"}
TITLE_WORDS = re.compile(
    r"CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TRƯỞNG|BÍ\s+THƯ|CHÁNH|CHỦ\s+NHIỆM|THỦ\s+TƯỚNG|ỦY\s+VIÊN|UỶ\s+VIÊN|THƯ\s+KÝ|"
    rf"CHỈ\s+HUY|KẾ\s+TOÁN|TỔNG\s+BIÊN\s+TẬP|NGƯỜI\s+(?:KÝ|LẬP|BÁO\s+CÁO)|THỦ\s+QUỸ|PHÓ\s+[{UPPER}]"
)
SEAL = re.compile(
    r"^[(\[]?\s*(?:đã\s+ký|ký|kí|chữ\s+ký|đóng\s+dấu|dấu|signed|\(?\s*ký\s+số)", re.IGNORECASE
)
_SEAL_PREFIX = re.compile(r"^[(\[][^)\]]{0,40}[)\]]\s*(?=\S)")
_SEAL_SUFFIX = re.compile(r"(?<=\S)\s*[(\[][^)\]]{0,40}[)\]]$")
_NAME_WORD = re.compile(f"^[{UPPER}][{LOWER}{UPPER}'’-]*\\.?$")
_TRAILING_NAME = re.compile(f"^(?P<title>.*?[{UPPER}])\\s+(?P<name>(?:[{UPPER}][{LOWER}'’]+\\s*){{2,6}})$")


def _norm_authority(a: str) -> str:
    return _NORMAL[re.sub(r"\s+", "", a).upper()]


def is_name(text: str) -> bool:
    """True when TEXT looks like a person's name as printed under a signature ("Nguyễn Tiến Dũng")."""
    words = text.split()
    if not 2 <= len(words) <= 6 or len(text) > 45 or any(ch.isdigit() for ch in text):
        return False
    if not all(_NAME_WORD.match(w) for w in words):
        return False
    if is_upper(text) and TITLE_WORDS.search(text):
        return False
    return not text.lower().startswith(("nơi nhận", "lưu"))


def tail_segments(lines: list[str]) -> list[tuple[int, str]]:
    """Cells of the last TAIL_LINES non-blank lines, in order, with their line numbers."""
    picked: list[int] = []
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            picked.append(i)
            if len(picked) >= TAIL_LINES:
                break
    out: list[tuple[int, str]] = []
    for i in reversed(picked):
        for c in cells(lines[i]):
            out.extend((i, part) for part in split_signature(c))
    return out


_ITEM_THEN_TITLE = re.compile(rf"^(?P<item>[-+•–].*?[.;,])\s+(?P<sig>[{UPPER}][{UPPER}\s]+)$")
_TRAILING_AUTHORITY = re.compile(rf"\s(?P<sig>(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\.?\s+[{UPPER}].*)$")
_ITEM_THEN_NAME = re.compile(rf"^(?P<item>[-+•–]\s*Lưu\b.*[.;,])\s+(?P<name>(?:[{UPPER}][{LOWER}'’]+\s*){{2,5}})$")
_INNER_AUTHORITY = re.compile(rf"\s(?=(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\.?\s+[{UPPER}])")
_UPPER_THEN_NAME = re.compile(f"^(?P<head>.*[{UPPER}]{{2,}})\\s+(?P<name>(?:[{UPPER}][{LOWER}'’]+\\s*){{2,6}})$")


def split_signature(cell: str) -> list[str]:
    """Split a cell that swallowed the signature column or the whole block onto one line.

    "- Lưu: VT. KT. CHỦ TỊCH" -> ["- Lưu: VT.", "KT. CHỦ TỊCH"];
    "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hồ Quang Bửu" -> ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH", "Hồ Quang Bửu"].
    """
    out: list[str] = []
    if len(cell) > 250:
        return [cell]  # a paragraph of the body
    m = _TRAILING_AUTHORITY.search(cell)
    if m and m.start() > 0 and (cell.startswith(("-", "+", "•", "–")) or not is_upper(cell[: m.start()])):
        out.append(cell[: m.start()].strip())
        cell = m.group("sig").strip()
    else:
        t = _ITEM_THEN_TITLE.match(cell)
        if t and is_upper(t["sig"]) and TITLE_WORDS.search(t["sig"]):
            return [t["item"].strip(), t["sig"].strip()]
        t = _ITEM_THEN_NAME.match(cell)
        if t and is_name(t["name"]):
            return [t["item"].strip(), t["name"].strip()]
    if not AUTHORITY.match(cell) and not (is_upper(cell) or _UPPER_THEN_NAME.match(cell)):
        return [*out, cell]
    name = None
    tail = _UPPER_THEN_NAME.match(cell)
    if tail and is_upper(tail["head"]):
        cell, name = tail["head"].strip(), tail["name"].strip()
    pieces = [p.strip() for p in _INNER_AUTHORITY.split(cell) if p.strip()]
    last = AUTHORITY.match(pieces[-1]) if pieces else None
    if last and len(pieces) > 1 or last:
        title = re.match(r"^(?P<a>.*?\S)\s+(?P<t>PHÓ\s.+)$", pieces[-1])
        if title and AUTHORITY.match(title["a"]):
            pieces[-1:] = [title["a"], title["t"]]
    out.extend(pieces)
    if name:
        out.append(name)
    return out


def extract_signer(lines: list[str]) -> tuple[Signer | None, int | None]:
    """The signer, and the line where the signature block starts (None when there is none)."""
    segs = [(i, squeeze(strip_markdown(t))) for i, t in tail_segments(lines)]
    segs = [(i, t) for i, t in segs if t]
    auth_idx = [k for k, (_, t) in enumerate(segs) if AUTHORITY.match(t) and is_upper(AUTHORITY.match(t)["rest"])]
    authority: str | None = None
    title: str | None = None
    if auth_idx:
        k = auth_idx[-1]
        first = k
        while first - 1 in auth_idx:
            first -= 1
        m = AUTHORITY.match(segs[k][1])
        authority = _norm_authority(m["a"])
        title = squeeze(m["rest"]) or None
        if authority == "Q." and k > first:  # "TUQ. CHỦ TỊCH / Q. CHÁNH VĂN PHÒNG": Q. belongs to the title
            authority = _norm_authority(AUTHORITY.match(segs[k - 1][1])["a"])
            title = squeeze(segs[k][1])
        start = first
        k += 1
    else:
        cand = [k for k, (_, t) in enumerate(segs) if is_upper(t) and TITLE_WORDS.search(t) and len(t.split()) <= 8
                and not re.match(r"^[IVX]+\s*[.\-–)]", t)]
        if not cand:
            return None, None
        # The first title with a name under it: a site footer ("TRƯỞNG BAN BIÊN TẬP") may follow the document.
        named = [c for c in cand if any(is_name(_SEAL_SUFFIX.sub("", _SEAL_PREFIX.sub("", t))) for _, t in segs[c + 1 : c + 6])]
        k = named[0] if named else cand[-1]
        while k - 1 in cand and k - 1 >= 0:
            k -= 1
        start = k
    name: str | None = None
    while k < len(segs):
        t = segs[k][1]
        if t.startswith(("-", "+", "•", "–")) or t.lower().startswith("nơi nhận"):
            k += 1  # the recipients column interleaved with the signature
            continue
        if is_upper(t) and not is_name(t):
            trailing = _TRAILING_NAME.match(t)
            title = t
            k += 1
            continue
        trailing = _TRAILING_NAME.match(t)
        if trailing and is_upper(trailing["title"]) and TITLE_WORDS.search(trailing["title"]):
            title, name = squeeze(trailing["title"]), squeeze(trailing["name"])
            break
        break
    for _, t in segs[k : k + 8] if name is None else []:
        t = _SEAL_SUFFIX.sub("", _SEAL_PREFIX.sub("", t))  # "(Đã ký) Võ Ngọc Thành", "Võ Ngọc Thành (đã ký)"
        if SEAL.match(t) or t.startswith(("(", "[")):
            continue
        if is_name(t):
            name = t
            break
    if authority is None and title is None and name is None:
        return None, None
    return Signer(authority=authority, title=title, name=name), segs[start][0]
