"""The signature block at the end: authority prefix (TM./KT./TL./TUQ./Q., T/M, K/T, T/L), title, signer's name."""

from __future__ import annotations

import re

from tonghop.extract.lines import cells, is_upper, squeeze, strip_markdown
from tonghop.extract.model import Signer

TAIL_LINES = 40  # non-blank lines looked at

AUTHORITY = re.compile(r"^(?P<a>T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|TUQ|TM|KT|TL|Q)\s*[.:]?\s*(?=[A-ZĐÀ-Ỹ])(?P<rest>.*)$")
_NORMAL = {"TM": "TM.", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q.", "T/M": "T/M", "K/T": "K/T", "T/L": "T/L"}
TITLE_WORDS = re.compile(
    r"CHỦ\s+TỊCH|GIÁM\s+ĐỐC|TRƯỞNG|BÍ\s+THƯ|CHÁNH|CHỦ\s+NHIỆM|THỦ\s+TƯỚNG|ỦY\s+VIÊN|UỶ\s+VIÊN|THƯ\s+KÝ|"
    r"CHỈ\s+HUY|KẾ\s+TOÁN|TỔNG\s+BIÊN\s+TẬP|NGƯỜI\s+(?:KÝ|LẬP|BÁO\s+CÁO)|THỦ\s+QUỸ|PHÓ\s+[A-ZĐÀ-Ỹ]"
)
SEAL = re.compile(
    r"^[(\[]?\s*(?:đã\s+ký|ký|kí|chữ\s+ký|đóng\s+dấu|dấu|signed|\(?\s*ký\s+số)", re.IGNORECASE
)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđA-ZĐÀ-Ỹ'’]*\.?$")
_TRAILING_NAME = re.compile(r"^(?P<title>.*?[A-ZĐÀ-Ỹ])\s+(?P<name>(?:[A-ZĐÀ-Ỹ][a-zà-ỹđ'’]+\s*){2,6})$")


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


def split_signature(cell: str) -> list[str]:
    """Split a recipients cell that swallowed the signature column ("- Lưu: VT. KT. CHỦ TỊCH")."""
    m = re.search(r"\s(?P<sig>(?:TM|KT|TL|TUQ|T/M|K/T|T/L)\.?\s+[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ\s]+)$", cell)
    if m and m.start() > 0 and not is_upper(cell[: m.start()]):
        return [cell[: m.start()].strip(), m.group("sig").strip()]
    return [cell]


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
        start = first
        k += 1
    else:
        cand = [k for k, (_, t) in enumerate(segs) if is_upper(t) and TITLE_WORDS.search(t) and len(t.split()) <= 8
                and not re.match(r"^[IVX]+\s*[.\-–)]", t)]
        if not cand:
            return None, None
        k = cand[-1]
        while k - 1 in cand and k - 1 >= 0:
            k -= 1
        start = k
    name: str | None = None
    while k < len(segs):
        t = segs[k][1]
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
        if SEAL.match(t) or t.startswith(("(", "[")):
            continue
        if is_name(t):
            name = t
            break
    if authority is None and title is None and name is None:
        return None, None
    return Signer(authority=authority, title=title, name=name), segs[start][0]
