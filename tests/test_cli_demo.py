import sqlite3

from typer.testing import CliRunner

from tonghop.cli import app


def test_demo_builds_archive_and_province_and_exits(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "Cây dẫn chiếu" in result.output
    db = sqlite3.connect(tmp_path / "tonghop-demo.db")
    assert db.execute("select count(*) from documents").fetchone()[0] >= 15
    assert db.execute("select count(*) from submissions").fetchone()[0] > 100
    assert db.execute("select count(*) from citations where target_id is not null").fetchone()[0] >= 3
    assert "baocao.xa" in result.output
    line = next(line for line in result.output.splitlines() if "baocao.xa" in line)
    assert "Cán bộ báo cáo" in line and "reporter" not in line  # roles by their Vietnamese names
    assert not {"admin", "approver", "viewer"} & set(result.output.split())
    assert "Báo cáo mẫu của xã" in result.output and list(tmp_path.glob("bao-cao-thang-11-2026-*.docx"))
