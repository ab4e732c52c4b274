"""YAML as users upload it (units, templates): safe types only and no aliases, so a few hundred bytes of nested
`&a [*b, *b, …]` cannot expand into gigabytes ("billion laughs")."""

from __future__ import annotations

from typing import Any

import yaml


class _NoAliases(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "không dùng bí danh YAML (*tên); hãy viết giá trị ra", mark)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """The YAML document TEXT with safe types; yaml.YAMLError (with the line) for bad YAML or any alias."""
    return yaml.load(text, Loader=_NoAliases)
