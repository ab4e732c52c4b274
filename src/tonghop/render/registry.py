"""Renderers keyed by output format: register(fmt)(func), render(fmt, data, path), formats()."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

Renderer = Callable[[Any, str | Path], Path]

_RENDERERS: dict[str, Renderer] = {}
_BUILTIN = ("tonghop.render.docx_report", "tonghop.render.xlsx_report", "tonghop.render.charts")


def register(fmt: str) -> Callable[[Renderer], Renderer]:
    """Decorator: make FUNC the renderer for format FMT (lower-case file extension, e.g. "docx")."""
    key = fmt.lower().lstrip(".")

    def decorate(func: Renderer) -> Renderer:
        _RENDERERS[key] = func
        return func

    return decorate


def _load() -> None:
    for module in _BUILTIN:
        importlib.import_module(module)


def formats() -> list[str]:
    """The formats that can be rendered, sorted."""
    _load()
    return sorted(_RENDERERS)


def render(fmt: str, data: Any, path: str | Path) -> Path:
    """Render DATA (a ReportData) as FMT to PATH and return the written path."""
    _load()
    key = fmt.lower().lstrip(".")
    if key not in _RENDERERS:
        raise ValueError(f"Không có bộ xuất cho định dạng {fmt!r}: chỉ có {', '.join(sorted(_RENDERERS))}")
    return _RENDERERS[key](data, path)
