"""Documents cited in the text: "Kế hoạch số 3006/KH-UBND ngày 13/11/2019 của UBND tỉnh", "Nghị quyết số 35-NQ/TW"."""

from __future__ import annotations

import re

from tonghop.extract.doctypes import code_of_number, text_word_code
from tonghop.extract.lines import drop_superscripts, squeeze
from tonghop.extract.model import Cited
from tonghop.text.dates import parse_date

_TYPE_WORDS = (
    "thông tư liên tịch|kế hoạch|công văn|quyết định|nghị quyết|nghị định|thông tư|chỉ thị|kết luận|thông báo|"
    "hướng dẫn|báo cáo|tờ trình|quy định|quy chế|chương trình|công điện|đề án|phương án|giấy mời|thông cáo|"
    "biên bản|luật|pháp lệnh|văn bản"
)
_SUP = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*(?![\wÀ-ỹ])"
_NUM = rf"\d+\s?(?:/\s?\d{{4}}\s?)?[/\-–]\s?{_CODE}(?:\s?[\-–/]\s?{_CODE})*"
_DATE = (
    r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}"
    r"|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
)
NUMBER = re.compile(rf"(?<![\w/.-]){_NUM}")
# What precedes a number, read backwards from it: "Kế hoạch số ", "Công Văn số ", "Quyết định ", "số ".
PREFIX = re.compile(
    rf"(?:(?P<word>(?i:{_TYPE_WORDS}))[{_SUP}]?\s+(?:(?i:số)\s*[:.]?\s*)?|(?<![\wÀ-ỹ])(?P<so>(?i:số))\s*[:.]?\s*)\Z"
)
DATE_AFTER = re.compile(
    rf"[{_SUP}]*\s*,?\s*(?:(?i:ban hành|được ban hành)\s+)?(?i:ngày)\s+(?P<date>{_DATE})"
)
# Read after a match, not inside it, so that the issuer never swallows the next citation.
_OF = re.compile(rf"[{_SUP}]*\s*,?\s*(?i:của)\s+(?P<issuer>[^,;:.()“”\"\n{_SUP}]{{2,80}})")
_ISSUER_STOP = re.compile(
    r"\s+(?:về|v/v|V/v|trong|trên|tại|để|nhằm|theo|đã|và\s+(?:Kế hoạch|Công văn|Quyết định|Nghị quyết)|"
    r"năm\s+\d{4}|khóa|khoá|ngày|thực hiện|đến|cho|với|gồm|như|là)\b.*$",
    re.IGNORECASE,
)
# Verbs that end an issuer written in running text ("của Thủ tướng Chính phủ phê duyệt ...").
_ISSUER_VERB = re.compile(
    r"\s+(?:phê duyệt|ban hành|quy định|hướng dẫn|triển khai|tổ chức|đề nghị|giao|yêu cầu|chỉ đạo|báo cáo|"
    r"thông báo|kết luận|được|sẽ|gửi|kèm theo|đối với|tới|xin|trình)\b.*$"
)
_FILE_SUFFIX = re.compile(r"\.(?i:pdf|docx?|xlsx?|odt|rtf|zip|rar)(?![\w])")  # "48-KL-HU.pdf": an attachment's name
_FORM = re.compile(r"(?i:mẫu|biểu|phụ lục|biểu mẫu)\s*$")  # "Mẫu số 01/BC" names a form, not a document


def _issuer(raw: str | None) -> str | None:
    if not raw:
        return None
    text = _ISSUER_STOP.sub("", squeeze(drop_superscripts(raw)))
    text = _ISSUER_VERB.sub("", text).strip(" -–")
    words = text.split()
    if not words or len(words) > 10:
        return None
    return text


def normalize_number(num: str) -> str:
    """A document number without spaces or trailing punctuation: "2153 /STTTT-TTBCXB" -> "2153/STTTT-TTBCXB"."""
    return re.sub(r"\s+", "", num).replace("–", "-").rstrip(".,;-/")


def _same_key(number: str) -> str:
    """NUMBER compared loosely: "48-KL-HU" (a file name) and "48-KL/HU" are the same document."""
    return re.sub(r"[/\-–]+", "-", normalize_number(number)).casefold()


def find_citations(text: str, own_number: str | None = None) -> list[Cited]:
    """Every document cited in TEXT, first mention kept; the document's own number and file names left out."""
    own = _same_key(own_number) if own_number else None
    seen: set[str] = set()
    out: list[Cited] = []
    for m in NUMBER.finditer(text):
        number = normalize_number(m.group(0))
        if number in seen or _same_key(number) == own or _FILE_SUFFIX.match(text, m.end()):
            continue
        code = code_of_number(number)
        p = PREFIX.search(text, max(0, m.start() - 40), m.start())
        word = p["word"] if p else None
        if not p and code is None:
            continue  # a bare "12/UBND-VX" with neither a type word nor "số" is too weak
        if number.count("/") + number.count("-") < 2 or (p and _FORM.search(text, max(0, p.start() - 12), p.start())):
            continue  # "01/BC", "Mẫu số 01/BC-UBND": a form's label, not a document number
        seen.add(number)
        doc_type = code or (text_word_code(word) if word else None)
        if doc_type is None and re.match(r"\d+/[A-ZĐ]", number):
            doc_type = "CV"  # "số 12/UBND-VX": a công văn has the issuer first
        start, end = (p.start() if p else m.start()), m.end()
        date = None
        d = DATE_AFTER.match(text, end)
        if d:
            raw = d["date"]
            date = parse_date(("ngày " + raw) if "tháng" in raw else raw)
            end = d.end()
        phrase = squeeze(drop_superscripts(text[start:end]))
        of = _OF.match(text, end)
        issuer = _issuer(of["issuer"]) if of else None
        if issuer:
            phrase = squeeze(drop_superscripts(text[start : of.start("issuer")] + issuer))
        out.append(Cited(doc_type=doc_type, number=number, date=date, issuer=issuer, text=phrase.rstrip(" ,")))
    return out
