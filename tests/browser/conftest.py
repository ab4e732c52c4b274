"""Browser fixtures: Debian's chromium driven by Playwright against a live uvicorn on a temporary database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
USERNAME, PASSWORD = "chuyenvien", "mat-khau-an-toan-2026"
UNITS = """units:
  - {code: T01, name: Ủy ban nhân dân tỉnh Lam Giang, kind: province}
  - {code: H01, name: Ủy ban nhân dân huyện Đông Phú, kind: district, parent: T01}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    """A headless chromium (the tests are skipped when chromium or playwright is missing)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} không có (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="chưa cài gói Python playwright")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@contextmanager
def uvicorn_on(url: str, *, while_starting=None):
    """A uvicorn serving tonghop on URL's database on a free loopback port; yields its base URL once it answers.

    WHILE_STARTING (optional) runs during the server's start-up, to overlap it with filling the database."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "browser-test-secret-0123456789"}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "tonghop.asgi:create_app", "--factory", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        if while_starting is not None:
            while_starting()
        for _ in range(150):
            try:
                if httpx.get(f"{base}/dang-nhap", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail(f"uvicorn did not start: {proc.stderr.read().decode() if proc.poll() is not None else ''}")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Base URL of a uvicorn serving a database with the sample archive, two units and one user."""
    from tonghop.services import accounts, archive, units

    root = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{root / 'tonghop.db'}"
    (root / "units.yaml").write_text(UNITS, encoding="utf-8")
    units.import_units_file(root / "units.yaml", url=url)

    def fill() -> None:
        accounts.create_user(USERNAME, PASSWORD, unit="H01", role="reporter", full_name="Nguyễn Văn An", url=url)
        archive.ingest_paths([str(p) for p in archive.build_sample_archive(root / "archive")], url=url)

    with uvicorn_on(url, while_starting=fill) as base:
        yield base


@pytest.fixture
def page(browser, request):
    """A fresh page; on failure a screenshot is saved under tests/browser/screenshots/."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 860})
    pg = context.new_page()
    pg.console_errors = []  # CSP violations and script errors show up here
    pg.on("console", lambda msg: msg.type == "error" and pg.console_errors.append(msg.text))
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def snapshot(page, name: str) -> None:
    """Save a screenshot NAME.png when TONGHOP_SCREENSHOTS is set (to look at the pages)."""
    if os.environ.get("TONGHOP_SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
