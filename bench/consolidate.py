"""Consolidation benchmark: the service against a hand-written SQL GROUP BY on the same data, and DOCX rendering.

Run: .venv/bin/python bench/consolidate.py [--units 3500] [--indicators 50] [--periods 24] [--flat]
Data: a province root, districts, communes (all leaves report) and one monthly template with INDICATORS sum
indicators; every unit files every period (bulk insert through the repository). Goals: service / SQL <= 1.5 for one
template and period at the root (earlier periods' totals for the comparisons come from a cache keyed by each
period's submission fingerprint, so it stays live; the cold figure is printed too); the consolidated DOCX for all units in < 5 s.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from tonghop.db import reporting_bulk
from tonghop.db import reporting_repo as repo
from tonghop.regime.assignments import Assignment
from tonghop.regime.org_units import OrgUnit
from tonghop.regime.submissions import FILED_STATES
from tonghop.services import consolidation
from tonghop.services.context import database_url, transaction
from tonghop.services.templates import store_template

TEMPLATE = "bench-thang"


def _template(n: int) -> dict:
    return {"code": TEMPLATE, "name": "Báo cáo tháng (đo hiệu năng)", "period_type": "month",
            "indicators": [{"code": f"ct{i:02d}", "label": str(i + 1), "name": f"Chỉ tiêu số {i + 1}",
                            "unit": "người"} for i in range(n)]}


def build(url: str, units: int, indicators: int, periods: int, flat: bool = False) -> list[str]:
    """Fill URL with the tree, the template and every unit's submissions; the period codes.

    FLAT puts every commune straight under the root (two-level local government since 2025-07-01).
    """
    rng = random.Random(7)
    districts = 0 if flat else max(1, units // 35)
    tree = [OrgUnit("R", "Tỉnh Đo Lường", "province")]
    tree += [OrgUnit(f"H{d:03d}", f"Huyện {d + 1}", "district", "R") for d in range(districts)]
    tree += [OrgUnit(f"X{c:05d}", f"Xã {c + 1}", "commune", f"H{c % districts:03d}" if districts else "R")
             for c in range(units - 1 - districts)]
    codes = [u.code for u in tree if u.kind == "commune"]
    months = [(2023 + (m // 12), m % 12 + 1) for m in range(periods)]
    period_codes = [f"{y}M{m}" for y, m in months]
    with transaction(url) as session:
        repo.add_units(session, tree)
        store_template(session, _template(indicators))
        repo.add_assignment(session, Assignment(TEMPLATE, unit_kind="commune"))
    for (y, m), period in zip(months, period_codes, strict=True):
        rows = [(c, period, "submitted", f"{y}-{m:02d}-05T08:00:00", True,
                 {f"ct{i:02d}": rng.randint(0, 500) for i in range(indicators)}) for c in codes]
        with transaction(url) as session:
            reporting_bulk.bulk_add_submissions(session, TEMPLATE, 1, rows, author="bench", created_at=f"{y}-{m:02d}-05")
    return period_codes


def _best(fn, rounds: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(rounds):
        started = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - started)
    return best, out


def main() -> None:
    """Build the data, then time the service, the SQL baseline and the DOCX."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=3500)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--periods", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--flat", action="store_true", help="Communes directly under the root (one DOCX row each).")
    parser.add_argument("--database-url", help="an EMPTY database to build in, e.g. PostgreSQL (default: temp SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tonghop-bench-consolidate-") as tmp:
        url = database_url(args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        started = time.perf_counter()
        periods = build(url, args.units, args.indicators, args.periods, args.flat)
        print(f"built {args.units} units ({'flat' if args.flat else 'root, districts, communes'}) × "
              f"{args.indicators} indicators × {len(periods)} periods "
              f"in {time.perf_counter() - started:.1f} s")
        period = periods[-1]

        def service():
            return consolidation.consolidate_report("R", TEMPLATE, period, url=url)

        def sql():
            with transaction(url) as session:
                return repo.sum_by_indicator(session, TEMPLATE, period, FILED_STATES)

        def cold():
            consolidation._TOTALS.clear()  # earlier periods' totals recomputed too
            return service()

        service()  # warm the unit-tree cache and imports
        t_cold, _ = _best(cold, args.rounds)
        t_service, result = _best(service, args.rounds)
        t_sql, totals = _best(sql, args.rounds)
        mismatched = [i["code"] for i in result["indicators"] if i["value"] != totals[i["code"]]]
        print(f"service, comparisons recomputed (3 periods consolidated):     {t_cold * 1000:8.1f} ms")
        print(f"service, comparisons from the live cache (current period):   {t_service * 1000:8.1f} ms")
        print(f"hand-written SQL GROUP BY (current period only):              {t_sql * 1000:8.1f} ms")
        print(f"ratio service/SQL: {t_service / t_sql:.2f} (goal <= 1.5); totals agree: {not mismatched}")
        docx = Path(tmp) / "tong-hop.docx"
        try:
            t_both, _ = _best(lambda: consolidation.consolidate_and_render("R", TEMPLATE, period, docx=str(docx),
                                                                          url=url), 1)
            print(f"consolidate + DOCX for {args.units} units: {t_both:.2f} s "
                  f"(DOCX alone ≈ {t_both - t_service:.2f} s, goal < 5 s)")
        except (ImportError, AttributeError) as e:
            print(f"DOCX not timed: renderer not available ({e})")


if __name__ == "__main__":
    main()
