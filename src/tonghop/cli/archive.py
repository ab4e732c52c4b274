"""Archive commands: ingest files, search, show a document, follow its citations."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.tree import Tree

from tonghop.cli import app
from tonghop.cli.output import JsonOpt, print_json
from tonghop.services import archive


def _ingest_with_bar(paths: list[str], console: Console) -> archive.IngestReport:
    columns = (
        TextColumn("[bold]Nạp văn bản"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} tệp/giây"), TimeElapsedColumn(), TextColumn("{task.fields[name]}"),
    )  # fmt: skip
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("ingest", total=None, rate="0.0", name="")

        def advance(done: int, total: int, path: str) -> None:
            elapsed = bar.tasks[0].elapsed or 1e-9
            bar.update(task, completed=done, total=total, rate=f"{done / elapsed:.1f}", name=escape(path[-40:]))

        return archive.ingest_paths(paths, progress=advance)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Tệp hoặc thư mục (đọc cả thư mục con).")],
    as_json: JsonOpt = False,
) -> None:
    """Nạp văn bản (TXT, DOCX, PDF, HTML) vào kho lưu trữ; tệp lỗi được bỏ qua và báo lại."""
    err = Console(stderr=True)
    report = archive.ingest_paths(paths) if as_json else _ingest_with_bar(paths, err)
    for failure in report.failures:
        typer.echo(f"{failure.path}: {failure.reason}", err=True)
    if as_json:
        print_json(report.to_dict())
    else:
        table = Table(title="Kết quả nạp văn bản")
        for col in ("Thêm mới", "Bỏ qua (đã có)", "Lỗi", "Thời gian (giây)"):
            table.add_column(col, justify="right")
        table.add_row(str(report.added), str(report.skipped), str(report.failed), f"{report.seconds:.2f}")
        Console().print(table)
    if report.failed:
        raise typer.Exit(2)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Từ khóa, có hoặc không dấu; số ký hiệu như 3006/KH-UBND.")],
    type: Annotated[str | None, typer.Option("--type", help="Loại văn bản: KH, BC, QĐ, NQ, CV...")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm ban hành.")] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="Cơ quan ban hành (một phần tên).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Tìm văn bản trong kho (không phân biệt dấu, đ/d, vị trí dấu thanh)."""
    results = archive.search(query, type=type, year=year, issuer=issuer, limit=limit)
    if as_json:
        print_json(results.to_dict())
        return
    console = Console()
    if not results.hits:
        console.print(f"Không tìm thấy văn bản nào cho “{escape(query)}”.")
        return
    for hit in results.hits:
        head = f"[bold]#{hit.id}[/bold] {escape(hit.title)}"
        meta = " · ".join(escape(x) for x in (hit.issuer, hit.date) if x)
        console.print(head + (f"  [dim]{meta}[/dim]" if meta else ""))
        console.print("   " + hit.marked("[reverse]", "[/reverse]", escape))


@app.command()
def show(doc_id: Annotated[int, typer.Argument(help="Số lưu trữ của văn bản.")], as_json: JsonOpt = False) -> None:
    """Xem một văn bản: thông tin trích xuất, số liệu, văn bản được dẫn và văn bản dẫn đến nó."""
    try:
        doc = archive.show_document(doc_id)
    except archive.DocumentNotFound as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    if as_json:
        print_json(doc)
        return
    console = Console()
    console.print(f"[bold]#{doc['id']} {escape(doc['title'])}[/bold]")
    info = Table(show_header=False, box=None)
    labels = (("number", "Số, ký hiệu"), ("issuer", "Cơ quan ban hành"), ("place", "Địa danh"),
              ("date", "Ngày"), ("signer_name", "Người ký"), ("filename", "Tệp"), ("encoding", "Mã hóa"))  # fmt: skip
    for key, label in labels:
        if doc.get(key):
            info.add_row(label, escape(str(doc[key])))
    console.print(info)
    if doc["quantities"]:
        console.print("[bold]Số liệu[/bold]")
        for q in doc["quantities"]:
            console.print(f"  - {escape(q['text'])} = {q['value']:g} {escape(q['unit'] or '')}")
    for title, items in (("Văn bản được dẫn", doc["cites"]), ("Được dẫn bởi", doc["cited_by"])):
        if items:
            console.print(f"[bold]{title}[/bold]")
        for c in items:
            target = c.get("target_id") or c.get("document_id")
            label = c.get("title") or c.get("text")
            console.print(f"  - {escape(label)}" + (f" [dim](#{target})[/dim]" if target else ""))


def _add_branch(tree: Tree, nodes: list[dict]) -> None:
    for node in nodes:
        ref = f"#{node['id']} " if node["id"] else "[dim](chưa có trong kho)[/dim] "
        label = (
            ref
            + escape(node["title"] or node["number"] or "")
            + (" [red](vòng lặp)[/red]" if node.get("cycle") else "")
        )
        _add_branch(tree.add(label), node["children"])


@app.command()
def cites(
    doc_id: Annotated[int, typer.Argument(help="Số lưu trữ của văn bản.")],
    depth: Annotated[int, typer.Option("--depth", min=1, max=10, help="Số tầng theo mỗi chiều.")] = 3,
    as_json: JsonOpt = False,
) -> None:
    """Cây dẫn chiếu: lên các văn bản chỉ đạo mà văn bản thực hiện, xuống các văn bản trả lời nó."""
    try:
        tree = archive.citation_tree(doc_id, depth=depth)
    except archive.DocumentNotFound as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    if as_json:
        print_json(tree)
        return
    root = Tree(f"[bold]#{tree['id']} {escape(tree['title'])}[/bold]")
    _add_branch(root.add("[bold]↑ Thực hiện / dẫn chiếu[/bold]"), tree["up"])
    _add_branch(root.add("[bold]↓ Được dẫn bởi[/bold]"), tree["down"])
    Console().print(root)
