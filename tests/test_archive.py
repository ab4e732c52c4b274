"""Archive ingest: one transaction per file, skip by hash, citations resolved in either order, show and tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tonghop.services import archive

NQ = """ĐẢNG BỘ TỈNH LAM GIANG
TỈNH ỦY
*
Số 12-NQ/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Lam Giang, ngày 15 tháng 3 năm 2021

NGHỊ QUYẾT
về đẩy mạnh chuyển đổi số giai đoạn 2021 - 2025

I. MỤC TIÊU
1. Đào tạo kỹ năng số cho khoảng 3.500 cán bộ, công chức.
"""
KH = """ỦY BAN NHÂN DÂN
TỈNH LAM GIANG
Số: 245/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lam Giang, ngày 20 tháng 4 năm 2021

KẾ HOẠCH
Thực hiện Nghị quyết số 12-NQ/TU ngày 15/3/2021 của Ban Thường vụ Tỉnh ủy

Thực hiện Nghị quyết số 12-NQ/TU ngày 15/3/2021 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân tỉnh ban hành Kế hoạch.
1. Tổ chức 20 lớp bồi dưỡng cho 1.200 cán bộ.
"""
BC = """ỦY BAN NHÂN DÂN
XÃ TÂN HÒA
Số: 35/BC-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tân Hòa, ngày 10 tháng 12 năm 2021

BÁO CÁO
Kết quả công tác tuyên truyền thực hiện Kế hoạch số 245/KH-UBND năm 2021

Thực hiện Kế hoạch số 245/KH-UBND ngày 20/4/2021 của Ủy ban nhân dân tỉnh, xã báo cáo như sau:
1. Đã phát 48 tin, bài tuyên truyền về Đảng và chính quyền.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(db_url: str, table: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def test_a_bad_file_in_the_middle_is_named_and_the_batch_goes_on(tmp_path, db_url):
    docs = tmp_path / "docs"
    docs.mkdir()
    _write(docs, "a.txt", NQ)
    (docs / "b.docx").write_bytes(b"PK\x03\x04 not a zip archive")
    (docs / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    _write(docs, "d.txt", KH)
    (docs / "~$d.docx").write_bytes(b"lock")  # Word's lock file: not a document, not a failure
    seen = []
    report = archive.ingest_paths([str(docs)], url=db_url, progress=lambda d, t, p: seen.append((d, t)))
    assert (report.added, report.failed) == (2, 2)
    assert {Path(f.path).name for f in report.failures} == {"b.docx", "c.pdf"}
    assert all(f.reason for f in report.failures)
    assert seen[-1] == (4, 4)
    assert _count(db_url, "documents") == 2 and _count(db_url, "documents_fts") == 2


def test_missing_path_is_a_failure_not_a_crash(tmp_path, db_url):
    report = archive.ingest_paths([str(tmp_path / "nowhere.txt")], url=db_url)
    assert report.failed == 1 and "nowhere.txt" in report.failures[0].path


def test_reingest_skips_unchanged_files_by_hash(tmp_path, db_url):
    path = _write(tmp_path, "kh.txt", KH)
    first = archive.ingest_paths([str(path)], url=db_url)
    again = archive.ingest_paths([str(path)], url=db_url)
    assert (first.added, again.added, again.skipped) == (1, 0, 1)
    assert again.document_ids == first.document_ids


def test_a_changed_file_replaces_its_previous_version(tmp_path, db_url):
    path = _write(tmp_path, "kh.txt", KH)
    archive.ingest_paths([str(path)], url=db_url)
    _write(tmp_path, "kh.txt", KH.replace("20 lớp", "25 lớp"))
    report = archive.ingest_paths([str(path)], url=db_url)
    assert report.added == 1 and _count(db_url, "documents") == 1
    assert "25 lớp" in archive.show_document(report.document_ids[0], url=db_url)["text"]


def test_citation_resolves_when_the_cited_document_arrives_later(tmp_path, db_url):
    kh_id = archive.ingest_paths([str(_write(tmp_path, "kh.txt", KH))], url=db_url).document_ids[0]
    assert [c["target_id"] for c in archive.show_document(kh_id, url=db_url)["cites"]] == [None]
    nq_id = archive.ingest_paths([str(_write(tmp_path, "nq.txt", NQ))], url=db_url).document_ids[0]
    shown = archive.show_document(kh_id, url=db_url)
    assert [(c["number"], c["target_id"]) for c in shown["cites"]] == [("12-NQ/TU", nq_id)]
    assert [c["document_id"] for c in archive.show_document(nq_id, url=db_url)["cited_by"]] == [kh_id]


def test_show_document_carries_facts_and_quantities(tmp_path, db_url):
    doc_id = archive.ingest_paths([str(_write(tmp_path, "kh.txt", KH))], url=db_url).document_ids[0]
    shown = archive.show_document(doc_id, url=db_url)
    assert (shown["doc_type"], shown["number"], shown["date"], shown["year"]) == (
        "KH",
        "245/KH-UBND",
        "2021-04-20",
        2021,
    )
    assert shown["facts"]["number"] == "245/KH-UBND"
    assert 1200 in [q["value"] for q in shown["quantities"]]


def test_show_unknown_document_raises(db_url):
    with pytest.raises(archive.DocumentNotFound, match="42"):
        archive.show_document(42, url=db_url)


def test_citation_tree_follows_the_chain_both_ways(tmp_path, db_url):
    ids = archive.ingest_paths([str(_write(tmp_path, n, t)) for n, t in (("a.txt", BC), ("b.txt", KH), ("c.txt", NQ))],
                               url=db_url).document_ids  # fmt: skip
    bc, kh, nq = ids
    up = archive.citation_tree(bc, url=db_url)["up"]
    assert up[0]["id"] == kh and up[0]["children"][0]["id"] == nq
    down = archive.citation_tree(nq, url=db_url)["down"]
    assert down[0]["id"] == kh and down[0]["children"][0]["id"] == bc
    assert archive.citation_tree(nq, depth=1, url=db_url)["down"][0]["children"] == []


def test_citation_cycles_are_cut(tmp_path, db_url):
    one = KH.replace(
        "Thực hiện Nghị quyết số 12-NQ/TU ngày 15/3/2021 của Ban Thường vụ Tỉnh ủy,", "Căn cứ Báo cáo số 35/BC-UBND,"
    )
    ids = archive.ingest_paths([str(_write(tmp_path, "kh.txt", one)), str(_write(tmp_path, "bc.txt", BC))],
                               url=db_url).document_ids  # fmt: skip
    tree = archive.citation_tree(ids[0], depth=6, url=db_url)
    report = next(n for n in tree["up"] if n["id"] == ids[1])
    back = next(n for n in report["children"] if n["id"] == ids[0])
    assert back["cycle"] is True and back["children"] == []


def test_ingested_documents_are_searchable_without_diacritics(tmp_path, db_url):
    archive.ingest_paths([str(_write(tmp_path, n, t)) for n, t in (("a.txt", BC), ("b.txt", KH), ("c.txt", NQ))],
                         url=db_url)  # fmt: skip
    hits = archive.search("bao cao tuyen truyen", url=db_url).hits
    assert hits and hits[0].number == "35/BC-UBND"
    assert archive.search("kế hoạch 245", url=db_url).hits[0].number == "245/KH-UBND"
    assert "Đảng" in {h.snippet[a:b] for h in archive.search("dang", url=db_url).hits for a, b in h.highlights}


def test_sample_archive_builds_and_ingests_with_a_three_level_chain(tmp_path, db_url):
    files = archive.build_sample_archive(tmp_path / "sample")
    assert len(files) >= 15 and {f.suffix for f in files} >= {".txt", ".docx"}
    report = archive.ingest_paths([str(f) for f in files], url=db_url)
    assert report.failed == 0, report.failures
    nq = archive.search("12-NQ/TU", url=db_url).hits[0]
    assert nq.by_number
    tree = archive.citation_tree(nq.id, depth=3, url=db_url)

    def depth(nodes):
        return 1 + max((depth(n["children"]) for n in nodes), default=0) if nodes else 0

    assert depth(tree["down"]) >= 3


def _report(commune: str, day: int) -> str:
    return BC.replace("XÃ TÂN HÒA", f"XÃ {commune.upper()}").replace("Tân Hòa, ngày 10", f"{commune}, ngày {day}")


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_namesake_numbers_resolve_by_issuer_and_date_in_any_arrival_order(tmp_path, db_url, order):
    reports = [_write(tmp_path, "a.txt", _report("Phú Lộc", 13)), _write(tmp_path, "b.txt", _report("Tân Hòa", 10))]
    citing = _write(tmp_path, "c.txt", KH.replace(
        "Thực hiện Nghị quyết số 12-NQ/TU ngày 15/3/2021 của Ban Thường vụ Tỉnh ủy,",
        "Căn cứ Báo cáo số 35/BC-UBND ngày 10/12/2021 của Ủy ban nhân dân xã Tân Hòa,"))  # fmt: skip
    first = archive.ingest_paths([str(reports[order[0]])], url=db_url).document_ids
    cite_id = archive.ingest_paths([str(citing)], url=db_url).document_ids[0]
    second = archive.ingest_paths([str(reports[order[1]])], url=db_url).document_ids
    tan_hoa = (first + second)[order.index(1)]
    links = {c["number"]: c["target_id"] for c in archive.show_document(cite_id, url=db_url)["cites"]}
    assert links["35/BC-UBND"] == tan_hoa


def test_a_crash_while_processing_one_file_is_reported_and_the_batch_goes_on(tmp_path, db_url, monkeypatch):
    import tonghop.extract as extraction

    real = extraction.extract

    def crashing_on_the_plan(doc):
        if "245/KH-UBND" in doc.text.splitlines()[2]:
            raise RuntimeError("hỏng")
        return real(doc)

    monkeypatch.setattr(extraction, "extract", crashing_on_the_plan)
    paths = [str(_write(tmp_path, "a.txt", KH)), str(_write(tmp_path, "b.txt", NQ))]
    report = archive.ingest_paths(paths, url=db_url)
    assert (report.added, report.failed) == (1, 1)
    assert report.failures[0].path.endswith("a.txt") and "hỏng" in report.failures[0].reason
    assert _count(db_url, "documents") == 1
