"""Helpers shared by the account, web and API tests: a small unit tree, users, sample documents."""

from __future__ import annotations

from pathlib import Path

import pg
from tonghop.services import accounts, templates, units

UNITS_YAML = """
units:
  - {code: T01, name: Ủy ban nhân dân tỉnh Lam Giang, kind: province}
  - {code: H01, name: Ủy ban nhân dân huyện Đông Phú, kind: district, parent: T01}
  - {code: H02, name: Ủy ban nhân dân huyện Hà Thanh, kind: district, parent: T01}
  - {code: X01, name: Ủy ban nhân dân xã Tân Hòa, kind: commune, parent: H01}
  - {code: X02, name: Ủy ban nhân dân xã Phú Lộc, kind: commune, parent: H02}
"""
PASSWORD = "mat-khau-an-toan-2026"


def make_units(url: str, folder: Path) -> None:
    """Store the five-unit tree above in the database at URL."""
    path = folder / "units.yaml"
    path.write_text(UNITS_YAML, encoding="utf-8")
    units.import_units_file(path, url=url)


def seed_with_form(folder: Path, template: str = "bc-tu-tuong-thang") -> str:
    """A seed database (see pg.seed_url) holding the five-unit tree with TEMPLATE due from its communes; its URL."""
    url = pg.seed_url(folder)
    make_units(url, folder)
    templates.assign(template, kinds=["commune"], url=url)
    return url


def make_user(url: str, username: str = "chuyenvien", unit: str = "H01", role: str = "reporter") -> accounts.User:
    """A user with the shared PASSWORD."""
    return accounts.create_user(username, PASSWORD, unit=unit, role=role, full_name="Nguyễn Văn An", url=url)


def make_client(url: str, base_url: str = "http://testserver"):
    """An in-process client of a fresh app on the database at URL."""
    import warnings

    with warnings.catch_warnings():  # starlette asks for httpx2, which is not installed; httpx works
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from tonghop.asgi import create_app
    from tonghop.config import Settings

    settings = Settings(database_url=url, secret_key="test-secret-key-0123456789")
    return TestClient(create_app(settings), base_url=base_url, follow_redirects=False)


def csrf_of(html: str) -> str:
    """The CSRF token in a page's form."""
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


def log_in(client, username: str = "chuyenvien", password: str = PASSWORD, next_path: str = ""):
    """Log CLIENT in through the login form; the POST response."""
    token = csrf_of(client.get("/dang-nhap").text)
    return client.post("/dang-nhap", data={"username": username, "password": password, "next": next_path,
                                           "csrf_token": token})


XSS_DOC = """ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
XÃ TÂN HÒA | Độc lập - Tự do - Hạnh phúc
Số: 77/TB-UBND | Tân Hòa, ngày 02 tháng 5 năm 2021

THÔNG BÁO
Về lịch tiếp công dân <script>alert("xss")</script> tháng 5

Ủy ban nhân dân xã thông báo lịch tiếp công dân <img src=x onerror=alert(1)> như sau: tiếp công dân vào thứ Năm hằng tuần.
"""


def sample_files(folder: Path) -> list[Path]:
    """Three archive files: Kế hoạch 245/KH-UBND, the báo cáo answering it, and a notice holding HTML markup."""
    source = Path(__file__).parents[1] / "src" / "tonghop" / "demo" / "archive"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in ("03-ke-hoach-245-kh-ubnd.txt", "09-bao-cao-120-bc-ubnd-dong-phu.txt"):
        (folder / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
        out.append(folder / name)
    (folder / "xss.txt").write_text(XSS_DOC, encoding="utf-8")
    return [*out, folder / "xss.txt"]
