"""The folded full-text index: FTS5 on SQLite (bm25), tsvector on PostgreSQL; callers pass folded text only."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from tonghop.db import search_pg
from tonghop.text.fold import fold

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
# Ranking every match of a very common query ("ủy ban nhân dân" hits every document) costs ~1 µs per match;
# such queries rank only their RANK_WINDOW most recently archived matches. None ranks them all.
RANK_WINDOW: int | None = 2000
_WORD = re.compile(r"[^\W_]+")
_PUNCT = re.compile(r"[\W_]")


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# Search input is bounded before it reaches SQL: a pasted page of numbers would otherwise become a UNION of
# hundreds of SELECTs (SQLite refuses more than 500) and a MATCH of thousands of terms.
MAX_TERMS = 64
MAX_NUMBERS = 20


def _no_nul(text: str | None) -> str | None:
    """TEXT without NUL characters: FTS5 ends a query string at one and PostgreSQL refuses them in text."""
    return text.replace("\x00", "") if text else text


def filter_tags(doc_type: str | None = None, year: int | None = None, issuer: str | None = None) -> list[str]:
    """Index tokens for type, year and the words of the issuer, so filters are FTS terms, not joins."""
    tags = [f"t{fold(doc_type)}"] if doc_type else []
    tags += [f"y{year}"] if year else []
    return tags + [f"i{w}" for w in _WORD.findall(fold(issuer or ""))]


def _query_tags(doc_type: str | None, year: int | None, issuer: str | None) -> list[str]:
    """filter_tags for a search: an issuer filter with no words in it ("%", "_") matches nothing, as on PostgreSQL,
    instead of being dropped (which would match every issuer)."""
    tags = filter_tags(doc_type, year, issuer)
    if issuer and not _WORD.findall(fold(issuer)):
        tags.append("i")  # never indexed: an issuer tag always has a word after the "i"
    return tags


def _tags(record: dict) -> str:
    return " ".join(filter_tags(record.get("doc_type"), record.get("year"), record.get("issuer")))


def _for_index(session: Session, folded: tuple[str, str]) -> tuple[str, str]:
    """FOLDED as the index stores it: PostgreSQL's parser keeps "245/kh-ubnd" whole, so punctuation becomes spaces
    there, one for one, so that offsets into the stored text still match the original."""
    if _dialect(session) == "sqlite":
        return folded
    return _PUNCT.sub(" ", folded[0]), _PUNCT.sub(" ", folded[1])


def index_document(session: Session, doc_id: int, folded: tuple[str, str], record: dict) -> None:
    """Add (or replace) the index row of document DOC_ID: FOLDED (title, body) and RECORD's filter tags."""
    remove_document(session, doc_id)
    folded = _for_index(session, folded)
    session.execute(
        text("INSERT INTO documents_fts (rowid, folded_title, folded_text, tags) VALUES (:id, :t, :b, :g)"),
        {"id": doc_id, "t": folded[0], "b": folded[1], "g": _tags(record)},
    )


def index_many(session: Session, ids: list[int], folded: list[tuple[str, str]], records: list[dict]) -> None:
    """Bulk-add index rows for new documents (ids, folded (title, body) and records in the same order)."""
    mark = "?" if _dialect(session) == "sqlite" else "%s"
    rows = [(i, *_for_index(session, f), _tags(r)) for i, f, r in zip(ids, folded, records, strict=True)]
    if rows:
        session.connection().exec_driver_sql(
            f"INSERT INTO documents_fts (rowid, folded_title, folded_text, tags) VALUES ({mark}, {mark}, {mark}, {mark})",
            rows,
        )


def remove_document(session: Session, doc_id: int) -> None:
    """Drop the index row of document DOC_ID, if any."""
    session.execute(text("DELETE FROM documents_fts WHERE rowid = :id"), {"id": doc_id})


def _quote(term: str) -> str:
    return '"' + (_no_nul(term) or "").replace('"', '""') + '"'


def match_expression(terms: list[str], tags: list[str] | None = None) -> str:
    """An FTS5 query ANDing TERMS (and TAGS in the tags column), each quoted: user input is never FTS5 syntax."""
    return " ".join([_quote(t) for t in terms if _no_nul(t)] + [f"tags : {_quote(t)}" for t in tags or []])


def _filters(doc_type: str | None, year: int | None, issuer: str | None) -> tuple[str, dict]:
    """SQL conditions on documents d (used where there is no tags column to match: PostgreSQL, number lookups)."""
    clauses, params = [], {}
    if (doc_type and not _no_nul(doc_type)) or (issuer and not _no_nul(issuer)):
        clauses.append("1 = 0")  # a filter of NULs only matches nothing (not everything, as no filter would)
    doc_type, issuer = _no_nul(doc_type), _no_nul(issuer)
    if doc_type:
        clauses.append("d.doc_type = :doc_type")
        params["doc_type"] = doc_type
    if year:
        clauses.append("d.year = :year")
        params["year"] = year
    if issuer:
        clauses.append("d.issuer_folded LIKE :issuer ESCAPE '\\'")
        escaped = issuer.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["issuer"] = f"%{escaped}%"
    return "".join(f" AND {c}" for c in clauses), params


def _sqlite_search(session: Session, expression: str, limit: int, offset: int) -> list[tuple[int, float]]:
    params = {"q": expression, "limit": limit, "offset": offset, "window": RANK_WINDOW or -1}
    ranked = f"SELECT rowid, bm25(documents_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0) AS score FROM documents_fts "
    if RANK_WINDOW and offset + limit <= RANK_WINDOW:
        # One pass over the matches, newest first, scoring at most RANK_WINDOW of them; then the best of those.
        sql = (
            f"SELECT rowid, score FROM ({ranked} WHERE documents_fts MATCH :q ORDER BY rowid DESC LIMIT :window) "
            "ORDER BY score, rowid DESC LIMIT :limit OFFSET :offset"
        )
    else:
        sql = f"{ranked} WHERE documents_fts MATCH :q ORDER BY score, rowid DESC LIMIT :limit OFFSET :offset"
    return [(int(r[0]), float(r[1])) for r in session.execute(text(sql), params)]


def search_ids(
    session: Session,
    terms: list[str],
    *,
    doc_type: str | None = None,
    year: int | None = None,
    issuer: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[tuple[int, float]]:
    """Ids and scores (lower is better) of documents containing every folded term, best first."""
    terms = list(dict.fromkeys(t for t in map(_no_nul, terms) if t))[:MAX_TERMS]
    if not terms:
        return []
    if _dialect(session) == "sqlite":
        expression = match_expression(terms, _query_tags(doc_type, year, issuer))
        return _sqlite_search(session, expression, limit, offset)
    where, params = _filters(doc_type, year, issuer)
    return search_pg.search_ids(session, terms, where, params, limit=limit, offset=offset, window=RANK_WINDOW)


def ids_by_number(
    session: Session,
    keys: list[str],
    prefixes: list[str],
    *,
    types: list[str] | None = None,
    doc_type: str | None = None,
    year: int | None = None,
    issuer: str | None = None,
) -> list[int]:
    """Ids of documents whose number_key equals one of KEYS or starts with one of PREFIXES ("3006/")."""
    parts, params = [], {}
    keys = list(dict.fromkeys(k for k in map(_no_nul, keys) if k))[:MAX_NUMBERS]
    prefixes = list(dict.fromkeys(p for p in map(_no_nul, prefixes) if p))[:MAX_NUMBERS]
    for i, key in enumerate(keys):
        parts.append(f"SELECT id FROM documents WHERE number_key = :k{i}")
        params[f"k{i}"] = key
    for i, prefix in enumerate(prefixes):
        # A range, not LIKE, so the number_key index is used.
        parts.append(f"SELECT id FROM documents WHERE number_key >= :p{i} AND number_key < :q{i}")
        params[f"p{i}"], params[f"q{i}"] = prefix, prefix + "\uffff"
    if not parts:
        return []
    where, fparams = _filters(doc_type, year, issuer)
    params.update(fparams)
    if types:
        names = [f":t{i}" for i in range(len(types))]
        params.update({f"t{i}": t for i, t in enumerate(types)})
        where += f" AND d.doc_type IN ({', '.join(names)})"
    sql = (
        f"SELECT d.id FROM documents d WHERE d.id IN ({' UNION '.join(parts)}){where} "
        "ORDER BY d.date DESC, d.id LIMIT 50"
    )
    return [int(r[0]) for r in session.execute(text(sql), params)]


HIT_COLUMNS = ("id", "doc_type", "type_name", "number", "issuer", "date", "year", "subject", "filename", "text")


def hit_rows(session: Session, ids: list[int]) -> dict[int, dict]:
    """Header fields, body text and indexed folded body ("folded_text") of the documents IDS, by id."""
    if not ids:
        return {}
    names = ", ".join(f":i{n}" for n in range(len(ids)))
    params = {f"i{n}": i for n, i in enumerate(ids)}
    cols = ", ".join(HIT_COLUMNS)
    # Two lookups by key, not a join: SQLite probes the FTS5 table once per row of a join, ~20x slower.
    rows = session.execute(text(f"SELECT {cols} FROM documents WHERE id IN ({names})"), params)
    out = {r[0]: dict(zip(HIT_COLUMNS, r, strict=True)) for r in rows}
    folded = session.execute(text(f"SELECT rowid, folded_text FROM documents_fts WHERE rowid IN ({names})"), params)
    for doc_id, folded_text in folded:
        if doc_id in out:
            out[doc_id]["folded_text"] = folded_text
    return out
