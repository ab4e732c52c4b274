"""The archive commands: ingest (exit 2 naming bad files), search, show and cites, with --json."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tonghop.cli import app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH LAM GIANG
Số: 245/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Lam Giang, ngày 20 tháng 4 năm 2021

KẾ HOẠCH
Thực hiện Nghị quyết số 12-NQ/TU ngày 15/3/2021 của Ban Thường vụ Tỉnh ủy về công tác tuyên truyền

1. Tổ chức 20 lớp bồi dưỡng cho 1.200 cán bộ.
"""
REPORT = """ỦY BAN NHÂN DÂN
XÃ TÂN HÒA
Số: 35/BC-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Tân Hòa, ngày 10 tháng 12 năm 2021

BÁO CÁO
Kết quả thực hiện Kế hoạch số 245/KH-UBND ngày 20/4/2021 của Ủy ban nhân dân tỉnh

1. Đã phát 48 tin, bài tuyên truyền về Đảng.
"""

runner = CliRunner()


def _folder(tmp_path):
    (tmp_path / "kh.txt").write_text(PLAN, encoding="utf-8")
    (tmp_path / "bc.txt").write_text(REPORT, encoding="utf-8")
    return tmp_path


def _ingest(tmp_path) -> dict:
    result = runner.invoke(app, ["ingest", str(_folder(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_json_reports_counts(tmp_path, db_url):
    data = _ingest(tmp_path)
    assert (data["added"], data["skipped"], data["failed"]) == (2, 0, 0)
    again = json.loads(runner.invoke(app, ["ingest", str(tmp_path), "--json"]).stdout)
    assert (again["added"], again["skipped"]) == (0, 2)


def test_ingest_bad_file_exits_2_with_one_line_naming_it(tmp_path, db_url):
    _folder(tmp_path)
    (tmp_path / "hong.docx").write_bytes(b"PK\x03\x04 not a real docx")
    result = runner.invoke(app, ["ingest", str(tmp_path)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if "hong.docx" in line]
    assert len(lines) == 1 and lines[0].startswith(str(tmp_path / "hong.docx") + ": ")
    assert "Thêm mới" in result.stdout


def test_search_json_finds_without_diacritics(tmp_path, db_url):
    _ingest(tmp_path)
    result = runner.invoke(app, ["search", "tuyen truyen", "--type", "BC", "--json"])
    data = json.loads(result.stdout)
    assert [h["number"] for h in data["hits"]] == ["35/BC-UBND"]
    hit = data["hits"][0]
    assert {hit["snippet"][a:b] for a, b in hit["highlights"]} == {"tuyên", "truyền"}


def test_search_plain_output_and_no_hits(tmp_path, db_url):
    _ingest(tmp_path)
    assert "245/KH-UBND" in runner.invoke(app, ["search", "kế hoạch 245"]).stdout
    assert "Không tìm thấy" in runner.invoke(app, ["search", 'NEAR("x']).stdout


def test_show_and_cites_json(tmp_path, db_url):
    ids = _ingest(tmp_path)["document_ids"]
    report_id, plan_id = ids  # bc.txt sorts before kh.txt
    shown = json.loads(runner.invoke(app, ["show", str(report_id), "--json"]).stdout)
    assert [(c["number"], c["target_id"]) for c in shown["cites"]] == [("245/KH-UBND", plan_id)]
    tree = json.loads(runner.invoke(app, ["cites", str(plan_id), "--depth", "2", "--json"]).stdout)
    assert [n["id"] for n in tree["down"]] == [report_id]
    assert [n["number"] for n in tree["up"]] == ["12-NQ/TU"] and tree["up"][0]["id"] is None


def test_cites_tree_and_show_plain(tmp_path, db_url):
    ids = _ingest(tmp_path)["document_ids"]
    tree = runner.invoke(app, ["cites", str(ids[1])])
    assert tree.exit_code == 0 and "35/BC-UBND" in tree.stdout and "chưa có trong kho" in tree.stdout
    assert "Văn bản được dẫn" in runner.invoke(app, ["show", str(ids[0])]).stdout


def test_show_unknown_id_exits_1(db_url):
    result = runner.invoke(app, ["show", "999"])
    assert result.exit_code == 1 and "999" in result.stderr
