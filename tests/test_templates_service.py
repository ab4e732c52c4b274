"""Template services: built-ins on first use, YAML import as versions, export round trip, assignments."""

from __future__ import annotations

import pytest
import yaml

from tonghop.regime.errors import RegimeError, TemplateError
from tonghop.services import templates, units

MINI = """
code: mini
name: Mẫu thử
period_type: month
indicators:
  - {code: a, label: "1", name: Số hội nghị, unit: hội nghị}
  - {code: b, label: "2", name: Tỷ lệ, unit: "%", type: percent, aggregation: avg}
"""


def _write(tmp_path, text, name="mini.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtins_listed_on_first_use(db_url):
    listed = templates.list_templates(url=db_url)
    assert len(listed) == 3
    first = listed[0]
    assert set(first) >= {"code", "name", "period_type", "indicators"}
    assert set(first["indicators"][0]) == {"code", "name", "unit", "aggregation"}


def test_import_keeps_versions_and_skips_unchanged(db_url, tmp_path):
    assert templates.import_template(_write(tmp_path, MINI), url=db_url) == {"code": "mini", "version": 1,
                                                                            "stored": True}
    assert templates.import_template(_write(tmp_path, MINI), url=db_url)["stored"] is False
    changed = MINI.replace("Số hội nghị", "Số cuộc họp")
    assert templates.import_template(_write(tmp_path, changed), url=db_url)["version"] == 2
    old = yaml.safe_load(templates.export_template("mini", 1, url=db_url))
    new = yaml.safe_load(templates.export_template("mini", url=db_url))
    assert (old["indicators"][0]["name"], new["indicators"][0]["name"]) == ("Số hội nghị", "Số cuộc họp")


def test_export_reimports_unchanged(db_url, tmp_path):
    text = templates.export_template("bc-tu-tuong-thang", url=db_url)
    assert templates.import_template(_write(tmp_path, text, "x.yaml"), url=db_url)["stored"] is False


def test_invalid_template_names_file_and_field(db_url, tmp_path):
    bad = MINI.replace("aggregation: avg", "aggregation: median")
    with pytest.raises(TemplateError, match=r"mini.yaml: indicators\[1\].aggregation"):
        templates.import_template(_write(tmp_path, bad), url=db_url)


def test_assign_by_kind_and_unit(db_url, tmp_path):
    _write(tmp_path, "units:\n  - {code: S, name: Sở A, kind: department}\n", "u.yaml")
    units.import_units_file(tmp_path / "u.yaml", url=db_url)
    assert templates.assign("bc-tu-tuong-thang", kinds=["commune"], units=["S"], url=db_url) == 2
    assert templates.assign("bc-tu-tuong-thang", kinds=["commune"], url=db_url) == 0
    with pytest.raises(RegimeError, match="'NOPE'"):
        templates.assign("bc-tu-tuong-thang", units=["NOPE"], url=db_url)
