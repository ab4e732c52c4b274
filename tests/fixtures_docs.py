"""Builders for DOCX, PDF and HTML test files (import them from any test: `from fixtures_docs import make_docx`)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NOTE_REF = re.compile(r"\[\^(e?)(\d+)\]")
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
]


def make_docx(
    path: str | Path,
    paragraphs: Sequence[str],
    tables: Sequence[tuple[int, Sequence[Sequence[str]]]] | None = None,
    footnotes: Sequence[str] | None = None,
    header: str | None = None,
    footer: str | None = None,
    *,
    endnotes: Sequence[str] | None = None,
    font: str | None = None,
) -> Path:
    """Write a .docx and return its path.

    paragraphs: body paragraphs; "[^2]" in a paragraph references footnote 2 (1-based into FOOTNOTES) there,
    "[^e1]" endnote 1. tables: (after, rows) pairs; the table goes after paragraph index AFTER (-1: before the
    first). header/footer: page header/footer text. font: font name for every body run (e.g. ".VnTime").
    """
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    tables = list(tables or [])

    def add_tables(after: int) -> None:
        for where, rows in tables:
            if where == after:
                ncols = max((len(r) for r in rows), default=1)
                t = d.add_table(rows=len(rows), cols=ncols)
                for i, row in enumerate(rows):
                    for j, cell in enumerate(row):
                        t.cell(i, j).text = cell

    add_tables(-1)
    for index, text in enumerate(paragraphs):
        para = d.add_paragraph()
        pos = 0
        for m in NOTE_REF.finditer(text):
            _add_run(para, text[pos : m.start()], font)
            run = para.add_run()
            rpr = run._r.get_or_add_rPr()
            va = OxmlElement("w:vertAlign")
            va.set(qn("w:val"), "superscript")
            rpr.append(va)
            ref = OxmlElement("w:endnoteReference" if m.group(1) else "w:footnoteReference")
            ref.set(qn("w:id"), m.group(2))
            run._r.append(ref)
            pos = m.end()
        _add_run(para, text[pos:], font)
        add_tables(index)
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        d.sections[0].footer.paragraphs[0].text = footer
    if footnotes:
        _add_notes_part(d, "footnote", footnotes)
    if endnotes:
        _add_notes_part(d, "endnote", endnotes)
    d.save(str(path))
    return Path(path)


def _add_run(para, text: str, font: str | None) -> None:
    """Add a run with TEXT (if any) in FONT."""
    if text:
        run = para.add_run(text)
        if font:
            run.font.name = font


def notes_xml(kind: str, texts: Sequence[str]) -> bytes:
    """A footnotes.xml / endnotes.xml part with the two separator notes and TEXTS as notes 1..n."""
    from xml.sax.saxutils import escape

    notes = [
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        f"</w:{kind}>",
    ]
    for i, text in enumerate(texts, start=1):
        notes.append(
            f'<w:{kind} w:id="{i}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Ref/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:{kind}>'
        )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind}s xmlns:w="{W_NS}">'
        + "".join(notes)
        + f"</w:{kind}s>"
    ).encode()


def _add_notes_part(d, kind: str, texts: Sequence[str]) -> None:
    """Attach a footnotes/endnotes part to the python-docx document D."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    content_type = CT.WML_FOOTNOTES if kind == "footnote" else CT.WML_ENDNOTES
    reltype = RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, notes_xml(kind, texts), d.part.package)
    d.part.relate_to(part, reltype)


def rewrite_zip(path: str | Path, members: dict[str, bytes], out: str | Path | None = None) -> Path:
    """Copy the zip at PATH to OUT (default: in place) with MEMBERS replaced or added."""
    src = Path(path).read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in members:
                zout.writestr(info, zin.read(info.filename))
        for name, data in members.items():
            zout.writestr(name, data)
    target = Path(out or path)
    target.write_bytes(buf.getvalue())
    return target


def unicode_font() -> str:
    """Path of a TTF font with Vietnamese glyphs found on this system."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    found = sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf")) + sorted(
        Path("/usr/share/fonts").rglob("LiberationSerif-Regular.ttf")
    )
    if not found:
        raise RuntimeError("no Unicode TTF font (DejaVu Sans or Liberation Serif) installed")
    return str(found[0])


def make_pdf(
    path: str | Path,
    lines: Sequence[str],
    *,
    lines_per_page: int = 40,
    header: str | None = None,
    footer: str | None = None,
    page_numbers: bool = False,
    encrypt: str | None = None,
    compress: bool = True,
    footnotes: Sequence[str] | None = None,
    tables: Sequence[tuple[int, Sequence[Sequence[str]]]] | None = None,
) -> Path:
    """Write a PDF with LINES in a Unicode font, LINES_PER_PAGE a page; optional running header/footer,
    bare page numbers at the foot, a user password (ENCRYPT), and plain (uncompressed) content streams.

    "[^2]" in a line is drawn as a raised small "2" (a note reference); FOOTNOTES are drawn in a smaller font
    at the foot of the last page, each after its raised number, as Word prints them. TABLES: (after, rows) pairs
    drawn as ruled grids after line index AFTER (-1: before the first line)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "TonghopUni" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TonghopUni", unicode_font()))
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, pageCompression=int(compress))
    width, height = A4
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)] or [[]]
    for number, page in enumerate(pages, start=1):
        c.setFont("TonghopUni", 11)
        if header:
            c.drawString(60, height - 40, header)
        y = height - 80
        first = (number - 1) * lines_per_page
        if number == 1:
            y = _draw_tables(c, y, [rows for after, rows in tables or [] if after == -1])
        for index, line in enumerate(page, start=first):
            _draw_with_marks(c, 60, y, line, 11)
            y -= 18
            y = _draw_tables(c, y, [rows for after, rows in tables or [] if after == index])
        if footnotes and number == len(pages):
            y = 60 + 14 * len(footnotes)
            for index, note in enumerate(footnotes, start=1):
                _draw_with_marks(c, 60, y, f"[^{index}] {note}", 9)
                y -= 14
            c.setFont("TonghopUni", 11)
        if footer:
            c.drawString(60, 50, footer)
        if page_numbers:
            c.drawCentredString(width / 2, 30, str(number))
        c.showPage()
    c.save()
    return Path(path)


def _draw_tables(c, y: float, tables: Sequence[Sequence[Sequence[str]]]) -> float:
    """Draw each table as a ruled grid from height Y down; return the height below them."""
    for rows in tables:
        c.setFont("TonghopUni", 10)
        for row in rows:
            for col, cell in enumerate(row):
                c.rect(60 + 150 * col, y - 5, 150, 18)
                c.drawString(64 + 150 * col, y, cell)
            y -= 18
        y -= 12
        c.setFont("TonghopUni", 11)
    return y


def _draw_with_marks(c, x: float, y: float, text: str, size: float) -> None:
    """Draw TEXT at (x, y), "[^n]" as a raised number in a smaller size."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pos = 0
    for m in list(NOTE_REF.finditer(text)) + [None]:
        chunk = text[pos : m.start() if m else len(text)]
        c.setFont("TonghopUni", size)
        c.drawString(x, y, chunk)
        x += stringWidth(chunk, "TonghopUni", size)
        if m:
            c.setFont("TonghopUni", size * 0.6)
            c.drawString(x, y + size * 0.4, m.group(2))
            x += stringWidth(m.group(2), "TonghopUni", size * 0.6)
            pos = m.end()


def make_scanned_pdf(path: str | Path, pages: int = 1) -> Path:
    """Write a PDF with no text layer (only a drawn rectangle per page), like a scan."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        c.rect(72, 72, 300, 500, fill=1)
        c.showPage()
    c.save()
    return Path(path)


def make_html(
    path: str | Path,
    body_html: str,
    nav: bool = True,
    *,
    title: str = "Cổng thông tin điện tử",
    charset: str = "utf-8",
    main_tag: str = "article",
) -> Path:
    """Write an HTML page with BODY_HTML as its main content (inside MAIN_TAG unless empty); with NAV, the page
    also carries a site menu, header, breadcrumb, sidebar, share links, comments, footer and scripts."""
    main = f"<{main_tag} class='content'>{body_html}</{main_tag}>" if main_tag else body_html
    chrome_top = chrome_bottom = ""
    if nav:
        chrome_top = (
            "<header class='site-header'><h1>CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN</h1></header>"
            "<nav><ul><li><a href='/'>Trang chủ</a></li><li><a href='/gt'>Giới thiệu</a></li></ul></nav>"
            "<div class='breadcrumb'>Trang chủ » Tin tức</div>"
            "<div id='main-menu'>Tin tức | Văn bản | Liên hệ</div>"
        )
        chrome_bottom = (
            "<aside class='sidebar'><h3>Tin mới</h3><p>Tin khác trong ngày</p></aside>"
            "<div class='share-box'>Chia sẻ: Facebook Zalo</div>"
            "<div class='comments'>Bình luận của bạn đọc</div>"
            "<form><input name='q'> Tìm kiếm</form>"
            "<footer><p>Bản quyền thuộc UBND huyện</p></footer>"
            "<script>var tracking = 'mã theo dõi';</script><style>p { color: red }</style>"
        )
    page = (
        f"<!DOCTYPE html><html lang='vi'><head><meta charset='{charset}'><title>{title}</title></head>"
        f"<body>{chrome_top}{main}{chrome_bottom}</body></html>"
    )
    Path(path).write_bytes(encode_legacy(page, charset))
    return Path(path)


def encode_legacy(text: str, charset: str) -> bytes:
    """TEXT in CHARSET; for windows-1258, tone marks go out as combining characters as that code page needs."""
    import codecs
    import unicodedata

    if codecs.lookup(charset).name != "cp1258":
        return text.encode(charset)
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in d if c in tones)
        out.append(unicodedata.normalize("NFC", "".join(c for c in d if c not in tones)) + tone if tone else ch)
    return "".join(out).encode("cp1258")


def make_raw_pdf(path: str | Path, objects: Sequence[bytes], root: int = 1) -> Path:
    """Write a hand-made PDF from the bodies of objects 1..n (with a correct xref table), for malformed cases."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    Path(path).write_bytes(out)
    return Path(path)


def pdf_stream(data: bytes) -> bytes:
    """A PDF stream object body holding DATA."""
    return f"<< /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def one_page_pdf_objects(content: bytes) -> list[bytes]:
    """Catalog, page tree, one page, and its content stream CONTENT."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        pdf_stream(content),
    ]
