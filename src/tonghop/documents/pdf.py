"""PDF reader: the text layer page by page, running headers/footers and page numbers dropped, bounded in time."""

from __future__ import annotations

import io
import re
import signal
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
from pdfminer.pdftypes import resolve1
from pdfplumber.utils import chars_to_textmap

from tonghop.documents.errors import ReadError
from tonghop.documents.limits import Deadline, Limits, describe
from tonghop.documents.model import Block, Document, Table

SCANNED_WARNING = "PDF không có lớp chữ (bản quét) — cần OCR"
PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:trang\s*)?\d{1,4}(?:\s*(?:/|trên)\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE)
# a running line may end in its page number ("Báo cáo số 12 - Trang 3"); the rest must repeat exactly
TRAILING_NUMBER = re.compile(r"(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE)
MIN_PAGES_FOR_RUNNING = 3
MIN_RULES, MAX_RULES = 4, 3_000  # table finding only on pages with rules, and not on vector drawings
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
DIGITS = set("0123456789")
RUNNING_SHARE = 0.6


class _Timeout(BaseException):
    """Raised from SIGALRM; a BaseException so library code catching Exception cannot swallow it."""


def read_pdf(path: Path, raw: bytes, limits: Limits | None = None) -> Document:
    """Read a PDF's text layer given its bytes; raise ReadError naming PATH on any failure."""
    limits = limits or Limits()
    name = str(path)
    with _alarm(limits.pdf_timeout, name):
        pages = _page_items(name, raw, limits)
    warnings: list[str] = []
    if not pages:
        return Document(blocks=[], format="pdf", path=name, warnings=["PDF không có trang nào (no pages)"])
    if not any(pages):
        warnings.append(SCANNED_WARNING)
        return Document(blocks=[], format="pdf", path=name, warnings=warnings)
    empty = sum(1 for lines in pages if not lines)
    if empty:
        warnings.append(f"{empty}/{len(pages)} trang không có lớp chữ (bản quét?) — cần OCR cho các trang đó")
    header_blocks, pages = _strip_running_lines(pages)
    blocks = [Block(text, kind=kind) for kind, text in header_blocks if kind == "header"]
    tables: list[Table] = []
    for item in (item for items in pages for item in items):
        if isinstance(item, str):
            blocks.append(Block(item))
        else:
            tables.append(Table(item))
            text = "\n".join(" | ".join(cell.replace("\n", " ") for cell in row) for row in item)
            blocks.append(Block(text, kind="table", table_index=len(tables) - 1))
    blocks += [Block(text, kind=kind) for kind, text in header_blocks if kind == "footer"]
    return Document(blocks=blocks, format="pdf", path=name, tables=tables, warnings=warnings)


def _page_items(name: str, raw: bytes, limits: Limits) -> list[list]:
    """The lines and tables of every page (see page_items), checking the page limit and the deadline between pages."""
    deadline = Deadline(name, limits.pdf_timeout, "PDF")
    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
    except Exception as exc:  # pdfplumber wraps every pdfminer failure in PdfminerException
        cause = exc.args[0] if exc.args else exc
        kind = type(cause).__name__
        if "Password" in kind or "Encrypt" in kind:
            raise ReadError(name, "PDF được mã hóa (có mật khẩu), không đọc được (encrypted)") from exc
        raise ReadError(name, f"tệp PDF hỏng, không đọc được (corrupt: {describe(cause)})") from exc
    with pdf:
        declared = _declared_page_count(pdf)
        if declared is not None and declared > limits.max_pdf_pages:
            raise ReadError(name, f"PDF có quá nhiều trang: {declared} > giới hạn {limits.max_pdf_pages}")
        result = []
        for number, page in enumerate(pdf.pages, start=1):
            if number > limits.max_pdf_pages:
                raise ReadError(name, f"PDF có quá nhiều trang: > giới hạn {limits.max_pdf_pages}")
            deadline.check()
            result.append(page_items(page))
            page.close()
        return result


def page_items(page) -> list:
    """The page top to bottom: text lines (str, NFC, raised small digits as superscripts) and ruled tables (rows)."""
    tables = _ruled_tables(page)
    text_page = page
    if tables:
        boxes = [bbox for bbox, _ in tables]
        text_page = page.filter(lambda obj: obj.get("object_type") != "char" or not _in_any(obj, boxes))
    chars = mark_superscripts(text_page.chars)
    textmap = chars_to_textmap(chars, layout_bbox=page.bbox, layout_width=page.width, layout_height=page.height)
    lines = [
        (ln["top"], unicodedata.normalize("NFC", ln["text"]).strip())
        for ln in textmap.extract_text_lines(return_chars=False)
    ]
    items: list = []
    pending = sorted(tables, key=lambda t: t[0][1])
    for top, text in lines:
        while pending and pending[0][0][1] <= top:
            items.append(pending.pop(0)[1])
        if text:
            items.append(text)
    items.extend(rows for _, rows in pending)
    return items


def _ruled_tables(page) -> list[tuple[tuple, list[list[str]]]]:
    """(bbox, rows) of the tables drawn with rules on PAGE; pages without rules cost nothing."""
    rules = len(page.rects) + len(page.lines)
    if rules < MIN_RULES or rules > MAX_RULES:
        return []
    found = []
    for table in page.find_tables():
        rows = [[unicodedata.normalize("NFC", (cell or "").strip()) for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if len(rows) >= 2 and max(len(row) for row in rows) >= 2:
            found.append((table.bbox, rows))
    return found


def _in_any(obj: dict, boxes: list[tuple]) -> bool:
    """True if the centre of OBJ lies in one of BOXES (x0, top, x1, bottom)."""
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def mark_superscripts(chars: list[dict]) -> list[dict]:
    """Copies of CHARS where a run of digits set smaller and higher than the text beside it reads "¹²"."""
    out = [dict(c) for c in chars]
    i = 0
    while i < len(out):
        if out[i].get("text") not in DIGITS:
            i += 1
            continue
        j = i + 1
        while j < len(out) and out[j].get("text") in DIGITS and out[j].get("size") == out[i].get("size"):
            j += 1
        if any(_raised_beside(out[i], nb) for nb in (_neighbour(out, i - 1, -1), _neighbour(out, j, 1)) if nb):
            for k in range(i, j):
                out[k]["text"] = out[k]["text"].translate(SUPERSCRIPT)
        i = j
    return out


def _neighbour(chars: list[dict], start: int, step: int) -> dict | None:
    """The nearest non-blank char from START going STEP, at most two places away."""
    for k in (start, start + step):
        if 0 <= k < len(chars) and str(chars[k].get("text", "")).strip():
            return chars[k]
    return None


def _raised_beside(char: dict, other: dict) -> bool:
    """True if CHAR is set clearly smaller than OTHER, above its baseline, on the same line."""
    try:
        size, other_size = float(char["size"]), float(other["size"])
        raised = float(other["bottom"]) - float(char["bottom"])
        same_line = abs(float(other["top"]) - float(char["top"])) < other_size
    except (KeyError, TypeError, ValueError):
        return False
    return other_size >= 1.2 * size and raised > 0.15 * other_size and same_line


def _declared_page_count(pdf) -> int | None:
    """/Count of the page tree, read without building every page."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
    except Exception:  # a damaged page tree: fall back to counting pages as they come
        return None
    return count if isinstance(count, int) else None


def _strip_running_lines(pages: list[list[str]]) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """Drop bare page numbers at the top/bottom of pages and lines repeated at the top/bottom of most pages.

    Returns the distinct dropped running lines as ("header"|"footer", text) and the cleaned pages.
    """
    pages = [_drop_page_numbers(lines) for lines in pages]
    running: list[tuple[str, str]] = []
    if len(pages) < MIN_PAGES_FOR_RUNNING:
        return running, pages
    for kind, index in (("header", 0), ("footer", -1)):
        keys = Counter(_running_key(lines[index]) for lines in pages if len(lines) > 1)
        keys.pop(None, None)
        for key, count in keys.most_common(1):
            if count < RUNNING_SHARE * len(pages):
                continue
            kept = []
            for lines in pages:
                if len(lines) > 1 and _running_key(lines[index]) == key:
                    if not any(k == kind for k, _ in running):
                        running.append((kind, lines[index]))
                    lines = lines[1:] if index == 0 else lines[:-1]
                kept.append(lines)
            pages = kept
    return running, pages


def _running_key(item) -> str | None:
    """A text line with its trailing page number replaced by '#'; None for a table."""
    return TRAILING_NUMBER.sub("#", item) if isinstance(item, str) else None


def _drop_page_numbers(items: list) -> list:
    """ITEMS without a bare page number ("2", "- 2 -", "Trang 2/5") as the first or last line."""
    if len(items) > 1 and isinstance(items[-1], str) and PAGE_NUMBER.match(items[-1]):
        items = items[:-1]
    if len(items) > 1 and isinstance(items[0], str) and PAGE_NUMBER.match(items[0]):
        items = items[1:]
    return items


@contextmanager
def _alarm(seconds: float, name: str) -> Iterator[None]:
    """Interrupt the block after SECONDS with ReadError (main thread only: a single pathological page can hang
    pdfminer, which the between-page deadline cannot catch); an outer SIGALRM timer keeps working."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    start = time.monotonic()
    prev_handler = signal.getsignal(signal.SIGALRM)
    prev_delay, prev_interval = signal.getitimer(signal.ITIMER_REAL)

    def on_alarm(signum, frame):
        if time.monotonic() - start >= seconds - 0.01:
            signal.setitimer(signal.ITIMER_REAL, 0.2)  # fire again should a library swallow this one
            raise _Timeout
        if callable(prev_handler):  # the outer timer was due first: let it act, then re-arm ours
            prev_handler(signum, frame)
        signal.setitimer(signal.ITIMER_REAL, max(seconds - (time.monotonic() - start), 0.001))

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, prev_delay) if prev_delay > 0 else seconds)
    try:
        yield
    except _Timeout:
        raise ReadError(name, f"quá thời gian đọc PDF ({seconds:g} giây) — tệp bất thường (timeout)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, prev_handler)
        if prev_delay > 0:
            signal.setitimer(signal.ITIMER_REAL, max(prev_delay - (time.monotonic() - start), 0.001), prev_interval)
