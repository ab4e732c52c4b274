"""PostgreSQL-specific checks: migrations both ways, search parity with SQLite, folded đ, sequences after bulk ids."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, select

import pg
from tonghop.db import archive_repo, migrate, reporting_bulk
from tonghop.db.reporting import SubmissionRow
from tonghop.services import archive
from tonghop.services.context import transaction
from tonghop.text.fold import fold

pytestmark = pytest.mark.skipif(not pg.server_url(), reason="no PostgreSQL server (set TONGHOP_TEST_PG_URL)")

# (subject, body): term frequencies differ so the ranking is not a tie.
CORPUS = [
    ("Kết quả công tác tuyên truyền năm 2023", "Phát 512 tin bài bảo vệ nền tảng tư tưởng của Đảng."),
    ("Kế hoạch chuyển đổi số", "Chuyển đổi số ở xã; chuyển đổi số ở huyện; hạ tầng số cho mọi thôn."),
    ("Báo cáo phòng, chống thiên tai", "Huy động 230 người diễn tập phòng chống thiên tai và lụt bão."),
    ("Công văn về tuyên truyền", "Đề nghị báo cáo kết quả chuyển đổi số và công tác xây dựng Đảng."),
    ("Nghị quyết về xây dựng Đảng", "Xây dựng Đảng trong sạch vững mạnh; Đảng bộ xã lãnh đạo chuyển đổi số."),
]
QUERIES = ["chuyen doi so", "dang", "tuyen truyen", "thien tai", "xay dung dang", "ket qua"]


@pytest.fixture
def pg_db():
    """An empty PostgreSQL database (no migrations applied), dropped afterwards."""
    url = pg.create_database(pg.server_url())
    yield url
    pg.drop_database(url)


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_upgrade_downgrade_upgrade(pg_db):
    migrate.upgrade(pg_db)
    tables = _tables(pg_db)
    assert {"documents", "documents_fts", "submissions", "units"} <= tables
    migrate.downgrade(pg_db, "base")
    assert _tables(pg_db) == set()
    migrate.upgrade(pg_db)
    assert _tables(pg_db) == tables


def _fill(url: str) -> list[int]:
    ids = []
    for n, (subject, body) in enumerate(CORPUS):
        record = {"path": f"/t/{n}.txt", "filename": f"{n}.txt", "sha256": f"{n:064d}", "format": "txt",
                  "encoding": "utf-8", "doc_type": "BC", "type_name": "BÁO CÁO", "number": f"{n + 1}/BC-UBND",
                  "date": "2024-01-02", "year": 2024, "issuer": "ỦY BAN NHÂN DÂN XÃ AN", "issuer_folded": fold("ỦY BAN NHÂN DÂN XÃ AN"),
                  "subject": subject, "text": f"{subject}\n{body}", "facts_json": "{}", "warnings_json": "[]",
                  "ingested_at": "2026-01-01"}  # fmt: skip
        with transaction(url) as session:
            folded = archive.folded_fields(subject, record["text"], record["issuer"])
            ids.append(archive_repo.add_document(session, record, [], [], folded))
    return ids


def test_search_finds_the_same_documents_as_sqlite_with_the_same_best_hit(db_url, tmp_path):
    if not pg.is_postgres(db_url):
        pytest.skip("compares a PostgreSQL database with SQLite")
    lite = f"sqlite:///{tmp_path / 'lite.db'}"
    assert _fill(db_url) == _fill(lite)
    for query in QUERIES:
        on_pg = [h.id for h in archive.search(query, url=db_url).hits]
        on_lite = [h.id for h in archive.search(query, url=lite).hits]
        assert set(on_pg) == set(on_lite) and on_pg, query
        assert on_pg[0] == on_lite[0], query


def test_folded_query_dang_finds_the_party_with_its_stroke(db_url):
    ids = _fill(db_url)
    for query in ("dang", "Đảng", "ĐẢNG", "đang"):
        found = {h.id for h in archive.search(query, url=db_url).hits}
        assert found == {ids[0], ids[3], ids[4]}, query


def test_bulk_submissions_leave_the_id_sequence_past_their_ids(db_url):
    rows = [(f"X{n:02d}", "2026M10", "submitted", "2026-11-01", True, {"a": n}) for n in range(3)]
    with transaction(db_url) as session:
        assert reporting_bulk.bulk_add_submissions(session, "T", 1, rows, author="a", created_at="2026-11-01") == 3
    with transaction(db_url) as session:
        session.add(
            SubmissionRow(
                unit_code="X09", template_code="T", period="2026M10", template_version=1, state="draft", version=1
            )
        )
    with transaction(db_url) as session:
        ids = session.scalars(select(SubmissionRow.id).order_by(SubmissionRow.id)).all()
    assert ids == [1, 2, 3, 4]
