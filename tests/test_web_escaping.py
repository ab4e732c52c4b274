"""Stored XSS: script tags, attribute breakouts and javascript: URLs stored in documents, unit names, template
titles and labels, user names, return comments and narrative come back only as escaped text on every page that
shows them, and as plain text (never markup or formulas) in the generated DOCX and XLSX."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook

import pg
from accounts_fixtures import PASSWORD, log_in, make_client
from tonghop.services import accounts, archive, forms, submissions, templates, units

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
FORMULA = '=HYPERLINK("http://x.invalid","bấm")'
TPL, PERIOD = "xss-mau", "2026M10"
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;", JS_URL)
DOC = f"""ỦY BAN NHÂN DÂN
XÃ TÂN HÒA
Số: 88/BC-UBND
Tân Hòa, ngày 02 tháng 5 năm 2021
BÁO CÁO
Về công tác tuyên truyền {SCRIPT} tháng 5 {BREAKOUT}
Ủy ban nhân dân xã báo cáo công tác tuyên truyền¹ xem {JS_URL} và {SCRIPT} như sau: đã tổ chức 12 hội nghị.
Nơi nhận:
- {SCRIPT};
- {BREAKOUT};
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn {BREAKOUT} An
¹ Chú thích {SCRIPT} {JS_URL}
"""


def _template_yaml() -> str:
    builtin = Path(templates.__file__).parents[1] / "regime" / "builtin" / "bc-tu-tuong-thang.yaml"
    data = yaml.safe_load(builtin.read_text(encoding="utf-8"))
    data.update(code=TPL, name=f"Mẫu {SCRIPT}", subject=f"Chủ đề {BREAKOUT}", unit_kinds=["commune"])
    data["indicators"][0].update(name=f"Chỉ tiêu {SCRIPT}", unit=f"bài {BREAKOUT}")
    data["indicators"][1].update(name=FORMULA)
    data["sections"][1]["title"] = f"Mục {BREAKOUT} {JS_URL}"
    return yaml.safe_dump(data, allow_unicode=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory, _pg_template):
    """A database holding every payload, and logged-in clients for the reporter, the approver and the admin."""
    folder = tmp_path_factory.mktemp("xss")
    url = pg.seed_url(folder)
    tree = {"units": [{"code": "T01", "name": f"Tỉnh {SCRIPT}", "kind": "province"},
                      {"code": "H01", "name": f"Huyện {BREAKOUT}", "kind": "district", "parent": "T01"},
                      {"code": "X01", "name": f"{FORMULA} xã {JS_URL}", "kind": "commune", "parent": "H01"}]}
    (folder / "u.yaml").write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    units.import_units_file(folder / "u.yaml", url=url)
    (folder / "t.yaml").write_text(_template_yaml(), encoding="utf-8")
    templates.import_template(folder / "t.yaml", url=url)
    templates.assign(TPL, kinds=["commune"], url=url)
    for name, unit, role, full in (("xa", "X01", "reporter", f"Cán bộ {SCRIPT}"),
                                   ("huyen", "H01", "approver", f"Trưởng {BREAKOUT}"),
                                   ("qt", "T01", "admin", f"{FORMULA} {JS_URL}")):
        accounts.create_user(name, PASSWORD, unit=unit, role=role, full_name=full, url=url)
    narrative = {s: f"{FORMULA} nội dung {SCRIPT} {BREAKOUT} {JS_URL}" for s in ("I", "II", "III", "IV")}
    submissions.save_submission("X01", TPL, PERIOD, {"binh_luan": 4}, narrative=narrative, author="xa", url=url)
    submissions.review("X01", TPL, PERIOD, "return", based_on=1, author="huyen",
                       comment=f"Trả lại: {SCRIPT} {BREAKOUT} {JS_URL}", url=url)
    doc = folder / "docs" / f"bao-cao {BREAKOUT[2:]}.txt"
    doc.parent.mkdir()
    doc.write_text(DOC, encoding="utf-8")
    (doc_id,) = archive.ingest_paths([str(doc)], url=url).document_ids
    accounts.audit("qt", "archive.ingest", f"upload:{SCRIPT}", None, {"files": [BREAKOUT]}, url=url)
    clients = {}
    for name in ("xa", "huyen", "qt"):
        clients[name] = make_client(url).__enter__()
        log_in(clients[name], name)
    yield url, doc_id, clients
    for client in clients.values():
        client.__exit__(None, None, None)


def assert_escaped(html: str) -> None:
    """No payload survives as markup; at least one shows as escaped text (so the page did display it)."""
    for raw in ("<script>alert", "<img src=x", "onerror=alert(1)>"):
        assert raw not in html, html[max(0, html.find(raw) - 200): html.find(raw) + 100]
    assert not re.search(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", html, re.I)
    assert any(e in html for e in ESCAPED), "the page shows none of the stored payloads"


ENTRY = f"/bao-cao/X01/{TPL}/{PERIOD}"
PAGES = [("xa", "/"), ("xa", "/viec-can-lam"), ("xa", ENTRY), ("xa", ENTRY + "/lich-su"), ("xa", "/don-vi"),
         ("xa", "/don-vi/X01"), ("huyen", "/"), ("huyen", f"/tong-hop/H01/{TPL}/{PERIOD}"), ("huyen", "/tong-hop"),
         ("huyen", "/don-vi/H01"), ("qt", "/quan-tri/don-vi"), ("qt", "/quan-tri/mau-bao-cao"),
         ("qt", f"/quan-tri/mau-bao-cao/{TPL}"), ("qt", "/quan-tri/giao-bao-cao"), ("qt", "/quan-tri/nguoi-dung"),
         ("qt", "/quan-tri/nhat-ky"), ("xa", "/kho-van-ban"), ("xa", "/kho-van-ban?q=tuyen+truyen+script"),
         ("xa", "/kho-van-ban?q=alert+img+onerror")]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_page_shows_payloads_only_escaped(site, who, path):
    _, _, clients = site
    page = clients[who].get(path)
    assert page.status_code == 200, path
    assert_escaped(page.text)


def test_document_page_escapes_every_field(site):
    url, doc_id, clients = site
    doc = archive.show_document(doc_id, url=url)
    assert SCRIPT in doc["subject"] and SCRIPT in doc["text"]
    page = clients["xa"].get(f"/van-ban/{doc_id}").text
    assert_escaped(page)
    assert page.count(ESCAPED[0]) >= 3 and ESCAPED[1] in page


def test_search_snippet_marks_are_the_only_markup(site):
    _, doc_id, clients = site
    page = clients["xa"].get("/kho-van-ban", params={"q": "script alert"}).text
    assert f'/van-ban/{doc_id}"' in page
    assert "<mark>script</mark>&gt;<mark>alert</mark>(1)" in page
    tags = set(re.findall(r"<(/?\w+)", page.split("<main", 1)[1]))
    assert not tags & {"script", "img", "/script", "iframe", "svg"}


def test_htmx_fragments_escape_too(site):
    _, _, clients = site
    page = clients["xa"].get("/kho-van-ban", params={"q": "tuyen truyen"}, headers={"HX-Request": "true"})
    assert "<html" not in page.text
    assert_escaped(page.text)


def _docx_text(raw: bytes) -> str:
    doc = Document(io.BytesIO(raw))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_consolidated_docx_holds_payloads_as_text(site):
    _, _, clients = site
    response = clients["huyen"].get(f"/tong-hop/H01/{TPL}/{PERIOD}/tai/docx")
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert SCRIPT in text and BREAKOUT in text


def _formula_cells(raw: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(raw))
    return [f"{ws.title}!{c.coordinate}: {c.value}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def test_consolidated_xlsx_holds_payloads_as_text(site):
    _, _, clients = site
    response = clients["huyen"].get(f"/tong-hop/H01/{TPL}/{PERIOD}/tai/xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    values = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(SCRIPT in v for v in values)
    assert _formula_cells(response.content) == []


def test_form_xlsx_writes_text_never_formulas(site, tmp_path):
    url, _, clients = site
    response = clients["xa"].get(f"{ENTRY}/bieu-mau.xlsx")
    assert response.status_code == 200
    assert _formula_cells(response.content) == []
    path = tmp_path / "form.xlsx"
    path.write_bytes(response.content)
    content = forms.read_form(path, url=url)
    assert content.narrative["I"].startswith(FORMULA) and SCRIPT in content.narrative["I"]
