# juhtum: the two commands of the README, and what developers run.
# Everything installs into .venv from nothing: a fresh machine needs Python 3.11+, git and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit browser editor messages bench bench-smoke clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: install, then check the bundled examples and show their cases
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

## test: install, then lint, type-check and run the whole test suite
test: $(STAMP) browser editor lint typecheck unit

## browser: headless Chromium for the tests that render the HTML report and exports
## (Debian's chromium package; installing it needs root, as on a CI machine)
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

## editor: Debian's nano, the real editor the terminal test drives (tests/cli/test_nano.py)
editor:
	@command -v nano >/dev/null 2>&1 || \
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nano; }

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
