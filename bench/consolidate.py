"""Consolidation benchmark: the service against a hand-written SQL GROUP BY on the same data, and DOCX rendering.

Run: .venv/bin/python bench/consolidate.py [--units 3500] [--indicators 50] [--periods 24] [--flat]
     [--backends sqlite,postgresql] [--database-url postgresql+psycopg://...]
The same data is built on every backend (PostgreSQL: see bench/backends.py) and the figures printed side by side.
Data: a province root, districts, communes (all leaves report) and one monthly template with INDICATORS sum
indicators; every unit files every period (bulk insert through the repository). Goals: service / SQL <= 1.5 for one
template and period at the root (earlier periods' totals for the comparisons come from a cache keyed by each
period's submission fingerprint, so it stays live, and the stored value sets, re-read every time, are parsed once per
process, keyed on their text; the figure with nothing cached is printed too); the consolidated DOCX for all units in < 5 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import backends  # noqa: E402
from tonghop.db import parsed_json, reporting_bulk  # noqa: E402
from tonghop.db import reporting_repo as repo  # noqa: E402
from tonghop.regime.assignments import Assignment  # noqa: E402
from tonghop.regime.org_units import OrgUnit  # noqa: E402
from tonghop.regime.submissions import FILED_STATES  # noqa: E402
from tonghop.services import consolidation  # noqa: E402
from tonghop.services.context import database_url, transaction  # noqa: E402
from tonghop.services.templates import store_template  # noqa: E402

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


def measure(url: str, args: argparse.Namespace, tmp: Path) -> dict:
    """Build the data at URL, then time the service, the SQL baseline and the DOCX; the figures by name."""
    out: dict = {"load before": backends.load()}
    started = time.perf_counter()
    periods = build(url, args.units, args.indicators, args.periods, args.flat)
    out["build s"] = time.perf_counter() - started
    period = periods[-1]

    def service():
        return consolidation.consolidate_report("R", TEMPLATE, period, url=url)

    def sql():
        with transaction(url) as session:
            return repo.sum_by_indicator(session, TEMPLATE, period, FILED_STATES)

    def cold():
        consolidation._TOTALS.clear()  # earlier periods' totals recomputed too
        parsed_json._PARSED.clear()  # and every stored value set parsed again
        return service()

    service()  # warm the unit-tree cache and imports
    out["cold"], _ = _best(cold, args.rounds)
    # Alternated, so that a burst of load from other processes hits both sides alike.
    pairs = [(_best(service, 1), _best(sql, 1)) for _ in range(args.rounds)]
    (out["service"], result), (out["sql"], totals) = (min((p[i] for p in pairs), key=lambda t: t[0]) for i in (0, 1))
    out["agree"] = not [i["code"] for i in result["indicators"] if i["value"] != totals[i["code"]]]
    docx = tmp / f"tong-hop-{uuid.uuid4().hex[:6]}.docx"
    try:
        out["docx"], _ = _best(lambda: consolidation.consolidate_and_render("R", TEMPLATE, period, docx=str(docx),
                                                                           url=url), 1)
    except (ImportError, AttributeError) as e:
        out["docx error"] = f"renderer not available ({e})"
    out["load after"] = backends.load()
    return out


def report(figures: dict[str, dict | str], args: argparse.Namespace) -> None:
    """The figures of every backend side by side; a skipped backend says why."""
    names = list(figures)
    ran = {n: f for n, f in figures.items() if isinstance(f, dict)}
    print(f"\n{args.units} units ({'flat' if args.flat else 'root, districts, communes'}) × {args.indicators} "
          f"indicators × {args.periods} periods; best of {args.rounds}")
    print(f"{'':<58}" + "".join(f"{n:>14}" for n in names))

    def row(label: str, cell) -> None:
        print(f"{label:<58}" + "".join(f"{cell(ran[n]) if n in ran else 'skipped':>14}" for n in names))

    row("built in", lambda f: f"{f['build s']:.1f} s")
    row("service, nothing cached (3 periods read, parsed, summed)", lambda f: f"{f['cold'] * 1000:.1f} ms")
    row("service, current period (parses, comparisons cached)",
        lambda f: f"{f['service'] * 1000:.1f} ms")
    row("hand-written SQL GROUP BY (current period only)", lambda f: f"{f['sql'] * 1000:.1f} ms")
    row("ratio service/SQL (goal <= 1.5)", lambda f: f"{f['service'] / f['sql']:.2f}")
    row("totals agree", lambda f: str(f["agree"]))
    row(f"consolidate + DOCX for {args.units} units (goal < 5 s)",
        lambda f: f"{f['docx']:.2f} s" if "docx" in f else "n/a")
    row("DOCX alone ≈", lambda f: f"{f['docx'] - f['service']:.2f} s" if "docx" in f else "n/a")
    for name, f in figures.items():
        if isinstance(f, str):
            print(f"{name}: skipped: {f}")
        else:
            print(f"{name}: {f['load before']} before, {f['load after']} after"
                  + (f"; DOCX not timed: {f['docx error']}" if "docx error" in f else ""))


def main() -> None:
    """Build the data on each backend, time the service, the SQL baseline and the DOCX, print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=3500)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--periods", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--flat", action="store_true", help="Communes directly under the root (one DOCX row each).")
    backends.add_arguments(parser, "a PostgreSQL server to build in (a new scratch database, dropped afterwards)")
    args = parser.parse_args()
    chosen = backends.chosen(args.backends)
    figures: dict[str, dict | str] = {}
    with tempfile.TemporaryDirectory(prefix="tonghop-bench-consolidate-") as tmp, ExitStack() as stack:
        for name in chosen:
            if name == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            else:
                server, where = stack.enter_context(backends.postgresql(args.database_url))
                if server is None:
                    figures[name] = where
                    print(f"postgresql: skipped: {where}", file=sys.stderr)
                    continue
                print(f"postgresql: {where}", file=sys.stderr)
                url = stack.enter_context(backends.scratch_database(server))
            print(f"{name}: building ({backends.load()})", file=sys.stderr)
            figures[name] = measure(database_url(url), args, Path(tmp))
    report(figures, args)


if __name__ == "__main__":
    main()
