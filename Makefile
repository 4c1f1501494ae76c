# juhtum: the two commands of the README, and what developers run.
# Everything installs into .venv from nothing: a fresh machine needs Python 3.11+, git and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit browser messages bench bench-smoke clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: install, then check the bundled examples and show their cases
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

## test: install, then lint, type-check and run the whole test suite
test: $(STAMP) browser lint typecheck unit

## browser: headless Chromium for the tests that render the HTML report and exports
## (Debian's chromium package; installing it needs root, as on a CI machine)
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

## messages: extract message ids, update the Estonian catalogue, compile it
messages: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output -k N_ -k Msg -k _ -k ngettext:1,2 \
		-o src/juhtum/locale/juhtum.pot src/juhtum
	test -f src/juhtum/locale/et/LC_MESSAGES/juhtum.po || $(BIN)/pybabel init \
		-i src/juhtum/locale/juhtum.pot -d src/juhtum/locale -D juhtum -l et
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i src/juhtum/locale/juhtum.pot \
		-d src/juhtum/locale -D juhtum -l et
	$(BIN)/pybabel compile -d src/juhtum/locale -D juhtum -l et

## bench: every benchmark of issue 5 at 1,000 and 10,000 cases, figures and ratios (~30 min;
## BENCH_ARGS="--cases 1000 --no-check-jsonschema" for a quick look)
bench: $(STAMP)
	$(BIN)/python -m compileall -q src/juhtum
	$(BIN)/python benchmarks/suite.py $(BENCH_ARGS)

## bench-smoke: the same scripts on 20 and 200 cases (the test suite runs this too)
bench-smoke: $(STAMP)
	$(BIN)/python benchmarks/suite.py --cases 20 200 --repeat 1 --check-jsonschema-at 20

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

.PHONY: mutate mutate-changed

## mutate: mutation testing (mutmut) of the rules, the content hash, storage, the journal and
## the cache (scripts/mutate.py; MUTATE_ARGS="hashing" for one, "invariants --survivors" to test
## again what the last run left alive); a survivor not listed in tests/equivalent_mutants.txt
## fails it. Results are kept in build/mutmut/: a rerun tests only what is new or changed.
## hashing.py takes under a minute; invariants.py (~2,600 mutants) hours on one core
mutate: $(STAMP)
	$(BIN)/python scripts/mutate.py $(MUTATE_ARGS)

## mutate-changed: the same, only on the functions that differ from MUTATE_BASE (committed or
## not), stopped after three minutes: the sample a CI run can afford
MUTATE_BASE ?= $(shell git rev-parse --verify -q origin/main >/dev/null && echo origin/main || echo main)
mutate-changed: $(STAMP)
	$(BIN)/python scripts/mutate.py --changed $(MUTATE_BASE) --time-limit 170
