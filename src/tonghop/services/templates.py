"""Template services: YAML import/export with versions kept in the database, listing, built-ins, assignments."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from tonghop.db import reporting_repo as repo
from tonghop.regime.assignments import Assignment
from tonghop.regime.errors import RegimeError, TemplateError
from tonghop.regime.templates import Template, builtin_template_files, parse_template, template_to_dict
from tonghop.services.context import transaction
from tonghop.services.yaml_input import load_yaml


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _load_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as e:
        raise TemplateError(f"{where}: YAML không hợp lệ ({e})") from None
    if not isinstance(data, dict):
        raise TemplateError(f"{where}: cần một mẫu báo cáo (bảng khóa–giá trị)")
    return data


def store_template(session, data: dict[str, Any]) -> tuple[Template, bool]:
    """Store DATA as the next version of its template unless it equals the current one; (template, stored?)."""
    template = parse_template(data)
    canonical = template_to_dict(template)
    current = repo.template_definition(session, template.code)
    if current is not None:
        same = {**current, "version": 0} == {**canonical, "version": 0}
        if same:
            return parse_template(current), False
        version = max(repo.template_versions(session, template.code)) + 1
    else:
        version = template.version
    canonical["version"] = version
    repo.add_template_version(session, template.code, template.name, version, template.period_type, canonical,
                              _now())
    return parse_template(canonical), True


def ensure_builtins(session) -> list[str]:
    """Store the built-in templates that are not in the database yet; their codes."""
    stored = set(repo.template_codes(session))
    added = []
    for path in builtin_template_files():
        data = _load_yaml(path.read_text(encoding="utf-8"), path.name)
        if data.get("code") not in stored:
            store_template(session, data)
            added.append(str(data["code"]))
    return added


def get_template(session, code: str, version: int | None = None) -> Template:
    """Template CODE (at VERSION, default current) from the database, built-ins loaded on first use."""
    definition = repo.template_definition(session, code, version)
    if definition is None and version is None:
        ensure_builtins(session)
        definition = repo.template_definition(session, code)
    if definition is None:
        what = f"phiên bản {version} của mẫu" if version is not None else "mẫu"
        raise TemplateError(f"Không có {what} báo cáo '{code}'")
    return parse_template(definition)


def import_template(path: str | Path, *, url: str | None = None) -> dict[str, Any]:
    """Import a template from a YAML file as a new version (unchanged content stores nothing)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise TemplateError(f"{path}: không đọc được tệp ({e})") from None
    data = _load_yaml(text, str(path))
    try:
        with transaction(url) as session:
            template, stored = store_template(session, data)
    except TemplateError as e:
        raise TemplateError(f"{path.name}: {e}") from None
    return {"code": template.code, "version": template.version, "stored": stored}


def export_template(code: str, version: int | None = None, *, url: str | None = None) -> str:
    """Template CODE (at VERSION) as YAML text that `import_template` reads back."""
    with transaction(url) as session:
        template = get_template(session, code, version)
    return yaml.safe_dump(template_to_dict(template), allow_unicode=True, sort_keys=False, width=110)


def template_summary(t: Template) -> dict[str, Any]:
    """The JSON shape of one entry of `tonghop templates list --json`."""
    return {"code": t.code, "name": t.name, "period_type": t.period_type, "version": t.version,
            "indicators": [{"code": i.code, "name": i.name, "unit": i.unit, "aggregation": i.aggregation}
                           for i in t.indicators]}


def list_templates(*, url: str | None = None) -> list[dict[str, Any]]:
    """Every template (current version), built-ins included."""
    with transaction(url) as session:
        ensure_builtins(session)
        return [template_summary(get_template(session, code)) for code in repo.template_codes(session)]


def assign(template: str, kinds: list[str] | None = None, units: list[str] | None = None, *,
           url: str | None = None) -> int:
    """Make TEMPLATE due from every unit of each of KINDS and from each of UNITS; how many assignments were new."""
    if not kinds and not units:
        raise RegimeError(f"Phân công mẫu '{template}': cần ít nhất một --kind hoặc --unit")
    with transaction(url) as session:
        get_template(session, template)
        known = {u.code for u in repo.load_units(session)}
        missing = [u for u in units or [] if u not in known]
        if missing:
            raise RegimeError(f"Phân công mẫu '{template}': không có đơn vị '{missing[0]}'")
        added = sum(repo.add_assignment(session, Assignment(template, unit_kind=k)) for k in kinds or [])
        added += sum(repo.add_assignment(session, Assignment(template, unit_code=u)) for u in units or [])
    return added
