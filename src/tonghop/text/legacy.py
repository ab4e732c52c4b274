"""Legacy Vietnamese encodings: detect and convert TCVN3 (ABC, .VnTime), VNI-Windows and Windows-1258.

Detection scores each candidate decoding by its Vietnamese syllables: a token with a non-ASCII letter that is a
well-formed syllable (onset, vowel nucleus, final consonant, at most one tone) counts for, anything else against.

TCVN3 limitation: the standard (VN3, the ABC/.VnTime one) has codes for the uppercase letters Ă Â Ê Ô Ơ Ư Đ but
not for uppercase letters with a tone mark; those were typed as the lowercase code in a .VnTimeH font, which draws
every glyph in capitals. `encode_tcvn3` does the same, and decoding restores capitals from context: the toned
letters of a word are capitalised when its other letters are capitals ("CéNG" -> "CỘNG"), and in a line of
capital Vietnamese words even a word with one capital ("X·" -> "XÃ"). A title-case word whose first letter carries
a tone ("Ấp") comes back lower case ("ấp"). Characters an encoding cannot hold are written as "?".
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

# Bytes as Windows shows them (cp1252, undefined bytes as Latin-1): the glyph view of a legacy-font text.
_GLYPH_TABLE = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256))
_GLYPH_ENCODING = codecs.charmap_build(_GLYPH_TABLE)
_GLYPH_CHARS = frozenset(_GLYPH_TABLE)

# TCVN3 codes: vowel -> codes for (grave, hook, tilde, acute, dot below) and the plain letters with marks.
_TONE_ORDER = "\u0300\u0309\u0303\u0301\u0323"
_TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9), "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6), "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1), "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6), "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4), "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9), "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4), "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9), "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}  # fmt: skip
_TCVN3_PLAIN = dict(zip("ĂÂÊÔƠƯĐăâêôơưđ", range(0xA1, 0xAF), strict=True))


def _tone(vowel: str, i: int) -> str:
    return unicodedata.normalize("NFC", vowel + _TONE_ORDER[i])


_TCVN3_CODES: dict[str, int] = dict(_TCVN3_PLAIN)
for _v, _codes in _TCVN3_TONED.items():
    for _i, _code in enumerate(_codes):
        _TCVN3_CODES[_tone(_v, _i)] = _code
        _TCVN3_CODES[_tone(_v, _i).upper()] = _code  # no code of its own: the .VnTimeH convention
_TCVN3_GLYPHS = {ord(_GLYPH_TABLE[code]): ch for ch, code in _TCVN3_CODES.items() if ch.islower() or ch in _TCVN3_PLAIN}

# VNI-Windows: a base letter followed by a mark glyph; i, y-dot, ơ, ư, đ are single glyphs.
_VNI_MARKS = {
    "a": ("aø", "aû", "aõ", "aù", "aï"), "ă": ("aè", "aú", "aü", "aé", "aë"), "â": ("aà", "aå", "aã", "aá", "aä"),
    "e": ("eø", "eû", "eõ", "eù", "eï"), "ê": ("eà", "eå", "eã", "eá", "eä"), "i": ("ì", "æ", "ó", "í", "ò"),
    "o": ("oø", "oû", "oõ", "où", "oï"), "ô": ("oà", "oå", "oã", "oá", "oä"), "ơ": ("ôø", "ôû", "ôõ", "ôù", "ôï"),
    "u": ("uø", "uû", "uõ", "uù", "uï"), "ư": ("öø", "öû", "öõ", "öù", "öï"), "y": ("yø", "yû", "yõ", "yù", "î"),
}  # fmt: skip
_VNI_CODES: dict[str, str] = {"ă": "aê", "â": "aâ", "ê": "eâ", "ô": "oâ", "ơ": "ô", "ư": "ö", "đ": "ñ"}
for _v, _seqs in _VNI_MARKS.items():
    for _i, _seq in enumerate(_seqs):
        _VNI_CODES[_tone(_v, _i)] = _seq
_VNI_CODES.update({ch.upper(): seq.upper() for ch, seq in list(_VNI_CODES.items())})
_VNI_DECODE = {seq: ch for ch, seq in _VNI_CODES.items()}
for _seq, _ch in list(_VNI_DECODE.items()):
    if len(_seq) == 2:  # a mark glyph of the other case (careless typing): the base letter decides the case
        _VNI_DECODE.setdefault(_seq[0] + _seq[1].swapcase(), _ch)
_VNI_RE = re.compile("|".join(sorted(map(re.escape, _VNI_DECODE), key=len, reverse=True)))

# Windows-1258: base letters (with circumflex, breve, horn) plus a combining tone mark.
_CP1258_TONES = set(_TONE_ORDER)

# A well-formed syllable, tone removed: onset, vowel nucleus, final consonant. Nuclei ending in a glide take no
# final consonant, iê/uô/ươ/ă/â always take one; a syllable ending in c, ch, p, t has the acute or dot-below tone.
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_OPEN = "iêu yêu oai oay oeo uây uôi uya uyu ươi ươu ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu".split()
_CLOSED = "uyê iê yê uô ươ oă uâ ă â".split()
_EITHER = "oa oe uê uơ uy a e ê i o ô ơ u ư y".split()
_CODA = "(?:ch|ng|nh|[cmnpt])"
_RHYME = f"((?:{'|'.join(_OPEN)})$|(?:{'|'.join(_CLOSED)})(?={_CODA})|(?:{'|'.join(_EITHER)}))({_CODA}?)"
_SYLLABLE = re.compile(f"({_ONSET}){_RHYME}")
_SYLLABLE_G = re.compile(f"(g){_RHYME}")  # "gì", "gìn": the i is the vowel, not part of "gi"
_QUALITY = "ăâêôơư"
# Common syllables of administrative text: they break ties between readings of very short texts.
_COMMON = frozenset(
    """và của các có không được cho theo trong với là người những năm ngày tháng này đã đến để về một hai ba
    bốn công tác báo cáo kế hoạch thực hiện quyết định nhân dân ủy ban tỉnh huyện xã phường đảng bộ cộng hòa
    việt nam độc lập tự do hạnh phúc số chỉ thị nghị văn bản đơn vị kết quả phát triển kinh tế hội giáo dục
    tuyên truyền tổ chức cơ quan trên dưới đồng tiền nước đất sản xuất nông nghiệp lợi thủy""".split()
)
# Words, with the Latin-1 symbols that legacy glyphs misread as Unicode put inside words ("§¶ng", "Bé").
_TOKEN = re.compile(r"(?:[^\W\d_]|[\u00a1-\u00bf])+|\ufffd")
_SAMPLE = 200_000  # characters scored per candidate: enough to decide, bounded time on big files
_UPPER_RELIABLE = set("ĂÂÊÔƠƯĐ")
_WORD = re.compile(r"[^\W\d_]+")


def _tone_ok(nucleus: str, coda: str, pos: int) -> bool:
    """True if the tone mark sits where Vietnamese spelling puts it (either place for open oa, oe, uy)."""
    quality = [i for i, c in enumerate(nucleus) if c in _QUALITY]
    if quality:
        return pos == quality[-1]
    if len(nucleus) == 1 or coda:
        return pos == len(nucleus) - 1
    if nucleus in ("oa", "oe", "uy"):
        return pos in (0, 1)
    return pos == (1 if len(nucleus) == 3 else 0)


@lru_cache(maxsize=65536)
def is_syllable(token: str) -> bool:
    """True if TOKEN (one word, any case, NFC or not) is a well-formed Vietnamese syllable, tone mark included."""
    letters = unicodedata.normalize("NFC", token.lower())
    tone_at, tone, base = -1, "", []
    for i, ch in enumerate(letters):
        decomposed = unicodedata.normalize("NFD", ch)
        marks = [c for c in decomposed if c in _CP1258_TONES]
        if len(marks) > 1 or (marks and tone) or ch in _CP1258_TONES:
            return False
        if marks:
            tone_at, tone = i, marks[0]
        base.append(unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _CP1258_TONES)))
    word = "".join(base)
    if len(word) != len(letters):
        return False
    for pattern in (_SYLLABLE, _SYLLABLE_G):
        m = pattern.fullmatch(word)
        if m is None:
            continue
        onset, nucleus, coda = m.groups()
        if coda in ("c", "ch", "p", "t") and tone not in ("\u0301", "\u0323"):
            return False
        if not tone or _tone_ok(nucleus, coda, tone_at - len(onset)):
            return True
    return False


def syllable_score(text: str) -> tuple[int, int, int]:
    """(valid, invalid, common) counts of tokens with a non-ASCII letter: syllables, non-syllables (U+FFFD
    included) and common syllables."""
    valid = invalid = common = 0
    for token in _TOKEN.findall(text[:_SAMPLE]):
        if token.isascii():
            continue
        if is_syllable(token):
            valid += 1
            common += unicodedata.normalize("NFC", token.lower()) in _COMMON
        else:
            invalid += 1
    return valid, invalid, common


def _reliable(word: str) -> list[str]:
    """The letters of WORD whose case TCVN3 records: ASCII letters and ă â ê ô ơ ư đ (not toned vowels)."""
    return [c for c in word if c.isascii() or c.upper() in _UPPER_RELIABLE]


def _caps_line(words: list[str]) -> bool:
    """True if a line has a capitals-only Vietnamese word with two reliable capitals and no lower-case letter."""
    evidence = False
    for word in words:
        reliable = _reliable(word)
        if any(c.islower() for c in reliable):
            return False
        evidence = evidence or (len(reliable) >= 2 and not word.isascii())
    return evidence


def _restore_tcvn3_capitals(text: str) -> str:
    """Capitalise toned letters in capitals words (the .VnTimeH convention), see the module docstring."""
    if not any(c.isupper() for c in text):
        return text
    lines = text.split("\n")
    for n, line in enumerate(lines):
        words = _WORD.findall(line)
        caps_line: bool | None = None
        changed = []
        for word in words:
            reliable = _reliable(word)
            if word.isascii() or word.isupper() or any(c.islower() for c in reliable):
                changed.append(word)
                continue
            if len(reliable) < 2:
                caps_line = _caps_line(words) if caps_line is None else caps_line
            changed.append(word.upper() if len(reliable) >= 2 or caps_line else word)
        if changed != words:
            pieces = _WORD.split(line)
            lines[n] = "".join(p + w for p, w in zip(pieces, changed, strict=False)) + pieces[-1]
    return "\n".join(lines)


def tcvn3_glyphs_to_text(glyphs: str) -> str:
    """Convert text typed in a TCVN3 font, as Windows shows it ("Bé Néi vô"), to Unicode ("Bộ Nội vụ")."""
    return _restore_tcvn3_capitals(glyphs.translate(_TCVN3_GLYPHS))


def vni_glyphs_to_text(glyphs: str) -> str:
    """Convert text typed in a VNI font, as Windows shows it ("Boä Noäi vuï"), to Unicode ("Bộ Nội vụ")."""
    return _VNI_RE.sub(lambda m: _VNI_DECODE[m.group(0)], glyphs)


def _decode_as(raw: bytes, name: str) -> str:
    """RAW decoded as NAME (one of the candidates), NFC."""
    if name == "utf-8":
        return unicodedata.normalize("NFC", raw.decode("utf-8", errors="replace"))
    if name == "cp1258":
        return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))
    glyphs = codecs.charmap_decode(raw, "strict", _GLYPH_TABLE)[0]
    return tcvn3_glyphs_to_text(glyphs) if name == "tcvn3" else vni_glyphs_to_text(glyphs)


def _bomless_utf16(raw: bytes) -> str | None:
    """RAW as UTF-16 without a byte-order mark, or None: most high bytes zero, and the text reads as Latin."""
    sample = raw[:4096]
    if len(sample) < 8 or len(raw) % 2:
        return None
    for high, low, codec in ((sample[1::2], sample[0::2], "utf-16-le"), (sample[0::2], sample[1::2], "utf-16-be")):
        if high.count(0) * 10 >= len(high) * 6 and low.count(0) * 10 < len(low):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                return None
            latin = sum(c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in text[:2048])
            return text if latin * 10 >= min(len(text), 2048) * 9 and "\x00" not in text else None
    return None


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode a text file's bytes to NFC text and name the encoding found; never raises.

    Encodings: 'utf-8-sig' and 'utf-16' (by BOM; UTF-16 also by its zero bytes), 'utf-8' (valid UTF-8, unless it
    holds legacy glyphs: then 'tcvn3' or 'vni'), else the best syllable score among 'tcvn3', 'vni', 'cp1258' and
    UTF-8 with replacement characters; bytes that read as no Vietnamese at all fall back to 'cp1258' or 'latin-1'.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return unicodedata.normalize("NFC", raw[3:].decode("utf-8", errors="replace")), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return unicodedata.normalize("NFC", raw.decode("utf-16", errors="replace")).lstrip("\ufeff"), "utf-16"
    utf16 = _bomless_utf16(raw)
    if utf16 is not None:
        return unicodedata.normalize("NFC", utf16), "utf-16"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        converted, found = convert_legacy_text(text)
        return unicodedata.normalize("NFC", converted), found or "utf-8"
    sample = raw[:_SAMPLE]
    scored = []
    for preference, name in enumerate(("utf-8", "tcvn3", "cp1258", "vni")):
        valid, invalid, common = syllable_score(_decode_as(sample, name))
        scored.append((valid - invalid, common, valid, -preference, name))
    _, _, valid, _, name = max(scored)
    if valid == 0:  # no Vietnamese in any reading: keep the bytes readable and say how
        try:
            return unicodedata.normalize("NFC", raw.decode("cp1258")), "cp1258"
        except UnicodeDecodeError:
            return raw.decode("latin-1"), "latin-1"
    return _decode_as(raw, name), name


def _looks_unicode(s: str) -> bool:
    """True if S holds a letter no legacy glyph view has (beyond Latin-1 and cp1252): it is already Unicode."""
    return any(c > "\u00ff" and c not in _GLYPH_CHARS and c.isalpha() for c in s)


def convert_legacy_text(s: str, encoding: str | None = None) -> tuple[str, str | None]:
    """Convert S if it was typed in a TCVN3 or VNI font: (text, 'tcvn3'|'vni'), or (S, None) if it is Unicode.

    Without ENCODING the conversion must be clearly better (short strings such as one word stay as they are);
    ENCODING ('tcvn3' or 'vni', e.g. from a DOCX run's .VnTime or VNI font) converts unless S already holds
    Vietnamese Unicode letters or the conversion reads worse.
    """
    sample = s[:_SAMPLE]
    if s.isascii() or _looks_unicode(sample):
        return s, None
    converters = {"tcvn3": tcvn3_glyphs_to_text, "vni": vni_glyphs_to_text}
    valid, invalid, _ = syllable_score(sample)
    if encoding in converters:
        v, i, _ = syllable_score(converters[encoding](sample))
        return (converters[encoding](s), encoding) if v - i >= valid - invalid else (s, None)
    best: tuple[int, str] | None = None
    for name, convert in converters.items():
        v, i, _ = syllable_score(convert(sample))
        # Legacy glyphs seen as Unicode are mostly not syllables; real Unicode text mostly is.
        if v > valid and v - i > valid - invalid and i * 4 <= v and invalid * 4 >= valid:
            if best is None or v - i > best[0]:
                best = (v - i, name)
    if best is None:
        return s, None
    return converters[best[1]](s), best[1]


def _encode(s: str, codes: dict[str, str], taken: set[str]) -> bytes:
    """Glyph string for S (NFC) through CODES; chars the encoding cannot hold become '?'."""
    out = []
    for ch in unicodedata.normalize("NFC", s):
        if ch in codes:
            out.append(codes[ch])
        elif ch.isascii() or (ch in _GLYPH_CHARS and ch not in taken):
            out.append(ch)
        else:
            out.append("?")
    return codecs.charmap_encode("".join(out), "strict", _GLYPH_ENCODING)[0]


_TCVN3_ENCODE = {ch: _GLYPH_TABLE[code] for ch, code in _TCVN3_CODES.items()}
_TCVN3_TAKEN = set(map(chr, _TCVN3_GLYPHS))
_VNI_TAKEN = {c for seq in _VNI_CODES.values() for c in seq if not c.isascii()}


def encode_tcvn3(s: str) -> bytes:
    """Encode S in TCVN3 (ABC); capitals with a tone get the lower-case code (.VnTimeH convention)."""
    return _encode(s, _TCVN3_ENCODE, _TCVN3_TAKEN)


def encode_vni(s: str) -> bytes:
    """Encode S in VNI-Windows (base letter + mark byte)."""
    return _encode(s, _VNI_CODES, _VNI_TAKEN)


def encode_cp1258(s: str) -> bytes:
    """Encode S in Windows-1258 as Windows writes it: letters with circumflex, breve or horn plus a combining tone."""
    out = []
    for ch in unicodedata.normalize("NFC", s):
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in _CP1258_TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _CP1258_TONES))
        for piece in (ch,) if not tones else (base, tones):
            out.append(piece.encode("cp1258", errors="replace"))
    return b"".join(out)
