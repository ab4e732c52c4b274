"""Archive search: folded matching (no diacritics, đ, tone placement), numbers, filters, snippets, safe queries."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tonghop.db import archive_repo
from tonghop.services import archive
from tonghop.services.context import transaction
from tonghop.text.fold import fold

DOCS = [
    ("BC", "BÁO CÁO", "12/BC-UBND", "2023-11-03", "ỦY BAN NHÂN DÂN HUYỆN ĐÔNG PHÚ",
     "Kết quả công tác tuyên truyền năm 2023",
     "Năm 2023, huyện đã phát 512 tin, bài tuyên truyền về bảo vệ nền tảng tư tưởng của Đảng."),
    ("KH", "KẾ HOẠCH", "3006/KH-UBND", "2019-11-13", "ỦY BAN NHÂN DÂN TỈNH LAM GIANG",
     "Triển khai chuyển đổi số giai đoạn 2020 - 2025", "Bảo đảm hòa mạng cho 100% xã; thủy lợi nội đồng."),
    ("CV", None, "415/UBND-VX", "2020-05-02", "ỦY BAN NHÂN DÂN TỈNH LAM GIANG",
     "V/v báo cáo thực hiện Kế hoạch số 3006/KH-UBND", "Đề nghị các huyện báo cáo kết quả hoà giải ở cơ sở."),
    ("BC", "BÁO CÁO", "07/BC-UBND", "2021-06-10", "ỦY BAN NHÂN DÂN XÃ TÂN HÒA",
     "Kết quả phòng, chống thiên tai 6 tháng đầu năm 2021", "Xã đã huy động 230 người tham gia diễn tập."),
]  # fmt: skip


def _add(url: str, doc_type, type_name, number, date, issuer, subject, body, sha) -> int:
    record = {"path": f"/t/{sha}.txt", "filename": f"{sha}.txt", "sha256": sha, "format": "txt",
              "encoding": "utf-8", "doc_type": doc_type, "type_name": type_name, "number": number, "date": date,
              "year": int(date[:4]), "issuer": issuer, "issuer_folded": fold(issuer), "subject": subject,
              "text": f"{subject}\n{body}", "facts_json": "{}", "warnings_json": "[]", "ingested_at": "2026-01-01"}  # fmt: skip
    title = " ".join(x for x in (type_name, number, subject) if x)
    with transaction(url) as session:
        return archive_repo.add_document(session, record, [], [], archive.folded_fields(title, record["text"], issuer))


@pytest.fixture
def ids(db_url) -> list[int]:
    return [_add(db_url, *doc, sha=f"{i:064d}") for i, doc in enumerate(DOCS)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("bao cao tuyen truyen", 0), ("dang", 0), ("Đảng", 0), ("ĐẢNG", 0), ("thuy loi", 1), ("thủy lợi", 1),
     ("thuỷ lợi", 1), ("phong chong thien tai", 3)],
)  # fmt: skip
def test_folded_queries_find_the_document(ids, db_url, query, expected):
    assert ids[expected] in [h.id for h in archive.search(query, url=db_url).hits]


def test_tone_placement_variants_match_each_other(ids, db_url):
    found = {q: {h.id for h in archive.search(q, url=db_url).hits} for q in ("hòa", "hoà", "hoa")}
    assert found["hòa"] == found["hoà"] == found["hoa"] >= {ids[1], ids[2]}


def test_number_queries_put_the_numbered_document_first(ids, db_url):
    for query in ("3006/KH-UBND", "kế hoạch 3006", "3006 /kh-ubnd"):
        hits = archive.search(query, url=db_url).hits
        assert hits[0].id == ids[1] and hits[0].by_number, query
    assert ids[2] in [h.id for h in archive.search("3006/KH-UBND", url=db_url).hits]


def test_filters_narrow_the_results(ids, db_url):
    assert {h.id for h in archive.search("bao cao", type="BC", url=db_url).hits} == {ids[0], ids[3]}
    assert [h.id for h in archive.search("ket qua", year=2021, url=db_url).hits] == [ids[3]]
    assert [h.id for h in archive.search("ket qua", issuer="tân hoà", url=db_url).hits] == [ids[3]]


def test_snippet_highlights_the_original_words(ids, db_url):
    hit = archive.search("tuyen truyen", url=db_url).hits[0]
    words = {hit.snippet[a:b] for a, b in hit.highlights}
    assert words == {"tuyên", "truyền"}
    assert "<b>tuyên</b> <b>truyền</b>" in hit.marked("<b>", "</b>")


@pytest.mark.parametrize("query", ['"a OR', "NEAR(", "a* AND -b", "col:x", "^", '""', "(((", "' OR 1=1 --", "%_\\"])
def test_hostile_queries_do_not_error(ids, db_url, query):
    results = archive.search(query, url=db_url, issuer=query)
    assert isinstance(results.hits, list)


def test_empty_query_finds_nothing(ids, db_url):
    assert archive.search("   ", url=db_url).hits == []


def test_limit_and_offset_page_through(ids, db_url):
    everything = [h.id for h in archive.search("uy ban nhan dan", limit=10, url=db_url).hits]
    first = [h.id for h in archive.search("uy ban nhan dan", limit=2, url=db_url).hits]
    second = [h.id for h in archive.search("uy ban nhan dan", limit=2, offset=2, url=db_url).hits]
    assert first + second == everything[:4] and len(set(first + second)) == 4


def test_results_serialize_to_json(ids, db_url):
    data = json.loads(json.dumps(archive.search("dang", url=db_url).to_dict()))
    assert data["terms"] == ["dang"] and data["hits"][0]["number"] == "12/BC-UBND"


def test_snippet_positions_survive_non_length_preserving_text(db_url):
    doc_id = _add(
        db_url,
        "BC",
        "BÁO CÁO",
        "01/BC-X",
        "2024-01-01",
        "X",
        "x\u0323 báo cáo",
        "q\u0323x\u0301 tuyên truyền",
        sha="f" * 64,
    )
    hit = next(h for h in archive.search("tuyen truyen", url=db_url).hits if h.id == doc_id)
    assert {hit.snippet[a:b] for a, b in hit.highlights} == {"tuyên", "truyền"}


def test_common_queries_rank_a_window_of_the_newest_matches(ids, db_url, monkeypatch):
    from tonghop.db import search_sql

    monkeypatch.setattr(search_sql, "RANK_WINDOW", 2)
    windowed = {h.id for h in archive.search("uy ban nhan dan", limit=2, url=db_url).hits}
    assert windowed <= set(ids[-3:]) and len(windowed) == 2
    assert {h.id for h in archive.search("uy ban nhan dan", limit=10, url=db_url).hits} == set(ids)


def test_type_filter_accepts_codes_without_diacritics(ids, db_url):
    assert [h.id for h in archive.search("3006", type="kh", url=db_url).hits] == [ids[1]]


VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậđeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ" + "AĐÊƠƯ ,.-/\nx\u0323"


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=VIETNAMESE, max_size=300),
    words=st.lists(st.sampled_from(["dang", "hoa", "a", "o"]), min_size=1),
)
def test_snippet_spans_always_cover_a_query_word(text, words):
    snippet, spans = archive._snippet(text, archive._aligned_fold(text, fold(text)), archive._term_pattern(words))
    assert all(fold(snippet[a:b]) in words for a, b in spans)


@given(st.text(alphabet=VIETNAMESE.replace("\u0323", ""), max_size=200))
def test_fold_is_length_preserving_on_nfc_vietnamese(text):
    assert len(fold(text)) == len(text)
