"""Search benchmark: a 100,000-document archive, services.archive.search against a raw full-text query on the same index.

The same documents are built on every backend (through archive_repo.bulk_add, the product's bulk path) and the
figures printed side by side. SQLite: the raw baseline runs the same FTS5 MATCH expression (terms and filter tags)
with `ORDER BY rank LIMIT 20`. PostgreSQL: it is the hand-written `WHERE tsv @@ to_tsquery('simple', ...)`, the
same filters on documents, `ORDER BY ts_rank(tsv, ...) DESC LIMIT 20` over the stored tsvector the product ranks.
The service adds number lookups, the rank window (search_sql.RANK_WINDOW), loading the hits and their snippets.

Run: .venv/bin/python bench/search.py [--n 100000] [--repeat 20] [--backends sqlite,postgresql]
     [--db PATH] [--database-url postgresql+psycopg://...]
PostgreSQL: --database-url or $TONGHOP_BENCH_PG_URL (built if empty, else reused), else a throwaway cluster.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import backends  # noqa: E402
from gen import generate  # noqa: E402
from tonghop.db import archive_repo, search_sql  # noqa: E402
from tonghop.services import archive  # noqa: E402
from tonghop.services.context import transaction  # noqa: E402
from tonghop.text.fold import fold  # noqa: E402

QUERIES = [
    ("common", "bao cao", {}), ("common", "tuyên truyền", {}), ("common", "Ủy ban nhân dân", {}),
    ("common", "ke hoach", {}),
    ("two-terms", "nông thôn mới", {}), ("two-terms", "phong chay chua chay", {}), ("two-terms", "du lịch", {}),
    ("rare", "Gia Lạc", {}), ("rare", "cam hai", {}), ("rare", "thuốc lá Yên Kim", {}),
    ("number", "{KH}", {}), ("number", "kế hoạch {KH_SEQ}", {}), ("number", "{NQ}", {}),
    ("filtered", "tuyen truyen", {"year": 2020}), ("filtered", "dang", {"type": "BC"}),
    ("filtered", "giam ngheo", {"issuer": "tan phu"}),
    ("no-hit", "xyzzy", {}), ("injection", '"a OR', {}), ("injection", "NEAR(", {}), ("injection", "a* AND -b", {}),
]  # fmt: skip


def build(url: str, n: int, batch: int = 5000) -> float:
    """Bulk-insert N generated documents through the repository; returns the seconds it took."""
    started = time.perf_counter()
    pending: list[tuple[dict, tuple[str, str]]] = []
    for i, doc in enumerate(generate(n, seed=1)):
        text = doc.text
        facts = {"doc_type": doc.doc_type, "number": doc.number, "subject": doc.subject, "issuer": doc.issuer,
                 "date": doc.date, "type_name": doc.type_name}  # fmt: skip
        record = {**facts, "path": f"/bench/doc{i:06d}.txt", "filename": f"doc{i:06d}.txt", "sha256": f"{i:064x}",
                  "format": "txt", "encoding": "utf-8", "issuer_folded": fold(doc.issuer), "year": int(doc.date[:4]),
                  "text": text, "facts_json": json.dumps(facts, ensure_ascii=False), "warnings_json": "[]",
                  "ingested_at": "2026-01-01T00:00:00+00:00"}  # fmt: skip
        title = " ".join(x for x in (doc.type_name, doc.number, doc.subject) if x)
        pending.append((record, archive.folded_fields(title, text, doc.issuer)))
        if len(pending) == batch or i == n - 1:
            with transaction(url) as session:
                archive_repo.bulk_add(session, [r for r, _ in pending], [f for _, f in pending])
            pending.clear()
            print(f"\r  {i + 1}/{n} tài liệu ({time.perf_counter() - started:.0f} s)", end="", file=sys.stderr)
    print(file=sys.stderr)
    return time.perf_counter() - started


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def _connect(url: str):
    """A raw driver connection (sqlite3 or psycopg) to the archive at URL, for the baseline queries."""
    if url.startswith("sqlite"):
        return sqlite3.connect(url.split("///", 1)[-1])
    return backends.connect(url)


def _pg_raw(terms: list[str], filters: dict) -> tuple[str, dict]:
    """The hand-written PostgreSQL query: every match of the terms (and filters), ranked by ts_rank, best 20."""
    where, params = "", {"q": " & ".join("'" + t.replace("\\", "").replace("'", "''") + "'" for t in terms)}
    if filters.get("type"):
        where, params["type"] = where + " AND d.doc_type = %(type)s", filters["type"]
    if filters.get("year"):
        where, params["year"] = where + " AND d.year = %(year)s", filters["year"]
    if filters.get("issuer"):
        where, params["issuer"] = where + " AND d.issuer_folded LIKE %(issuer)s", f"%{fold(filters['issuer'])}%"
    join = " JOIN documents d ON d.id = f.rowid" if where else ""
    sql = (f"SELECT f.rowid FROM documents_fts f{join} WHERE f.tsv @@ to_tsquery('simple', %(q)s){where} "
           "ORDER BY ts_rank(f.tsv, to_tsquery('simple', %(q)s)) DESC LIMIT 20")
    return sql, params


def _raw_query(url: str, terms: list[str], tags: list[str], filters: dict) -> tuple[str, object] | None:
    """The baseline SQL and its parameters: FTS5 MATCH on SQLite, the tsquery on PostgreSQL."""
    expression = search_sql.match_expression(terms, tags)
    if not expression or not terms:
        return None
    if url.startswith("sqlite"):
        return "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank LIMIT 20", (expression,)
    return _pg_raw(terms, filters)


def _numbers(raw) -> dict[str, str]:
    """Real numbers from the archive for the number-like queries."""
    (kh,) = raw.execute("SELECT number FROM documents WHERE doc_type = 'KH' ORDER BY id LIMIT 1 OFFSET 77").fetchone()
    (nq,) = raw.execute("SELECT number FROM documents WHERE doc_type = 'NQ' ORDER BY id LIMIT 1 OFFSET 33").fetchone()
    return {"KH": kh, "KH_SEQ": kh.split("/")[0], "NQ": nq}


def run(url: str, repeat: int) -> list[dict]:
    """Time every query `repeat` times through the service and through the raw index; one row per query."""
    raw = _connect(url)
    numbers = _numbers(raw)
    rows = []
    for kind, template, filters in QUERIES:
        query = template.format(**numbers)
        tags = search_sql.filter_tags(filters.get("type"), filters.get("year"), filters.get("issuer"))
        terms = archive._query_parts(query)[0]
        baseline = _raw_query(url, terms, tags, filters)
        archive.search(query, url=url, **filters)  # warm the caches once
        ours, base, hits = [], [], 0
        for _ in range(repeat):
            t = time.perf_counter()
            hits = len(archive.search(query, url=url, **filters).hits)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            if baseline:
                raw.execute(*baseline).fetchall()
            base.append(time.perf_counter() - t)
        rows.append({"kind": kind, "query": query, "filters": filters, "hits": hits, "ours": _ms(ours),
                     "raw": _ms(base)})  # fmt: skip
    raw.close()
    return rows


def _per_kind(rows: list[dict]) -> dict[str, tuple[float, float, float]]:
    """Median of the queries' p50, worst p95 and median raw p50, by kind."""
    out = {}
    for kind in dict.fromkeys(r["kind"] for r in rows):
        group = [r for r in rows if r["kind"] == kind]
        out[kind] = (statistics.median(r["ours"][0] for r in group), max(r["ours"][1] for r in group),
                     statistics.median(r["raw"][0] for r in group))
    return out


def _ratio(ours: float, raw: float) -> float:
    return ours / raw if raw > 0.001 else float("nan")


def report(results: dict[str, list[dict] | str], notes: dict[str, str]) -> None:
    """Print p50/p95 per query and per kind, and the ratio to the raw query, every backend side by side."""
    names = list(results)
    ran = {n: r for n, r in results.items() if isinstance(r, list)}
    first = next(iter(ran.values()), [])
    width = 46
    print("\n" + " " * 33 + "".join(f"{'── ' + n + ' ':─<{width}}" for n in names))
    print(f"{'kind':<10} {'query':<22}" + "".join(
        f"{'hits':>5} {'p50 ms':>7} {'p95 ms':>7} {'raw p50':>7} {'raw p95':>7} {'ratio':>6}  " for _ in names))
    for i, r in enumerate(first):
        cells = []
        for n in names:
            q = ran[n][i] if n in ran else None
            cells.append(f"{'skipped':>{width - 2}}  " if q is None else
                         f"{q['hits']:>5} {q['ours'][0]:7.2f} {q['ours'][1]:7.2f} {q['raw'][0]:7.2f} "
                         f"{q['raw'][1]:7.2f} {_ratio(q['ours'][0], q['raw'][0]):6.2f}  ")
        print(f"{r['kind']:<10} {r['query'][:22]:<22}" + "".join(cells))
    print("\nper kind (median of the queries' p50 / worst p95 / median raw p50 / ratio):")
    kinds = {n: _per_kind(rows) for n, rows in ran.items()}
    print(f"  {'kind':<10}" + "".join(f"{n:>40}" for n in names))
    for kind in kinds.get(next(iter(ran), ""), {}):
        cells = [f"{'skipped':>40}" if n not in kinds else
                 "  p50 {:6.2f} p95 {:6.2f} raw {:6.2f} ×{:5.2f}".format(*kinds[n][kind][:3],
                                                                       _ratio(kinds[n][kind][0], kinds[n][kind][2]))
                 for n in names]
        print(f"  {kind:<10}" + "".join(f"{c:>40}" for c in cells))
    print()
    for n in names:
        if n not in ran:
            print(f"{n}: skipped: {results[n]}")
            continue
        rows = ran[n]
        total_ours = sum(r["ours"][0] for r in rows)
        total_raw = sum(r["raw"][0] for r in rows if r["raw"][0] > 0)
        worst = max(r["ours"][1] for r in rows)
        print(f"{n}: all queries: sum of p50 {total_ours:.1f} ms vs raw {total_raw:.1f} ms, ratio "
              f"{total_ours / total_raw:.2f} (goal <= 1.5); worst p95 {worst:.1f} ms (goal <= 20); {notes[n]}")


def prepare(url: str, n: int) -> str:
    """Build N documents at URL unless it already holds an archive; what was done."""
    with transaction(url) as session:
        existing = archive_repo.count_documents(session)
    if existing:
        return f"reused {existing} documents"
    seconds = build(url, n)
    if not url.startswith("sqlite"):
        with _connect(url) as raw:  # what autovacuum would do soon: planner statistics, GIN pending list merged
            raw.execute("VACUUM ANALYZE")
    return f"built {n} documents in {seconds:.1f} s"


def main() -> None:
    """Build (or reuse) the archive on each backend, time the queries, print the backends side by side."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--db", type=Path, help="keep the SQLite archive in this file (reused if it exists)")
    backends.add_arguments(parser, "a PostgreSQL archive (built if empty, else reused)")
    args = parser.parse_args()
    results: dict[str, list[dict] | str] = {}
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="tonghop-bench-") as tmp, ExitStack() as stack:
        for name in backends.chosen(args.backends):
            if name == "sqlite":
                url = f"sqlite:///{(args.db or Path(tmp) / 'bench.db').resolve()}"
            else:
                url, where = stack.enter_context(backends.postgresql(args.database_url))
                if url is None:
                    results[name] = where
                    print(f"postgresql: skipped: {where}", file=sys.stderr)
                    continue
                print(f"postgresql: {where}", file=sys.stderr)
            print(f"{name}: {backends.load()}", file=sys.stderr)
            done = prepare(url, args.n)
            before = backends.load()
            results[name] = run(url, args.repeat)
            notes[name] = f"{done}; {before} before, {backends.load()} after"
            print(f"{name}: {notes[name]}", file=sys.stderr)
    report(results, notes)


if __name__ == "__main__":
    main()
