"""`tonghop demo`: build the demo database (sample archive + demo province), show a short tour, then serve."""

from __future__ import annotations

import os
from importlib.util import find_spec
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from tonghop.cli import app
from tonghop.services import demo
from tonghop.services.accounts import ROLES


def _tree(node: dict, label: str) -> Tree:
    tree = Tree(label)
    for direction, title in (("up", "Thực hiện văn bản"), ("down", "Được thực hiện/trả lời bởi")):
        for child in node.get(direction) or []:
            tree.add(_tree(child, f"[dim]{title}:[/dim] #{child.get('id', '?')} {escape(child.get('title') or '')}"))
    return tree


@app.command("demo")
def demo_command(
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Chỉ tạo cơ sở dữ liệu mẫu rồi thoát.")] = False,
    keep: Annotated[bool, typer.Option("--keep", help="Giữ cơ sở dữ liệu mẫu SQLite đã có (không tạo lại).")] = False,
    port: Annotated[int, typer.Option("--port", help="Cổng máy chủ web.")] = 8000,
) -> None:
    """Tạo cơ sở dữ liệu mẫu (kho văn bản và một tỉnh có 24 tháng báo cáo), giới thiệu nhanh rồi mở giao diện web."""
    console = Console()
    configured = os.environ.get("DATABASE_URL")
    url = demo.demo_database_url(configured)
    with console.status("Đang tạo dữ liệu mẫu…"):
        report = demo.build_demo(url=url, fresh=not keep and not configured)
    console.print(f"[bold]Cơ sở dữ liệu mẫu:[/bold] {escape(report.url)}")
    console.print(f"Văn bản trong kho: {report.documents}")
    for path, reason in report.failures:
        console.print(f"[red]Lỗi[/red] {escape(path)}: {escape(reason)}")
    p = report.province
    console.print(f"Tỉnh mẫu: {escape(str(p.get('province')))} — {p.get('units', '?')} đơn vị, "
                  f"{p.get('submitted', '?')} báo cáo đã nộp ({p.get('late', '?')} trễ hạn, "
                  f"{p.get('missing', '?')} chưa nộp)")  # fmt: skip
    if report.search is not None:
        console.print(f"\n[bold]Tìm “{demo.TOUR_QUERY}”:[/bold]")
        for hit in report.search.hits:
            console.print(f"  #{hit.id} {escape(hit.title)}")
    if report.tree:
        console.print("\n[bold]Cây dẫn chiếu của kết quả đầu tiên:[/bold]")
        console.print(_tree(report.tree, f"#{report.tree.get('id')} {escape(report.tree.get('title') or '')}"))
    if report.accounts:
        console.print("\n[bold]Tài khoản mẫu[/bold] (mật khẩu: " + escape(report.accounts[0]["password"]) + "):")
        width = max(len(name) for name in ROLES.values())
        for a in report.accounts:
            console.print(f"  {a['username']:<16} {ROLES.get(a['role'], a['role']):<{width}}  đơn vị {escape(a['unit'])}")
    if report.sample_report:
        console.print(f"\nBáo cáo mẫu của xã để thử nạp và xác nhận số liệu: {escape(report.sample_report)}")
    console.print(f"\nThử tiếp: DATABASE_URL={report.url} tonghop search \"bao cao chuyen doi so\"")
    if no_serve:
        return
    _serve(report.url, port, console)


def _serve(url: str, port: int, console: Console) -> None:
    if find_spec("tonghop.asgi") is None:
        console.print("(Giao diện web chưa có trong bản này.)")
        return
    os.environ["DATABASE_URL"] = url
    console.print(f"[bold green]Giao diện web:[/bold green] http://127.0.0.1:{port}/  (Ctrl+C để dừng)")
    uvicorn.run("tonghop.asgi:create_app", factory=True, host="127.0.0.1", port=port)
