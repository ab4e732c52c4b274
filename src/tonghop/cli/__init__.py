"""The `tonghop` command: Typer, thin over `services`. Each sub-module registers its commands on `app`."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="tonghop — bàn tổng hợp báo cáo của cơ quan.")

# Command modules register themselves on `app`; a module not written yet is simply absent.
for _name in ("extract", "archive", "units", "reporting", "demo"):
    try:
        importlib.import_module(f"tonghop.cli.{_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"tonghop.cli.{_name}":
            raise


def main() -> None:
    """Entry point of the `tonghop` script."""
    app()
