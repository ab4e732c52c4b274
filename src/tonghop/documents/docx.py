"""DOCX reader: body paragraphs and tables in order, headers/footers, footnotes/endnotes, legacy fonts."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError as XMLParseError

import docx
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from tonghop.documents.docx_numbering import Numbering, num_pr
from tonghop.documents.errors import ReadError
from tonghop.documents.limits import MAX_TABLE_DEPTH, Limits, check_zip, describe
from tonghop.documents.model import Block, Document, Footnote, Table
from tonghop.text.legacy import convert_legacy_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
NOTE_REFS = (W + "footnoteReference", W + "endnoteReference")
# mc:Fallback repeats the mc:Choice content; w:moveFrom is the old place of moved (tracked) text
PRUNED = (MC_FALLBACK, W + "moveFrom")
WRAPPERS = (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag")
SEPARATOR_TYPES = {"separator", "continuationSeparator", "continuationNotice"}
# letters only Unicode text has (legacy glyphs all sit in Latin-1 and the cp1252 punctuation)
VIETNAMESE_UNICODE = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]"
)
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MAX_WRAP_DEPTH = 20


def superscript(n: int) -> str:
    """Write N in superscript digits: 12 -> '¹²'."""
    return str(n).translate(SUPERSCRIPT)


def legacy_encoding_of(font: str | None) -> str | None:
    """'tcvn3' for .Vn* fonts, 'vni' for VNI-* fonts, else None."""
    if not font:
        return None
    name = font.strip().lower()
    if name.startswith(".vn"):
        return "tcvn3"
    if name.startswith("vni"):
        return "vni"
    return None


def read_docx(path: Path, raw: bytes, limits: Limits | None = None) -> Document:
    """Read a .docx given its bytes; raise ReadError naming PATH on any failure."""
    limits = limits or Limits()
    name = str(path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ReadError(name, f"tệp .docx hỏng, không phải tệp zip hợp lệ (corrupt: {describe(exc)})") from exc
    with zf:
        check_zip(zf, name, limits)
        if "word/document.xml" not in zf.namelist():
            raise ReadError(name, "không phải tệp Word .docx: thiếu word/document.xml")
        reader = _Reader(name)
        reader.notes["footnote"] = _read_notes(zf, "word/footnotes.xml", "footnote", reader)
        reader.notes["endnote"] = _read_notes(zf, "word/endnotes.xml", "endnote", reader)
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... on a broken package
        raise ReadError(name, f"tệp .docx hỏng (corrupt: {describe(exc)})") from exc
    return reader.read(document)


def _read_notes(zf: zipfile.ZipFile, member: str, tag: str, reader: _Reader) -> dict[str, str]:
    """Note id -> text from footnotes.xml/endnotes.xml, separators skipped; parsed entity-expansion safe."""
    if member not in zf.namelist():
        return {}
    data = zf.read(member)
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ReadError(
            reader.path, f"{member} chứa khai báo thực thể XML nguy hiểm (unsafe XML: {describe(exc)})"
        ) from exc
    except (XMLParseError, ValueError) as exc:
        reader.warnings.append(f"Không đọc được {member} (hỏng): {describe(exc)}")
        return {}
    notes: dict[str, str] = {}
    for note in root.iter(W + tag):
        if note.get(W + "type") in SEPARATOR_TYPES:
            continue
        parts = []
        for el in note.iter():  # one pass: nested paragraphs must not make this quadratic
            if el.tag in (W + "p", W + "tab"):
                parts.append(" ")
            elif el.tag == W + "t" and el.text:
                parts.append(el.text)
        notes[note.get(W + "id", "")] = " ".join("".join(parts).split())
    return notes


class _Reader:
    """State for reading one document: note numbering, style fonts, warnings."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.notes: dict[str, dict[str, str]] = {}
        self.footnotes: list[Footnote] = []
        self.warnings: list[str] = []
        self.tables: list[Table] = []
        self.encoding: str | None = None
        self.style_fonts: dict[str, str | None] = {}
        self.default_para_style: str | None = None
        self.default_font: str | None = None
        self.style_numbering: dict[str, tuple[str, str]] = {}
        self.numbering: Numbering | None = None

    def read(self, document) -> Document:
        """Turn a python-docx Document into our Document."""
        self._load_styles(document)
        self.numbering = Numbering(document, self.style_numbering)
        body = document.element.body
        _prune(body)
        blocks = self._header_footer_blocks(document, body, "header")
        for el in _block_children(body):
            if el.tag == W + "p":
                text = self._paragraph_text(el)
                if text:
                    blocks.append(Block(text))
            elif el.tag == W + "tbl":
                rows = self._table_rows(el, 1)
                if any(cell for row in rows for cell in row):
                    self.tables.append(Table(rows))
                    blocks.append(Block(flatten_rows(rows), kind="table", table_index=len(self.tables) - 1))
        blocks.extend(self._header_footer_blocks(document, body, "footer"))
        if self.encoding:
            for note in self.footnotes:  # notes were read without their fonts: let the text decide
                note.text = unicodedata.normalize("NFC", convert_legacy_text(note.text)[0])
            self.warnings.append(f"Văn bản dùng phông chữ cũ ({self.encoding.upper()}), đã chuyển sang Unicode")
        return Document(
            blocks=blocks,
            format="docx",
            path=self.path,
            tables=self.tables,
            footnotes=self.footnotes,
            encoding=self.encoding or "utf-8",
            warnings=self.warnings,
        )

    def _header_footer_blocks(self, document, body, kind: str) -> list[Block]:
        """Blocks for every distinct header (or footer) part the sections reference."""
        blocks: list[Block] = []
        seen: set[str] = set()
        for sect in body.iter(W + "sectPr"):
            for ref in sect.iterchildren(W + f"{kind}Reference"):
                part = document.part.related_parts.get(ref.get(R + "id"))
                if part is None or str(part.partname) in seen:
                    continue
                seen.add(str(part.partname))
                root = part.element
                _prune(root)
                for el in _block_children(root):
                    if el.tag == W + "p":
                        text = self._paragraph_text(el)
                    else:
                        text = flatten_rows(self._table_rows(el, 1))
                    if text.strip():
                        blocks.append(Block(text, kind=kind))
        return blocks

    def _load_styles(self, document) -> None:
        """Map style id -> font name (following basedOn) and find the document default font."""
        try:
            styles = document.styles.element
        except Exception:  # a package without a styles part
            return
        raw: dict[str, tuple[str | None, str | None]] = {}
        for style in styles.iterchildren(W + "style"):
            sid = style.get(W + "styleId")
            based = style.find(W + "basedOn")
            raw[sid] = (_rfonts_name(style.find(W + "rPr")), based.get(W + "val") if based is not None else None)
            num = num_pr(style)
            if num:
                self.style_numbering[sid] = num
            if style.get(W + "type") == "paragraph" and style.get(W + "default") in ("1", "true", "on"):
                self.default_para_style = sid
        for sid in raw:
            font, cur, hops = None, sid, 0
            while cur in raw and hops < 20:
                font, cur = raw[cur][0] or font, raw[cur][1]
                if font:
                    break
                hops += 1
            self.style_fonts[sid] = font
        self.default_font = _rfonts_name(styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))

    def _run_font(self, run, para_style: str | None) -> str | None:
        """The font a run is shown in: its own, its character style's, its paragraph style's, the default."""
        rpr = run.find(W + "rPr") if run is not None else None
        font = _rfonts_name(rpr)
        if font:
            return font
        if rpr is not None:
            rstyle = rpr.find(W + "rStyle")
            if rstyle is not None and self.style_fonts.get(rstyle.get(W + "val")):
                return self.style_fonts[rstyle.get(W + "val")]
        return self.style_fonts.get(para_style or self.default_para_style or "") or self.default_font

    def _paragraph_text(self, p) -> str:
        """Text of a paragraph with note marks as superscript digits; legacy-font runs converted."""
        ppr_style = p.find(f"{W}pPr/{W}pStyle")
        para_style = ppr_style.get(W + "val") if ppr_style is not None else None
        segments: list[tuple[list[str], str | None]] = []  # (pieces, legacy encoding or None)
        for el in p.iter(W + "p", W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", *NOTE_REFS):
            parent = el.getparent()
            if el is p:
                continue
            if el.tag == W + "t":
                piece = el.text or ""
                if parent is not None and parent.find(f"{W}rPr/{W}vertAlign[@{W}val='superscript']") is not None:
                    piece = piece.translate(SUPERSCRIPT)  # "m2" typed with a raised 2 reads "m²"
            elif el.tag in NOTE_REFS:
                piece = self._note_mark(el)
            elif el.tag == W + "p":
                piece = "\n"  # a paragraph in a text box anchored here
            elif parent is None or parent.tag != W + "r":
                continue  # w:tab in w:tabs is a tab stop, not text
            else:
                piece = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}[el.tag]
            enc = legacy_encoding_of(self._run_font(parent, para_style)) if el.tag == W + "t" else None
            if segments and segments[-1][1] == enc:
                segments[-1][0].append(piece)
            else:
                segments.append(([piece], enc))
        text = "".join(self._convert("".join(t), enc) for t, enc in segments).strip()
        if text and self.numbering is not None:
            label = self.numbering.label(p, para_style)
            text = f"{label} {text}" if label else text
        return unicodedata.normalize("NFC", text)

    def _convert(self, text: str, enc: str | None) -> str:
        """Convert TEXT typed in a legacy font to Unicode and remember the encoding."""
        if enc is None or not text.strip() or VIETNAMESE_UNICODE.search(text):
            return text  # no legacy font, or typed in Unicode whatever the font is called
        converted, found = convert_legacy_text(text, enc)
        if found:
            self.encoding = self.encoding or found
            return converted
        return text

    def _note_mark(self, ref) -> str:
        """Number a footnote/endnote reference in order of appearance (as Word shows it) and record the note."""
        kind = "footnote" if ref.tag == W + "footnoteReference" else "endnote"
        mark = superscript(len(self.footnotes) + 1)
        text = self.notes.get(kind, {}).get(ref.get(W + "id", ""))
        if text is None:
            self.warnings.append(f"Thiếu nội dung chú thích số {ref.get(W + 'id')}")
            text = ""
        self.footnotes.append(Footnote(mark=mark, text=unicodedata.normalize("NFC", text)))
        return mark

    def _table_rows(self, tbl, depth: int) -> list[list[str]]:
        """Rows of cell texts; a merged cell appears once, nested tables flatten into their cell."""
        rows: list[list[str]] = []
        for tr in _children(tbl, W + "tr"):
            row = []
            for tc in _children(tr, W + "tc"):
                vmerge = tc.find(f"{W}tcPr/{W}vMerge")
                if vmerge is not None and vmerge.get(W + "val", "continue") != "restart":
                    row.append("")  # continuation of a vertically merged cell: its text is in the cell above
                    continue
                parts = []
                for el in _block_children(tc):
                    if el.tag == W + "p":
                        parts.append(self._paragraph_text(el))
                    elif depth >= MAX_TABLE_DEPTH:
                        if "Bảng lồng nhau quá sâu" not in " ".join(self.warnings):
                            self.warnings.append(f"Bảng lồng nhau quá sâu (> {MAX_TABLE_DEPTH} cấp), bỏ phần sâu hơn")
                    else:
                        nested = self._table_rows(el, depth + 1)
                        parts.append("; ".join(" | ".join(c for c in r if c) for r in nested))
                row.append("\n".join(t for t in parts if t))
            rows.append(row)
        return rows


def _prune(root) -> None:
    """Remove the subtrees whose text Word does not show (fallbacks, moved-from text)."""
    for el in list(root.iter(*PRUNED)):
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)


def flatten_rows(rows: list[list[str]]) -> str:
    """A table as text: cells joined by ' | ', rows by newlines."""
    return "\n".join(" | ".join(cell.replace("\n", " ") for cell in row) for row in rows).strip()


def _rfonts_name(rpr) -> str | None:
    """The ascii (else hAnsi) font named in an rPr element."""
    if rpr is None:
        return None
    fonts = rpr.find(W + "rFonts")
    if fonts is None:
        return None
    return fonts.get(W + "ascii") or fonts.get(W + "hAnsi")


def _children(el, tag: str, depth: int = 0):
    """Children of EL with TAG, looking through content-control and custom-XML wrappers."""
    for child in el.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in WRAPPERS and depth < MAX_WRAP_DEPTH:
            yield from _children(child, tag, depth + 1)


def _block_children(el, depth: int = 0):
    """Paragraphs and tables directly in EL (body, cell, header), in order, through wrappers."""
    for child in el.iterchildren():
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in WRAPPERS and depth < MAX_WRAP_DEPTH:
            yield from _block_children(child, depth + 1)
