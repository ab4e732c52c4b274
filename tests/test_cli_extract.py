"""`tonghop extract FILE [--json]`: one JSON object, a Vietnamese summary, exit status 2 for unreadable files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tonghop.cli import app

runner = CliRunner()
CORPUS = Path(__file__).parent / "data" / "extract"


def test_json_is_exactly_one_object_in_nfc():
    result = runner.invoke(app, ["extract", str(CORPUS / "f24-nfd.txt"), "--json"])
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    assert (facts["doc_type"], facts["number"], facts["date"]) == ("BC", "190/BC-UBND", "2023-06-22")
    assert "ỦY BAN NHÂN DÂN" in result.stdout  # ensure_ascii=False, composed
    assert facts["signer"]["name"] == "Đặng Thị Hoàng Yến"


def test_summary_in_vietnamese():
    result = runner.invoke(app, ["extract", str(CORPUS / "f05-party-kh.txt")])
    assert result.exit_code == 0, result.output
    assert "Số, ký hiệu" in result.stdout and "88-KH/HU" in result.stdout
    assert "Người ký" in result.stdout and "Nguyễn Minh Hồng" in result.stdout


def test_missing_file_exits_2_with_one_line(tmp_path):
    missing = tmp_path / "khong-co.txt"
    result = runner.invoke(app, ["extract", str(missing), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(str(missing) + ": ")


def test_a_directory_is_not_a_document(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(str(tmp_path) + ": ")


def test_news_item_summary_says_it_has_no_header():
    result = runner.invoke(app, ["extract", str(CORPUS / "f13-news-no-header.txt")])
    assert result.exit_code == 0, result.output
    assert "không có phần đầu văn bản" in result.stdout and "15-CT/TW" in result.stdout
