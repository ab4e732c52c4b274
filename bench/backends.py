"""The databases a benchmark runs on: SQLite in a temporary file, and PostgreSQL whenever one can be had.

PostgreSQL comes from --database-url, else $TONGHOP_BENCH_PG_URL, else a throwaway cluster started with
scripts/pg-cluster.sh (stopped and deleted afterwards). When none can be had, the reason is printed instead of its
figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BACKENDS = ("sqlite", "postgresql")
ENV_URL = "TONGHOP_BENCH_PG_URL"
CLUSTER = Path(__file__).resolve().parent.parent / "scripts" / "pg-cluster.sh"


def add_arguments(parser: argparse.ArgumentParser, database_help: str) -> None:
    """--backends and --database-url, as every benchmark spells them."""
    parser.add_argument("--backends", default=",".join(BACKENDS),
                        help="comma-separated, from: sqlite, postgresql (default: both)")
    parser.add_argument("--database-url", help=f"{database_help} (default: ${ENV_URL}, else a throwaway cluster)")


def chosen(spec: str) -> list[str]:
    """The backends named in SPEC, in the order given; an unknown name is an error."""
    names = [n.strip().lower() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in BACKENDS]
    if unknown or not names:
        raise SystemExit(f"--backends: unknown {', '.join(unknown) or '(empty)'}; choose from {', '.join(BACKENDS)}")
    return list(dict.fromkeys(names))


def load() -> str:
    """The machine's load average (1, 5, 15 min): the benchmarks share the CPUs with whatever else runs."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


@contextmanager
def postgresql(url: str | None) -> Iterator[tuple[str | None, str]]:
    """(URL, where it comes from) of a PostgreSQL server; URL is None and the note says why when there is none."""
    url = url or os.environ.get(ENV_URL)
    try:
        import psycopg  # noqa: F401 - only to tell a missing driver apart
    except ImportError:
        yield None, "psycopg is not installed"
        return
    if url:
        yield url, "given URL"
        return
    started = subprocess.run(["bash", str(CLUSTER), "start"], capture_output=True, text=True)
    lines = started.stdout.strip().splitlines()
    if started.returncode != 0 or not lines:
        yield None, (started.stderr.strip() or started.stdout.strip() or f"{CLUSTER.name} failed").splitlines()[-1]
        return
    url = lines[-1]
    try:
        yield url, "throwaway cluster (scripts/pg-cluster.sh)"
    finally:
        subprocess.run(["bash", str(CLUSTER), "stop", url], capture_output=True, text=True)


def _raw(url: str, dbname: str | None = None):
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    # prepare_threshold=None: the baseline is planned for its own values every time, as the service is.
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                           dbname=dbname or u.database, autocommit=True, prepare_threshold=None)


def connect(url: str):
    """A raw psycopg connection (autocommit) to the PostgreSQL database at URL, for the baseline queries."""
    return _raw(url)


@contextmanager
def scratch_database(url: str) -> Iterator[str]:
    """The URL of a new, empty database on URL's server, dropped afterwards: runs never reuse each other's data."""
    from sqlalchemy.engine import make_url

    from tonghop.db.engine import get_engine

    name = f"tonghop_bench_{uuid.uuid4().hex[:10]}"
    with _raw(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    scratch = make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        yield scratch
    finally:
        get_engine(scratch).dispose()
        with _raw(url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
