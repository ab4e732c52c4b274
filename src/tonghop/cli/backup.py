"""`tonghop backup` / `tonghop restore`: one file holding the whole database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tonghop.cli import app
from tonghop.services import backup


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} kB"


def _describe(r: backup.BackupReport) -> str:
    return f"{_size(r.bytes)}, {r.tables} bảng, {r.documents} văn bản, {r.submissions} báo cáo"


@app.command("backup")
def backup_(
    path: Annotated[Path, typer.Argument(help="Tệp sao lưu: .db (SQLite) hoặc .dump (PostgreSQL, pg_dump).")],
) -> None:
    """Sao lưu cơ sở dữ liệu đang chạy (DATABASE_URL) vào một tệp, nhất quán kể cả khi đang có người ghi."""
    try:
        report = backup.backup_database(path)
    except backup.BackupError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Đã sao lưu vào {report.path}: {_describe(report)}.")


@app.command("restore")
def restore(
    path: Annotated[Path, typer.Argument(help="Tệp sao lưu do `tonghop backup` tạo.")],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè cơ sở dữ liệu đích dù đã có dữ liệu.")] = False,
) -> None:
    """Khôi phục bản sao lưu vào DATABASE_URL rồi nâng cấu trúc lên bản mới nhất."""
    try:
        report = backup.restore_database(path, force=force)
    except backup.BackupError as exc:
        typer.echo(f"Lỗi: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Đã khôi phục {report.path}: {_describe(report)}.")
