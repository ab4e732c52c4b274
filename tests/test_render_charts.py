"""Charts: valid PNG and SVG files, Vietnamese text drawn with a font that has its glyphs."""

from __future__ import annotations

import struct
import time
import warnings
from xml.etree import ElementTree

import pytest
from matplotlib import font_manager

from test_render_docx import sample_report
from tonghop.render import registry
from tonghop.render.charts import FONTS, MAX_LABELS, chart_font, render_chart, render_charts
from tonghop.render.model import Series

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MONTHLY = Series("Số buổi tuyên truyền theo tháng", ["01/2025", "02/2025", "03/2025"],
                 {"Số buổi": [100, 120, 95]}, "buổi")
UNITS = Series("Kinh phí theo đơn vị", ["Xã Phước Hòa", "Phường Thủ Dầu Một", "Xã Định Hòa"],
               {"Kỳ này": [1234567.5, 2_000_000, None], "Cùng kỳ năm trước": [1_000_000, 1_500_000, 900_000]},
               "đồng", kind="bar")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("kind", ["line", "bar"])
def test_png_is_valid_and_no_glyph_is_missing(tmp_path, kind):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = render_chart(MONTHLY, tmp_path / "c.png", kind=kind)
    assert not [w for w in caught if "Glyph" in str(w.message)]
    width, height = _png_size(path.read_bytes())
    assert width > 600 and height > 300


def test_svg_is_valid_xml_with_vietnamese_text(tmp_path):
    path = render_chart(UNITS, tmp_path / "c.svg")
    root = ElementTree.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = path.read_text(encoding="utf-8")
    for label in ("Kinh phí theo đơn vị", "Phường Thủ Dầu Một", "Cùng kỳ năm trước", "đồng"):
        assert label in text


def test_axis_numbers_in_vietnamese_notation(tmp_path):
    text = render_chart(UNITS, tmp_path / "c.svg").read_text(encoding="utf-8")
    assert "2.000.000" in text and "2,000,000" not in text


def test_font_is_liberation_serif_when_installed():
    assert chart_font() in FONTS
    try:
        font_manager.findfont("Liberation Serif", fallback_to_default=False)
    except ValueError:
        pytest.skip("Liberation Serif not installed (apt-get install fonts-liberation2)")
    assert chart_font() == "Liberation Serif"


def test_several_series_stack_into_one_figure(tmp_path):
    one = _png_size(render_chart(MONTHLY, tmp_path / "one.png").read_bytes())
    two = _png_size(render_charts([MONTHLY, UNITS], tmp_path / "two.png").read_bytes())
    assert two[1] > one[1] * 1.5


@pytest.mark.parametrize(("series", "path", "kind", "message"), [
    (Series("Lệch", ["a", "b"], {"x": [1]}), "c.png", None, "Lệch.*1 giá trị"),
    (MONTHLY, "c.pdf", None, r"\.png hoặc \.svg"),
    (MONTHLY, "c.png", "pie", "pie"),
])
def test_bad_input_is_refused_with_a_reason(tmp_path, series, path, kind, message):
    with pytest.raises(ValueError, match=message):
        render_chart(series, tmp_path / path, kind=kind)


def test_registry_renders_report_series_as_png_and_svg(tmp_path):
    data = sample_report()
    png = registry.render("png", data, tmp_path / "bc.png")
    svg = registry.render("svg", data, tmp_path / "bc.svg")
    assert png.read_bytes()[:8] == PNG_MAGIC
    assert "Số buổi tuyên truyền theo tháng" in svg.read_text(encoding="utf-8")


def test_report_without_series_says_so(tmp_path):
    with pytest.raises(ValueError, match="Không có dãy số liệu"):
        registry.render("png", sample_report(series=[]), tmp_path / "x.png")


def test_thousands_of_units_stay_fast_and_readable(tmp_path):
    many = Series("Số buổi theo đơn vị", [f"Xã số {i}" for i in range(3300)], {"Số buổi": [i % 97 for i in range(3300)]},
                  "buổi", kind="bar")
    start = time.perf_counter()
    text = render_chart(many, tmp_path / "many.svg").read_text(encoding="utf-8")
    assert time.perf_counter() - start < 5
    labels = [f"Xã số {i}" for i in range(3300) if f">Xã số {i}<" in text]
    assert 10 <= len(labels) <= MAX_LABELS and labels[0] == "Xã số 0"


@pytest.mark.parametrize("series", [Series("Số buổi theo đơn vị", [], {"Số buổi": []}, kind="bar"),
                                    Series("Số buổi theo đơn vị", ["Xã Một", "Xã Hai"], {"Số buổi": [None, None]})])
def test_nothing_to_draw_gives_an_empty_chart_saying_so(tmp_path, series):
    text = render_chart(series, tmp_path / "empty.svg").read_text(encoding="utf-8")
    assert "Số buổi theo đơn vị" in text and "Chưa có số liệu để vẽ biểu đồ" in text
