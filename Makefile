# GenAI Prep: `make run` serves the app, `make test` runs every check.
# Both set up everything they need (virtualenv, dependencies, database).

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed
# Exact versions with hashes (make lock regenerates them from pyproject.toml).
LOCK := requirements/dev.txt
UV_VERSION := 0.13.9

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

.PHONY: help run test lint install browser axe clean superuser lock clock-sweep backup restore

help:
	@echo "make run    set everything up and serve http://$(HOST):$(PORT)/ (SQLite by default)"
	@echo "make test   install test tools and run lint, migration check and the whole suite"
	@echo "make superuser   create an admin account"
	@echo "make lock   regenerate requirements/*.txt (exact versions, hashes) from pyproject.toml"
	@echo "make clock-sweep   the suite frozen at 12 moments (3 weekdays x 2 hours x 2 zones)"
	@echo "make plan-sim   simulated learners against the interview plan (docs/PLAN.md)"
	@echo "make reminders-soak   20 reminder workers + 3 ticks over 2,000 learners (PostgreSQL)"

$(PY):
	@py=$$($(find_python)) || { echo "error: Python >= 3.12 is required (Django 6). Install python3.12 or pyenv 3.12." >&2; exit 1; }; \
	echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	$$py -m venv $(VENV)

# Everything comes from the lock: no resolution, the same versions everywhere.
$(STAMP): $(LOCK) pyproject.toml setup.py | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# One universal lock per use (valid on Python 3.12 and 3.13, any platform):
# runtime.txt for a deployment, dev.txt for make run / make test, bench.txt.
lock: | $(PY)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 \
	  --generate-hashes --quiet --group build -o requirements/runtime.txt
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 \
	  --generate-hashes --quiet --group build --group dev -o requirements/dev.txt
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 \
	  --generate-hashes --quiet --group build --group dev --group bench -o requirements/bench.txt

install: $(STAMP)

run: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py ensure_question_bank
	@echo ""
	@echo "  GenAI Prep is running: open http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	@echo "  Admin: make superuser, then http://$(HOST):$(PORT)/admin/"
	@echo "  With it: a job-queue worker and the reminder tick (docs/REMINDERS.md)"
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py run_dev $(HOST):$(PORT)

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

# axe-core for the accessibility checks of the browser tests (package-lock.json
# pins it with its hash; node_modules/ is not committed).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(AXE)

axe: $(AXE)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(PY) manage.py check

# TEST_PASS=database (the second CI pass, on PostgreSQL) runs only the tests
# of what differs between the databases (DATABASE_DEPENDENT, tests/conftest.py).
ifeq ($(TEST_PASS),database)
test: $(STAMP)
else
test: $(STAMP) browser $(AXE) lint
endif
	$(PY) -m pytest $(PYTEST_ARGS)

# The suite (SQLite, no browser tests) frozen at a Monday, a Friday and a
# Sunday, at 23:59 and at the 04:00 rollover, in two time zones.
SWEEP_DAYS := 2026-06-01 2026-06-05 2026-06-07
SWEEP_HOURS := 23:59 04:00
SWEEP_ZONES := Europe/London Pacific/Auckland
clock-sweep: $(STAMP)
	@failed=0; for zone in $(SWEEP_ZONES); do for day in $(SWEEP_DAYS); do for hour in $(SWEEP_HOURS); do \
	  printf '%-18s %s %s %s  ' "$$zone" "$$(date -d $$day +%a)" "$$day" "$$hour"; \
	  log=test-artifacts/clock-sweep-$$(echo $$zone | tr / -)-$$day-$${hour/:/}.log; mkdir -p test-artifacts; \
	  if GENAI_TEST_ZONE=$$zone GENAI_TEST_NOW=$${day}T$$hour FUZZ_SECONDS=1 \
	    $(PY) -m pytest -q -n 2 -m "not browser" > $$log 2>&1; \
	  then grep -E '[0-9]+ passed' $$log | tail -n 1; \
	  else failed=1; echo "FAILED (see $$log)"; grep -E '^(FAILED|ERROR)' $$log; fi; \
	done; done; done; exit $$failed

clean:
	rm -rf $(VENV) *.egg-info staticfiles test-artifacts .hypothesis node_modules

# --- Benchmark (issue 7): make bench / make soak; never part of make test ------
# Both need PostgreSQL (started here if down, as .ci/run does) and create their
# own database; see docs/PERFORMANCE.md. Extra options: BENCH_ARGS="--scales S".
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/genai_prep_bench
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: bench soak pg-up bench-data

$(BENCH_STAMP): $(STAMP) requirements/bench.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/bench.txt
	@touch $(BENCH_STAMP)

pg-up:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  echo "Starting PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n1)" main start; \
	  for _ in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi

bench: $(BENCH_STAMP) pg-up
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench $(BENCH_ARGS)

soak: $(BENCH_STAMP) pg-up
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench --soak 60 --scales S $(BENCH_ARGS)
# "Your data" at 100,000 reviews: file size and peak memory of export and import.
bench-data: $(STAMP)
	USERDATA_REVIEWS=100000 $(PY) -m pytest -n 0 -q \
	  tests/learner/test_data_stream.py -k many_reviews

# The reminders' exactly-once test at soak size (issue 20): 20 workers and 3
# ticks over 2,000 learners on PostgreSQL, 0 lost and 0 doubled. Its own
# database (pytest-django makes test_<name>); figures in docs/REMINDERS.md.
REM_SOAK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/genai_prep_rem_soak
REM_SOAK ?= REM_WORKERS=20 REM_TICKS=3 REM_LEARNERS=2000 REM_WORKER_IDLE=0.5 \
  REM_SMTP_TIMEOUT=120
.PHONY: reminders-soak
reminders-soak: $(STAMP) pg-up
	DATABASE_URL=$(REM_SOAK_DATABASE_URL) $(REM_SOAK) $(PY) -m pytest -n 0 \
	  tests/reminders/test_exactly_once.py -q -rA
# --- end benchmark ---------------------------------------------------------------
# --- Reliability (issue 6) ---------------------------------------------------
.PHONY: fuzz
# Plan item 14 for longer than CI's budget: FUZZ_SECONDS per harness (default 300).
fuzz: $(STAMP)
	FUZZ_SECONDS=$${FUZZ_SECONDS:-300} $(PY) -m pytest -q tests/invariants/test_fuzz.py
# --- Operations (issue 13; docs/DEPLOY.md) ------------------------------------
# make backup: the database named by DATABASE_URL (or DATABASE_DIRECT_URL) to
# backups/genai-prep-<UTC time>.dump (pg_dump -Fc) or .sqlite3 (SQLite's online
# backup API). make restore BACKUP=file: replace the database with it (stop
# the app servers first).
BACKUP_DIR ?= backups
backup: $(STAMP)
	$(PY) manage.py backup_db --output-dir $(BACKUP_DIR)

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<file>" >&2; exit 2; }
	$(PY) manage.py restore_db $(BACKUP) --yes

# Two gunicorn servers behind haproxy (8100 -> 8101, 8102) and PgBouncer (6433,
# transaction mode) on loopback: replayed and concurrent grades, a lockout
# across servers, a rolling restart under load. Not part of make test.
.PHONY: cluster-check
cluster-check: $(STAMP)
	bash bench/cluster/run.sh
# --- Interview plan (issue 17) -------------------------------------------------
.PHONY: plan-sim
# Simulated learners (FSRS-6 memory) against the plan; pure Python, no database.
# Prints the tables of docs/PLAN.md (24 learners a row, ~35 s of CPU).
# PLAN_SIM_ARGS="--runs 4" for a quick look, "--seed 18" for another draw.
PLAN_SIM_ARGS ?=
plan-sim: $(STAMP)
	$(PY) -m bench.plan_sim $(PLAN_SIM_ARGS)
