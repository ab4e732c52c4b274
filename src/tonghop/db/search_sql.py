"""The folded full-text index: FTS5 on SQLite (bm25), tsvector on PostgreSQL; callers pass folded text only."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def index_document(session: Session, doc_id: int, folded_title: str, folded_text: str) -> None:
    """Add (or replace) the index row of document DOC_ID."""
    remove_document(session, doc_id)
    session.execute(
        text("INSERT INTO documents_fts (rowid, folded_title, folded_text) VALUES (:id, :t, :b)"),
        {"id": doc_id, "t": folded_title, "b": folded_text},
    )


def index_many(session: Session, rows: list[tuple[int, str, str]]) -> None:
    """Bulk-add index rows (id, folded_title, folded_text) for new documents."""
    if rows:
        session.connection().exec_driver_sql(
            "INSERT INTO documents_fts (rowid, folded_title, folded_text) VALUES (?, ?, ?)"
            if _dialect(session) == "sqlite"
            else "INSERT INTO documents_fts (rowid, folded_title, folded_text) VALUES (%s, %s, %s)",
            rows,
        )


def remove_document(session: Session, doc_id: int) -> None:
    """Drop the index row of document DOC_ID, if any."""
    session.execute(text("DELETE FROM documents_fts WHERE rowid = :id"), {"id": doc_id})


def match_expression(terms: list[str]) -> str:
    """An FTS5 query that ANDs TERMS, each quoted so user input can never be read as FTS5 syntax."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms if t)


def _filters(doc_type: str | None, year: int | None, issuer: str | None) -> tuple[str, dict]:
    clauses, params = [], {}
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
    if not terms:
        return []
    where, params = _filters(doc_type, year, issuer)
    params.update(limit=limit, offset=offset)
    if _dialect(session) == "sqlite":
        params["q"] = match_expression(terms)
        joined = " JOIN documents d ON d.id = documents_fts.rowid" if where else ""
        sql = (
            f"SELECT documents_fts.rowid, bm25(documents_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score "
            f"FROM documents_fts{joined} WHERE documents_fts MATCH :q{where} "
            "ORDER BY score LIMIT :limit OFFSET :offset"
        )
    else:
        params["q"] = " & ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)
        vector = "(setweight(to_tsvector('simple', f.folded_title), 'A') || to_tsvector('simple', f.folded_text))"
        sql = (
            f"SELECT f.rowid, -ts_rank({vector}, to_tsquery('simple', :q)) AS score "
            f"FROM documents_fts f JOIN documents d ON d.id = f.rowid "
            f"WHERE {vector} @@ to_tsquery('simple', :q){where} ORDER BY score LIMIT :limit OFFSET :offset"
        )
    return [(int(r[0]), float(r[1])) for r in session.execute(text(sql), params)]


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
    ors, params = [], {}
    for i, key in enumerate(keys):
        ors.append(f"d.number_key = :k{i}")
        params[f"k{i}"] = key
    for i, prefix in enumerate(prefixes):
        # A range, not LIKE, so the number_key index is used.
        ors.append(f"(d.number_key >= :p{i} AND d.number_key < :q{i})")
        params[f"p{i}"], params[f"q{i}"] = prefix, prefix + "\uffff"
    if not ors:
        return []
    where, fparams = _filters(doc_type, year, issuer)
    params.update(fparams)
    if types:
        names = [f":t{i}" for i in range(len(types))]
        params.update({f"t{i}": t for i, t in enumerate(types)})
        where += f" AND d.doc_type IN ({', '.join(names)})"
    sql = f"SELECT d.id FROM documents d WHERE ({' OR '.join(ors)}){where} ORDER BY d.date DESC, d.id LIMIT 50"
    return [int(r[0]) for r in session.execute(text(sql), params)]


HIT_COLUMNS = ("id", "doc_type", "type_name", "number", "issuer", "date", "year", "subject", "filename", "text")


def hit_rows(session: Session, ids: list[int]) -> dict[int, dict]:
    """Header fields, body text and indexed folded body ("folded_text") of the documents IDS, by id."""
    if not ids:
        return {}
    names = ", ".join(f":i{n}" for n in range(len(ids)))
    cols = ", ".join(f"d.{c}" for c in HIT_COLUMNS)
    rows = session.execute(
        text(
            f"SELECT {cols}, f.folded_text FROM documents d JOIN documents_fts f ON f.rowid = d.id "
            f"WHERE d.id IN ({names})"
        ),
        {f"i{n}": i for n, i in enumerate(ids)},
    )
    return {r[0]: dict(zip((*HIT_COLUMNS, "folded_text"), r, strict=True)) for r in rows}
