"""The issuing body and its parent, read from the header's upper-case lines next to the anchors."""

from __future__ import annotations

from tonghop.extract import lines as lu
from tonghop.extract.anchors import NAV_WORDS, VV, Seg, remainders, type_at
from tonghop.extract.lines import is_upper


def group_issuers(pieces: list[str]) -> list[str]:
    """Join continuation lines ("ỦY BAN NHÂN DÂN" + "HUYỆN X") into bodies; a new body starts with an org word."""
    groups: list[str] = []
    for p in pieces:
        if groups and not lu.ORG_HEAD.match(p):
            groups[-1] = f"{groups[-1]} {p}"
        else:
            groups.append(p)
    return groups


def issuer_pieces(segs: list[Seg], first_anchor: int, end: int) -> list[str]:
    """Upper-case remainders next to the header anchors (at most 4 lines above the first one).

    When none is in capitals (a web page that capitalises with CSS), fall back to "Ủy ban nhân dân" /
    "huyện Châu Thành" lines above or beside the first anchor.
    """
    start = first_anchor
    while start > 0 and first_anchor - start < 4:
        s = segs[start - 1]
        rem = remainders(s.text)
        if not rem or not all(issuerish(r) for r in rem) or NAV_WORDS.search(s.text) or type_at(s):
            break
        start -= 1
    # Above the anchors, an issuer starts with an organisation word; a category heading of a web page does not.
    while start < first_anchor and not any(lu.ORG_HEAD.match(r.upper()) for r in remainders(segs[start].text)):
        start += 1
    pieces = []
    for s in segs[start:end]:
        for r in remainders(s.text):
            r = lu.drop_trailing_lowercase(r)  # "... NÔNG THÔN Độc" when the motto was wrapped
            if is_upper(r) and not type_at(Seg(0, r)) and not VV.match(r) and not NAV_WORDS.search(r):
                pieces.append(r)
    if pieces:
        return pieces
    for s in segs[start : min(end, first_anchor + 1)]:
        for r in remainders(s.text):
            if issuerish(r) and not is_upper(r) and (lu.ORG_HEAD.match(r.upper()) or (pieces and lu.PLACE_WORD.match(r))):
                pieces.append(r)
    return pieces


def issuerish(text: str) -> bool:
    """Capitals, or a sentence-case organisation or place line short enough to be a header line."""
    if is_upper(text):
        return True
    return len(text.split()) <= 12 and bool(lu.ORG_HEAD.match(text.upper()) or lu.PLACE_WORD.match(text))
