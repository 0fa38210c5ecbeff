# reviewgate: every set-up step lives here, so a fresh machine needs only Python 3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test lint typecheck checks bench clean security cluster-test

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## The site with demo data, a Celery worker and beat: nothing else to install or start.
## Served as production serves it (DEBUG off: the site's own error pages, static files through
## WhiteNoise) over plain HTTP: devtools/run.py's demo_environ() sets what the demo needs
## (no HTTPS redirect, no secure-only cookies, a secret key kept in var/), for the migration,
## the seed and the three processes alike; `DEBUG=1 make run` gives Django's debug pages.
DEMO := $(PY) -m devtools.run --host $(HOST) --port $(PORT)
# The demo's due invitations go out within a minute of start (production: every 5 minutes).
run: export REVIEW_INVITE_SWEEP_SECONDS ?= 60
run: install
	$(DEMO) --exec $(PY) manage.py migrate --noinput
	@# Static files under hashed names, as in production (STATIC_MANIFEST; docs/deploy.md):
	@# their manifest in var/static, refreshed on every start so it names every current file.
	$(DEMO) --exec $(PY) manage.py collectstatic --noinput -v0
	@# The seed writes emails too (the demo's gate notices): their links need the same SITE_URL,
	@# and its signed links the same key. --force: seed_demo refuses DEBUG off without it
	@# (its accounts have known passwords; this is the demo, on this machine).
	$(DEMO) --exec $(PY) manage.py seed_demo --force
	@# devtools/run.py starts the three, each in its own process group, and on Ctrl-C or SIGTERM
	@# stops them once, together (killed after 10 s). Emails link to SITE_URL, or to this
	@# HOST:PORT when it is not set. `exec`: make's SIGTERM reaches the supervisor itself.
	@exec $(DEMO)

## The whole suite (on SQLite by default; on PostgreSQL + Redis when DATABASE_URL and
## CELERY_BROKER_URL point at them), in TEST_WORKERS processes (pytest-xdist; 2: the
## machines' cores): each has its own test database and Redis databases
## (devtools/pytest_workers.py); tests of one xdist_group run in one of them, one after the
## other (the outage tests). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## ruff, and the apps' one-way layers (import-linter, contracts in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy .

## Django's own checks, migrations in step with the models, and a production configuration.
checks: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		$(PY) manage.py check --deploy --fail-level WARNING

## gate_backtest on 1,000,000 synthetic reviews; then, when BENCH_DATABASE_URL names a
## PostgreSQL role that may create databases, the production engine and import_reviews
## (beside a raw COPY of the same rows); then the web side (bench/web/run.py): the site
## under gunicorn beside minimal baseline views, by wrk, on a scratch database of
## BENCH_DATABASE_URL's server or a throwaway cluster, with its own redis-server.
## BENCH_SCALE=small for a smoke run (CI), BENCH_PROFILE=1 for pyinstrument profiles.
## Figures: docs/performance*.md, bench/results/
bench: install
	$(PY) bench/bench_backtest.py
	$(PY) bench/bench_kpis.py
	$(PY) bench/bench_accounts.py
	@if [ -n "$$BENCH_DATABASE_URL" ]; then $(PY) bench/bench_gate_db.py && $(PY) bench/bench_import.py; \
	else echo "bench_gate_db.py and bench_import.py skipped: set BENCH_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/bench"; fi
	$(PY) -m bench.web.run

## Issue 20's multi-machine shape on this machine (docs/cluster-test.md): its own PostgreSQL
## primary and streaming replica, Redis, two gunicorn servers behind HAProxy and two Celery
## workers, all on 127.0.0.1 in a temporary directory; posts read back at once (also with the
## replica's replay paused), the gate's day with a web server and the gate's worker killed,
## then the checks. Runs as root (PostgreSQL as `postgres`), about 2 minutes, 10 at most.
cluster-test: install
	$(PY) -m devtools.cluster.run

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache .mypy_cache .ruff_cache

## bandit over the project's code (tests, migrations and .venv left out: [tool.bandit] in
## pyproject.toml); a medium or high finding fails. Accepted ones say why beside "# nosec".
security: install
	$(VENV)/bin/bandit -c pyproject.toml -ll -r .
