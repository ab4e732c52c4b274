"""Fuzzing read_document: whatever the bytes, it returns a Document or raises ReadError, and finishes quickly."""

from __future__ import annotations

import os
import time
import zipfile
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures_docs import W_NS, make_docx, make_html, make_pdf, rewrite_zip
from tonghop.documents.errors import ReadError
from tonghop.documents.model import Document
from tonghop.documents.read import read_document

SUFFIXES = [".txt", ".docx", ".pdf", ".html", ".htm", ".doc", ".bin", ""]
FUZZ = settings(
    max_examples=int(os.environ.get("TONGHOP_FUZZ_EXAMPLES", "150")),  # raise it for a long local run
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
PER_READ_SECONDS = 5.0


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def samples(workdir) -> dict[str, bytes]:
    """Valid files of every format, as bytes, keyed by suffix."""
    docx = make_docx(
        workdir / "s.docx",
        ["BÁO CÁO", "Kết quả thực hiện[^1] năm 2023", "Tổng cộng 6.000 phút"],
        tables=[(1, [["STT", "Chỉ tiêu"], ["1", "09 lớp"]])],
        footnotes=["Hội nghị ngày 24/4/2023"],
        header="UBND HUYỆN",
    )
    pdf = make_pdf(
        workdir / "s.pdf",
        ["ỦY BAN NHÂN DÂN", "BÁO CÁO", "Kết quả[^1] năm 2023"] * 4,
        lines_per_page=4,
        compress=False,
        tables=[(1, [["Chỉ tiêu", "Kết quả"], ["Số lớp", "09"]])],
        footnotes=["Hội nghị"],
    )
    html = make_html(workdir / "s.html", "<h1>Tin</h1><p>Đạt 65,9%</p><table><tr><td>a</td><td>b</td></tr></table>")
    txt = workdir / "s.txt"
    txt.write_text("BÁO CÁO\nSố: 12/BC-UBND\nKết quả đạt 91,2%\n", encoding="utf-8")
    return {p.suffix: p.read_bytes() for p in (docx, pdf, html, txt)}


def read_checked(path) -> Document | None:
    """Read PATH; only ReadError (naming PATH) may escape, and the read must finish in time."""
    start = time.monotonic()
    try:
        doc = read_document(path, pdf_timeout=PER_READ_SECONDS)
    except ReadError as err:
        assert err.path == str(path) and err.reason
        doc = None
    else:
        assert isinstance(doc, Document)
        assert all(isinstance(b.text, str) for b in doc.blocks)
    assert time.monotonic() - start < PER_READ_SECONDS + 2
    return doc


@pytest.mark.timeout(60)
@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(workdir, data, suffix):
    path = workdir / f"random{suffix}"
    path.write_bytes(data)
    read_checked(path)


@pytest.mark.timeout(60)
@FUZZ
@given(suffix=st.sampled_from([".docx", ".pdf", ".html", ".txt"]), cut=st.floats(0, 1))
def test_truncated_files(workdir, samples, suffix, cut):
    raw = samples[suffix]
    path = workdir / f"cut{suffix}"
    path.write_bytes(raw[: int(len(raw) * cut)])
    read_checked(path)


@pytest.mark.timeout(60)
@FUZZ
@given(
    suffix=st.sampled_from([".docx", ".pdf", ".html", ".txt"]),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), min_size=1, max_size=8),
)
def test_bit_flipped_files(workdir, samples, suffix, flips):
    raw = bytearray(samples[suffix])
    for where, bit in flips:
        raw[int(where * len(raw))] ^= 1 << bit
    path = workdir / f"flip{suffix}"
    path.write_bytes(bytes(raw))
    read_checked(path)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("stride", [7, 31, 101, 509])
def test_deterministic_byte_overwrites(workdir, samples, stride):
    """Zero every STRIDE-th byte in a sliding window: damages headers, compressed data and XML in turn."""
    for suffix, raw in samples.items():
        for offset in range(0, len(raw), max(len(raw) // 6, 1)):
            mutated = bytearray(raw)
            for i in range(offset, min(offset + 64 * stride, len(raw)), stride):
                mutated[i] = 0
            path = workdir / f"zero{suffix}"
            path.write_bytes(bytes(mutated))
            read_checked(path)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b"]>"
)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("member", ["word/footnotes.xml", "word/endnotes.xml", "word/document.xml"])
def test_billion_laughs(workdir, samples, member):
    root = "footnotes" if "foot" in member else "endnotes" if "end" in member else "document"
    xml = BILLION_LAUGHS + f'<w:{root} xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>'.encode()
    xml += f"</w:body></w:{root}>".encode()
    path = workdir / "laughs.docx"
    path.write_bytes(samples[".docx"])
    rewrite_zip(path, {member: xml})
    doc = read_checked(path)
    assert doc is None or "lollollol" not in doc.text


@pytest.mark.timeout(30)
@pytest.mark.parametrize("depth", [40, 400, 5000])
def test_deeply_nested_tables(workdir, samples, depth):
    cell_open, cell_close = "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>"
    body = cell_open * depth + "<w:p><w:r><w:t>đáy</w:t></w:r></w:p>" + cell_close * depth
    xml = f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>đầu</w:t></w:r></w:p>{body}</w:body></w:document>'
    path = workdir / "nested.docx"
    path.write_bytes(samples[".docx"])
    rewrite_zip(path, {"word/document.xml": xml.encode()})
    doc = read_checked(path)
    if doc is not None:
        assert "đầu" in doc.text and "đáy" not in doc.text and any("lồng" in w for w in doc.warnings)


@pytest.mark.timeout(30)
def test_deeply_nested_footnote_xml(workdir, samples):
    inner = "<w:p>" * 20000 + "</w:p>" * 20000
    xml = f'<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1">{inner}</w:footnote></w:footnotes>'
    path = workdir / "deepnote.docx"
    path.write_bytes(samples[".docx"])
    rewrite_zip(path, {"word/footnotes.xml": xml.encode()})
    read_checked(path)


DOCX_PARTS = [
    "word/document.xml",
    "word/footnotes.xml",
    "word/styles.xml",
    "word/_rels/document.xml.rels",
    "[Content_Types].xml",
    "word/header1.xml",
]


@pytest.mark.timeout(60)
@FUZZ
@given(
    member=st.sampled_from(DOCX_PARTS),
    start=st.floats(0, 1),
    length=st.integers(0, 40),
    insert=st.binary(max_size=12) | st.sampled_from([b"<w:tbl>", b"</w:p>", b"&lol;", b'w:id="-7"', b"\xff\xfe"]),
)
def test_mutated_docx_parts(workdir, samples, member, start, length, insert):
    """Damage the XML inside the package (the zip itself stays valid, so the XML parsers see the damage)."""
    path = workdir / "part.docx"
    path.write_bytes(samples[".docx"])
    with zipfile.ZipFile(path) as zf:
        if member not in zf.namelist():
            return
        xml = zf.read(member)
    at = int(start * len(xml))
    rewrite_zip(path, {member: xml[:at] + insert + xml[at + length :]})
    read_checked(path)


HTML_TOKENS = [
    "<div class='nav'>",
    "<div id='comment-list'>",
    "<div>",
    "</div>",
    "<article>",
    "</article>",
    "<main>",
    "</main>",
    "<header>",
    "</header>",
    "<footer>",
    "<h1>",
    "</h1>",
    "<p>",
    "</p>",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<th>",
    "<ul>",
    "<li>",
    "</ul>",
    "<script>",
    "</script>",
    "<nav>",
    "</nav>",
    "<aside>",
    "<pre>",
    "</pre>",
    "<br>",
    "<form>",
    "<span class='share'>",
    "</span>",
    "Báo cáo ",
    "số 12/BC-UBND ",
    "&amp;",
    "&nbsp;",
    "\n",
    "<!--",
    "-->",
    "<meta charset='windows-1258'>",
    "<template>",
    "<svg>",
    "<select>",
    "<option>",
]


@pytest.mark.timeout(60)
@FUZZ
@given(tokens=st.lists(st.sampled_from(HTML_TOKENS), max_size=300), nav=st.booleans())
def test_random_html_structure(workdir, tokens, nav):
    """Chrome removal frees nodes: odd structures must not crash the parser or lose the reader's guarantees."""
    path = make_html(workdir / "random.html", "".join(tokens), nav=nav, main_tag="")
    doc = read_checked(path)
    assert doc is not None
