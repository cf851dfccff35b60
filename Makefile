# Everything runs from the project's own virtualenv in .venv, created on first use.
# `make run` and `make test` are the two commands a new machine needs (see README.md).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Re-install only when pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.installed-from-pyproject
HOST := 127.0.0.1
PORT ?= 8000
# Links in emails point at the server `make run` starts, unless SITE_URL is given.
SITE_URL ?= http://$(HOST):$(PORT)
PYTEST_ARGS ?=
# The suite runs in one process per core, at most four (pytest-xdist; each process has
# its own database, Redis database and media folder: config/test_settings.py).
# PYTEST_ARGS='-n 0' runs it in this one process.
PYTEST_PROCESSES ?= --numprocesses auto --maxprocesses 4

# Development defaults; anything already set in the environment wins
# (DATABASE_URL and REDIS_URL are passed through untouched when set).
DJANGO_DEBUG ?= true
export DJANGO_DEBUG

.DEFAULT_GOAL := help
.PHONY: help install chromium gettext translations messages oidc-provider run test fuzz lint format check worker beat

help:
	@echo "make run     set everything up and serve http://$(HOST):$(PORT)/ with demo data"
	@echo "make test    set everything up and run the test suite (pytest; all but fuzz)"
	@echo "make fuzz    schemathesis over the whole API (pytest -m fuzz; a few minutes)"
	@echo "make messages  collect the translatable strings into locale/de/LC_MESSAGES/django.po"
	@echo "make lint    ruff check + ruff format --check + import-linter contracts"
	@echo "make format  sort imports and format the code with ruff"
	@echo "make check   missing migrations and Django's deployment checks"
	@echo "make worker  a Celery worker (needs REDIS_URL)"
	@echo "make beat    the Celery beat scheduler (needs REDIS_URL)"

$(PY):
	@if ! $(PYTHON) -c 'import ensurepip' >/dev/null 2>&1 \
	    && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing python3-venv (Debian ships venv separately)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	fi
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# Debian's Chromium drives the browser tests and the chart export of the PDF reports.
# Best effort: never fails, because everything else works without it.
chromium:
	@if command -v chromium >/dev/null 2>&1; then \
	    :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium (browser tests, chart export)..."; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	        || echo "warning: could not install chromium; browser tests will be skipped" \
	            "and PDF reports fail (charts cannot be exported)" >&2; \
	else \
	    echo "note: chromium is not installed and this is not root with apt-get;" \
	         "browser tests will be skipped and PDF reports fail" >&2; \
	fi

# GNU gettext compiles the translations (msgfmt) and collects strings (xgettext).
gettext:
	@if command -v msgfmt >/dev/null 2>&1 && command -v xgettext >/dev/null 2>&1; then \
	    :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing GNU gettext (translations)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	else \
	    echo "GNU gettext is missing: install it (e.g. apt-get install gettext)" >&2; exit 1; \
	fi

# The compiled catalogues (.mo) are built, never committed.
translations: $(STAMP) gettext
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0

# Collect every marked string of templates and code into the German catalogue; then
# translate each new or changed entry (the test suite fails on an untranslated one).
messages: $(STAMP) gettext
	$(PY) manage.py makemessages --locale de --no-obsolete --ignore=.venv --ignore='*/node_modules/*' \
	    --ignore=data --ignore=docs --ignore=perf --ignore=tests --ignore=build --add-location file
	@$(MAKE) --no-print-directory translations

# node's oidc-provider, the real identity provider of the single sign-on tests
# (tests/sso/provider/). Best effort, like chromium: without it those tests skip.
OIDC_PROVIDER_DIR := tests/sso/provider
oidc-provider:
	@if [ -d $(OIDC_PROVIDER_DIR)/node_modules/oidc-provider ] \
	    && [ $(OIDC_PROVIDER_DIR)/node_modules/.package-lock.json -nt $(OIDC_PROVIDER_DIR)/package-lock.json ]; then \
	    :; \
	else \
	    if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	        echo "Installing Debian's nodejs and npm (single sign-on tests)..."; \
	        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; } \
	            || echo "warning: could not install nodejs/npm" >&2; \
	    fi; \
	    if command -v npm >/dev/null 2>&1; then \
	        npm ci --silent --no-audit --no-fund --prefix $(OIDC_PROVIDER_DIR) \
	            || echo "warning: npm ci failed; single sign-on tests will be skipped" >&2; \
	    else \
	        echo "note: npm is not installed; single sign-on tests will be skipped" >&2; \
	    fi; \
	fi

run: $(STAMP) chromium translations
	@mkdir -p data
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_reference_data
	$(PY) manage.py load_demo_data
	@echo
	@echo "Open http://$(HOST):$(PORT)/ and log in as consultant, coe or executive" \
	      "(password: demo-password). Stop with Ctrl-C."
	@echo
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) chromium translations oidc-provider
	@mkdir -p data
	$(PY) -m pytest $(PYTEST_PROCESSES) $(PYTEST_ARGS)

# Tests marked `fuzz` (schemathesis) run only when -m names them: not in `make test`.
fuzz: $(STAMP) translations
	@mkdir -p data
	$(PY) -m pytest -m fuzz $(PYTEST_ARGS)

lint: $(STAMP)
	@status=0; \
	$(VENV)/bin/ruff check . || status=1; \
	$(VENV)/bin/ruff format --check . || status=1; \
	$(VENV)/bin/lint-imports --no-cache || status=1; \
	exit $$status

format: $(STAMP)
	$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

# The deployment check runs with production settings and a throwaway random secret.
check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=false \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(48))')" \
	DJANGO_ALLOWED_HOSTS=example.com \
	$(PY) manage.py check --deploy --fail-level WARNING

# Without REDIS_URL tasks run eagerly inside the web process: no worker is needed.
worker: $(STAMP)
	@test -n "$$REDIS_URL" || { echo "REDIS_URL is not set: tasks run eagerly in the web" \
	    "process, so there is nothing for a worker to do. Set e.g." \
	    "REDIS_URL=redis://127.0.0.1:6379/0 for both the web process and the worker." >&2; \
	    exit 1; }
	$(VENV)/bin/celery -A config worker -l info  # both queues: renders and periodic tasks

beat: $(STAMP)
	@test -n "$$REDIS_URL" || { echo "REDIS_URL is not set: start Redis and set REDIS_URL" \
	    "(see README.md, Running workers)." >&2; exit 1; }
	@mkdir -p data
	$(VENV)/bin/celery -A config beat -l info --schedule data/celerybeat-schedule
