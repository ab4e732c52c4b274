# tonghop — two commands: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-pg lint install clean bench

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

# The whole suite on SQLite; again on PostgreSQL when TONGHOP_TEST_PG_URL names a server (see test-pg).
# The browser tests build their own SQLite database, so the second run leaves them out.
test: lint
	env -u TONGHOP_TEST_PG_URL $(BIN)/pytest
	@if [ -n "$$TONGHOP_TEST_PG_URL" ]; then \
	  echo "== again on PostgreSQL ($$TONGHOP_TEST_PG_URL)"; \
	  $(BIN)/pytest --ignore=tests/browser; \
	fi

# The suite on a throwaway PostgreSQL cluster (needs the postgresql package), stopped afterwards.
test-pg: $(STAMP)
	@url=$$(scripts/pg-cluster.sh start) || exit 1; \
	trap 'scripts/pg-cluster.sh stop "$$url"' EXIT; \
	echo "== PostgreSQL at $$url"; \
	TONGHOP_TEST_PG_URL=$$url $(BIN)/pytest --ignore=tests/browser

bench: $(STAMP)
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) build *.egg-info
