"""The demo: a sample archive and a demo province in one database, built from nothing."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tonghop.services import archive, demo_province

DEMO_FILE = "tonghop-demo.db"
TOUR_QUERY = "ke hoach 245"


@dataclass
class DemoReport:
    """What the demo build made, and a first look at it (a search and a citation tree)."""

    url: str
    documents: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    province: dict = field(default_factory=dict)
    search: archive.SearchResults | None = None
    tree: dict | None = None


def demo_database_url(configured: str | None) -> str:
    """The demo's database: the configured DATABASE_URL, else a SQLite file in the current folder."""
    return configured or f"sqlite:///{Path(DEMO_FILE).resolve()}"


def _remove_sqlite(url: str) -> None:
    path = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_demo(*, url: str, fresh: bool = False) -> DemoReport:
    """Build the demo archive and province into URL (FRESH: start from an empty SQLite file); a report."""
    if fresh and url.startswith("sqlite:///"):
        _remove_sqlite(url)
    report = DemoReport(url=url)
    with tempfile.TemporaryDirectory(prefix="tonghop-demo-") as tmp:
        files = archive.build_sample_archive(Path(tmp))
        ingested = archive.ingest_paths([str(p) for p in files], url=url)
    report.documents = ingested.added + ingested.skipped
    report.failures = [(f.path, f.reason) for f in ingested.failures]
    report.province = demo_province.build_demo_province(url=url)
    report.search = archive.search(TOUR_QUERY, limit=5, url=url)
    if report.search.hits:
        report.tree = archive.citation_tree(report.search.hits[0].id, depth=3, url=url)
    return report
