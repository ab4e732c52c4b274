"""Uploaded YAML: safe types only, aliases refused (billion laughs), line named in the error."""

from __future__ import annotations

import pytest
import yaml

from tonghop.regime.errors import TemplateError
from tonghop.services import templates
from tonghop.services.yaml_input import load_yaml


def test_plain_yaml_loads():
    assert load_yaml("code: x\nitems: [1, 2]\n") == {"code": "x", "items": [1, 2]}


def test_aliases_are_refused_with_their_line():
    with pytest.raises(yaml.YAMLError, match="bí danh") as caught:
        load_yaml("a: &x [1, 2]\nb: *x\n")
    assert "line 2" in str(caught.value)


def test_python_tags_are_refused():
    with pytest.raises(yaml.YAMLError):
        load_yaml("x: !!python/object/apply:os.system ['true']\n")


def test_template_upload_with_an_alias_names_the_file(tmp_path):
    path = tmp_path / "mau.yaml"
    path.write_text("code: &c mau\nname: *c\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="mau.yaml: YAML không hợp lệ"):
        templates.import_template(path, url=f"sqlite:///{tmp_path / 'db.db'}")
