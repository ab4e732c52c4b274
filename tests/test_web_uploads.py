"""Uploads through the web app: hostile file names, files over the size limit (also 100 MB, streamed), and the
per-user upload rate limit. A refused upload leaves no file on disk and nothing in the database."""

from __future__ import annotations

import asyncio
import io
import os
import resource
import subprocess
import sys
import tracemalloc
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

import pg
from accounts_fixtures import PASSWORD, csrf_of, log_in, make_client, make_units, make_user, seed_with_form
from tonghop.services import catalog, submissions, templates
from tonghop.web.uploads import TooManyUploads, UploadLimiter, clean_name

TPL, PERIOD = "bc-tu-tuong-thang", "2026M10"
ENTRY = f"/bao-cao/X01/{TPL}/{PERIOD}"
DOC = "ỦY BAN NHÂN DÂN\nSố: {n}/KH-UBND\nKẾ HOẠCH\nTriển khai công tác tuyên truyền số {n}\n"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> str:
    """Units, the template due from communes, a reporter of X01 and one of H01 (built once: hashing is slow)."""
    folder = tmp_path_factory.mktemp("seed")
    url = seed_with_form(folder, TPL)
    make_user(url, "xa", unit="X01")
    make_user(url, "huyen", unit="H01")
    return url


@pytest.fixture
def site(db_url, seeded, tmp_path, monkeypatch):
    """A logged-in reporter of commune X01, with a 64 KB file limit and 6 files per window; the upload root."""
    monkeypatch.setenv("MAX_FILE_BYTES", str(64 * 1024))
    monkeypatch.setenv("UPLOADS_PER_WINDOW", "6")
    pg.copy_seed(seeded, db_url)
    with make_client(db_url) as client:
        log_in(client, "xa")
        yield client, tmp_path / "uploads"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _nothing_left(root: Path) -> bool:
    """No file and no (empty) batch folder under the upload root."""
    return not root.exists() or not any(root.iterdir())


def _upload(client, files: list[tuple[str, bytes]], path: str = "/nap-van-ban", field: str = "files"):
    token = csrf_of(client.get("/nap-van-ban").text)
    return client.post(path, data={"csrf_token": token}, files=[(field, (n, b, "text/plain")) for n, b in files])


HOSTILE = ["../../etc/passwd", "..\\..\\x.docx", "/etc/cron.d/evil.txt", "C:\\Windows\\win.ini", "a\x00b.txt",
           "ệ" * 300 + ".txt", "....", "..", ".", "Ba\u0301o ca\u0301o tuye\u0302n truye\u0302\u0300n.txt",
           "<script>alert(1)</script>.txt", '"><img src=x onerror=alert(1)>.txt', "-rf .txt", "x" * 5000]


def test_hostile_names_land_under_the_root_with_clean_names(site, tmp_path, monkeypatch):
    client, root = site
    monkeypatch.setenv("UPLOADS_PER_WINDOW", "100")  # read when the first upload makes the limiter
    for n, name in enumerate(HOSTILE):
        before = set(_files(root))
        page = _upload(client, [(name, DOC.format(n=400 + n).encode())])
        assert "<script>" not in page.text and "onerror=alert" not in page.text
        if page.status_code == 400:  # a name too long for the multipart parser: refused whole
            assert set(_files(root)) == before
            continue
        assert page.status_code in (200, 422), name  # 422: a name without a known extension is not read
        (saved,) = set(_files(root)) - before
        assert saved.resolve().parent.parent == root.resolve()
        if not set(name) & set('"\x00'):  # the client sends those escaped (%22, %00)
            assert saved.name == clean_name(name)
        assert len(saved.name.encode()) <= 200 and saved.name not in ("", ".", "..") and saved.name[0] != "."
        assert unicodedata.is_normalized("NFC", saved.name) and not set(saved.name) & set("/\\\x00<>\"'")
    assert not (tmp_path / "x.docx").exists() and not (tmp_path.parent / "x.docx").exists()
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and root not in p.parents and ".db" not in p.name]
    assert outside == []


def test_long_vietnamese_name_keeps_its_extension_and_is_read(site):
    client, root = site
    page = _upload(client, [("Kế hoạch " * 60 + ".txt", DOC.format(n=302).encode())])
    (saved,) = _files(root)
    assert saved.suffix == ".txt" and page.status_code == 200 and "302/KH-UBND" in page.text


def test_nfd_name_is_stored_nfc(site):
    client, root = site
    _upload(client, [(unicodedata.normalize("NFD", "Báo cáo tháng.txt"), DOC.format(n=303).encode())])
    assert [p.name for p in _files(root)] == ["Báo cáo tháng.txt"]


def test_batch_with_a_file_over_the_limit_keeps_nothing(site, db_url):
    client, root = site
    page = _upload(client, [("nho.txt", DOC.format(n=304).encode()), ("lon.txt", b"x" * (64 * 1024 + 1))])
    assert page.status_code == 413 and "lon.txt: tệp lớn hơn giới hạn" in page.text
    assert _nothing_left(root) and catalog.list_documents(url=db_url)[1] == 0


def test_report_over_the_limit_is_refused_and_not_kept(site, db_url):
    client, root = site
    page = _upload(client, [("bao-cao.txt", b"x" * (64 * 1024 + 1))], f"{ENTRY}/doc-bao-cao", "file")
    assert page.status_code == 422 and "bao-cao.txt: tệp lớn hơn giới hạn" in page.text
    assert _nothing_left(root)


def test_xlsx_form_over_the_limit_is_refused_and_not_kept(site, db_url):
    client, root = site
    page = _upload(client, [("bieu-mau.xlsx", b"PK" * (33 * 1024))], f"{ENTRY}/nap-bieu-mau", "file")
    assert page.status_code == 422 and "bieu-mau.xlsx: tệp lớn hơn giới hạn" in page.text
    assert _nothing_left(root) and submissions.history("X01", TPL, PERIOD, url=db_url) == []


def test_upload_rate_limit_answers_429_and_stores_nothing(site, db_url):
    client, root = site
    first = _upload(client, [(f"kh{n}.txt", DOC.format(n=n).encode()) for n in range(310, 314)])
    assert first.status_code == 200 and catalog.list_documents(url=db_url)[1] == 4
    refused = _upload(client, [(f"kh{n}.txt", DOC.format(n=n).encode()) for n in range(320, 323)])
    assert refused.status_code == 429 and "hãy thử lại sau" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 600
    assert catalog.list_documents(url=db_url)[1] == 4 and len(_files(root)) == 4
    assert _upload(client, [("kh330.txt", DOC.format(n=330).encode())]).status_code == 200  # 5 of 6


def test_upload_rate_limit_is_per_user(db_url, site):
    client, _ = site
    assert _upload(client, [(f"kh{n}.txt", DOC.format(n=n).encode()) for n in range(340, 346)]).status_code == 200
    assert _upload(client, [("kh350.txt", DOC.format(n=350).encode())]).status_code == 429
    with make_client(db_url) as other:
        log_in(other, "huyen")
        assert _upload(other, [("kh351.txt", DOC.format(n=351).encode())]).status_code == 200


def test_report_upload_rate_limit(site):
    client, _ = site
    for _ in range(6):
        _upload(client, [("bao-cao.txt", b"BAO CAO")], f"{ENTRY}/doc-bao-cao", "file")
    refused = _upload(client, [("bao-cao.txt", b"BAO CAO")], f"{ENTRY}/doc-bao-cao", "file")
    assert refused.status_code == 429 and "retry-after" in refused.headers


def test_a_report_read_for_its_figures_leaves_no_file(site):
    client, root = site
    answer = _upload(client, [("bao-cao.txt", "Số bình luận: 45 bình luận.".encode())], f"{ENTRY}/doc-bao-cao", "file")
    assert answer.status_code == 200 and _nothing_left(root)


def test_limiter_window_slides():
    limiter = UploadLimiter(3, 60)
    limiter.take("a", 2, now=0)
    limiter.take("a", 1, now=30)
    with pytest.raises(TooManyUploads) as err:
        limiter.take("a", 2, now=45)
    assert err.value.retry_after == 15  # both uploads made at 0 leave the window at 60
    limiter.take("a", 2, now=61)
    with pytest.raises(TooManyUploads):
        limiter.take("b", 4, now=0)


async def _post_big(app, path: str, field: str, big: Path) -> httpx.Response:
    """Log in and POST BIG streamed from disk, in-process over ASGI (the body is never held in memory)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        token = csrf_of((await client.get("/dang-nhap")).text)
        await client.post("/dang-nhap", data={"username": "xa", "password": PASSWORD, "csrf_token": token})
        token = csrf_of((await client.get("/nap-van-ban")).text)
        with big.open("rb") as body:
            return await client.post(path, data={"csrf_token": token}, files={field: ("lon.txt", body, "text/plain")})


@pytest.mark.slow
@pytest.mark.parametrize(("path", "field", "status"), [("/nap-van-ban", "files", 413),
                                                        (f"{ENTRY}/doc-bao-cao", "file", 422)])
def test_100_mb_upload_is_refused_with_bounded_memory(db_url, tmp_path, path, field, status):
    from tonghop.asgi import create_app
    from tonghop.config import Settings

    make_units(db_url, tmp_path)
    templates.assign(TPL, kinds=["commune"], url=db_url)
    make_user(db_url, "xa", unit="X01")
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: no disk used
    app = create_app(Settings(database_url=db_url, secret_key="test-secret-key-0123456789"))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        # in a thread of its own: Playwright's sync API keeps an event loop running in this one for the session
        with ThreadPoolExecutor(1) as worker:
            response = worker.submit(asyncio.run, _post_big(app, path, field, big)).result()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    print(f"{path}: {response.status_code}, peak traced {peak / 2**20:.1f} MB, peak RSS growth {rss_growth_mb:.0f} MB")
    assert response.status_code == status and "lon.txt: tệp lớn hơn giới hạn 50 MB" in response.text
    assert peak < 20 * 1024 * 1024, f"peak traced memory {peak / 2**20:.1f} MB"
    assert rss_growth_mb < 50, f"RSS grew by {rss_growth_mb:.0f} MB"
    assert _nothing_left(tmp_path / "uploads") and catalog.list_documents(url=db_url)[1] == 0


def _bomb_xlsx(raw: bytes) -> bytes:
    """RAW (a real form) with its sheet replaced by 60 MB of blanks that deflate to ~60 KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info.filename, src.read(info.filename))
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(60):
                sheet.write(b" " * (1 << 20))
    return out.getvalue()


def _form_with(raw: bytes, code: str, value: object) -> bytes:
    wb = load_workbook(io.BytesIO(raw))
    ws = wb["Biểu mẫu"]
    row = next(r for r in range(1, ws.max_row + 1) if ws[f"F{r}"].value == code)
    ws[f"C{row}"] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_hostile_xlsx_forms_through_the_page_store_nothing(site, db_url, monkeypatch):
    client, _ = site
    monkeypatch.setenv("UPLOADS_PER_WINDOW", "100")
    raw = client.get(f"{ENTRY}/bieu-mau.xlsx").content
    cases = {"hong.xlsx": raw[: len(raw) // 2], "bom.xlsx": _bomb_xlsx(raw), "rac.xlsx": os.urandom(3000),
             "so.xlsx": _form_with(raw, "binh_luan", "<script>alert(1)</script>"),
             "cong-thuc.xlsx": _form_with(raw, "binh_luan", "=1/0")}
    for name, data in cases.items():
        page = _upload(client, [(name, data)], f"{ENTRY}/nap-bieu-mau", "file")
        assert page.status_code == 422 and name in page.text, name
        assert "<script>alert" not in page.text
    assert submissions.history("X01", TPL, PERIOD, url=db_url) == []


YAML_BOMB = "\n".join(['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] + [
    f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)])
BOMB_RUN = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # a runaway import dies at 1 GB, not the machine
from tonghop.services import units
start = time.monotonic()
try:
    units.import_units_file(sys.argv[1], url=sys.argv[2])
except ValueError as e:
    print("refused", round(time.monotonic() - start, 1), e)
"""


@pytest.mark.slow
def test_units_yaml_alias_bomb_is_refused(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text(YAML_BOMB + "\nunits:\n  - {code: X1, name: *i, kind: commune}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", BOMB_RUN, str(path), f"sqlite:///{tmp_path / 'b.db'}"],
                         capture_output=True, text=True, timeout=60)
    assert run.stdout.startswith("refused") and float(run.stdout.split()[1]) < 2, run.stderr[-300:]
