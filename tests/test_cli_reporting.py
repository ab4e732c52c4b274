"""Reporting CLI: units, templates, assign, submit (JSON, XLSX, report), status, submissions, consolidate."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tonghop.cli import app

runner = CliRunner()
TPL = "bc-tu-tuong-thang"
UNITS = """units:
  - {code: H, name: UBND huyện Thử, kind: district}
  - {code: X1, name: Xã Một, kind: commune, parent: H}
  - {code: X2, name: Xã Hai, kind: commune, parent: H}
"""
REPORT = """I. KẾT QUẢ
1. Số bài đấu tranh, phản bác được công khai trên báo, đài, tạp chí.
 - Không có.
2. Số bài đấu tranh, phản bác trên Intrenet, mạng xã hội và số lượt bài chia sẻ, quan tâm.
 - Có 9 tin bài được đăng lên trang thông tin điện tử của xã.
3. Tổng số bình luận đấu tranh, phản bác trên Intrenet, mạng xã hội.
 - Không có.
III. PHƯƠNG HƯỚNG, GIẢI PHÁP THỜI GIAN TỚI
Tiếp tục tuyên truyền.
"""


def _run(*args, input=None):
    return runner.invoke(app, [str(a) for a in args], input=input)


def _json(*args):
    result = _run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def desk(db_url, tmp_path):
    (tmp_path / "u.yaml").write_text(UNITS, encoding="utf-8")
    assert _run("units", "import", tmp_path / "u.yaml").exit_code == 0
    assert _run("assign", TPL, "--kind", "commune").exit_code == 0
    return tmp_path


def _submit_json(tmp_path, unit, values):
    path = tmp_path / f"{unit}.json"
    path.write_text(json.dumps({"values": values, "narrative": {"III": "Tiếp tục."}}), encoding="utf-8")
    return _run("submit", unit, TPL, "2023M11", "--json", path)


def test_units_list_json(desk):
    assert _json("units", "list") == [{"code": "H", "name": "UBND huyện Thử", "kind": "district", "parent": None},
                                      {"code": "X1", "name": "Xã Một", "kind": "commune", "parent": "H"},
                                      {"code": "X2", "name": "Xã Hai", "kind": "commune", "parent": "H"}]


def test_templates_list_json(desk):
    codes = [t["code"] for t in _json("templates", "list")]
    assert TPL in codes and len(codes) == 3


def test_submit_status_submissions_consolidate(desk):
    assert _submit_json(desk, "X1", {"bai_internet_mxh": 5}).exit_code == 0
    assert _json("status", TPL, "2023M11")["missing"] == ["X2"]
    rows = _json("submissions", TPL, "2023M11")
    assert [(r["unit"], r["version"], r["values"]) for r in rows] == [("X1", 1, {"bai_internet_mxh": 5})]
    result = _json("consolidate", "H", TPL, "2023M11")
    assert next(i for i in result["indicators"] if i["code"] == "bai_internet_mxh")["value"] == 5


def test_conflict_exits_2_with_message(desk):
    _submit_json(desk, "X1", {"bai_internet_mxh": 5})
    result = _submit_json(desk, "X1", {"bai_internet_mxh": 6})
    assert result.exit_code == 2 and "phiên bản 1" in result.output


def test_xlsx_form_bad_cell_by_address(desk):
    path = desk / "form.xlsx"
    assert _run("form", "X1", TPL, "2023M11", "--xlsx", path).exit_code == 0
    wb = load_workbook(path)
    ws = wb["Biểu mẫu"]
    row = next(r for r in range(1, ws.max_row + 1) if ws[f"F{r}"].value == "binh_luan")
    ws[f"C{row}"] = "12,5,3"
    wb.save(path)
    result = _run("submit", "X1", TPL, "2023M11", "--xlsx", path)
    assert result.exit_code == 2 and f"C{row}: '12,5,3' không phải là số" in result.output


def test_report_needs_confirmation(desk):
    report = desk / "bc.txt"
    report.write_text(REPORT, encoding="utf-8")
    refused = _run("submit", "X2", TPL, "2023M11", "--report", report, input="n\n")
    assert refused.exit_code == 1 and "9" in refused.output
    assert _json("submissions", TPL, "2023M11") == []
    accepted = _run("submit", "X2", TPL, "2023M11", "--report", report, "--accept")
    assert accepted.exit_code == 0, accepted.output
    assert _json("submissions", TPL, "2023M11")[0]["values"]["bai_internet_mxh"] == 9


def test_unknown_template_exits_2(desk):
    result = _run("status", "nope", "2023M11")
    assert result.exit_code == 2 and "nope" in result.output


def test_consolidate_writes_docx_xlsx_chart(desk):
    _submit_json(desk, "X1", {"bai_internet_mxh": 5})
    out = {ext: desk / "out" / f"th.{ext}" for ext in ("docx", "xlsx", "png")}
    result = _run("consolidate", "H", TPL, "2023M11", "--docx", out["docx"], "--xlsx", out["xlsx"],
                  "--chart", out["png"])
    assert result.exit_code == 0, result.output
    assert all(p.stat().st_size > 1000 for p in out.values())


def test_units_import_province_and_lineage(db_url):
    imported = _json("units", "import", "--province", "Lai Châu")
    assert imported["province"] == "Tỉnh Lai Châu" and imported["events"] > 0
    old = _json("units", "list", "--at", "2025-06-30")
    commune = next(u for u in old if u["kind"] in ("commune", "ward"))
    lineage = _json("units", "lineage", commune["code"])
    assert lineage["events"][0]["date"] == "2025-07-01"
    today = {u["code"] for u in _json("units", "list")}
    assert set(lineage["successors"]) <= today


def test_units_list_bad_date(db_url):
    result = _run("units", "list", "--at", "30/06/2025")
    assert result.exit_code == 2 and "30/06/2025" in result.output


def test_versions_lists_every_save(desk):
    _submit_json(desk, "X1", {"bai_internet_mxh": 5})
    assert _run("review", "X1", TPL, "2023M11", "return", "--based-on", "1", "--comment", "Thiếu 2.b").exit_code == 0
    rows = _json("versions", "X1", TPL, "2023M11")
    assert [(r["version"], r["state"], r["comment"]) for r in rows] == [(1, "submitted", None),
                                                                       (2, "returned", "Thiếu 2.b")]


def test_holiday_command(desk):
    assert _run("holiday", "2023-11-16", "--name", "Nghỉ bù").exit_code == 0
    assert _run("holiday", "16/11/2023").exit_code == 2


def test_consolidate_chart_with_nothing_filed_says_so(desk):
    result = _run("consolidate", "X1", TPL, "2023M11", "--chart", desk / "c.png")
    assert result.exit_code == 0 and "Biểu đồ chưa có số liệu" in result.output
    assert (desk / "c.png").read_bytes()[:4] == b"\x89PNG"
