"""Unit commands: import units (file or a real province), list the tree on a day, show a unit's lineage."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tonghop.cli import app
from tonghop.cli.output import JsonOpt, exit_on, fail, print_json
from tonghop.regime.errors import RegimeError
from tonghop.services import units as units_service

units_app = typer.Typer(no_args_is_help=True, help="Đơn vị: nhập, liệt kê, lịch sử sáp nhập/chia tách.")
app.add_typer(units_app, name="units")


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--at: '{value}' không phải là ngày (YYYY-MM-DD)")
    return None


@units_app.command("import")
def import_units(
    file: Annotated[str | None, typer.Argument(help="Tệp YAML hoặc CSV (code, name, kind, parent, ...).")] = None,
    province: Annotated[str | None, typer.Option("--province", help="Tên tỉnh/thành phố thật (kèm lịch sử 2025).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Nhập đơn vị từ tệp, hoặc một tỉnh/thành phố thật cùng các huyện, xã trước và sau sắp xếp năm 2025."""
    if (file is None) == (province is None):
        fail("Cần đúng một trong: TỆP hoặc --province TÊN")
    with exit_on(RegimeError):
        report = (units_service.import_province(province) if province is not None
                  else units_service.import_units_file(file))  # type: ignore[arg-type]
    if as_json:
        print_json(report.to_dict())
        return
    where = f" ({report.province})" if report.province else ""
    typer.echo(f"Đã nhập {report.units} đơn vị, {report.events} sự kiện, {report.memberships} thành viên{where}.")
    for w in report.warnings:
        typer.echo(f"Cảnh báo: {w}", err=True)


@units_app.command("list")
def list_units(
    at: Annotated[str | None, typer.Option("--at", help="Ngày (YYYY-MM-DD); mặc định hôm nay.")] = None,
    under: Annotated[str | None, typer.Option("--under", help="Chỉ cây con của đơn vị này.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Liệt kê cây đơn vị có hiệu lực vào một ngày."""
    with exit_on(RegimeError):
        rows = units_service.list_units(_day(at), under=under)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Đơn vị ngày {(at or date.today().isoformat())}")
    for col in ("Mã", "Tên", "Loại", "Cấp trên"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["code"], escape(r["name"]), r["kind"], r["parent"] or "")
    Console().print(table)


@units_app.command("lineage")
def lineage(code: Annotated[str, typer.Argument(help="Mã đơn vị.")], as_json: JsonOpt = False) -> None:
    """Các phiên bản, sự kiện sáp nhập/chia tách và đơn vị kế thừa hôm nay của một đơn vị."""
    with exit_on(RegimeError):
        info = units_service.unit_lineage(code)
    if as_json:
        print_json(info)
        return
    console = Console()
    for v in info["versions"]:
        console.print(f"{v['code']} {escape(v['name'])} ({v['kind']}, cấp trên {v['parent'] or '—'}): "
                      f"{v['valid_from'] or '…'} → {v['valid_to'] or '…'}")
    for e in info["events"]:
        names = e["names"]
        src = ", ".join(f"{c} {names[c]}" for c in e["sources"])
        dst = ", ".join(f"{c} {names[c]}" for c in e["targets"])
        console.print(f"{e['date']} {e['kind']}: {escape(src)} → {escape(dst)}")
    succ = ", ".join(f"{c}" + ("" if s in (1.0, None) else f" ({s:.0%})") for c, s in info["successors"].items())
    console.print(f"Hôm nay thuộc: {succ}")
