"""Archive search on PostgreSQL: a stored, weighted tsvector of the folded text (GIN-indexed), ranked by ts_rank.

The text is folded by tonghop.text.fold before it reaches the database, so the 'simple' configuration suffices
(no unaccent, đ already folded) and queries are folded the same way.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# What migration 0001_archive stores in documents_fts.tsv: title words weigh more than body words.
VECTOR = "setweight(to_tsvector('simple', folded_title), 'A') || to_tsvector('simple', folded_text)"


def tsquery(terms: list[str]) -> str:
    """A to_tsquery text ANDing TERMS, each quoted: user input is never tsquery syntax."""
    return " & ".join("'" + t.replace("\\", "").replace("'", "''") + "'" for t in terms if t)


def search_ids(
    session: Session, terms: list[str], where: str, params: dict, *, limit: int, offset: int, window: int | None
) -> list[tuple[int, float]]:
    """Ids and scores (lower is better) of documents matching every term and WHERE (conditions on documents d).

    With WINDOW, only the WINDOW most recently archived matches are ranked, as on SQLite: a query matching every
    document would otherwise rank them all."""
    params = {**params, "q": tsquery(terms), "limit": limit, "offset": offset}
    join = " JOIN documents d ON d.id = f.rowid" if where else ""
    matches = f"SELECT f.rowid, f.tsv FROM documents_fts f{join} WHERE f.tsv @@ to_tsquery('simple', :q){where}"
    if window and offset + limit <= window:
        # "+ 0": the newest matches from the GIN index, sorted; not a walk down the primary key testing each row,
        # which the planner picks for LIMIT and which reads the whole table when the terms are rare.
        matches += " ORDER BY f.rowid + 0 DESC LIMIT :window"
        params["window"] = window
    sql = (
        f"SELECT m.rowid, -ts_rank(m.tsv, to_tsquery('simple', :q)) AS score FROM ({matches}) m "
        "ORDER BY score, m.rowid DESC LIMIT :limit OFFSET :offset"
    )
    return [(int(r[0]), float(r[1])) for r in session.execute(text(sql), params)]
