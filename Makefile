# Beaconport: `make demo` and `make test` are all a new developer needs. `make help` lists the rest.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
STATIC := src/beaconport/web/static
STATIC_STAMP := $(STATIC)/.built
WEB_ASSETS := $(wildcard src/beaconport/web/assets/*)
DEMO_DB := var/demo.db
DEMO_URL := sqlite:///$(DEMO_DB)
DEMO_FILE := var/demo/referrals.jsonl

.DEFAULT_GOAL := help
.PHONY: help setup demo test test-fast lint typecheck bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Beaconport needs Python 3.11 or newer as '$(PYTHON)'." >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# npm ci empties node_modules first, so the stamp inside it goes too and a half-finished install
# is redone next time.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || \
		{ echo "Beaconport needs Node.js 20 or newer, with npm, for its browser assets." >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

$(STATIC_STAMP): $(NODE_STAMP) scripts/build_static.py $(WEB_ASSETS) | $(STAMP)
	$(BIN)/python scripts/build_static.py

setup: $(STAMP) $(STATIC_STAMP) ## Create .venv, install npm packages and Chromium, build static files (idempotent)
	@scripts/ensure_chromium.sh

demo: setup ## Set up, load 1,273 synthetic referrals, link their people, add an account per role, review 40 cases, run the web app
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	BEACONPORT_DATABASE_URL=$(DEMO_URL) $(BIN)/beaconport db upgrade
	$(BIN)/beaconport demo-data generate --referrals 1273 --seed 2025 --invalid 12 --output $(DEMO_FILE)
	BEACONPORT_DATABASE_URL=$(DEMO_URL) $(BIN)/beaconport referrals import $(DEMO_FILE) || [ $$? -eq 3 ]
	@echo
	BEACONPORT_DATABASE_URL=$(DEMO_URL) $(BIN)/beaconport referrals summary
	@echo
	BEACONPORT_DATABASE_URL=$(DEMO_URL) $(BIN)/beaconport people link
	@echo
	BEACONPORT_DATABASE_URL=$(DEMO_URL) $(BIN)/beaconport demo-data accounts
	@echo
	BEACONPORT_DATABASE_URL=$(DEMO_URL) $(BIN)/beaconport demo-data reviews --cases 40 --seed 2025
	@echo
	@echo "Sign in at http://$${BEACONPORT_HOST:-127.0.0.1}:$${BEACONPORT_PORT:-8000}/ as any account above."
	@echo "The second factor is a six-digit code. Without a phone, print the current code in another terminal:"
	@echo "  BEACONPORT_DATABASE_URL=$(DEMO_URL) $(BIN)/beaconport demo-data code demo-screener"
	@echo "(or add the account's key above to any authenticator app). Ctrl+C stops the app."
	@echo
	BEACONPORT_DATABASE_URL=$(DEMO_URL) $(BIN)/beaconport serve

test: setup ## Set up, then run every check and test on SQLite and PostgreSQL
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: setup ## Only the unit tests
	$(BIN)/python -m pytest tests/unit

lint: setup ## Layer contracts, lint and types
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: setup ## Import benchmark: 100,000 referrals against a raw bulk insert, both engines
	$(BIN)/python bench/import_bench.py --referrals 100000

# Builds each database once (minutes) and keeps it: var/bench/ and beaconport_bench_web_*.
.PHONY: bench-web
bench-web: setup ## Web benchmark: 20 signed-in users over list, filter and detail pages, both engines
	@echo "== 20 users at a person's pace (a click a second each) =="
	$(BIN)/python bench/web_bench.py --referrals 100000 --users 20 --duration 60 --workers 2 --think-ms 1000 $(BENCH_ARGS)
	@echo "== 20 users back to back (what the machine can carry) =="
	$(BIN)/python bench/web_bench.py --referrals 100000 --users 20 --duration 60 --workers 2 $(BENCH_ARGS)

clean: ## Remove the virtualenv, npm packages, built static files and local databases
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache node_modules $(STATIC)
