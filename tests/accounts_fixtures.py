"""Helpers shared by the account, web and API tests: a small unit tree, users, sample documents."""

from __future__ import annotations

from pathlib import Path

from tonghop.services import accounts, units

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


def make_user(url: str, username: str = "chuyenvien", unit: str = "H01", role: str = "reporter") -> accounts.User:
    """A user with the shared PASSWORD."""
    return accounts.create_user(username, PASSWORD, unit=unit, role=role, full_name="Nguyễn Văn An", url=url)
