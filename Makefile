# Hypertrophy — two commands: `make run` and `make test` (and `make worker` for the weekly coach reports).
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# The first Python >= 3.12 found: $PYTHON, then python3.13/3.12/python3 on PATH, then pyenv's.
FIND_PYTHON := for p in $${PYTHON:-} python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	  if command -v "$$p" >/dev/null 2>&1 && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v "$$p"; exit 0; fi; \
	done; echo "No Python >= 3.12 found; set PYTHON=/path/to/python3.12" >&2; exit 1

$(VENV)/.created:
	@py="$$($(FIND_PYTHON))" && echo "Using $$py" && "$$py" -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@touch $@

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.created
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed-run

.PHONY: install install-dev migrate run worker test test-clock bench clean

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_catalog

run: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

# The background worker of the coach's weekly reports, next to `make run` (its own terminal):
# schedules the daily run once (idempotent), then processes tasks until stopped.
worker: migrate
	$(PY) manage.py generate_weekly_reports --schedule
	$(PY) manage.py db_worker

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# The date-sensitive tests (marker `clock`: their module reads the clock) again under shifted
# clocks: by default one week across a year end, so every weekday, New Year's Eve late at
# night and New Year's Day just after midnight. No test may depend on today's date.
CLOCK_DAYS ?= 2026-12-28 2026-12-29 2026-12-30 2026-12-31T23:30:00+00:00 2027-01-01T00:30:00+00:00 2027-01-02 2027-01-03
test-clock: install-dev
	@set -e; for day in $(CLOCK_DAYS); do \
	  echo "== clock tests on $$day"; \
	  $(PY) -m pytest -q -m "clock and not browser" --fake-today "$$day" $(PYTEST_ARGS); \
	done

# Every benchmark: sync and rebuild (run.py), page times (pages.py), first load, offline
# reload and tap-to-row in Chromium (frontend.py), a five-year Strong import (imports.py),
# lifters mid-workout one box holds at p95 < 100 ms (capacity.py, PostgreSQL then SQLite).
# Each prints its table; see bench/README.md.
bench: install-dev
	$(PY) bench/run.py
	$(PY) bench/pages.py
	$(PY) bench/frontend.py
	$(PY) bench/imports.py
	$(PY) bench/capacity.py
	$(PY) bench/capacity.py --sqlite

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
