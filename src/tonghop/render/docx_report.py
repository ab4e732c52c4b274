"""ReportData -> DOCX in the layout of Decree 30/2020/NĐ-CP, Appendix I (A4, Times New Roman, two-column header)."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Cm, Mm, Pt

from tonghop.render import docx_xml as x
from tonghop.render.model import (
    ReportData,
    ReportSection,
    ReportTable,
    clean_text,
    comparison_table,
    date_line,
    format_cell,
    format_rows,
    is_number,
    number_line,
)
from tonghop.render.registry import register

CONTENT_CM = 16.5  # A4 width 21 cm minus left 3 cm and right 1.5 cm
LANDSCAPE_CM = 25.2  # A4 height 29.7 cm minus the same side margins
WIDE_TABLE = 7  # tables with more columns than this go on landscape pages
HEADER_CM = (6.0, 10.5)  # issuer | national title; 13 pt bold national title needs 9.6 cm
SIGNATURE_CM = (7.0, 9.5)  # Nơi nhận | signer
MOTTO_CM = 6.1  # "Độc lập - Tự do - Hạnh phúc" at 14 pt bold
CELL_PAD_CM = 0.1  # the borderless tables' left+right cell margins (57 twips each side)


def _twips(cm: float) -> int:
    return round(cm * x.TWIPS_PER_CM)


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(14)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(1.27)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.widow_control = True
    centre = styles.add_style("TH Center", WD_STYLE_TYPE.PARAGRAPH)
    centre.base_style = normal
    centre.font.size = Pt(13)
    cfmt = centre.paragraph_format
    cfmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cfmt.first_line_indent = Pt(0)
    cfmt.space_after = Pt(0)
    for size in (10, 11, 12):
        cell = styles.add_style(f"TH Cell {size}", WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        cell.font.size = Pt(size)
        cell.paragraph_format.first_line_indent = Pt(0)
        cell.paragraph_format.space_before = Pt(2)
        cell.paragraph_format.space_after = Pt(2)
    header = styles["Header"]
    header.font.size = Pt(13)
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.paragraph_format.first_line_indent = Pt(0)
    header.paragraph_format.space_after = Pt(0)
    x.force_fonts(styles.element)
    x.set_language(styles.element)


def _geometry(section, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.page_width, section.page_height = width, height
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _new_section(doc, landscape: bool) -> None:
    """Continue on a new page in the other orientation; the page-number header carries on (linked)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _geometry(section, landscape)
    section.different_first_page_header_footer = False  # only the document's first page is unnumbered


def _page(doc) -> None:
    section = doc.sections[0]
    _geometry(section)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an explicit empty first-page header
    paragraph = section.header.paragraphs[0]
    paragraph.style = doc.styles["Header"]
    x.add_page_field(paragraph)


def _line(container, text: str, size: float, *, bold: bool = False, italic: bool = False,
          before: float = 0, first: bool = False):
    """A centred line in a header/signature cell (FIRST reuses the cell's initial empty paragraph)."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.style = "TH Center"
    paragraph.paragraph_format.space_before = Pt(before)
    if text:
        run = paragraph.add_run(clean_text(text))
        run.font.size, run.bold, run.italic = Pt(size), bold or None, italic or None
    return paragraph


def _rule(container, column_cm: float, length_cm: float) -> None:
    side = max(0.0, (column_cm - CELL_PAD_CM * 2 - length_cm) / 2)
    paragraph = container.add_paragraph(style="TH Center")
    x.rule_paragraph(paragraph, side, side)


def _header(doc, data: ReportData) -> None:
    """Row 1: issuer | national title and motto; row 2: number | place and date, so those two share a line."""
    table = doc.add_table(rows=2, cols=2)
    x.borderless(table)
    x.fix_widths(table, [_twips(c) for c in HEADER_CM])
    (left, right), (number, place) = table.rows[0].cells, table.rows[1].cells
    first = True
    if data.parent_issuer:
        _line(left, data.parent_issuer.upper(), 13, first=True)
        first = False
    for i, part in enumerate(data.issuer.upper().split("\n")):  # "ỦY BAN NHÂN DÂN\nTỈNH X" prints on two lines
        _line(left, part, 13, bold=True, first=first and i == 0)
    _rule(left, HEADER_CM[0], 2.2)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True, first=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    _rule(right, HEADER_CM[1], MOTTO_CM)
    _line(number, number_line(data), 13, before=6, first=True)
    _line(place, date_line(data), 14, italic=True, before=6, first=True)


def _title(doc, data: ReportData) -> None:
    _line(doc, data.type_name.upper(), 14, bold=True, before=24).paragraph_format.keep_with_next = True
    _line(doc, data.subject, 14, bold=True).paragraph_format.keep_with_next = True
    paragraph = doc.add_paragraph(style="TH Center")
    side = (CONTENT_CM - 3.5) / 2
    x.rule_paragraph(paragraph, side, side)
    paragraph.paragraph_format.space_after = Pt(12)


def _body(doc, text: str, *, bold: bool = False, italic: bool = False):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(clean_text(text))
    run.bold, run.italic = bold or None, italic or None
    return paragraph


_ROMAN = re.compile(r"[IVXLC]+\.?")


def _section(doc, section: ReportSection, level: int = 1) -> None:
    title = section.title.strip()
    if level == 1 and _ROMAN.fullmatch(section.label.strip()):
        title = title.upper()  # Decree 30: parts and sections ("I. KẾT QUẢ ...") in capitals
    heading = " ".join(p for p in (section.label.strip(), title) if p)
    if heading:
        _body(doc, heading, bold=True, italic=level >= 3).paragraph_format.keep_with_next = True
    for text in section.paragraphs:
        _body(doc, text)
    for table in section.tables:
        _data_table(doc, table)
    for child in section.subsections:
        _section(doc, child, level + 1)


def _column_widths(table: ReportTable, total_cm: float = CONTENT_CM) -> list[int]:
    """Each column gets a floor (STT 1.2 cm, text 2.8 cm, figures 1.6 cm) plus a share of the rest by content."""
    sample = [*table.rows[:200], *([table.total_row] if table.total_row else [])]
    floors, weights = [], []
    for i, name in enumerate(table.columns):
        cells = [r[i] for r in sample]
        longest_word = max((len(w) for w in name.split()), default=1)
        if name.strip().upper() in {"STT", "TT"}:
            floors.append(1.2)
            weights.append(0.0)
        elif cells and all(c is None or is_number(c) for c in cells):
            floors.append(1.6)
            # long headers wrap onto several lines; give them some room so they don't wrap word by word
            weights.append(max(7, longest_word, min(len(name) / 4, 14), *(len(format_cell(c)) for c in cells)))
        else:
            floors.append(2.8)
            weights.append(min(24, max(8, longest_word, *(len(format_cell(c)) for c in cells))))
    total = _twips(total_cm)
    spare = total - sum(_twips(f) for f in floors)
    if spare < 0 or not sum(weights):  # too many columns for the floors: share the width by weight alone
        floors, spare = [0.0] * len(floors), total
        weights = [w or 3.0 for w in weights]
    widths = [_twips(f) + round(spare * w / sum(weights)) for f, w in zip(floors, weights, strict=True)]
    widths[-1] += total - sum(widths)
    return widths


def _check(table: ReportTable) -> None:
    n = len(table.columns)
    for i, row in enumerate(table.rows, start=1):
        if len(row) != n:
            raise ValueError(f"Bảng {table.title!r}: dòng {i} có {len(row)} ô, cần {n} ô theo tiêu đề cột")
    if table.total_row is not None and len(table.total_row) != n:
        raise ValueError(f"Bảng {table.title!r}: dòng tổng cộng có {len(table.total_row)} ô, cần {n} ô")


def _label_total(row: list) -> list:
    """Put "Tổng cộng" in the first empty cell of a totals row that carries no label of its own."""
    if any(isinstance(c, str) and c.strip() for c in row):
        return row
    blank = next((i for i, c in enumerate(row) if c is None or c == ""), None)
    return row if blank is None else [*row[:blank], "Tổng cộng", *row[blank + 1:]]


def _aligned(columns: list[str], rows: list[list[tuple[str, bool]]]) -> list[list[tuple[str, str]]]:
    ordinal = [c.strip().upper() in {"STT", "TT"} for c in columns]
    return [[(text, "center" if ordinal[i] else "right" if number else "left")
             for i, (text, number) in enumerate(row)] for row in rows]


def _data_table(doc, table: ReportTable) -> None:
    _check(table)
    n = len(table.columns)
    wide = n > WIDE_TABLE
    if wide:
        _new_section(doc, landscape=True)
    if table.title:
        title = _line(doc, table.title, 14, bold=True, before=6)
        title.paragraph_format.keep_with_next = True
    if table.unit_note:
        note = _line(doc, table.unit_note, 13, italic=True)
        note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        note.paragraph_format.keep_with_next = True
    style_id = doc.styles[f"TH Cell {12 if n <= 6 else 11 if n <= 12 else 10}"].style_id
    widths = _column_widths(table, LANDSCAPE_CM if wide else CONTENT_CM)
    word_table = doc.add_table(rows=0, cols=n)
    word_table.style = doc.styles["Table Grid"]
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    x.fix_widths(word_table, widths)
    total = [_label_total(table.total_row)] if table.total_row is not None else []
    texts = _aligned(table.columns, format_rows(n, [*table.rows, *total]))
    rows = x.table_rows_xml([[(clean_text(c), "center") for c in table.columns]], widths, style_id, bold=True, header=True)
    rows += x.table_rows_xml(texts[:len(table.rows)], widths, style_id)
    if total:
        rows += x.table_rows_xml(texts[len(table.rows):], widths, style_id, bold=True)
    word_table._tbl.extend(rows)
    for text in table.notes:
        note = doc.add_paragraph()
        note.add_run(clean_text(text)).italic = True
        note.runs[0].font.size = Pt(12)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)
    if wide:
        _new_section(doc, landscape=False)


def _recipient_lines(recipients: list[str]) -> list[str]:
    items = [clean_text(r).strip().lstrip("-").strip().rstrip(";.") for r in recipients if r.strip().strip("-")]
    if not items or not items[-1].startswith("Lưu"):
        items.append("Lưu: VT")
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


def _signature(doc, data: ReportData) -> None:
    table = doc.add_table(rows=1, cols=2)
    x.borderless(table)
    x.fix_widths(table, [_twips(c) for c in SIGNATURE_CM])
    table.rows[0]._tr.get_or_add_trPr().append(x.parse_xml(f"<w:cantSplit {x.nsdecls('w')}/>"))
    left, right = table.rows[0].cells
    heading = left.paragraphs[0]
    heading.style = "TH Center"
    heading.alignment = WD_ALIGN_PARAGRAPH.LEFT
    heading.paragraph_format.space_before = Pt(12)
    run = heading.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in _recipient_lines(data.recipients):
        paragraph = left.add_paragraph(style="TH Center")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        paragraph.add_run(line).font.size = Pt(11)
    signer = data.signer
    if signer is None:
        return
    top = " ".join(p for p in (signer.authority, signer.authority_title) if p)
    lines = [t for t in (top, signer.title) if t]
    for i, text in enumerate(lines):
        _line(right, text.upper(), 14, bold=True, first=i == 0, before=12 if i == 0 else 0)
    if signer.name:
        _line(right, signer.name, 14, bold=True, first=not lines, before=84 if lines else 12)


def _closing_paragraph(doc) -> None:
    """A tiny last paragraph: the body must not end in a table (Word adds one; LibreOffice misplaces sections)."""
    paragraph = doc.add_paragraph(style="TH Center")
    paragraph.paragraph_format.line_spacing = Pt(1)
    mark = paragraph._p.get_or_add_pPr()
    mark.append(x.parse_xml(f'<w:rPr {x.nsdecls("w")}><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'))


@register("docx")
def render_docx(data: ReportData, path: str | Path) -> Path:
    """Write DATA as an official report in the Decree 30 layout to PATH (.docx) and return the path."""
    doc = Document()
    _styles(doc)
    _page(doc)
    doc.core_properties.title = clean_text(data.subject)
    doc.core_properties.author = clean_text(data.issuer)
    doc.core_properties.language = "vi-VN"
    _header(doc, data)
    _title(doc, data)
    for text in data.intro:
        _body(doc, text)
    if data.completeness:
        _body(doc, data.completeness)
    for section in data.sections:
        _section(doc, section)
    if data.comparisons:
        _data_table(doc, comparison_table(data.comparisons))
    for table in data.tables:
        _data_table(doc, table)
    _signature(doc, data)
    _closing_paragraph(doc)
    # python-docx's template starts with an empty paragraph; drop it so the header table is first
    body = doc.element.body
    if body[0].tag == x.qn("w:p") and not body[0].xpath("string(.)"):
        body.remove(body[0])
    path = Path(path)
    doc.save(str(path))
    return path
