"""Report templates: indicators, narrative sections, validation rules, period type, cut-off and deadline rules.

Templates arrive as plain dicts (the service layer loads YAML or JSON); `parse_template` checks them field by field
and `template_to_dict` writes them back (round trip).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tonghop.regime.errors import TemplateError
from tonghop.regime.periods import CUTOFF_RULES, PERIOD_KINDS, PERIOD_NAMES

INDICATOR_TYPES = ("integer", "decimal", "percent", "text")
AGGREGATIONS = ("sum", "avg", "min", "max", "last", "none")
RULE_KINDS = ("non_negative", "required", "le", "ge", "max", "min")
NUMERIC_TYPES = ("integer", "decimal", "percent")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One figure of a form. `label` is the item number as printed ("1", "2.a"); `code` the stable key of values."""

    code: str
    name: str
    unit: str = ""
    type: str = "integer"
    aggregation: str = "sum"
    label: str = ""
    categories: tuple[str, ...] = ()
    target: float | None = None
    required: bool = False
    description: str = ""

    @property
    def numeric(self) -> bool:
        """True for integer, decimal and percent indicators."""
        return self.type in NUMERIC_TYPES

    @property
    def display(self) -> str:
        """How messages name the indicator: 'Chỉ tiêu 2.b (Số lượt chia sẻ)'."""
        return f"Chỉ tiêu {self.label or self.code} ({self.name})"


@dataclass(frozen=True, slots=True)
class NarrativeSection:
    """A part of the form's outline ("II.", "KINH NGHIỆM HAY, CÁCH LÀM HIỆU QUẢ").

    `indicators` lists the codes of the figures printed under this part (section I of most forms); `level` is 1 for
    roman parts, 2 for their numbered sub-parts.
    """

    code: str
    label: str
    title: str
    hint: str = ""
    required: bool = False
    indicators: tuple[str, ...] = ()
    level: int = 1


@dataclass(frozen=True, slots=True)
class Rule:
    """A validation rule.

    non_negative / required: on `indicator` (None: every numeric / every indicator);
    le / ge: `indicator` ≤ / ≥ `other` (another indicator's code) or `bound` (a number);
    max / min: `indicator` ≤ / ≥ `bound`. `message` overrides the generated Vietnamese reason.
    """

    kind: str
    indicator: str | None = None
    other: str | None = None
    bound: float | None = None
    message: str | None = None


@dataclass(frozen=True, slots=True)
class Template:
    """A report form: what is reported, how often, when it is due and how figures roll up."""

    code: str
    name: str
    period_type: str
    indicators: tuple[Indicator, ...] = ()
    sections: tuple[NarrativeSection, ...] = ()
    rules: tuple[Rule, ...] = ()
    cutoff: str = "calendar"
    deadline_days: int = 5
    version: int = 1
    subject: str = ""
    description: str = ""
    unit_kinds: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def indicator(self, code: str) -> Indicator:
        """The indicator CODE (or whose printed label is CODE); TemplateError if absent."""
        for ind in self.indicators:
            if ind.code == code:
                return ind
        for ind in self.indicators:
            if ind.label == code:
                return ind
        raise TemplateError(f"Mẫu '{self.code}': không có chỉ tiêu '{code}'")

    @property
    def period_name(self) -> str:
        """Vietnamese name of the period type ('tháng', 'quý', …)."""
        return PERIOD_NAMES.get(self.period_type, self.period_type)


_TEMPLATE_KEYS = {"code", "name", "period_type", "indicators", "sections", "rules", "cutoff", "deadline_days",
                  "version", "subject", "description", "unit_kinds", "extra"}
_INDICATOR_KEYS = {"code", "name", "unit", "type", "aggregation", "label", "categories", "target", "required",
                   "description"}
_SECTION_KEYS = {"code", "label", "title", "hint", "required", "indicators", "level"}
_RULE_KEYS = {"kind", "indicator", "other", "bound", "message"}


def _text(data: Mapping[str, Any], key: str, path: str, required: bool = False, default: str = "") -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise TemplateError(f"{path}{key}: bắt buộc")
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TemplateError(f"{path}{key}: phải là chuỗi (nhận {type(value).__name__})")
    return str(value).strip()


def _number(value: Any, where: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TemplateError(f"{where}: '{value}' không phải là số")
    return value


def _choice(value: str, allowed: tuple[str, ...], where: str) -> str:
    if value not in allowed:
        raise TemplateError(f"{where}: '{value}' không hợp lệ (chọn một trong: {', '.join(allowed)})")
    return value


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TemplateError(f"{where}: phải là một bảng khóa–giá trị (nhận {type(value).__name__})")
    return value


def _unknown(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise TemplateError(f"{where}{unknown[0]}: trường không được hỗ trợ")


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise TemplateError(f"{key}: phải là một danh sách")
    return list(value)


def _parse_indicator(raw: Any, i: int) -> Indicator:
    path = f"indicators[{i}]."
    data = _mapping(raw, f"indicators[{i}]")
    _unknown(data, _INDICATOR_KEYS, path)
    code = _text(data, "code", path, required=True)
    kind = _choice(_text(data, "type", path, default="integer"), INDICATOR_TYPES, f"{path}type")
    aggregation = _choice(_text(data, "aggregation", path, default="none" if kind == "text" else "sum"),
                          AGGREGATIONS, f"{path}aggregation")
    if kind == "text" and aggregation != "none":
        raise TemplateError(f"{path}aggregation: chỉ tiêu dạng chữ chỉ dùng 'none' (nhận '{aggregation}')")
    categories = data.get("categories") or []
    if not isinstance(categories, list | tuple) or not all(isinstance(c, str) and c.strip() for c in categories):
        raise TemplateError(f"{path}categories: phải là danh sách tên phân tổ")
    if len(set(categories)) != len(categories):
        raise TemplateError(f"{path}categories: tên phân tổ bị trùng")
    if categories and kind == "text":
        raise TemplateError(f"{path}categories: chỉ tiêu dạng chữ không có phân tổ")
    if categories and aggregation not in ("sum", "last"):
        # per-category figures are added up; averaging or picking extremes per category is not supported
        raise TemplateError(f"{path}categories: chỉ tiêu có phân tổ phải tổng hợp bằng 'sum' hoặc 'last' "
                            f"(nhận '{aggregation}')")
    required = data.get("required", False)
    if not isinstance(required, bool):
        raise TemplateError(f"{path}required: phải là true hoặc false")
    return Indicator(code=code, name=_text(data, "name", path, required=True), unit=_text(data, "unit", path),
                     type=kind, aggregation=aggregation, label=_text(data, "label", path, default=code),
                     categories=tuple(c.strip() for c in categories), target=_number(data.get("target"), f"{path}target"),
                     required=required, description=_text(data, "description", path))


def _parse_section(raw: Any, i: int, codes: set[str]) -> NarrativeSection:
    path = f"sections[{i}]."
    data = _mapping(raw, f"sections[{i}]")
    _unknown(data, _SECTION_KEYS, path)
    label = _text(data, "label", path, required=True)
    code = _text(data, "code", path, default=label.rstrip(".-) ").strip())
    required = data.get("required", False)
    if not isinstance(required, bool):
        raise TemplateError(f"{path}required: phải là true hoặc false")
    listed = data.get("indicators") or []
    if not isinstance(listed, list | tuple):
        raise TemplateError(f"{path}indicators: phải là danh sách mã chỉ tiêu")
    listed = [str(c) for c in listed]
    for j, c in enumerate(listed):
        if c not in codes:
            raise TemplateError(f"{path}indicators[{j}]: không có chỉ tiêu '{c}'")
    level = data.get("level", 1)
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
        raise TemplateError(f"{path}level: phải là số nguyên từ 1 đến 4 (nhận '{level}')")
    return NarrativeSection(code=code, label=label, title=_text(data, "title", path, required=True),
                            hint=_text(data, "hint", path), required=required, indicators=tuple(listed), level=level)


def _parse_rule(raw: Any, i: int, codes: set[str]) -> Rule:
    path = f"rules[{i}]."
    data = _mapping(raw, f"rules[{i}]")
    _unknown(data, _RULE_KEYS, path)
    kind = _choice(_text(data, "kind", path, required=True), RULE_KINDS, f"{path}kind")
    indicator = _text(data, "indicator", path) or None
    other = _text(data, "other", path) or None
    bound = _number(data.get("bound"), f"{path}bound")
    for key, code in (("indicator", indicator), ("other", other)):
        if code is not None and code not in codes:
            raise TemplateError(f"{path}{key}: không có chỉ tiêu '{code}'")
    if kind in ("le", "ge", "max", "min") and indicator is None:
        raise TemplateError(f"{path}indicator: bắt buộc với quy tắc '{kind}'")
    if kind in ("le", "ge") and (other is None) == (bound is None):
        raise TemplateError(f"{path}other: quy tắc '{kind}' cần đúng một trong 'other' (chỉ tiêu) hoặc 'bound' (số)")
    if kind in ("max", "min") and bound is None:
        raise TemplateError(f"{path}bound: bắt buộc với quy tắc '{kind}'")
    return Rule(kind=kind, indicator=indicator, other=other, bound=bound, message=_text(data, "message", path) or None)


def parse_template(data: Mapping[str, Any]) -> Template:
    """Check a template dict field by field; TemplateError starts with the field path ('indicators[3].aggregation')."""
    data = _mapping(data, "mẫu báo cáo")
    _unknown(data, _TEMPLATE_KEYS, "")
    indicators = tuple(_parse_indicator(raw, i) for i, raw in enumerate(_list(data, "indicators")))
    codes = [ind.code for ind in indicators]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            raise TemplateError(f"indicators[{i}].code: mã '{code}' bị trùng")
    sections = tuple(_parse_section(raw, i, set(codes)) for i, raw in enumerate(_list(data, "sections")))
    section_codes = [s.code for s in sections]
    for i, code in enumerate(section_codes):
        if code in section_codes[:i]:
            raise TemplateError(f"sections[{i}].code: mã '{code}' bị trùng")
    rules = tuple(_parse_rule(raw, i, set(codes)) for i, raw in enumerate(_list(data, "rules")))
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise TemplateError(f"version: phải là số nguyên dương (nhận '{version}')")
    days = data.get("deadline_days", 5)
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 60:
        raise TemplateError(f"deadline_days: phải là số nguyên từ 0 đến 60 (nhận '{days}')")
    kinds = data.get("unit_kinds") or []
    if not isinstance(kinds, list | tuple) or not all(isinstance(k, str) for k in kinds):
        raise TemplateError("unit_kinds: phải là danh sách loại đơn vị")
    if not indicators and not sections:
        raise TemplateError("indicators: mẫu cần ít nhất một chỉ tiêu hoặc một mục thuyết minh")
    return Template(code=_text(data, "code", "", required=True), name=_text(data, "name", "", required=True),
                    period_type=_choice(_text(data, "period_type", "", required=True), PERIOD_KINDS, "period_type"),
                    indicators=indicators, sections=sections, rules=rules,
                    cutoff=_choice(_text(data, "cutoff", "", default="calendar"), CUTOFF_RULES, "cutoff"),
                    deadline_days=days, version=version, subject=_text(data, "subject", ""),
                    description=_text(data, "description", ""), unit_kinds=tuple(kinds),
                    extra=dict(_mapping(data.get("extra") or {}, "extra")))


def _drop_defaults(d: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in defaults or defaults[k] != v}


def template_to_dict(t: Template) -> dict[str, Any]:
    """The plain-dict form of T (what parse_template reads); defaults are left out."""
    indicators = []
    for ind in t.indicators:
        d = {"code": ind.code, "label": ind.label, "name": ind.name, "unit": ind.unit, "type": ind.type,
             "aggregation": ind.aggregation, "categories": list(ind.categories), "target": ind.target,
             "required": ind.required, "description": ind.description}
        indicators.append(_drop_defaults(d, {"label": ind.code, "unit": "", "categories": [], "target": None,
                                             "required": False, "description": ""}))
    sections = [_drop_defaults({"code": s.code, "label": s.label, "title": s.title, "hint": s.hint,
                                "required": s.required, "indicators": list(s.indicators), "level": s.level},
                               {"code": s.label.rstrip(".-) ").strip(), "hint": "", "required": False,
                                "indicators": [], "level": 1})
                for s in t.sections]
    rules = [_drop_defaults({"kind": r.kind, "indicator": r.indicator, "other": r.other, "bound": r.bound,
                             "message": r.message}, {"indicator": None, "other": None, "bound": None, "message": None})
             for r in t.rules]
    out = {"code": t.code, "name": t.name, "version": t.version, "period_type": t.period_type, "cutoff": t.cutoff,
           "deadline_days": t.deadline_days, "subject": t.subject, "description": t.description,
           "unit_kinds": list(t.unit_kinds), "indicators": indicators, "sections": sections, "rules": rules,
           "extra": dict(t.extra)}
    return _drop_defaults(out, {"subject": "", "description": "", "unit_kinds": [], "sections": [], "rules": [],
                                "indicators": [], "extra": {}})


def builtin_template_files() -> list[Path]:
    """Paths of the built-in template definitions (YAML text; the service layer parses them)."""
    root = resources.files("tonghop.regime") / "builtin"
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".yaml"))
