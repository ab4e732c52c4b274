"""Search on PostgreSQL: the newest-window slices find exactly the newest matches; migration 0005 both ways."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

import pg
from tonghop.db import archive_repo, migrate, search_pg, search_sql
from tonghop.db.engine import session_scope
from tonghop.services import archive
from tonghop.services.context import transaction
from tonghop.text.fold import fold

pytestmark = pytest.mark.skipif(not pg.server_url(), reason="no PostgreSQL server (set TONGHOP_TEST_PG_URL)")


def _fill(url: str, n: int, scope=transaction) -> list[int]:
    """N documents; "hiem" in every 7th, "thuong" in every 2nd; years alternate 2023/2024."""
    records, folded = [], []
    for i in range(n):
        body = " ".join(w for w, step in (("hiem", 7), ("thuong", 2)) if i % step == 0) + " bao cao"
        issuer = "ỦY BAN NHÂN DÂN XÃ AN" if i % 3 else "ỦY BAN NHÂN DÂN XÃ TÂN PHÚ"
        records.append({"path": f"/t/{i}.txt", "filename": f"{i}.txt", "sha256": f"{i:064d}", "format": "txt",
                        "encoding": "utf-8", "doc_type": "BC", "date": f"{2023 + i % 2}-01-02", "year": 2023 + i % 2,
                        "issuer": issuer, "issuer_folded": fold(issuer), "subject": "Báo cáo", "text": body,
                        "facts_json": "{}", "warnings_json": "[]", "ingested_at": "2026-01-01"})  # fmt: skip
        folded.append(archive.folded_fields("Báo cáo", body, issuer))
    with scope(url) as session:
        return archive_repo.bulk_add(session, records, folded)


def _newest(url: str, terms: list[str], window: int, **filters) -> tuple[list[int], list[int]]:
    """(the slices' answer, every match sorted newest first and cut at WINDOW)."""
    where, params = search_sql._filters(filters.get("doc_type"), filters.get("year"), filters.get("issuer"))
    params["q"] = search_pg.tsquery(terms)
    with transaction(url) as session:
        sliced = [i for i, _ in search_pg.newest_matches(session, where, params, window)]
        every = session.execute(text(search_pg._matches(where) + " ORDER BY f.rowid DESC LIMIT :w"),
                                {**params, "w": window}).scalars().all()
    return sliced, list(every)


@pytest.mark.parametrize("terms", [["thuong"], ["hiem"], ["hiem", "thuong"], ["bao", "cao"], ["khong"]])
def test_slices_find_exactly_the_newest_matches(db_url, monkeypatch, terms):
    if not pg.is_postgres(db_url):
        pytest.skip("PostgreSQL search path")
    _fill(db_url, 120)
    monkeypatch.setattr(search_pg, "FIRST_SLICE", 1)  # many small slices on a small archive
    for window in (1, 5, 13, 200):
        sliced, every = _newest(db_url, terms, window)
        assert sliced == every, (terms, window)


@pytest.mark.parametrize("filters", [{"year": 2024}, {"issuer": "tan phu"}, {"doc_type": "BC", "year": 2023}])
def test_slices_apply_the_filters(db_url, monkeypatch, filters):
    if not pg.is_postgres(db_url):
        pytest.skip("PostgreSQL search path")
    _fill(db_url, 90)
    monkeypatch.setattr(search_pg, "FIRST_SLICE", 1)
    for window in (2, 9, 100):
        sliced, every = _newest(db_url, ["hiem"], window, **filters)
        assert sliced == every and sliced, (filters, window)


def test_window_ranks_only_the_newest_matches(db_url, monkeypatch):
    if not pg.is_postgres(db_url):
        pytest.skip("PostgreSQL search path")
    ids = _fill(db_url, 60)
    monkeypatch.setattr(search_sql, "RANK_WINDOW", 4)
    found = {h.id for h in archive.search("thuong", limit=4, url=db_url).hits}
    assert found == {i for n, i in enumerate(ids) if n % 2 == 0 and n >= 52}


@pytest.mark.parametrize("terms", [["thuong"], ["hiem", "bao"]])
def test_window_wider_than_the_matches_ranks_as_the_full_query(db_url, monkeypatch, terms):
    if not pg.is_postgres(db_url):
        pytest.skip("PostgreSQL search path")
    _fill(db_url, 80)
    monkeypatch.setattr(search_pg, "FIRST_SLICE", 1)
    with transaction(db_url) as session:
        for offset in (0, 3):
            full = search_pg.search_ids(session, terms, "", {}, limit=10, offset=offset, window=None)
            windowed = search_pg.search_ids(session, terms, "", {}, limit=10, offset=offset, window=500)
            assert windowed == full and full, (terms, offset)


def _storage_and_index(url: str) -> tuple[str, bool]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            storage = conn.execute(text("SELECT attstorage FROM pg_attribute WHERE attrelid = 'documents_fts'::regclass "
                                        "AND attname = 'tsv'")).scalar()
            index = conn.execute(text("SELECT to_regclass('ix_documents_filters') IS NOT NULL")).scalar()
        return storage, bool(index)
    finally:
        engine.dispose()


def test_migration_0005_up_down_up_keeps_the_vectors():
    url = pg.create_database(pg.server_url())
    try:
        migrate.upgrade(url, "0004_accounts")
        ids = _fill(url, 5, session_scope)  # not transaction(): that would migrate to the head first
        with session_scope(url) as session:
            before = session.execute(text("SELECT rowid, tsv::text FROM documents_fts ORDER BY rowid")).all()
        migrate.upgrade(url, "0005_search_inline_tsv")
        assert _storage_and_index(url) == ("m", True)
        migrate.downgrade(url, "0004_accounts")
        assert _storage_and_index(url) == ("x", False)
        migrate.upgrade(url)
        with session_scope(url) as session:
            after = session.execute(text("SELECT rowid, tsv::text FROM documents_fts ORDER BY rowid")).all()
        assert after == before and [r[0] for r in after] == ids
    finally:
        pg.drop_database(url)
