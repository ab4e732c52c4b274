"""Archive search on PostgreSQL: a stored, weighted tsvector of the folded text (GIN-indexed), ranked by ts_rank.

The text is folded by tonghop.text.fold before it reaches the database, so the 'simple' configuration suffices
(no unaccent, đ already folded) and queries are folded the same way.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# What migration 0001_archive stores in documents_fts.tsv: title words weigh more than body words.
VECTOR = "setweight(to_tsvector('simple', folded_title), 'A') || to_tsvector('simple', folded_text)"
# The newest matches are looked for in slices of rowids, newest first: the first FIRST_SLICE × window rowids, then
# as many as the matches seen so far say are needed (with MARGIN), at least twice the slice before.
FIRST_SLICE = 4
MARGIN = 1.5


def tsquery(terms: list[str]) -> str:
    """A to_tsquery text ANDing TERMS, each quoted: user input is never tsquery syntax."""
    return " & ".join("'" + t.replace("\\", "").replace("'", "''") + "'" for t in terms if t)


def _matches(where: str) -> str:
    join = " JOIN documents d ON d.id = f.rowid" if where else ""
    return f"SELECT f.rowid FROM documents_fts f{join} WHERE f.tsv @@ to_tsquery('simple', :q){where}"


_SCORE = "-ts_rank(f.tsv, to_tsquery('simple', :q))"


def _slice(where: str, first: bool) -> str:
    """The newest :need matches with rowids in (:lower, :upper], and their scores (vectors read once, inline)."""
    if where:
        # The documents passing the filters, newest first (an index-only walk of ix_documents_filters, migration
        # 0005), each one's vector then tested by key (LATERAL ... LIMIT 1: never a hash of every vector matching
        # the terms, which the planner picks when it underestimates them: 50 -> 2 ms for "giam ngheo", Tân Phú).
        return (f"SELECT m.rowid, m.score FROM documents d CROSS JOIN LATERAL (SELECT f.rowid, {_SCORE} AS score "
                "FROM documents_fts f WHERE f.rowid = d.id AND f.tsv @@ to_tsquery('simple', :q) LIMIT 1) m "
                f"WHERE d.id > :lower AND d.id <= :upper{where} ORDER BY d.id DESC LIMIT :need")
    # The first slice may walk the rowids down, testing each vector, and stop at WINDOW matches: cheapest when
    # most documents match. A slice after it is only needed when fewer than a quarter do, and then matches found
    # through GIN (rowid + 0: no walk) cost less than the 4+ vectors tested per match (24 -> 11 ms for "gia lac").
    return (f"SELECT f.rowid, {_SCORE} FROM documents_fts f WHERE f.tsv @@ to_tsquery('simple', :q) "
            f"AND f.rowid > :lower AND f.rowid <= :upper ORDER BY {'f.rowid' if first else 'f.rowid + 0'} DESC "
            "LIMIT :need")


def newest_matches(session: Session, where: str, params: dict, window: int) -> list[tuple[int, float]]:
    """(rowid, score) of the WINDOW most recently archived matches, newest first (PARAMS holds the tsquery as "q").

    GIN returns matches in no order, so taking the newest of them means visiting every match's row (84,000 rows
    for "bao cao" in 100,000 documents). Slices of rowids, newest first, visit only the matches inside the slices
    needed: about WINDOW rows for common terms; for rare ones the first slice shows the rest must be read whole."""
    high = session.execute(text("SELECT max(rowid) FROM documents_fts")).scalar() or 0
    first, rest = text(_slice(where, True)), text(_slice(where, False))
    found: list[tuple[int, float]] = []
    span, upper = FIRST_SLICE * window, high
    while upper > 0 and len(found) < window:
        lower = max(upper - span, 0)
        rows = session.execute(first if upper == high else rest,
                               {**params, "lower": lower, "upper": upper, "need": window - len(found)})
        found += [(int(r[0]), float(r[1])) for r in rows]
        seen, upper = high - lower, lower
        needed = (window - len(found)) * seen / len(found) * MARGIN if found else upper
        span = max(2 * span, int(needed))
    return found


def search_ids(
    session: Session, terms: list[str], where: str, params: dict, *, limit: int, offset: int, window: int | None
) -> list[tuple[int, float]]:
    """Ids and scores (lower is better) of documents matching every term and WHERE (conditions on documents d).

    With WINDOW, only the WINDOW most recently archived matches are ranked, as on SQLite: a query matching every
    document would otherwise rank them all."""
    # psycopg prepares a statement run five times; PostgreSQL then may plan it once for any terms and slice, and
    # the plan for "xyzzy" walks 92,000 rows for "cam hai" (1 -> 26 ms). Each search is planned for its values.
    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    params = {**params, "q": tsquery(terms), "limit": limit, "offset": offset}
    if window and offset + limit <= window:
        # Scored as they are found: no second pass over the window's vectors.
        ranked = sorted(newest_matches(session, where, params, window), key=lambda r: (r[1], -r[0]))
        return ranked[offset : offset + limit]
    sql = (f"SELECT f.rowid, {_SCORE} AS score FROM documents_fts f WHERE f.rowid IN ({_matches(where)}) "
           "ORDER BY score, f.rowid DESC LIMIT :limit OFFSET :offset")
    return [(int(r[0]), float(r[1])) for r in session.execute(text(sql), params)]
