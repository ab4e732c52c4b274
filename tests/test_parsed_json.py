"""Stored JSON objects parsed once per process: same results as json.loads, fresh objects, bounded."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tonghop.db import parsed_json

FIGURE = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                   st.text(max_size=8))
OBJECT = st.dictionaries(st.text(max_size=6), st.one_of(FIGURE, st.dictionaries(st.text(max_size=4), FIGURE)),
                         max_size=6)


@given(st.lists(OBJECT, max_size=8))
def test_same_as_json_loads_twice(objs):
    texts = [json.dumps(o, ensure_ascii=False) for o in objs]
    assert parsed_json.objects(texts) == parsed_json.objects(texts) == [json.loads(t) for t in texts]


def test_results_are_fresh_objects_even_nested():
    text = json.dumps({"a": 1, "b": {"x": 2}})
    first = parsed_json.objects([text])[0]
    first["a"], first["b"]["x"] = 99, 99
    assert parsed_json.objects([text]) == [{"a": 1, "b": {"x": 2}}]


def test_keeps_at_most_kept(monkeypatch):
    monkeypatch.setattr(parsed_json, "KEPT", 3)
    parsed_json.objects([json.dumps({"n": i}) for i in range(10)])
    assert len(parsed_json._PARSED) <= 3
