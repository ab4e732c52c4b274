"""Parsed report templates shared across requests: keyed on the stored definition text itself, so a new version
(or another database) is a different key and an entry can never be stale."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

from tonghop.db import filings_repo
from tonghop.regime.templates import Template, parse_template
from tonghop.services.templates import get_template


@lru_cache(maxsize=64)
def _parsed(definition_json: str) -> Template:
    return parse_template(json.loads(definition_json))


def current_templates(session, codes: Iterable[str]) -> dict[str, Template]:
    """The current version of each template of CODES (one query; parsing reused while the definition is unchanged)."""
    codes = sorted(set(codes))
    texts = filings_repo.current_definitions(session, codes)
    # a template not stored yet goes the usual way (get_template loads the built-ins or raises TemplateError)
    return {c: _parsed(texts[c]) if c in texts else get_template(session, c) for c in codes}
