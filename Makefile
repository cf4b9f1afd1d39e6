# Muster — `make demo` runs the demo, `make test` runs the tests; both build the environment first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/muster
DEMO_ARGS ?=

.PHONY: chromium setup demo test lane-sqlite lane-postgres test-sqlite test-postgres test-scale test-browser lint typecheck messages bench-search clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Muster needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "python3 -m venv failed: on Debian run apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: setup
	$(BIN)/muster demo $(DEMO_ARGS)

# Two lanes, one per core: mypy then the SQLite suite, and the PostgreSQL suite; each lane's
# output is printed whole when it ends, and `make test` fails if either does.
test: setup
	@$(MAKE) --no-print-directory chromium
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory -j2 --output-sync=target lane-sqlite lane-postgres

lane-sqlite: setup
	@$(MAKE) --no-print-directory typecheck
	@$(MAKE) --no-print-directory test-sqlite

lane-postgres: setup
	@$(MAKE) --no-print-directory test-postgres

test-sqlite: setup
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/pytest -q -p no:cacheprovider -m "not scale"

test-postgres: setup
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider -m "not browser and not scale"

# Tests that start their own PostgreSQL clusters (a streaming replica) or engines: .ci/run runs
# them after `make test`.
test-scale: setup
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider -m scale

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(BIN)/mypy muster

messages: setup
	cd muster && ../$(BIN)/muster makemessages -l vi --no-obsolete && ../$(BIN)/muster compilemessages -l vi

bench-search: setup
	$(BIN)/muster bench search

clean:
	rm -rf $(VENV) var/test.sqlite3

# Browser tests drive Debian's Chromium; install it when we can (root with apt), else they skip.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium: browser tests will be skipped"; \
	  else echo "no /usr/bin/chromium (apt-get install chromium): browser tests will be skipped"; fi; \
	fi
