"""`tonghop users add/list/token` and `tonghop serve` (a real server on a free port)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from typer.testing import CliRunner

import tonghop.cli.serve  # noqa: F401  (registers `serve` until the CLI package lists it)
import tonghop.cli.users  # noqa: F401  (registers `users`)
from accounts_fixtures import PASSWORD, make_units
from tonghop.cli import app
from tonghop.services import accounts

runner = CliRunner()


@pytest.fixture
def url(db_url, tmp_path):
    make_units(db_url, tmp_path)
    return db_url


def test_users_add_list_and_token(url):
    result = runner.invoke(app, ["users", "add", "ketoan", "--unit", "X01", "--role", "approver", "--password",
                                 PASSWORD, "--name", "Lê Thị Cúc"])
    assert result.exit_code == 0, result.output
    assert "Người phê duyệt" in result.output
    listed = json.loads(runner.invoke(app, ["users", "list", "--json"]).output)
    assert listed == [{"username": "ketoan", "full_name": "Lê Thị Cúc", "unit": "X01", "role": "approver",
                       "active": True}]
    token = runner.invoke(app, ["users", "token", "ketoan"]).output.strip()
    assert accounts.verify_token(token, url=url).username == "ketoan"


def test_users_add_prompts_for_password(url):
    result = runner.invoke(app, ["users", "add", "ketoan", "--unit", "X01"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert accounts.authenticate("ketoan", PASSWORD, url=url).role == "viewer"


def test_users_add_bad_unit_exit_2(url):
    result = runner.invoke(app, ["users", "add", "ketoan", "--unit", "KHONGCO", "--password", PASSWORD])
    assert result.exit_code == 2 and "KHONGCO" in result.output


def test_serve_answers_http(url):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = "import tonghop.cli.serve; from tonghop.cli import main; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "serve", "--port", str(port)],
                            env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/dang-nhap", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("tonghop serve did not answer within 10 s")
        assert response.status_code == 200 and "Đăng nhập" in response.text
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/units").status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)
