"""`tonghop backup` / `tonghop restore`: a consistent copy of a live database, restored into a fresh one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

import pg
from tonghop.cli import app
from tonghop.db import migrate
from tonghop.db.backup import libpq_args
from tonghop.services import archive, backup, submissions, templates, units

runner = CliRunner()
TPL = "bc-tu-tuong-thang"
UNITS = """
units:
  - {code: H, name: UBND huyện Thử, kind: district}
  - {code: X1, name: Xã Một, kind: commune, parent: H}
  - {code: X2, name: Xã Hai, kind: commune, parent: H}
"""
DOCS = {
    "kh.txt": "ỦY BAN NHÂN DÂN\nXÃ AN BÌNH\nSố: 12/KH-UBND\nAn Bình, ngày 3 tháng 2 năm 2024\nKẾ HOẠCH\n"
              "Chuyển đổi số năm 2024\nPhát triển hạ tầng số ở 12 thôn.\n",
    "bc.txt": "ỦY BAN NHÂN DÂN\nXÃ AN BÌNH\nSố: 30/BC-UBND\nAn Bình, ngày 5 tháng 3 năm 2024\nBÁO CÁO\n"
              "Kết quả phòng, chống thiên tai\nHuy động 230 người diễn tập phòng chống lụt bão.\n",
}
NOW = datetime(2023, 11, 15, 9, tzinfo=UTC)


def _save(url: str, unit: str, based_on: int | None, action: str = "edit") -> None:
    submissions.save_submission(unit, TPL, "2023M11", {"bai_internet_mxh": 10 + (based_on or 0)}, action=action,
                                based_on=based_on, narrative={"III": "Tiếp tục."}, now=NOW, url=url)


@pytest.fixture
def filled(db_url, tmp_path):
    for name, body in DOCS.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    assert archive.ingest_paths([str(tmp_path / n) for n in DOCS], url=db_url).added == 2
    (tmp_path / "units.yaml").write_text(UNITS, encoding="utf-8")
    units.import_units_file(tmp_path / "units.yaml", url=db_url)
    templates.assign(TPL, kinds=["commune"], url=db_url)
    _save(db_url, "X1", None, action="submit")
    return db_url


@pytest.fixture
def fresh(tmp_path):
    """A second, empty database (nothing migrated) to restore into."""
    server = pg.server_url()
    if not server:
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    url = pg.create_database(server)
    yield url
    pg.drop_database(url)


def _query(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _suffix(url: str) -> str:
    return ".dump" if pg.is_postgres(url) else ".db"


def test_backup_while_writing_restores_a_consistent_copy(filled, fresh, tmp_path):
    errors: list[BaseException] = []
    written = threading.Event()
    stop = threading.Event()

    def writer() -> None:
        version = None
        try:
            while not stop.is_set():
                _save(filled, "X2", version)
                version = (version or 0) + 1
                written.set()
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
            written.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert written.wait(30)
        report = backup.backup_database(tmp_path / f"copy{_suffix(filled)}", url=filled)
    finally:
        stop.set()
        thread.join(30)
    assert errors == []
    restored = backup.restore_database(report.path, url=fresh)
    assert (restored.documents, restored.submissions, restored.tables) == (report.documents, report.submissions,
                                                                            report.tables)
    assert (report.documents, report.submissions) == (2, 2)
    # Every submission has all its versions, and its latest one, in the copy.
    rows = _query(fresh, "SELECT s.version, count(v.id), max(v.number), "
                         "sum(CASE WHEN v.id = s.latest_version_id THEN 1 ELSE 0 END) "
                         "FROM submissions s JOIN submission_versions v ON v.submission_id = s.id GROUP BY s.id")
    assert len(rows) == 2 and all(r[0] == r[1] == r[2] and r[3] == 1 for r in rows)
    hits = [(h.id, h.title) for h in archive.search("thien tai", url=fresh).hits]
    assert hits and hits == [(h.id, h.title) for h in archive.search("thien tai", url=filled).hits]
    head = ScriptDirectory.from_config(migrate.alembic_config(fresh)).get_current_head()
    assert _query(fresh, "SELECT version_num FROM alembic_version") == [(head,)]


def test_restore_refuses_a_database_with_data_unless_forced(filled, tmp_path):
    path = tmp_path / f"copy{_suffix(filled)}"
    done = runner.invoke(app, ["backup", str(path)])
    assert done.exit_code == 0 and "2 văn bản, 1 báo cáo" in done.output
    _save(filled, "X2", None)
    refused = runner.invoke(app, ["restore", str(path)])
    assert refused.exit_code == 2 and "đã có dữ liệu" in refused.output and "--force" in refused.output
    assert _query(filled, "SELECT count(*) FROM submissions") == [(2,)]
    forced = runner.invoke(app, ["restore", str(path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert _query(filled, "SELECT count(*) FROM submissions") == [(1,)]
    assert [h.title for h in archive.search("chuyen doi so", url=filled).hits]


def test_restore_names_a_file_that_is_not_a_backup(db_url, tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    done = runner.invoke(app, ["restore", str(path)])
    assert done.exit_code == 2 and "notes.db" in done.output and "không phải bản sao lưu" in done.output


def test_password_goes_to_the_environment_not_the_command_line():
    uri, env = libpq_args("postgresql+psycopg://tonghop:b%40d@db.example:5433/tonghop")
    assert uri == "postgresql://tonghop@db.example:5433/tonghop"
    assert env["PGPASSWORD"] == "b@d"
