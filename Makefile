# The two commands a newcomer needs: `make demo` and `make test`. Everything else is optional.
SHELL := /bin/bash
VENV  ?= .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed
# The first Python 3.11+ on the PATH.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: demo test lint bench browser install clean-db help

help:
	@echo "make demo   - install, start the embedded PostgreSQL, load the demo data once, run the app"
	@echo "make test   - the whole test suite (ruff, mypy and pytest with browser tests)"
	@echo "make lint   - ruff and mypy only"
	@echo "make bench  - the performance benchmark at 10M signals (BENCH=\"--size demo\" for less)"

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed on the PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: install
	$(BIN)/nsoc demo

test: install browser lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

browser:
	@scripts/ensure-chromium

# The benchmark (README, "Performance"): seeds or reuses the 10M-signal database nsoc_bench.
# Pass options through BENCH, e.g. make bench BENCH="--size demo --skip-concurrent".
bench: install browser
	$(BIN)/nsoc bench --json bench.json $(BENCH)

clean-db: install
	-$(BIN)/nsoc db stop
	rm -rf .nsoc
