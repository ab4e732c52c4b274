"""What every command prints the same way: JSON for scripts, and one error line with exit status 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, NoReturn

import typer

JsonOpt = Annotated[bool, typer.Option("--json", help="Chỉ in JSON (cho script đọc).")]


def print_json(data) -> None:
    """DATA as indented JSON, Vietnamese letters as they are."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def fail(message: str) -> NoReturn:
    """MESSAGE on stderr, then exit status 2."""
    typer.echo(message, err=True)
    raise typer.Exit(2)


@contextmanager
def exit_on(*errors: type[BaseException]) -> Iterator[None]:
    """Turn ERRORS raised in the block into one error line and exit status 2."""
    try:
        yield
    except errors as exc:
        fail(str(exc))
