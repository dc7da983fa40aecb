# Polku: two commands do everything on a fresh machine.
#   make run    set up, create the database with demo data, serve on http://127.0.0.1:$(PORT)
#   make serve  the same under gunicorn, several worker processes (production: see README, "Production")
#   make test   set up (Chromium and chromedriver from Debian when missing), run the whole suite
VENV ?= .venv
PYTHON ?= python3
PORT ?= 5000
BIN := $(VENV)/bin
export FLASK_APP := portal
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run serve test lint test-a11y accessibility-statement bench load setup python-deps node-deps translations translations-update db browsers clean

run: db
	@echo "Polku runs on http://127.0.0.1:$(PORT)/ (stop with Ctrl+C)"
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} POLKU_BASE_URL=$${POLKU_BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# gunicorn with gunicorn.conf.py (workers, timeouts, bind, JSON logs in production). The migrations run first; the
# demo data only on the embedded SQLite database (no DATABASE_URL). Outside production the same address and plain-
# HTTP cookie as `make run`; in production (POLKU_ENV=production) only what the environment says, checked at start.
serve: setup
	@if [ -z "$${DATABASE_URL:-}" ]; then $(BIN)/flask init-db && $(BIN)/flask load-demo; else $(BIN)/flask init-db; fi
	@if [ "$${POLKU_ENV:-}" != production ]; then \
		export SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-0} POLKU_BASE_URL=$${POLKU_BASE_URL:-http://127.0.0.1:$(PORT)}; \
		echo "Polku runs on $${POLKU_BIND:-http://127.0.0.1:$(PORT)}/ under gunicorn (stop with Ctrl+C)"; \
	fi; \
	PORT=$(PORT) exec $(BIN)/gunicorn --config gunicorn.conf.py

# The suite runs on TEST_WORKERS pytest-xdist workers (each with its own browsers, live servers, SQLite files and
# PostgreSQL database); the checks of one page state stay together on one worker (--dist loadgroup, see
# tests/accessibility/conftest.py). TEST_WORKERS=0 runs it in this one process. ARGS: more pytest arguments.
TEST_WORKERS ?= 3
PYTEST = $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=25 $(ARGS)

test: setup browsers lint
	mkdir -p reports
	scripts/with-postgres.sh $(PYTEST) --junitxml=reports/junit.xml

# ruff (lint and format, settings in pyproject.toml) over everything, mypy --strict over configurator/.
lint: python-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test-a11y: setup browsers
	mkdir -p reports
	$(PYTEST) tests/accessibility --junitxml=reports/accessibility-junit.xml

# The accessibility statement draft from the last report and the manual checks (a person signs it).
accessibility-statement:
	$(BIN)/python -m portal.pages.accessibility_statement

bench: setup
	$(BIN)/python scripts/bench.py --sizes $${SIZES:-1000,10000,100000} --runs $${RUNS:-100}

# The load and fault test in full (scripts/load_test.py; `make test` runs an 18-second form, tests/load): a PostgreSQL
# of its own, two gunicorn instances on it, LOAD_USERS visitors for LOAD_SECONDS, a worker killed and PostgreSQL
# restarted mid-run; prints requests/s, p50/p95 and errors by kind, checks that nothing saved or reserved is lost,
# duplicated or overbooked, and fails otherwise.
load: setup
	$(BIN)/python scripts/load_test.py --seconds $${LOAD_SECONDS:-90} --users $${LOAD_USERS:-12} --workers $${LOAD_WORKERS:-3}

setup: python-deps node-deps translations

python-deps: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled catalogs are build output (.mo files are not committed).
translations: python-deps
	$(BIN)/pybabel compile --statistics -d translations 2>&1 | grep -v '^$$' || true

# Extract every string (Python, templates, life-event files) and merge it into the fi, sv and en catalogs.
translations-update: python-deps
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k NP_:1,2 -k ngettext:1,2 --no-location --sort-output --omit-header -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

db: setup
	$(BIN)/flask init-db
	$(BIN)/flask load-demo

browsers:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
		echo "Installing Chromium and chromedriver from Debian's packages"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi

clean:
	rm -rf $(VENV) node_modules reports instance/polku.db
