"""Search benchmark: a 100,000-document SQLite archive, services.archive.search against raw FTS5 on the same index.

The raw baseline runs the same MATCH expression (terms and filter tags) with `ORDER BY rank LIMIT 20`; the service
adds number lookups, the rank window (search_sql.RANK_WINDOW), loading the hits and computing their snippets.

Run: .venv/bin/python bench/search.py [--n 100000] [--repeat 20] [--db PATH | --database-url URL]
On PostgreSQL (--database-url postgresql+psycopg://...) the baseline ranks every match of the raw tsquery on the
stored tsvector (GIN-indexed), unfiltered; the service ranks only the newest RANK_WINDOW matches there too.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

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
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)


_PG_RAW = (
    "SELECT rowid FROM documents_fts WHERE tsv @@ to_tsquery('simple', %(q)s) "
    "ORDER BY ts_rank(tsv, to_tsquery('simple', %(q)s)) DESC LIMIT 20"
)


def _raw_query(url: str, terms: list[str], expression: str) -> tuple[str, object] | None:
    """The baseline SQL and its parameters: FTS5 MATCH on SQLite, the tsquery on PostgreSQL."""
    if not expression:
        return None
    if url.startswith("sqlite"):
        return "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank LIMIT 20", (expression,)
    return _PG_RAW, {"q": " & ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)}


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
        baseline = _raw_query(url, terms, search_sql.match_expression(terms, tags))
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


def report(rows: list[dict]) -> None:
    """Print p50/p95 per query and per kind, and the ratio to raw FTS5."""
    print(
        f"{'kind':<10} {'query':<22} {'hits':>4} {'p50 ms':>8} {'p95 ms':>8} {'raw p50':>8} {'raw p95':>8} {'ratio':>6}"
    )
    for r in rows:
        ratio = r["ours"][0] / r["raw"][0] if r["raw"][0] > 0.001 else float("nan")
        print(f"{r['kind']:<10} {r['query'][:22]:<22} {r['hits']:>4} {r['ours'][0]:8.2f} {r['ours'][1]:8.2f} "
              f"{r['raw'][0]:8.2f} {r['raw'][1]:8.2f} {ratio:6.2f}")  # fmt: skip
    print("\nper kind (median of the queries' p50 / worst p95):")
    for kind in dict.fromkeys(r["kind"] for r in rows):
        group = [r for r in rows if r["kind"] == kind]
        ours50 = statistics.median(r["ours"][0] for r in group)
        raw50 = statistics.median(r["raw"][0] for r in group)
        print(
            f"  {kind:<10} p50 {ours50:7.2f} ms  p95 {max(r['ours'][1] for r in group):7.2f} ms  "
            f"raw p50 {raw50:7.2f} ms  ratio {ours50 / raw50 if raw50 > 0.001 else float('nan'):5.2f}"
        )
    total_ours = sum(r["ours"][0] for r in rows)
    total_raw = sum(r["raw"][0] for r in rows if r["raw"][0] > 0)
    print(
        f"\nall queries: sum of p50 {total_ours:.1f} ms vs raw {total_raw:.1f} ms, ratio {total_ours / total_raw:.2f}; "
        f"worst p95 {max(r['ours'][1] for r in rows):.1f} ms"
    )


def main() -> None:
    """Build (or reuse with --db) the archive, then time the queries."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--db", type=Path, help="keep the archive in this SQLite file (reused if it exists)")
    parser.add_argument("--database-url", help="any database URL, e.g. PostgreSQL (built if empty, else reused)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tonghop-bench-") as tmp:
        path = args.db or Path(tmp) / "bench.db"
        url = args.database_url or f"sqlite:///{path.resolve()}"
        with transaction(url) as session:
            existing = archive_repo.count_documents(session)
        if not existing:
            print(f"building {args.n} documents: {build(url, args.n):.1f} s")
            if not url.startswith("sqlite"):
                with _connect(url) as raw:  # planner statistics now, not when autovacuum gets to it
                    raw.execute("ANALYZE")
        else:
            print(f"reusing {url}: {existing} documents")
        report(run(url, args.repeat))


if __name__ == "__main__":
    main()
