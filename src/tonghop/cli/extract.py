"""`tonghop extract FILE [--json]`: the facts of one document."""

from __future__ import annotations

import json
import unicodedata
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tonghop.cli import app
from tonghop.services.extraction import ReadError, extract_file

_FIELDS = (
    ("doc_type", "Loại"), ("type_name", "Tên loại"), ("number", "Số, ký hiệu"), ("parent_issuer", "Cơ quan chủ quản"),
    ("issuer", "Cơ quan ban hành"), ("place", "Địa danh"), ("date", "Ngày ban hành"), ("subject", "Trích yếu"),
)


def _summary(facts: dict, console: Console) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    if facts.get("doc_type") == "TIN":
        table.add_row("Loại", "TIN — tin bài, không có phần đầu văn bản")
    for key, label in _FIELDS:
        if facts.get(key) and not (key == "doc_type" and facts[key] == "TIN"):
            table.add_row(label, escape(str(facts[key])))
    signer = facts.get("signer") or {}
    if signer:
        who = " ".join(x for x in (signer.get("authority"), signer.get("title")) if x)
        table.add_row("Người ký", escape(f"{who} — {signer.get('name') or '(không rõ tên)'}"))
    console.print(table)
    if facts["recipients"]:
        console.print("[bold]Nơi nhận:[/bold] " + escape("; ".join(facts["recipients"])))
    for sec in facts["sections"]:
        console.print("  " * (sec["level"] - 1) + escape(f"{sec['label']} {sec['title'][:100]}"))
    if facts["cited"]:
        console.print(f"[bold]Văn bản được dẫn ({len(facts['cited'])}):[/bold]")
        for c in facts["cited"]:
            console.print(escape(f"  • {c['number']}" + (f" ngày {c['date']}" if c["date"] else "")))
    if facts["quantities"]:
        console.print(f"[bold]Số liệu ({len(facts['quantities'])}):[/bold] "
                      + escape("; ".join(q["text"] for q in facts["quantities"][:20])))
    for w in facts["warnings"]:
        console.print(f"[yellow]Cảnh báo:[/yellow] {escape(w)}")


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="Tệp văn bản (TXT, DOCX, PDF, HTML).")],
    as_json: Annotated[bool, typer.Option("--json", help="Chỉ in một đối tượng JSON.")] = False,
) -> None:
    """Đọc một văn bản và in các thông tin trích được (số, loại, cơ quan, ngày, trích yếu, người ký...)."""
    try:
        facts = extract_file(path)
    except ReadError as exc:
        typer.echo(f"{exc.path}: {exc.reason}", err=True)
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(unicodedata.normalize("NFC", json.dumps(facts, ensure_ascii=False)))
    else:
        _summary(facts, Console())
