# tonghop — two commands: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	# Only the wheel's data files are used (the unit dataset); --no-deps keeps its GPL dependency (unidecode) out.
	$(BIN)/pip install -q --no-deps vietnamadminunits==1.0.4
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tonghop demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) build *.egg-info
