# GenAI Prep: `make run` serves the app, `make test` runs every check.
# Both set up everything they need (virtualenv, dependencies, database).

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

# The first Python >= 3.12 that runs: python3.13/python3.12 on PATH, then pyenv.
define find_python
for c in python3.13 python3.12 python3; do \
  p=$$(command -v $$c 2>/dev/null) || continue; \
  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; exit 0; }; \
done; \
for v in 3.13 3.12; do \
  d=$$(pyenv prefix $$v 2>/dev/null | head -n1); \
  [ -n "$$d" ] && [ -x "$$d/bin/python" ] && { echo "$$d/bin/python"; exit 0; }; \
  for p in $$HOME/.pyenv/versions/$$v*/bin/python; do [ -x "$$p" ] && { echo $$p; exit 0; }; done; \
done; \
exit 1
endef

.PHONY: help run test lint install browser clean superuser

help:
	@echo "make run    set everything up and serve http://$(HOST):$(PORT)/ (SQLite by default)"
	@echo "make test   install test tools and run lint, migration check and the whole suite"
	@echo "make superuser   create an admin account"

$(PY):
	@py=$$($(find_python)) || { echo "error: Python >= 3.12 is required (Django 6). Install python3.12 or pyenv 3.12." >&2; exit 1; }; \
	echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	$$py -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet -e . --group dev
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py ensure_question_bank
	@echo ""
	@echo "  GenAI Prep is running: open http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	@echo "  Admin: make superuser, then http://$(HOST):$(PORT)/admin/"
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

superuser: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py createsuperuser

# Debian's Chromium for the browser tests (Playwright cannot download one here).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Chromium from Debian for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "warning: no Chromium and no apt-get as root: browser tests will be skipped" >&2; fi

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(PY) manage.py check

test: $(STAMP) browser lint
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) *.egg-info staticfiles test-artifacts .hypothesis

# --- Benchmark (issue 7): make bench / make soak; never part of make test ------
# Both need PostgreSQL (started here if down, as .ci/run does) and create their
# own database; see docs/PERFORMANCE.md. Extra options: BENCH_ARGS="--scales S".
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/genai_prep_bench
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: bench soak pg-up

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --group bench
	@touch $(BENCH_STAMP)

pg-up:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  echo "Starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n1)" main start; \
	  for _ in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi

bench: $(BENCH_STAMP) pg-up
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m cards.bench $(BENCH_ARGS)

soak: $(BENCH_STAMP) pg-up
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m cards.bench --soak 60 --scales S $(BENCH_ARGS)
# --- end benchmark ---------------------------------------------------------------
# --- Reliability (issue 6) ---------------------------------------------------
.PHONY: fuzz
# Plan item 14 for longer than CI's budget: FUZZ_SECONDS per harness (default 300).
fuzz: $(STAMP)
	FUZZ_SECONDS=$${FUZZ_SECONDS:-300} $(PY) -m pytest -q tests/test_fuzz.py
