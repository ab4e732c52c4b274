"""Template definitions: parsing with field paths, round trip, the built-in YAML forms."""

from __future__ import annotations

import copy
import unicodedata

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tonghop.regime.errors import TemplateError
from tonghop.regime.templates import builtin_template_files, parse_template, template_to_dict

MINIMAL = {
    "code": "bc-thu",
    "name": "Báo cáo thử",
    "period_type": "month",
    "indicators": [
        {"code": "a", "label": "1", "name": "Số hội nghị", "unit": "hội nghị"},
        {"code": "b", "label": "2", "name": "Số người dự", "unit": "người"},
    ],
}


def builtin() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in builtin_template_files()}


def with_change(path: list, value) -> dict:
    data = copy.deepcopy(MINIMAL)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def test_minimal_template_defaults():
    t = parse_template(MINIMAL)
    assert (t.cutoff, t.deadline_days, t.version) == ("calendar", 5, 1)
    assert t.indicators[0].aggregation == "sum" and t.indicators[0].type == "integer"
    assert t.indicator("2").code == "b"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["indicators", 1, "aggregation"], "summ", "indicators[1].aggregation: 'summ' không hợp lệ"),
        (["indicators", 0, "type"], "số", "indicators[0].type: 'số' không hợp lệ"),
        (["indicators", 0, "name"], "", "indicators[0].name: bắt buộc"),
        (["indicators", 1, "code"], "a", "indicators[1].code: mã 'a' bị trùng"),
        (["indicators", 0, "target"], "nhiều", "indicators[0].target: 'nhiều' không phải là số"),
        (["indicators", 0, "colour"], "đỏ", "indicators[0].colour: trường không được hỗ trợ"),
        (["period_type"], "weekly", "period_type: 'weekly' không hợp lệ"),
        (["cutoff"], "nd09", "cutoff: 'nd09' không hợp lệ"),
        (["deadline_days"], -1, "deadline_days: phải là số nguyên"),
        (["rules"], [{"kind": "le", "indicator": "a", "other": "z"}], "rules[0].other: không có chỉ tiêu 'z'"),
        (["rules"], [{"kind": "le", "indicator": "a"}], "rules[0].other:"),
        (["rules"], [{"kind": "less"}], "rules[0].kind: 'less' không hợp lệ"),
        (["sections"], [{"label": "I.", "title": "KẾT QUẢ", "indicators": ["x"]}],
         "sections[0].indicators[0]: không có chỉ tiêu 'x'"),
        (["indicators", 0], {"code": "a", "name": "Ghi chú", "type": "text", "aggregation": "sum"},
         "indicators[0].aggregation: chỉ tiêu dạng chữ"),
        (["indicators", 0], ["a"], "indicators[0]: phải là một bảng"),
        (["indicators", 0], {"code": "a", "name": "Tỷ lệ", "aggregation": "avg", "categories": ["Nam", "Nữ"]},
         "indicators[0].categories: chỉ tiêu có phân tổ phải tổng hợp bằng 'sum' hoặc 'last'"),
    ],
)
def test_errors_name_the_field_path(path, value, message):
    with pytest.raises(TemplateError) as err:
        parse_template(with_change(path, value))
    assert str(err.value).startswith(message)


def test_round_trip_of_minimal_and_builtins():
    for data in [MINIMAL, *builtin().values()]:
        t = parse_template(data)
        assert parse_template(template_to_dict(t)) == t


def test_to_dict_leaves_out_defaults():
    d = template_to_dict(parse_template(MINIMAL))
    assert "target" not in d["indicators"][0] and "rules" not in d
    assert d["indicators"][0]["aggregation"] == "sum"


def test_builtin_monthly_ideology_form():
    t = parse_template(builtin()["bc-tu-tuong-thang"])
    assert [i.label for i in t.indicators] == ["1", "2.a", "2.b", "3", "4"]
    assert t.period_type == "month" and t.cutoff == "decree09"
    assert [s.label for s in t.sections] == ["I.", "II.", "III.", "IV."]
    assert t.sections[0].indicators == tuple(i.code for i in t.indicators)
    assert t.indicator("2.b").display == "Chỉ tiêu 2.b (Số lượt chia sẻ, quan tâm)"


def test_builtin_annual_plan_form():
    t = parse_template(builtin()["bc-thuc-hien-ke-hoach-nam"])
    units = {i.unit for i in t.indicators}
    assert {"hội nghị", "điểm cầu", "người", "lớp", "học viên", "m²", "đợt", "chương trình", "phút", "cuộc"} <= units
    assert t.period_type == "year"
    assert [s.label for s in t.sections if s.level == 1] == ["I.", "II.", "III."]


def test_builtin_socio_economic_form():
    t = parse_template(builtin()["bc-kinh-te-xa-hoi-thang"])
    units = {i.unit for i in t.indicators}
    assert {"đồng", "triệu đồng", "%", "ha"} <= units
    avg = [i for i in t.indicators if i.type == "percent" and i.aggregation == "avg"]
    assert avg and avg[0].target is not None
    assert any(i.categories for i in t.indicators)


def test_builtins_are_nfc():
    for p in builtin_template_files():
        text = p.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, p.name


_names = st.text(st.characters(codec="utf-8", categories=["L", "N", "Zs"]), min_size=1, max_size=20).map(str.strip)


@given(st.lists(st.tuples(_names, st.sampled_from(["integer", "decimal", "percent"]),
                          st.sampled_from(["sum", "avg", "min", "max", "last", "none"]),
                          st.none() | st.integers(0, 10**6)), min_size=1, max_size=6))
def test_round_trip_property(rows):
    indicators = [{"code": f"c{i}", "name": name or "x", "type": kind, "aggregation": agg, "target": target}
                  for i, (name, kind, agg, target) in enumerate(rows)]
    t = parse_template({"code": "t", "name": "T", "period_type": "quarter", "indicators": indicators})
    assert parse_template(template_to_dict(t)) == t


def _texts(node):
    """Every string in a YAML tree."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)


def test_builtin_texts_use_vietnamese_quotes():
    straight = [(name, s) for name, data in builtin().items() for s in _texts(data) if '"' in s or "'" in s]
    assert straight == [], "use typographic quotes “…” in user-facing texts"
    assert any("“Không có”" in s for data in builtin().values() for s in _texts(data))
