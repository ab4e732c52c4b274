"""The `tonghop` command: Typer, thin over `services`. Each sub-module registers its commands on `app`."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="tonghop — bàn tổng hợp báo cáo của cơ quan.")

COMMAND_MODULES = ("extract", "archive", "units", "reporting", "users", "serve", "backup", "demo")
for _name in COMMAND_MODULES:
    importlib.import_module(f"tonghop.cli.{_name}")


def main() -> None:
    """Entry point of the `tonghop` script."""
    app()
