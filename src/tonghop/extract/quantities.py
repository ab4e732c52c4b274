"""Quantities in Vietnamese prose: "hơn 6.000 phút", "2.129 tỷ đồng", "65,9%", "09 lớp", "12/10 chỉ tiêu".

One left-to-right pass of a precompiled token regex finds numbers and swallows dates, identifiers and times
("13/11/2019", "3006/KH-UBND", "13:30") whole; each remaining number is then judged by a short look behind
(labels such as "năm 2023", "lần thứ 3", "Điều 5", "kỷ niệm 90") and a short look ahead (scale words, a unit
or a counted noun). Choices, following the labelling conventions in DESIGN.md:
- A number with no unit is not a quantity, unless it heads a list or range sharing the next number's unit:
  "lần lượt đạt 91,2; 87,05% và 80,4%" gives three % values, "từ 5 đến 8 ha" gives 5 ha and 8 ha.
- Periods and ages ("9 tháng", "02 năm", "15 ngày", "45 tuổi") and times of day ("14 giờ 30") are not
  quantities; durations in phút/giờ/giây are.
- A ratio "12/10 chỉ tiêu" is the numerator (12, unit "chỉ tiêu"); the denominator stays visible in `text`.
- A rate's unit is its numerator's base unit, so it compares with plain amounts ("55 triệu đồng/người/năm" ->
  55000000 "đồng", "58,5 tạ/ha" -> 58.5 "tạ"); the whole rate stays in `text`.
- A plain four-digit number 1900-2100 before a counted noun is read as a year, not a count.
- Scale words with no unit ("4,6 nghìn tỷ") give a quantity with unit None; "2 tỷ 500 triệu đồng" is one amount.
- A unit may follow on the next line (PDF lines), but then only a measure or a known counted noun.
- A number that cannot be read unambiguously ("1.5", "1 204") is skipped, never guessed.
Offsets index the given string; pass NFC text (decomposed marks split words).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import NamedTuple

from tonghop.extract.lines import LOWER
from tonghop.extract.model import Quantity
from tonghop.text.errors import ParseError
from tonghop.text.numbers import apply_scale, parse_number

# Counted nouns of administrative reports, longest match first; the unit of "12 tin bài" is "tin bài".
COUNT_NOUNS = frozenset(
    """xã phường huyện tỉnh thôn làng bản ấp buôn xóm tổ đội nhóm hộ người con cái chiếc lượt bài tin buổi
    cuộc lần vụ điểm trường lớp đợt đoàn hội đơn bộ cuốn quyển trang tờ tấm cây ngôi căn suất phần gói xe tuyến
    cụm khu em cháu giải cờ lá bức tập kỳ phiên ca việc mẫu giếng cầu chuyến""".split()
) | frozenset(
    line.strip()
    for line in """tin bài|điểm cầu|đồng chí|học viên|chương trình|điển hình|cán bộ|đảng viên|hội viên|đoàn viên
    |công chức|viên chức|học sinh|sinh viên|giáo viên|lao động|doanh nghiệp|công trình|dự án|văn bản|hồ sơ
    |thủ tục|trường hợp|vụ việc|đối tượng|tài khoản|trang tin|bài viết|phóng sự|bản tin|chỉ tiêu|tiêu chí
    |nhiệm vụ|giải pháp|cơ sở|cơ quan|đơn vị|tổ chức|thị trấn|đại biểu|thanh niên|hội nghị|cuộc họp|băng rôn
    |khẩu hiệu|pa nô|panô|áp phích|tờ rơi|đầu sách|tài liệu|sản phẩm|mô hình|sáng kiến|đề tài|phòng học
    |trường học|giường bệnh|bác sĩ|ngôi nhà|căn nhà|nhà ở|công nhân|nông dân|người dân|thí sinh|tuyến đường
    |gia súc|gia cầm|điểm trường|lượt người|lượt khách|du khách|khách hàng|gia đình|chiến sĩ|phương tiện
    |vụ án|bị can|giấy phép|biển báo|kế hoạch|báo cáo|quyết định|công văn|hướng dẫn|nghị quyết|chỉ thị
    |thông báo|tác phẩm|tiết mục|đề án|sự kiện|hoạt động|phong trào|bằng khen|giấy khen|huy chương|đơn thư
    |kiến nghị|ý kiến|lượt truy cập|câu hỏi|cuộc thi|đội thi|tập thể|cá nhân|hộ dân|thành viên|trẻ em
    |người lao động|hợp tác xã|tổ hợp tác|câu lạc bộ|nhà văn hóa|nhà văn hoá|cựu chiến binh|vận động viên
    |hộ gia đình|giấy chứng nhận|người có công|điểm phần trăm|bình luận|lượt chia sẻ|chi bộ|đảng bộ|chuyên mục
    |chuyên đề|khu dân cư|tổ dân phố|lớp học|bệnh nhân""".split("|")
)
ABBREVIATIONS = frozenset("HTX DN CBCCVC CBCC CCVC ĐV TTHC ĐVHC TCCS TCCSĐ".split())
# First words that are never the counted noun: function words, calendar words, common verbs.
NOT_COUNTED = frozenset(
    """các những mọi của và với về tại trên dưới trong ngoài theo cho từ đến tới là có không được bị đã đang sẽ
    để thì mà như nhưng hoặc hay này đó kia ấy nào gì sau trước khi lúc nên vì do bởi nếu tuy cũng đều vẫn còn
    chỉ rất lại ra vào lên xuống qua nhằm gồm thuộc so tăng giảm đạt bằng hơn gần khoảng ước năm tháng ngày quý
    tuần đêm sáng chiều tối trưa thứ thế kỷ thập tuổi thành thực triển phê quán chào mừng kể trở đầu cuối giữa
    tính chiếm cùng nhân ở đây khóa khoá""".split()
)
# Two-word phrases that are never the counted noun; "lượt xem" (page views) is site chrome, not a figure.
NOT_COUNT_BIGRAMS = frozenset(
    {"ban hành", "phê duyệt", "thực hiện", "triển khai", "thành lập", "quy định", "về việc", "lượt xem"}
)
TRAILING_VERBS = frozenset(
    "đạt là có được với gồm tăng giảm chiếm bằng còn khoảng hơn trên gần như ước dưới tính lên xuống đến tới từ "
    "thêm mới tổng cộng lần lượt".split()
)

_SP = r"[ \t\u00a0]"
_L = r"[^\W\d_\u00b2\u00b3\u00b9\u2070-\u209f]"  # a letter, but not a superscript footnote mark

# "đạt82,6%" (PDF copy lost the space): a number glued to a lowercase word; kept only with a measure unit after.
_TOKEN = re.compile(
    rf"(?:(?<![\w/])|(?<=[{LOWER}]{{2}})(?P<glued>))(?<![0-9][.,])(?<![^\W\d_]-)(?:(?P<skip>"
    r"[0-9]{1,2}[/\-–][0-9]{1,2}[/\-–][0-9]{2,4}(?![0-9])"  # 13/11/2019, 28-02-2023
    r"|[0-9]{1,2}\.[0-9]{1,2}\.(?:19|20)[0-9]{2}(?![0-9])"  # 24.4.2023
    r"|(?:19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?![0-9])"  # 2023-11-03
    r"|(?:19|20)[0-9]{2} ?[-–] ?(?:19|20)[0-9]{2}(?![0-9])"  # 2021-2025
    r"|[0-9]{1,2}[/\-–](?:19|20)[0-9]{2}(?![0-9])"  # 11/2020, 3-1989
    r"|[0-9]{1,2}[:h][0-9]{2}(?![0-9])"  # 13:30, 7h30
    r"|[0-9]+ ?[/\-–] ?(?:[0-9]{2,4} ?/ ?)?[A-ZĐ][\w\-/.&]*"  # 3006/KH-UBND, 35-NQ/TW, 15/2021/QĐ-UBND
    r")|(?P<num>[0-9]+(?:[.,][0-9]+)*))"
)

_SCALE_WORD = r"(?:nghìn|ngàn|triệu|tỷ|tỉ)"
_AFTER = re.compile(
    rf"(?:/(?P<den>[0-9]+(?:\.[0-9]{{3}})*)(?![0-9/.,]))?"
    rf"(?P<gap>{_SP}*(?:\r?\n{_SP}*)?)"  # one line break: PDF text arrives one printed line per block
    rf"(?:(?P<scale>{_SCALE_WORD}(?:{_SP}+{_SCALE_WORD})*)(?!\w){_SP}*)?"
    r"(?:(?P<measure>"
    r"đ/c(?!\w)|%(?:KH)?|‰|phần trăm(?!\w)"
    r"|(?:km|m)(?:²|2(?![0-9]))|m³|m3(?![0-9])|(?:ha|héc-ta|hécta|hecta|lít)(?!\w)"
    r"|(?:km|cm|mm|m|tấn|tạ|kg|yến|kWh|kW|MW)(?![\w²³])"
    r"|(?:đồng|VNĐ|VND|vnđ|đ|USD)(?!\w)(?!" + _SP + r"+(?:chí|bào|đội|nghiệp|ruộng|lúa|thời|loạt|bằng|hồ)(?!\w))"
    r"|(?:phút|giờ|giây)(?!\w)"
    rf")(?P<per>(?:/{_L}+[²³]?){{0,2}}))?"
)
_WORDS = re.compile(rf"({_L}+)(?:{_SP}+({_L}+))?(?:{_SP}+({_L}+))?")
_CLOCK_AFTER = re.compile(rf"{_SP}*(?:[0-9]|,?{_SP}*(?:ngày|sáng|chiều|tối|đêm|trưa|hôm)(?!\w))")
_CLOCK_BEFORE = re.compile(r"(?i:\b(?:lúc|vào|từ|đến))\s+$")
_SEPARATOR = re.compile(rf"{_SP}*(?:[;,]{_SP}*(?:và|hoặc)?|và|hoặc|đến|tới|[-–~]){_SP}*")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_SPACE_GROUPED = re.compile(r"(?<![0-9.,])[0-9]{1,3}[ \u00a0]$")  # "1 204 hộ": thousands grouped by a space

# Words that make the next number a label, not a quantity ("lần thứ 3", "Điều 5", "BCĐ 35", "Kế hoạch 3006").
# Weak labels (places, document types) yield to a measure unit: "vượt kế hoạch 12%" is still 12 %.
# Looked up in sets on the last words before the number: number-dense tables stay fast.
_STRONG_LABELS = frozenset(
    """lần thứ|thứ|khóa|khoá|nhiệm kỳ|điều|khoản|điểm|mục|chương|phần|tiết|đợt|lần|kỳ|kì|phiên|giai đoạn|kỷ niệm
    |đại hội|trung ương|lượt xem|sáng|chiều|tối|đêm|trưa|hôm|lúc|giờ|mùng|mồng""".replace("\n", "").split("|")
)
_WEAK_LABELS = frozenset(
    """số|tổ|thôn|ấp|khu phố|khóm|xóm|buôn|bản|làng|phường|quận|lô|tầng|phòng|đường|quốc lộ|tỉnh lộ|km|phụ lục
    |mẫu|biểu|ban chỉ đạo|nghị quyết|quyết định|chỉ thị|kế hoạch|công văn|thông tư|nghị định|luật|thông báo
    |hướng dẫn|chương trình|đề án|tờ trình|báo cáo|kết luận|quy định|lớp|điện thoại|fax|hotline""".replace(
        "\n", ""
    ).split("|")
)
_ACRONYM_LABELS = frozenset("BCĐ VOV VTV QL ĐT TL ĐH KCN CCN HN TW".split())
# Calendar words label the number only when it fits the calendar: "tháng 11" but "mỗi tháng 30 tấn".
_CALENDAR_MAX = {"ngày": 31, "tháng": 12, "quý": 4, "tuần": 53}
_QUALIFIER_WORDS = {"hơn": "hơn", "trên": "trên", "gần": "gần", "khoảng": "khoảng", "ước": "ước", "dưới": "dưới",
                    "gần như": "gần như", "ước đạt": "ước", "ước tính": "ước"}
_PUNCT_CHARS = r"[.,;:!?()\[\]{}\"“”‘’…\n|]"
_PUNCT = re.compile(_PUNCT_CHARS)
_UP_TO_LAST_PUNCT = re.compile(r"(?s).*" + _PUNCT_CHARS)
_FOOTNOTE_MARKS = str.maketrans("", "", "¹²³⁰⁴⁵⁶⁷⁸⁹")
_UNIT_FORMS = {"m2": "m²", "km2": "km²", "m3": "m³", "héc-ta": "ha", "hécta": "ha", "hecta": "ha",
               "vnđ": "đồng", "VNĐ": "đồng", "VND": "đồng", "đ": "đồng", "phần trăm": "%", "%KH": "%",
               "đ/c": "đồng chí"}


def _to_value(d: Decimal) -> int | float | None:
    if d == d.to_integral_value():
        return int(d)
    f = float(d)
    return f if math.isfinite(f) else None


def _look_behind(before: str, raw: str) -> tuple[str | None, tuple[str, int] | None]:
    """The label kind ("strong"/"weak"/None) and the qualifier (canonical form, its length) before a number."""
    words = before.split()[-4:]
    if not words or not (before[-1].isspace() or before[-1] == ":"):
        return None, None
    low = [w.lower() for w in words]
    low[-1] = low[-1].rstrip(":")
    last1, last2 = low[-1], " ".join(low[-2:])
    if last1 in _STRONG_LABELS or last2 in _STRONG_LABELS or words[-1].strip("():") in _ACRONYM_LABELS:
        return "strong", None
    if last1 in _CALENDAR_MAX or last1 == "năm":
        n = int(raw) if raw.isdigit() else 0
        if (1900 <= n <= 2100) if last1 == "năm" else (1 <= n <= _CALENDAR_MAX[last1]):
            return "strong", None
    if last1 == "số":
        return (None if last2 in ("tổng số", "trong số") else "weak"), None
    if last1 in _WEAK_LABELS or last2 in _WEAK_LABELS or " ".join(low[-3:]) in _WEAK_LABELS:
        return "weak", None
    if before[-1] == ":":
        return None, None
    for k in (2, 1):
        form = " ".join(low[-k:])
        if len(words) >= k and form in _QUALIFIER_WORDS:
            idx = len(before)
            for word in reversed(words[-k:]):
                idx = before.rfind(word, 0, idx)
            return None, (_QUALIFIER_WORDS[form], len(before) - idx)
    return None, None


def _counted_noun(text: str, pos: int) -> tuple[str, int, bool] | None:
    """The counted noun at POS: (unit, end, from_lexicon), or None when the next word is no noun."""
    m = _WORDS.match(text, pos)
    if m is None:
        return None
    words = [w for w in m.groups() if w]
    low = [w.lower() for w in words]
    if words[0] in ABBREVIATIONS:
        return words[0], m.end(1), True
    if " ".join(low[:2]) in NOT_COUNT_BIGRAMS:
        return None
    for n in (3, 2, 1):
        if len(low) >= n and " ".join(low[:n]) in COUNT_NOUNS and (n > 1 or words[0][0].islower()):
            return " ".join(low[:n]), m.end(n), True
    if not words[0][0].islower():  # "BCĐ 35 Huyện": a capitalised single word names, it does not count
        return None
    if low[0] in NOT_COUNTED:
        return None
    if len(words) >= 2 and words[1][0].islower() and low[1] not in NOT_COUNTED:
        return " ".join(words[:2]), m.end(2), False
    return words[0], m.end(1), False


def _phrase_after(text: str, pos: int) -> str | None:
    cut = _PUNCT.search(text, pos, pos + 200)
    words = text[pos : cut.start() if cut else pos + 200].translate(_FOOTNOTE_MARKS).split()
    numbered = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
    words = words[: min(numbered[:1] + [8])]
    while len(words) > 1 and (words[-1].lower() in TRAILING_VERBS or words[-1].lower() in NOT_COUNTED):
        words.pop()
    return " ".join(words) or None


def _phrase_before(text: str, pos: int) -> str | None:
    window = text[max(0, pos - 150) : pos]
    cut = _UP_TO_LAST_PUNCT.match(window)
    words = window[cut.end() if cut else 0 :].translate(_FOOTNOTE_MARKS).split()
    numbered = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
    words = words[numbered[-1] + 1 :] if numbered else words
    while words and words[-1].lower() in TRAILING_VERBS:
        words.pop()
    words = words[-8:]
    while words and not any(c.isalpha() for c in words[0]):
        words.pop(0)
    return " ".join(words) or None


def _what(text: str, unit_start: int, end: int, start: int, counted: bool) -> str | None:
    if counted:
        return _phrase_after(text, unit_start)
    after = _phrase_after(text, end)
    if after and after.split()[0].lower() not in NOT_COUNTED:
        return after
    return _phrase_before(text, start)


class _Reading(NamedTuple):
    """What follows a number: its scale words, unit and where they end."""

    scale: str | None
    unit: str | None
    unit_start: int
    end: int
    counted: bool


_BARE = _Reading(None, None, 0, 0, False)  # a number alone, which may share the unit of the next one


def _read_after(text: str, e: int, raw: str, before: str, weak_label: bool) -> _Reading | None:
    """Scale and unit after the number ending at E; _BARE when there is none; None when it is no quantity."""
    after = _AFTER.match(text, e)
    den, scale, measure = after.group("den"), after.group("scale"), after.group("measure")
    end = after.end()
    if measure:
        if measure == "giờ" and (_CLOCK_AFTER.match(text, end) or _CLOCK_BEFORE.search(before)):
            return None
        unit, unit_start, counted = _UNIT_FORMS.get(measure, measure), after.start("measure"), False
    elif weak_label:
        return None
    else:
        alpha_next = end < len(text) and text[end].isalpha()
        if alpha_next and not (after.group("gap") or scale):
            return None  # letters glued to the number ("12A", "1tr"): not a reading we can trust
        noun = _counted_noun(text, end) if alpha_next else None
        if noun is not None and not noun[2] and "\n" in after.group("gap"):
            noun = None  # across a line break only a known noun is trusted to belong to the number
        if noun is None and not scale:
            return _BARE if den is None and not _YEAR.fullmatch(raw) else None
        if noun is None:  # "4,6 nghìn tỷ" with no unit after it
            if den is not None:
                return None
            unit, unit_start, counted = None, end, False
        else:
            if _YEAR.fullmatch(raw):
                return None
            (unit, noun_end, from_lexicon), unit_start, counted = noun, end, True
            end = noun_end
            if den is not None and _date_like(raw, den) and not (from_lexicon and text[unit_start].islower()):
                return None
    while end > e and text[end - 1].isspace():
        end -= 1
    return _Reading(scale, unit, unit_start, end, counted)


def _glued_measure(text: str, s: int, reading: _Reading | None) -> bool:
    """True when a number glued to the word before it (at S) is a measure: the word is lowercase, a unit follows."""
    if reading is None or reading is _BARE or reading.counted or reading.unit is None:
        return False
    if "\n" in text[s : reading.unit_start]:
        return False
    w = s
    while w > 0 and text[w - 1].isalpha():
        w -= 1
    return text[w:s].islower() and (w == 0 or not (text[w - 1].isalnum() or text[w - 1] in "-_/"))


def _date_like(raw: str, den: str) -> bool:
    return raw.isdigit() and den.isdigit() and 1 <= int(raw) <= 31 and 1 <= int(den) <= 12


def extract_quantities(text: str) -> list[Quantity]:
    """Every figure in TEXT with its value in base units, unit, qualifier, what is counted and span."""
    found: list[Quantity] = []
    pending: list[tuple[int, int, str | None, Decimal]] = []  # bare numbers that may share a later unit
    joinable: tuple[Quantity, Decimal, Decimal] | None = None  # "2 tỷ" (value, scale) waiting for "500 triệu đồng"
    for tok in _TOKEN.finditer(text):
        raw = tok.group("num")
        if raw is None or len(raw) > 30:
            continue
        s, e = tok.span("num")
        try:
            number = parse_number(raw)
        except ParseError:
            continue
        before = text[max(0, s - 40) : s]
        label, q = _look_behind(before, raw)
        if label == "strong" or (len(raw) == 3 and _SPACE_GROUPED.search(before)):
            continue
        qualifier, start = (q[0], s - q[1]) if q else (None, s)
        reading = _read_after(text, e, raw, before, label == "weak")
        if tok.group("glued") is not None and not _glued_measure(text, s, reading):
            continue
        if reading is _BARE:
            if pending and not _SEPARATOR.fullmatch(text, pending[-1][1], start):
                pending = []
            pending = pending[-20:] + [(start, e, qualifier, number)]
            continue
        if reading is None:
            continue
        scale, unit, unit_start, end, counted = reading
        amount = apply_scale(number, scale) if scale else number
        multiplier = apply_scale(Decimal(1), scale) if scale else Decimal(1)
        value = _to_value(amount)
        if value is None:
            continue
        if scale and joinable and not q and not text[joinable[0].end : start].strip() and multiplier < joinable[2]:
            head, head_amount, _ = joinable  # "2 tỷ 500 triệu đồng" is one amount
            value = _to_value(head_amount + amount)
            if value is None:
                continue
            head.text, head.value, head.unit, head.end = text[head.start : end], value, unit, end
            head.what = _what(text, unit_start, end, head.start, counted) if unit else None
            joinable = (head, head_amount + amount, multiplier) if unit is None else None
            continue
        shared = bool(pending) and _SEPARATOR.fullmatch(text, pending[-1][1], start) is not None
        what = _what(text, unit_start, end, pending[0][0] if shared else start, counted) if unit else None
        prev = found[-1] if found else None
        if prev and not counted and prev.unit == unit and _SEPARATOR.fullmatch(text, prev.end, start):
            what = prev.what  # "87,05% và 80,4%": one list, one subject
        for p_start, p_end, p_qual, p_number in pending if shared else []:
            p_value = _to_value(apply_scale(p_number, scale) if scale else p_number)
            if p_value is not None:
                found.append(Quantity(text[p_start:p_end], p_value, unit, p_qual, what, p_start, p_end))
        pending = []
        found.append(Quantity(text[start:end], value, unit, qualifier, what, start, end))
        joinable = (found[-1], amount, multiplier) if scale and unit is None else None
    return found
