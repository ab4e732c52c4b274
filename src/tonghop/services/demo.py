"""The demo: a sample archive and a demo province in one database, built from nothing."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tonghop.services import accounts, archive, demo_province, units

DEMO_FILE = "tonghop-demo.db"
TOUR_QUERY = "ke hoach 245"
DEMO_PASSWORD = "tonghop-demo-2026"
# (username, role, where: "root" | a department code | "commune", full name)
DEMO_ACCOUNTS = [
    ("quantri", "admin", "root", "Quản trị hệ thống"),
    ("tonghop.tinh", "approver", "root", "Chuyên viên tổng hợp Văn phòng UBND tỉnh"),
    ("xem.tinh", "viewer", "root", "Lãnh đạo xem báo cáo"),
    ("baocao.sonv", "reporter", "SNV", "Văn thư Sở Nội vụ"),
    ("pheduyet.sonv", "approver", "SNV", "Chánh Văn phòng Sở Nội vụ"),
    ("baocao.xa", "reporter", "commune", "Văn thư xã"),
    ("pheduyet.xa", "approver", "commune", "Chủ tịch UBND xã"),
]


@dataclass
class DemoReport:
    """What the demo build made, and a first look at it (a search and a citation tree)."""

    url: str
    documents: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    province: dict = field(default_factory=dict)
    search: archive.SearchResults | None = None
    tree: dict | None = None
    accounts: list[dict] = field(default_factory=list)
    sample_report: str | None = None


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
    report.accounts = _demo_accounts(url, report.province.get("root", demo_province.ROOT))
    report.sample_report = str(write_sample_report(url))
    report.search = archive.search(TOUR_QUERY, limit=5, url=url)
    if report.search.hits:
        report.tree = archive.citation_tree(report.search.hits[0].id, depth=3, url=url)
    return report


def write_sample_report(url: str, today: date = demo_province.DEMO_TODAY) -> Path:
    """The demo commune's own Word report for the month the tour files (beside an SQLite database, else in the
    current folder), to upload on its data-entry page and confirm the figures read from it."""
    from tonghop.demo.build_archive import unit_report, write_docx

    code = demo_province.clerk_commune(url=url)
    name = next(u["name"] for u in units.list_units(url=url) if u["code"] == code)
    folder = Path(url.removeprefix("sqlite:///")).parent if url.startswith("sqlite:///") else Path.cwd()
    path = folder / f"bao-cao-thang-{today.month}-{today.year}-{code}.docx"
    write_docx(unit_report(name, today.year, today.month), path)
    return path


def _demo_accounts(url: str, root: str) -> list[dict]:
    """One demo account per role at province, department and commune level (kept if they exist already)."""
    commune = demo_province.clerk_commune(url=url)
    made = []
    existing = {u.username for u in accounts.list_users(url=url)}
    for username, role, where, full_name in DEMO_ACCOUNTS:
        unit = {"root": root, "commune": commune}.get(where, where)
        if username not in existing:
            accounts.create_user(username, DEMO_PASSWORD, unit=unit, role=role, full_name=full_name, url=url)
        made.append({"username": username, "password": DEMO_PASSWORD, "role": role, "unit": unit})
    return made
