"""`tonghop users`: accounts (add, list) and API tokens."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from tonghop.cli import app
from tonghop.services import accounts

users_app = typer.Typer(no_args_is_help=True, help="Tài khoản người dùng và mã truy cập API.")
app.add_typer(users_app, name="users")


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập.")],
    unit: Annotated[str, typer.Option("--unit", help="Mã đơn vị; người dùng thấy đơn vị này và các đơn vị cấp dưới.")],
    role: Annotated[str, typer.Option("--role", help="reporter | approver | viewer | admin")] = "viewer",
    password: Annotated[str | None, typer.Option("--password", help="Mật khẩu (bỏ trống để nhập ẩn).")] = None,
    full_name: Annotated[str, typer.Option("--name", help="Họ và tên.")] = "",
) -> None:
    """Tạo tài khoản người dùng."""
    if password is None:
        password = typer.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")
    try:
        user = accounts.create_user(username, password, unit=unit, role=role, full_name=full_name, actor="cli")
    except accounts.AccountError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Đã tạo tài khoản '{user.username}' ({user.role_name}, đơn vị {user.unit_code}).")


@users_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="In JSON.")] = False) -> None:
    """Liệt kê tài khoản."""
    rows = [{"username": u.username, "full_name": u.full_name, "unit": u.unit_code, "role": u.role,
             "active": u.active} for u in accounts.list_users()]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        typer.echo(f"{r['username']:<20} {r['role']:<9} {r['unit']:<12} {r['full_name']}")


@users_app.command("token")
def token(
    username: Annotated[str, typer.Argument(help="Tên đăng nhập.")],
    name: Annotated[str, typer.Option("--name", help="Mã này dùng cho việc gì.")] = "",
    days: Annotated[int | None, typer.Option("--days", help="Hết hạn sau số ngày này.")] = None,
) -> None:
    """Cấp mã truy cập REST API (chỉ hiện một lần)."""
    try:
        typer.echo(accounts.issue_token(username, name, days=days))
    except accounts.AccountError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(2) from None
