"""Build the sample archive: the documents in `archive/` written out as TXT, DOCX, a TCVN3 TXT, an NFD TXT and a PDF.

Sources are UTF-8 text; a header or signature row is written "left cell | right cell". The TXT copies flatten
those two-column tables column after column, as text copied out of Word arrives.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

SOURCES = Path(__file__).parent / "archive"
AS_DOCX = {"01-nghi-quyet-12-nq-tu", "02-quyet-dinh-1024-qd-ubnd", "05-ke-hoach-56-kh-ubnd-ha-thanh",
           "11-cong-van-1194-stttt-bcvt"}  # fmt: skip
AS_PDF = "09-bao-cao-120-bc-ubnd-dong-phu"
AS_TCVN3 = "06-bao-cao-35-bc-ubnd-tan-hoa"
AS_NFD = "07-bao-cao-41-bc-ubnd-phu-loc"
FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")  # fmt: skip


@dataclass
class Source:
    """A sample document split into its header table, body lines and signature table."""

    header: list[tuple[str, str]] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    signature: list[tuple[str, str]] = field(default_factory=list)


def _row(line: str) -> tuple[str, str]:
    left, _, right = line.partition(" | ")
    return left.strip(), right.strip()


def parse_source(text: str) -> Source:
    """Split a source text into header rows, body lines and signature rows."""
    lines = text.strip("\n").splitlines()
    src = Source()
    if lines and " | " in lines[0]:
        end = lines.index("") if "" in lines else len(lines)
        src.header, lines = [_row(x) for x in lines[:end]], lines[end + 1 :]
    start = next((i for i, x in enumerate(lines) if x.startswith("Nơi nhận:")), len(lines))
    src.signature = [_row(x) for x in lines[start:]]
    src.body = lines[:start]
    while src.body and not src.body[-1].strip():
        src.body.pop()
    return src


def _columns(rows: list[tuple[str, str]]) -> list[str]:
    """A two-column table as text copied out of Word: the left column, then the right one."""
    return [r[0] for r in rows if r[0]] + [r[1] for r in rows if r[1]]


def to_text(src: Source) -> str:
    """The plain-text copy of a source document."""
    parts = _columns(src.header) + ([""] if src.header else []) + src.body
    return "\n".join(parts + ([""] + _columns(src.signature) if src.signature else [])) + "\n"


def _para(doc, text: str, *, bold=False, italic=False, size=13, align=None, indent=False):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), "Times New Roman"
    p.paragraph_format.space_after = Pt(3)
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.27)
    return p


def _table(doc, rows: list[tuple[str, str]], widths: tuple[float, float], *, bold_first: bool) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, width, column in zip(table.rows[0].cells, widths, (0, 1), strict=True):
        cell.width = Cm(width)
        table.columns[column].width = Cm(width)
        cell.paragraphs[0].text = ""
        for i, line in enumerate(r[column] for r in rows if r[column]):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            run = p.add_run(line)
            run.font.name, run.font.size = "Times New Roman", Pt(12 if column == 0 else 13)
            run.bold = bold_first and (column == 1 or not line.startswith("-")) and not line.startswith("V/v")
            run.italic = line.startswith(("Lam Giang,", "Đông Phú,", "Hà Thanh,", "Tân Hòa,", "Phú Lộc,"))
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if not line.startswith("-") else WD_ALIGN_PARAGRAPH.LEFT


def write_docx(src: Source, dest: Path) -> None:
    """Write SRC as a DOCX in the Decree 30 layout (header table, centred type name, justified body)."""
    doc = DocxDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Cm(2), Cm(2), Cm(3), Cm(1.5))  # fmt: skip
    _table(doc, src.header, (6.5, 10.0), bold_first=True)
    for i, line in enumerate(src.body):
        if not line.strip():
            continue
        if i < 2 and not line.startswith("Kính gửi"):
            _para(doc, line, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
        elif line[:4].rstrip(". ").isupper() and line.split(".")[0] in {"I", "II", "III", "IV", "V", "VI"}:
            _para(doc, line, bold=True)
        else:
            _para(doc, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    _table(doc, src.signature, (8.0, 8.5), bold_first=True)
    doc.save(str(dest))


def _pdf_font() -> str | None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in FONTS:
        if Path(path).is_file():
            pdfmetrics.registerFont(TTFont("SampleSerif", path))
            return "SampleSerif"
    return None


def write_pdf(src: Source, dest: Path) -> bool:
    """Write SRC as a one-column PDF; False (nothing written) when reportlab or a Vietnamese font is missing."""
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    except ImportError:
        return False
    font = _pdf_font()
    if font is None:
        return False
    plain = ParagraphStyle("body", fontName=font, fontSize=12, leading=16)
    flow = []
    for line in to_text(src).splitlines():
        escaped = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        flow.append(Paragraph(escaped, plain) if line.strip() else Spacer(1, 8))
    SimpleDocTemplate(str(dest), pagesize=A4, title=src.body[0] if src.body else "").build(flow)
    return True


def unit_report(unit_name: str, year: int, month: int) -> Source:
    """A commune's own monthly report on the ideology form, written as clerks write it (figures inside sentences):
    what the tour uploads for its figures to be read back and confirmed."""
    kind, _, place = unit_name.partition(" ")
    after = (year + month // 12, month % 12 + 1)
    header = [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
              (unit_name.upper(), "Độc lập - Tự do - Hạnh phúc"),
              (f"Số: {month + 40}/BC-UBND", f"{place}, ngày 03 tháng {after[1]:02d} năm {after[0]}")]
    body = ["BÁO CÁO", f"Kết quả công tác bảo vệ nền tảng tư tưởng của Đảng tháng {month} năm {year}", "",
            f"Ủy ban nhân dân {kind.lower()} {place} báo cáo kết quả tháng {month} năm {year} như sau:", "",
            "I. KẾT QUẢ ĐẤU TRANH BẢO VỆ NỀN TẢNG TƯ TƯỞNG CỦA ĐẢNG", "",
            "1. Số bài đấu tranh, phản bác được công khai trên báo, đài, tạp chí: 04 bài.",
            "2. Trên Internet, mạng xã hội", "a) Số bài đấu tranh, phản bác: 17 bài.",
            "b) Số lượt chia sẻ, quan tâm: 1.350 lượt.",
            "3. Tổng số bình luận đấu tranh, phản bác: 52 bình luận.",
            "4. Kết quả đấu tranh, ngăn chặn, xử lý: Không có.", "",
            "III. PHƯƠNG HƯỚNG, GIẢI PHÁP THỜI GIAN TỚI", "",
            "Tiếp tục tuyên truyền các văn bản của Đảng, Nhà nước trên hệ thống truyền thanh và trang thông tin "
            "điện tử của đơn vị."]
    signature = [("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"), ("- UBND tỉnh (b/c),", "CHỦ TỊCH"), ("- Lưu: VT.", "")]
    return Source(header=header, body=body, signature=signature)


def build(dest_dir: Path) -> list[Path]:
    """Write every sample document into DEST_DIR (PDF falls back to TXT without reportlab); returns the files."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for source in sorted(SOURCES.glob("*.txt")):
        src, stem = parse_source(source.read_text(encoding="utf-8")), source.stem
        if stem in AS_DOCX:
            path = dest_dir / f"{stem}.docx"
            write_docx(src, path)
        elif stem == AS_PDF and write_pdf(src, dest_dir / f"{stem}.pdf"):
            path = dest_dir / f"{stem}.pdf"
        elif stem == AS_TCVN3:
            from tonghop.text.legacy import encode_tcvn3

            path = dest_dir / f"{stem}.txt"
            data = encode_tcvn3(to_text(src))
            path.write_bytes(data if isinstance(data, bytes) else data.encode("latin-1"))
        else:
            path = dest_dir / f"{stem}.txt"
            text = to_text(src)
            path.write_text(unicodedata.normalize("NFD", text) if stem == AS_NFD else text, encoding="utf-8")
        written.append(path)
    return written
