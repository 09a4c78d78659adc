# Two commands on a fresh machine:  `make run`  and  `make test`.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test lint pytest install clean system-deps node-deps css keta

DEBIAN_PACKAGES := chromium tesseract-ocr fonts-ocr-b fonts-noto-cjk fonts-noto-core redis-server wrk

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the declared dependencies change.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

## run: migrate a SQLite database, seed demo data, serve http://127.0.0.1:8000 with an embedded worker.
## PORT=8080 (or KETA_PORT) serves elsewhere; RESET=1 deletes the demo database first and seeds it again.
PORT  ?=
RESET ?=
run: install
	$(VENV)/bin/keta demo$(if $(PORT), --port $(PORT))$(if $(RESET), --reset)

## Common commands without activating the virtual environment (or put .venv/bin on your PATH).
## keta ARGS="staff list": any keta command through the project's own virtual environment.
ARGS ?= --help
keta: install
	$(VENV)/bin/keta $(ARGS)

## test: lint, type-check and run the whole suite (SQLite always; PostgreSQL when reachable)
test: lint pytest

lint: install
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

pytest: install node-deps
	$(PY) -m pytest

## node-deps: axe-core from the npm registry into node_modules/ (git-ignored), pinned by package-lock.json,
## for the accessibility tests; reinstalled when the lock file changes. Without npm the tests skip.
AXE := node_modules/axe-core/axe.min.js
node-deps: $(AXE)

$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the accessibility tests will be skipped (make system-deps installs it)"; \
	fi

## css: rebuild the portal's stylesheet from GOV.UK Frontend (npm, pinned by package-lock.json) and
## tools/css/keta-govuk.scss. Its output is committed, so `make run` needs no npm; run this after
## changing the .scss or the pinned version, and commit the result.
CSS := src/keta/web/portal/static/keta-govuk.css
css: $(AXE)
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
		tools/css/keta-govuk.scss $(CSS)

## system-deps: Debian packages for browser, OCR and accessibility (npm) tests, the Redis rate-limit tests and
## `keta bench carrier` (wrk) (run as root; skipped when already there)
system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf $(VENV) node_modules keta.db keta.db-wal keta.db-shm mailbox test-artifacts .pytest_cache .mypy_cache .ruff_cache
