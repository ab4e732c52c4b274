"""Reporting commands: templates, assignments, submissions (JSON, XLSX form, Word report), status, consolidation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tonghop.cli import app
from tonghop.cli.output import JsonOpt, exit_on, fail, print_json
from tonghop.regime.errors import RegimeError
from tonghop.services import consolidation, forms, proposals, submissions, templates
from tonghop.text.numbers import format_number

templates_app = typer.Typer(no_args_is_help=True, help="Mẫu báo cáo: nhập, xuất, liệt kê.")
app.add_typer(templates_app, name="templates")
UnitOpt = Annotated[str | None, typer.Option("--unit", help="Chỉ cây con của đơn vị này.")]


def _num(value) -> str:
    """A figure the Vietnamese way (1.204,75), at most two decimals; blank for None."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = format_number(value, 2)
        return text.rstrip("0").rstrip(",") if "," in text else text
    return format_number(value) if isinstance(value, int) else str(value)


@templates_app.command("import")
def import_template(file: Annotated[str, typer.Argument(help="Tệp YAML của mẫu.")], as_json: JsonOpt = False) -> None:
    """Nhập mẫu báo cáo từ YAML (lưu thành phiên bản mới nếu nội dung thay đổi)."""
    with exit_on(RegimeError):
        result = templates.import_template(file)
    if as_json:
        print_json(result)
    elif result["stored"]:
        typer.echo(f"Đã lưu mẫu {result['code']} phiên bản {result['version']}.")
    else:
        typer.echo(f"Mẫu {result['code']} không thay đổi (phiên bản {result['version']}).")


@templates_app.command("export")
def export_template(code: str, version: Annotated[int | None, typer.Option("--version")] = None) -> None:
    """Xuất mẫu báo cáo ra YAML."""
    try:
        typer.echo(templates.export_template(code, version), nl=False)
    except RegimeError as e:
        fail(str(e))


@templates_app.command("list")
def list_templates(as_json: JsonOpt = False) -> None:
    """Liệt kê các mẫu báo cáo."""
    rows = templates.list_templates()
    if as_json:
        print_json(rows)
        return
    table = Table(title="Mẫu báo cáo")
    for col in ("Mã", "Tên", "Kỳ", "Phiên bản", "Số chỉ tiêu"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["code"], escape(r["name"]), r["period_type"], str(r["version"]), str(len(r["indicators"])))
    Console().print(table)


@app.command()
def assign(
    template: Annotated[str, typer.Argument(help="Mã mẫu báo cáo.")],
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Loại đơn vị phải nộp (lặp lại được).")] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", help="Mã đơn vị phải nộp (lặp lại được).")] = None,
) -> None:
    """Giao mẫu báo cáo cho các loại đơn vị hoặc từng đơn vị."""
    with exit_on(RegimeError):
        added = templates.assign(template, kinds=kind, units=unit)
    typer.echo(f"Đã thêm {added} phân công cho mẫu {template}.")


def _show_proposals(found: proposals.Proposals) -> None:
    table = Table(title=f"Số liệu đọc từ {escape(found.path)}")
    for col in ("Chỉ tiêu", "Tên", "Giá trị", "Câu gốc"):
        table.add_column(col)
    for p in found.items:
        table.add_row(p.label, escape(p.name), escape(str(p.value)), escape(p.sentence[:90]))
    Console().print(table)
    for w in found.warnings:
        typer.echo(f"Cảnh báo: {w}", err=True)


@app.command()
def submit(
    unit: Annotated[str, typer.Argument(help="Mã đơn vị báo cáo.")],
    template: Annotated[str, typer.Argument(help="Mã mẫu báo cáo.")],
    period: Annotated[str, typer.Argument(help="Kỳ báo cáo: 2023M11, 2023Q1, 2023S1, 2023N9, 2023.")],
    json_file: Annotated[str | None, typer.Option("--json", help="Tệp JSON {mã chỉ tiêu: giá trị}.")] = None,
    xlsx: Annotated[str | None, typer.Option("--xlsx", help="Biểu mẫu XLSX đã điền.")] = None,
    report: Annotated[str | None, typer.Option("--report", help="Báo cáo của đơn vị (DOCX, PDF, TXT).")] = None,
    accept: Annotated[bool, typer.Option("--accept", help="Nhận số liệu đọc từ báo cáo, không hỏi lại.")] = False,
    based_on: Annotated[int | None, typer.Option("--based-on", help="Phiên bản đang sửa (khi nộp lại).")] = None,
    author: Annotated[str, typer.Option("--author", help="Người nộp.")] = "",
) -> None:
    """Nộp báo cáo của một đơn vị từ JSON, biểu mẫu XLSX hoặc báo cáo Word/PDF/TXT của đơn vị."""
    if sum(x is not None for x in (json_file, xlsx, report)) != 1:
        fail("Cần đúng một trong: --json TỆP, --xlsx TỆP, --report TỆP")
    try:
        if json_file is not None:
            saved = submissions.submit_json(unit, template, period, json_file, based_on=based_on, author=author)
        elif xlsx is not None:
            saved = forms.submit_form(unit, template, period, xlsx, based_on=based_on, author=author)
        else:
            found = proposals.propose_from_report(report, template)  # type: ignore[arg-type]
            _show_proposals(found)
            if not found.items:
                fail(f"{report}: không đọc được số liệu nào cho mẫu {template}")
            if not accept and not typer.confirm("Nộp các số liệu trên?", default=False):
                typer.echo("Chưa nộp gì.")
                raise typer.Exit(1)
            saved = proposals.submit_proposals(unit, template, period, found, based_on=based_on, author=author)
    except forms.FormErrors as e:
        for line in e.problems:
            typer.echo(line, err=True)
        raise typer.Exit(2) from None
    except RegimeError as e:
        fail(str(e))
    typer.echo(f"Đã lưu phiên bản {saved.version} ({saved.state}) của {saved.unit} kỳ {saved.period}"
               + ("" if saved.on_time is None else (", đúng hạn" if saved.on_time else ", trễ hạn")) + ".")


@app.command()
def review(
    unit: str, template: str, period: str,
    action: Annotated[str, typer.Argument(help="approve (duyệt) hoặc return (trả lại).")],
    based_on: Annotated[int, typer.Option("--based-on", help="Phiên bản đang duyệt.")],
    comment: Annotated[str | None, typer.Option("--comment", help="Lý do trả lại.")] = None,
    author: Annotated[str, typer.Option("--author")] = "",
) -> None:
    """Duyệt hoặc trả lại báo cáo của một đơn vị."""
    with exit_on(RegimeError):
        saved = submissions.review(unit, template, period, action, based_on=based_on, author=author, comment=comment)
    typer.echo(f"Phiên bản {saved.version}: {saved.state}.")


@app.command()
def form(
    unit: str, template: str, period: str,
    xlsx: Annotated[str, typer.Option("--xlsx", help="Nơi ghi biểu mẫu XLSX.")],
) -> None:
    """Tạo biểu mẫu XLSX điền sẵn cho một đơn vị và kỳ báo cáo."""
    with exit_on(RegimeError):
        path = forms.generate_form(unit, template, period, xlsx)
    typer.echo(f"Đã ghi {path}")


@app.command("status")
def status_cmd(template: str, period: str, unit: UnitOpt = None, as_json: JsonOpt = False) -> None:
    """Tình hình nộp báo cáo: số đơn vị phải nộp, đã nộp, đúng hạn, trễ hạn, chưa nộp."""
    with exit_on(RegimeError):
        result = submissions.status(template, period, unit)
    if as_json:
        print_json(result)
        return
    typer.echo(f"Phải nộp {result['expected']}, đã nộp {result['submitted']} (đúng hạn {result['on_time']}, "
               f"trễ hạn {result['late']}), chưa nộp {len(result['missing'])}.")
    if result["missing"]:
        typer.echo("Chưa nộp: " + ", ".join(result["missing"]))


@app.command("submissions")
def submissions_cmd(template: str, period: str, unit: UnitOpt = None, as_json: JsonOpt = False) -> None:
    """Phiên bản mới nhất của báo cáo từng đơn vị."""
    with exit_on(RegimeError):
        rows = submissions.list_submissions(template, period, unit)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Báo cáo {template} kỳ {period}")
    for col in ("Đơn vị", "Trạng thái", "Nộp lúc", "Đúng hạn", "Phiên bản"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["unit"], r["state"], r["submitted_at"] or "", {True: "có", False: "trễ", None: ""}[r["on_time"]],
                      str(r["version"]))
    Console().print(table)


@app.command("consolidate")
def consolidate_cmd(
    unit: str, template: str, period: str,
    approved_only: Annotated[bool, typer.Option("--approved-only", help="Chỉ báo cáo đã duyệt.")] = False,
    rebase: Annotated[bool, typer.Option("--rebase", help="Tính theo địa giới hành chính hiện nay.")] = False,
    docx: Annotated[str | None, typer.Option("--docx", help="Ghi báo cáo tổng hợp DOCX.")] = None,
    xlsx: Annotated[str | None, typer.Option("--xlsx", help="Ghi bảng tổng hợp XLSX.")] = None,
    chart: Annotated[str | None, typer.Option("--chart", help="Ghi biểu đồ PNG/SVG.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Tổng hợp số liệu của các đơn vị cấp dưới; ghi DOCX/XLSX/biểu đồ nếu yêu cầu."""
    with exit_on(RegimeError):
        result = consolidation.consolidate_and_render(unit, template, period, approved_only=approved_only,
                                                      rebase=rebase, docx=docx, xlsx=xlsx, chart=chart)
    if as_json:
        print_json(result)
        return
    table = Table(title=f"Tổng hợp {template} kỳ {period} — {unit}")
    for col in ("Chỉ tiêu", "Kỳ này", "Kỳ trước", "Cùng kỳ năm trước"):
        table.add_column(col, justify="left" if col == "Chỉ tiêu" else "right")
    for ind in result["indicators"]:
        table.add_row(ind["code"], *(_num(ind[k]) for k in ("value", "previous", "same_period_last_year")))
    Console().print(table)
    c = result["completeness"]
    typer.echo(f"Đã nộp {c['submitted']}/{c['expected']}; chưa nộp: {', '.join(c['missing']) or 'không'}")
    for path in (docx, xlsx, chart):
        if path:
            typer.echo(f"Đã ghi {Path(path)}")
    for w in result.get("warnings", []):
        typer.echo(f"Cảnh báo: {w}", err=True)


@app.command()
def versions(unit: str, template: str, period: str, as_json: JsonOpt = False) -> None:
    """Mọi phiên bản đã lưu của báo cáo một đơn vị (không phiên bản nào bị ghi đè)."""
    rows = submissions.history(unit, template, period)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"Các phiên bản báo cáo {template} của {unit} kỳ {period}")
    for col in ("Phiên bản", "Trạng thái", "Thao tác", "Người lưu", "Lúc", "Nguồn", "Ý kiến"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r["version"]), r["state"], r["action"], escape(r["author"]), r["created_at"], r["source"],
                      escape(r["comment"] or ""))
    Console().print(table)


@app.command()
def holiday(
    day: Annotated[str, typer.Argument(help="Ngày (YYYY-MM-DD).")],
    work: Annotated[bool, typer.Option("--work", help="Ngày làm việc (bỏ khỏi lịch nghỉ).")] = False,
    name: Annotated[str, typer.Option("--name", help="Tên ngày nghỉ.")] = "",
) -> None:
    """Thêm ngày nghỉ (hoặc ngày làm bù với --work) vào lịch tính hạn nộp báo cáo."""
    from datetime import date

    try:
        submissions.set_holiday(date.fromisoformat(day), off=not work, name=name)
    except ValueError:
        fail(f"'{day}' không phải là ngày (YYYY-MM-DD)")
    typer.echo(f"Đã ghi {day}: {'ngày làm việc' if work else 'ngày nghỉ'}.")
