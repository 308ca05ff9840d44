# Parley: two commands matter. `make demo` runs the whole product locally; `make test` checks it.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST_ARGS ?=
CSS := static/build/parley.css

.PHONY: help install demo test lint check pytest test-e2e test-pg migrate seed bench load clean screenshots

help:
	@echo "make demo   install, migrate, load demo content and run everything on http://127.0.0.1:8000"
	@echo "make test   install what is missing, then lint, checks and the whole test suite"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev]'
	@touch $@

# The stamp holds the lockfile it was installed from, so a newer checkout of the same lockfile
# does not wipe and reinstall node_modules.
node_modules/.installed: package.json package-lock.json
	@if cmp -s package-lock.json $@; then touch $@; else \
		npm ci --no-audit --no-fund && cp package-lock.json $@; fi

$(CSS): static_src/*.scss node_modules/.installed
	@mkdir -p static/build
	npx --no-install sass --quiet-deps --silence-deprecation=import --no-source-map \
		--load-path=node_modules --style=compressed static_src/parley.scss $(CSS)

install: $(VENV)/.installed node_modules/.installed $(CSS)

migrate: install
	$(PY) manage.py migrate --noinput

# The search index is rebuilt from the database too: it may be missing, or have been built by an
# older version with another layout (search says so until it is rebuilt).
seed: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py rebuild_modelsearch_index --verbosity 0

demo: seed
	PARLEY_DEMO_MODE=1 $(PY) manage.py demo_serve

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r .

check: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run --noinput

# The second run is modelsearch's own backend suite against our Whoosh backend, under its own
# settings (tests/conformance/settings.py) and cut off from tests/conftest.py.
pytest: install
	$(VENV)/bin/pytest -n auto -m "not e2e" $(PYTEST_ARGS)
	DJANGO_SETTINGS_MODULE=tests.conformance.settings $(VENV)/bin/pytest -n 2 \
		--confcutdir=tests/conformance tests/conformance

# Exit code 5 means "no tests collected", which is fine for a run filtered to a marker.
test-e2e: install
	$(VENV)/bin/pytest -p no:xdist -m e2e $(PYTEST_ARGS) || [ $$? -eq 5 ]

test: lint check pytest test-e2e

# Re-run the browser journeys and save the README's screenshots into docs/screenshots/.
screenshots: install
	PARLEY_SCREENSHOTS=1 $(VENV)/bin/pytest -p no:xdist -m e2e $(PYTEST_ARGS)

# The suite again on PostgreSQL (CI does this when a server answers on 127.0.0.1:5432).
test-pg: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/parley} \
		$(VENV)/bin/pytest -n auto -m "not e2e" --create-db $(PYTEST_ARGS)

bench: install
	$(PY) bench/pages.py
	$(PY) bench/ingest.py
	$(PY) bench/search.py

# 50 simulated residents for 60 s under gunicorn (SQLite, then PostgreSQL when one answers on
# 127.0.0.1:5432), then an exactly-once audit of the database. LOAD_ARGS="--users 10 --duration 20"
load: install
	$(PY) bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) node_modules static/build var/test
