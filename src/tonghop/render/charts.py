"""Charts of report series as PNG or SVG (matplotlib, Agg backend, a serif font with Vietnamese glyphs)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from tonghop.render.model import ReportData, Series, clean_text, format_cell  # noqa: E402
from tonghop.render.registry import register  # noqa: E402

FONTS = ("Liberation Serif", "DejaVu Serif")
KINDS = ("line", "bar")
MAX_LABELS = 30
MANY_BARS = 300
NOTHING_TO_DRAW = "Chưa có số liệu để vẽ biểu đồ"


@cache
def chart_font() -> str:
    """The first of FONTS installed here (DejaVu Serif ships with matplotlib, so one always is)."""
    for name in FONTS:
        try:
            font_manager.findfont(name, fallback_to_default=False)
            return name
        except ValueError:
            continue
    return "DejaVu Serif"


def _axis_number(value: float, _pos: int) -> str:
    return format_cell(round(value, 2))


def has_figures(series: Series) -> bool:
    """Whether SERIES has at least one category with a value (else its chart is an empty frame)."""
    return bool(series.categories) and any(v is not None for vals in series.values.values() for v in vals)


def _draw_nothing(ax, series: Series) -> None:
    ax.set_title(clean_text(series.title), fontsize=13, fontweight="bold")
    ax.text(0.5, 0.5, NOTHING_TO_DRAW, ha="center", va="center", transform=ax.transAxes, fontsize=12, style="italic")
    ax.set_xticks([])
    ax.set_yticks([])


def _draw(ax, series: Series, kind: str) -> None:
    if not series.categories:  # a unit with no unit below it: a frame that says so, not a crash
        _draw_nothing(ax, series)
        return
    names = list(series.values)
    positions = list(range(len(series.categories)))
    width = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        values = [float(v) if v is not None else float("nan") for v in series.values[name]]
        if len(values) != len(positions):
            raise ValueError(f"Biểu đồ {series.title!r}: dãy {name!r} có {len(values)} giá trị, "
                             f"cần {len(positions)} theo số nhóm")
        if kind == "bar" and len(positions) > MANY_BARS:  # one filled outline instead of thousands of patches
            ax.fill_between(positions, values, step="mid", alpha=0.6 if len(names) > 1 else 0.9, label=clean_text(name))
        elif kind == "bar":
            offset = (i - (len(names) - 1) / 2) * width
            ax.bar([p + offset for p in positions], values, width=width, label=clean_text(name))
        else:
            ax.plot(positions, values, marker="o", label=clean_text(name))
    ax.set_title(clean_text(series.title), fontsize=13, fontweight="bold")
    step = -(-len(positions) // MAX_LABELS)  # thousands of tick labels are unreadable and take half a minute
    shown = positions[::step]
    ax.set_xticks(shown, [clean_text(series.categories[p]) for p in shown],
                  rotation=45 if len(shown) > 8 else 0, ha="right" if len(shown) > 8 else "center")
    if series.unit:
        ax.set_ylabel(clean_text(series.unit))
    ax.yaxis.set_major_formatter(FuncFormatter(_axis_number))
    ax.grid(axis="y", alpha=0.3)
    if kind == "bar" or min((v for vals in series.values.values() for v in vals if v is not None), default=0) >= 0:
        ax.set_ylim(bottom=0)
    if len(names) > 1:
        ax.legend()
    if not has_figures(series):
        ax.text(0.5, 0.5, NOTHING_TO_DRAW, ha="center", va="center", transform=ax.transAxes, fontsize=12,
                style="italic")


def _save(fig: Figure, path: Path) -> Path:
    suffix = path.suffix.lower()
    if suffix == ".png":
        fig.savefig(path, format="png", dpi=150, metadata={"Software": None})
    elif suffix == ".svg":
        fig.savefig(path, format="svg", metadata={"Date": None, "Creator": None})
    else:
        raise ValueError(f"Không ghi được biểu đồ {path.name!r}: chỉ nhận đuôi .png hoặc .svg")
    return path


def render_charts(series: list[Series], path: str | Path, kind: str | None = None) -> Path:
    """Draw each of SERIES in its own panel, one under another, into PATH (.png or .svg)."""
    if not series:
        raise ValueError(f"Không có dãy số liệu nào để vẽ biểu đồ {Path(path).name!r}")
    for s in series:
        if (kind or s.kind) not in KINDS:
            raise ValueError(f"Biểu đồ {s.title!r}: kiểu {kind or s.kind!r} không hỗ trợ, chỉ có line hoặc bar")
    path = Path(path)
    params = {"font.family": "serif", "font.serif": [chart_font(), "DejaVu Serif"], "svg.fonttype": "none",
              "axes.unicode_minus": False}
    with matplotlib.rc_context(params):
        widest = min(MAX_LABELS, max(len(s.categories) for s in series))
        fig = Figure(figsize=(max(7.0, min(16.0, 0.5 * widest)), 4.2 * len(series)), layout="constrained")
        for ax, s in zip(fig.subplots(len(series), 1, squeeze=False)[:, 0], series, strict=True):
            _draw(ax, s, kind or s.kind)
        return _save(fig, path)


def render_chart(series: Series, path: str | Path, kind: str | None = None) -> Path:
    """Draw SERIES as a line (indicator over periods) or bar chart (units compared) into PATH (.png or .svg)."""
    return render_charts([series], path, kind)


@register("png")
def render_png(data: ReportData, path: str | Path) -> Path:
    """All of DATA's series as one PNG."""
    return render_charts(data.series, Path(path).with_suffix(".png"))


@register("svg")
def render_svg(data: ReportData, path: str | Path) -> Path:
    """All of DATA's series as one SVG."""
    return render_charts(data.series, Path(path).with_suffix(".svg"))
