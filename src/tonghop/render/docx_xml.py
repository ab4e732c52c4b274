"""Low-level WordprocessingML pieces python-docx lacks: fonts, borders, rules, fields, fast table rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
TWIPS_PER_CM = 567
_W = nsdecls("w")


def set_fonts(rpr, font: str = FONT) -> None:
    """Name FONT for all four scripts, dropping theme fonts (which would win over explicit names)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), font)


def force_fonts(styles_element, font: str = FONT) -> None:
    """Rewrite every rFonts in styles.xml (document defaults included) to FONT."""
    for rpr in styles_element.iter(qn("w:rPr")):
        if rpr.find(qn("w:rFonts")) is not None or rpr.getparent().tag == qn("w:rPrDefault"):
            set_fonts(rpr, font)


def set_language(styles_element, lang: str = "vi-VN") -> None:
    """Mark the default run language so spell-checkers and hyphenation treat the text as Vietnamese."""
    for lang_el in styles_element.iter(qn("w:lang")):
        lang_el.set(qn("w:val"), lang)


def rule_paragraph(paragraph: Paragraph, left_cm: float, right_cm: float, size_pt: float = 0.75) -> None:
    """Turn an empty paragraph into a short centred horizontal rule: a bottom border between its indents."""
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(3)
    fmt.first_line_indent = Pt(0)
    ppr = paragraph._p.get_or_add_pPr()
    eighths = max(2, round(size_pt * 8))
    # pBdr must precede spacing/ind/jc (CT_PPr order), which python-docx has already written
    ppr.insert(_border_position(ppr), parse_xml(
        f'<w:pBdr {_W}><w:bottom w:val="single" w:sz="{eighths}" w:space="1" w:color="000000"/></w:pBdr>'))
    fmt.left_indent = int(left_cm * 360000)
    fmt.right_indent = int(right_cm * 360000)


def _border_position(ppr) -> int:
    before = {qn(f"w:{t}") for t in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                                       "widowControl", "numPr", "suppressLineNumbers")}
    return sum(1 for child in ppr if child.tag in before)


def add_page_field(paragraph: Paragraph) -> None:
    """Append a PAGE field (complex field form, which Word and LibreOffice both update on open)."""
    for xml in (f'<w:r {_W}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {_W}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
                f'<w:r {_W}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {_W}><w:t>2</w:t></w:r>',
                f'<w:r {_W}><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml))


_TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"]


def _put_tblpr(tblpr, xml: str) -> None:
    """Replace or insert a tblPr child at its schema position (Word rejects out-of-order children)."""
    new = parse_xml(xml)
    name = new.tag.split("}")[1]
    old = tblpr.find(qn(f"w:{name}"))
    if old is not None:
        tblpr.remove(old)
    rank = _TBLPR_ORDER.index(name)
    later = {qn(f"w:{t}") for t in _TBLPR_ORDER[rank + 1:]}
    for i, child in enumerate(tblpr):
        if child.tag in later:
            tblpr.insert(i, new)
            return
    tblpr.append(new)


def borderless(table: Table) -> None:
    """Remove every border of TABLE, fix its layout and narrow the cell margins."""
    tblpr = table._tbl.tblPr
    edges = "".join(f'<w:{e} w:val="nil"/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    _put_tblpr(tblpr, f"<w:tblBorders {_W}>{edges}</w:tblBorders>")
    _put_tblpr(tblpr, f'<w:tblLayout {_W} w:type="fixed"/>')
    _put_tblpr(tblpr, f'<w:tblCellMar {_W}><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
                      "</w:tblCellMar>")


def fix_widths(table: Table, widths_twips: Sequence[int]) -> None:
    """Set the grid, every cell's width, the table width and a fixed layout (else Word/LibreOffice re-flow it)."""
    tbl = table._tbl
    tblpr = tbl.tblPr
    _put_tblpr(tblpr, f'<w:tblW {_W} w:w="{sum(widths_twips)}" w:type="dxa"/>')
    _put_tblpr(tblpr, f'<w:tblLayout {_W} w:type="fixed"/>')
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for w in widths_twips:
        grid.append(parse_xml(f'<w:gridCol {_W} w:w="{w}"/>'))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_twips, strict=False):
            tcpr = cell._tc.get_or_add_tcPr()
            old = tcpr.find(qn("w:tcW"))
            if old is not None:
                tcpr.remove(old)
            tcpr.insert(0, parse_xml(f'<w:tcW {_W} w:w="{w}" w:type="dxa"/>'))


def _run_content(text: str) -> str:
    """Text of a run: line breaks as w:br and tabs as w:tab, as python-docx's add_run writes them."""
    lines = []
    for line in text.split("\n"):
        parts = (f'<w:t xml:space="preserve">{escape(p)}</w:t>' if p else "" for p in line.split("\t"))
        lines.append("<w:tab/>".join(parts))
    return "<w:br/>".join(lines)


def table_rows_xml(rows: Iterable[Sequence[tuple[str, str]]], widths: Sequence[int], style_id: str, *,
                   bold: bool = False, header: bool = False) -> list:
    """Build `w:tr` elements for ROWS of (text, "left"|"right"|"center") in one XML parse (python-docx is slow)."""
    run_pr = "<w:rPr><w:b/><w:bCs/></w:rPr>" if bold else ""
    tr_pr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
    valign = '<w:vAlign w:val="center"/>' if header else ""
    tc_pr = [f'<w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{valign}</w:tcPr>' for w in widths]
    p_pr = {align: f'<w:pPr><w:pStyle w:val="{style_id}"/><w:jc w:val="{align}"/></w:pPr>'
            for align in ("left", "right", "center")}
    if header:
        rows = ([(text, "center") for text, _ in row] for row in rows)
    parts = [f"<w:tbl {_W}>"]
    for row in rows:
        parts.append(f"<w:tr>{tr_pr}")
        for (text, align), pr in zip(row, tc_pr, strict=True):
            run = f"<w:r>{run_pr}{_run_content(text)}</w:r>" if text else ""
            parts.append(f"<w:tc>{pr}<w:p>{p_pr[align]}{run}</w:p></w:tc>")
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return list(parse_xml("".join(parts)))
