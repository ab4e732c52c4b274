"""HTML reader: the page's main content (site chrome removed) as blocks and tables."""

from __future__ import annotations

import codecs
import html as html_lib
import re
import unicodedata
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from tonghop.documents.model import Block, Document, Table
from tonghop.text.legacy import convert_legacy_text

DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "canvas",
    "object",
    "embed",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "nav",
    "aside",
    "menu",
}
CHROME_TAGS = {"header", "footer"}
CHROME_NAME = re.compile(r"(?:^|[\s_-])(?:nav|menu|breadcrumb|sidebar|footer|header|share|comment)", re.IGNORECASE)
NEVER_DROP = {"html", "body", "article", "main"}
BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "blockquote",
    "figure",
    "figcaption",
    "caption",
    "address",
    "hr",
    "br",
    "td",
    "th",
    "tr",
    "center",
    "header",
}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
LEGACY_FONT = re.compile(r"""(?:face|font-family)\s*[=:]\s*["']?\s*(?:\.vn|vni)""", re.IGNORECASE)
SUP_NUMBER = re.compile(r"\[?\d{1,3}\]?")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SPACES = re.compile(r"\s+")
MAX_DATA_CELL = 400
# lexbor's tree builder is quadratic in nesting depth (50,000 nested lists: 20 s); real pages nest < 100 deep
MAX_DEPTH = 2000
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")
VOID_OR_AUTOCLOSED = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
    "p",
    "li",
    "dt",
    "dd",
    "tr",
    "td",
    "th",
    "option",
    "optgroup",
    "thead",
    "tbody",
    "tfoot",
    "colgroup",
    "caption",
    "rb",
    "rt",
    "rp",
    "rtc",
    "html",
    "head",
    "body",
}
SKIPPED = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
BREAKS = re.compile(r"<(?:/?(?:p|div|li|tr|h[1-6]|table|section|article|ul|ol|blockquote)\b[^>]*|br\s*/?)>", re.I)
ANY_TAG = re.compile(r"<[^>]*>")


def read_html(path: Path, raw: bytes) -> Document:
    """Read an HTML page given its bytes: main content as blocks, data tables as Table."""
    text, encoding, warnings = decode_html(raw)
    if too_deep(text):
        warnings.append(f"Trang HTML lồng nhau quá sâu (> {MAX_DEPTH} cấp), đọc dạng văn bản thô")
        blocks = [Block(line) for line in (_clean(x) for x in crude_text(text).splitlines()) if line]
        return Document(blocks=blocks, format="html", path=str(path), encoding=encoding, warnings=warnings)
    tree = LexborHTMLParser(text)
    if tree.body is None:
        return Document(blocks=[], format="html", path=str(path), encoding=encoding, warnings=warnings)
    _drop_chrome(tree)
    root = main_content(tree)
    walker = _Walker()
    walker.walk(root)
    blocks = walker.blocks
    if root.css_first("h1, h2") is None:
        title = tree.body.css_first("h1")
        if title is not None and _clean(title.text()):
            blocks.insert(0, Block(_clean(title.text())))
    doc = Document(
        blocks=blocks, format="html", path=str(path), tables=walker.tables, encoding=encoding, warnings=warnings
    )
    if LEGACY_FONT.search(text):
        _convert_legacy(doc)
    return doc


def _convert_legacy(doc: Document) -> None:
    """Convert a page typed in .VnTime/VNI fonts to Unicode when its text reads as such."""
    _, found = convert_legacy_text("\n".join(b.text for b in doc.blocks))
    if not found:
        return
    for block in doc.blocks:
        block.text = unicodedata.normalize("NFC", convert_legacy_text(block.text, found)[0])
    for table in doc.tables:
        table.rows = [[unicodedata.normalize("NFC", convert_legacy_text(c, found)[0]) for c in r] for r in table.rows]
    doc.encoding = found
    doc.warnings.append(f"Trang dùng phông chữ cũ ({found.upper()}), đã chuyển sang Unicode")


def too_deep(text: str) -> bool:
    """True if the explicit element nesting (auto-closed and void elements aside) goes past MAX_DEPTH."""
    depth = 0
    for m in TAG.finditer(text):
        if m.group(2).lower() in VOID_OR_AUTOCLOSED or m.group(3):
            continue
        depth = max(depth - 1, 0) if m.group(1) else depth + 1
        if depth > MAX_DEPTH:
            return True
    return False


def crude_text(text: str) -> str:
    """Text of an HTML page by regular expressions alone: for pages the parser cannot take."""
    text = BREAKS.sub("\n", SKIPPED.sub(" ", text))
    return html_lib.unescape(ANY_TAG.sub("", text))


def decode_html(raw: bytes) -> tuple[str, str, list[str]]:
    """Decode RAW by its BOM, else its meta charset, else UTF-8; returns (text, encoding, warnings)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8", []
    declared = None
    m = META_CHARSET.search(raw[:8192])
    if m:
        try:
            declared = codecs.lookup(m.group(1).decode("ascii")).name
        except (LookupError, UnicodeDecodeError):
            declared = None
    for encoding in (declared, "utf-8"):
        if encoding:
            try:
                return raw.decode(encoding), encoding, []
            except UnicodeDecodeError:
                continue
    encoding = declared or "utf-8"
    return raw.decode(encoding, errors="replace"), encoding, [f"Trang HTML có byte không hợp lệ với bảng mã {encoding}"]


def _drop_chrome(tree: LexborHTMLParser) -> None:
    """Remove scripts, forms, navigation, and header/footer/menu/sidebar/share/comment boxes.

    Nodes are collected first and removed after, outermost only: a removed node frees its descendants, so
    touching one afterwards would read freed memory. Everything here is linear in the page size.
    """
    holds_content = _ancestors_of(tree.body.css("article, main, [role=main]"))  # never chrome
    holds_title = _ancestors_of(tree.body.css("h1, h2"))
    doomed = []
    stack = [(child, False) for child in tree.body.iter()]
    while stack:
        node, inside = stack.pop()
        if _is_chrome(node, inside, holds_content, holds_title):
            doomed.append(node)
            continue
        inside = inside or node.tag in ("article", "main") or (node.attributes or {}).get("role") == "main"
        stack.extend((child, inside) for child in node.iter())
    for node in doomed:
        node.decompose()


def _ancestors_of(nodes) -> set[int]:
    """mem_ids of NODES and all their ancestors (each climb stops at a node already seen)."""
    seen: set[int] = set()
    for node in nodes:
        while node is not None and node.mem_id not in seen:
            seen.add(node.mem_id)
            node = node.parent
    return seen


def _is_chrome(node, inside_content: bool, holds_content: set[int], holds_title: set[int]) -> bool:
    """True if NODE is script/form/navigation or a header/footer/menu-like box to drop."""
    if node.tag in DROP_TAGS:
        return True
    if node.tag in NEVER_DROP or node.mem_id in holds_content:
        return False
    attrs = node.attributes or {}
    named = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    if node.tag not in CHROME_TAGS and not CHROME_NAME.search(named):
        return False
    # an article's own header carries its title
    return not (inside_content and node.mem_id in holds_title)


def _outermost(root, tag: str) -> list:
    """The TAG elements under ROOT that have no TAG ancestor."""
    found, stack = [], list(root.iter())
    while stack:
        node = stack.pop()
        if node.tag == tag:
            found.append(node)
        else:
            stack.extend(node.iter())
    return found


def main_content(tree: LexborHTMLParser):
    """The node holding the main text: the longest article, else main, else the parent of most paragraph text."""
    articles = _outermost(tree.body, "article")  # nested articles: the outer one holds all their text
    if articles:
        return max(articles, key=lambda n: len(n.text(strip=True)))
    main = tree.body.css_first("main, [role=main]")
    if main is not None:
        return main
    scores: dict[int, tuple[int, object]] = {}
    for p in tree.body.css("p"):
        parent = p.parent
        if parent is None:
            continue
        count, _ = scores.get(parent.mem_id, (0, parent))
        scores[parent.mem_id] = (count + len(p.text(strip=True)), parent)
    total = sum(count for count, _ in scores.values())
    if scores:
        count, best = max(scores.values(), key=lambda item: item[0])
        if count >= 0.5 * total and count > 0:
            return best
    return tree.body


class _Walker:
    """Turn a subtree into blocks: block elements end a block, data tables become Table."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        self.buffer: list[str] = []

    def walk(self, root) -> None:
        """Walk ROOT iteratively (pages can nest deeper than Python's recursion limit)."""
        stack: list[tuple[object, bool]] = [(root, True)]
        while stack:
            node, entering = stack.pop()
            if not entering:
                self.flush()
                continue
            tag = node.tag
            if node.is_text_node:
                self.buffer.append(node.text(deep=False))
                continue
            if tag in ("-comment", "_comment") or tag.startswith("-"):
                continue
            if tag == "table" and _is_data_table(node):
                self.flush()
                self.add_table(node)
                continue
            if tag == "sup" and SUP_NUMBER.fullmatch(node.text().strip()):
                self.buffer.append(node.text().strip().strip("[]").translate(SUPERSCRIPT))  # note marks, m²
                continue
            if tag == "pre":
                self.flush()
                for line in node.text().splitlines():
                    self.buffer.append(line)
                    self.flush()
                continue
            block = tag in BLOCK_TAGS
            if block:
                self.flush()
                stack.append((node, False))
            stack.extend((child, True) for child in reversed(list(node.iter(include_text=True))))
        self.flush()

    def flush(self) -> None:
        """End the current block."""
        text = _clean("".join(self.buffer))
        self.buffer = []
        if text:
            self.blocks.append(Block(text))

    def add_table(self, table) -> None:
        """Add a data table as a Table and a table block."""
        rows = [[_clean(cell.text(separator=" ")) for cell in _cells(tr)] for tr in _rows(table)]
        rows = [row for row in rows if any(row)]
        if not rows:
            return
        self.tables.append(Table(rows))
        text = "\n".join(" | ".join(row) for row in rows)
        self.blocks.append(Block(text, kind="table", table_index=len(self.tables) - 1))


def _rows(table) -> list:
    """The table's own rows (not those of nested tables)."""
    rows = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child.iter() if c.tag == "tr")
    return rows


def _cells(tr) -> list:
    """The row's cells."""
    return [c for c in tr.iter() if c.tag in ("td", "th")]


def _is_data_table(table) -> bool:
    """A table of figures rather than a layout table: no nested table, two or more columns, no cell holding a
    page's worth of prose (Word-exported tables put <p> in every cell, so paragraphs alone do not decide)."""
    if any(child.css_first("table") is not None for child in table.iter()):
        return False
    rows = _rows(table)
    if not any(len(_cells(tr)) >= 2 for tr in rows):
        return False
    return all(len(cell.text(strip=True)) <= MAX_DATA_CELL for tr in rows for cell in _cells(tr))


def _clean(s: str) -> str:
    """Whitespace collapsed, NFC."""
    return unicodedata.normalize("NFC", SPACES.sub(" ", s).strip())
