# Two commands on a fresh machine:  `make run`  and  `make test`.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint pytest install clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the declared dependencies change.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

## run: migrate a SQLite database, seed demo data, serve http://127.0.0.1:8000 with an embedded worker
run: install
	$(VENV)/bin/keta demo

## test: lint, type-check and run the whole suite (SQLite always; PostgreSQL when reachable)
test: lint pytest

lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

pytest: install
	$(PY) -m pytest

clean:
	rm -rf $(VENV) keta.db keta.db-wal keta.db-shm test-artifacts .pytest_cache .mypy_cache .ruff_cache
