# juhtum: the two commands of the README, and what developers run.
# Everything installs into .venv from nothing: a fresh machine needs Python 3.11+, git and make.
# The versions installed are exactly those of requirements/dev.lock (hashed); `make lock`
# refreshes it, `make test-latest` tries the newest versions of everything instead.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements/dev.lock
LATEST := .venv-latest
# every optional extra of pyproject.toml (dev, and any added later): the lock holds them all
EXTRAS = $(shell $(PYTHON) -c 'import tomllib; print(",".join(tomllib.load(open("pyproject.toml", "rb"))["project"].get("optional-dependencies", {})))')

.PHONY: demo test lint typecheck unit browser editor editor-tools crypto-tools messages \
	bench bench-smoke lock test-latest clean

# a new lock makes the virtual environment anew, so that nothing unlocked stays in it
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

## demo: install, then check the bundled examples and show their cases
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

## test: install, then lint, type-check and run the whole test suite
test: $(STAMP) browser editor editor-tools crypto-tools lint typecheck unit mutate-changed

## browser: headless Chromium for the tests that render the HTML report and exports
## (Debian's chromium package; installing it needs root, as on a CI machine)
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

## editor-tools: the YAML language server the editor tests drive (npm, from tests/editor's
## package-lock.json, into a cache folder outside the source tree); Node.js and npm from
## Debian when missing (needs root, as on a CI machine)
editor-tools: $(STAMP)
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || \
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; }
	$(BIN)/python -m tests.editor.tools

## editor: Debian's nano, the real editor the terminal test drives (tests/cli/test_nano.py)
editor:
	@command -v nano >/dev/null 2>&1 || \
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nano; }

## crypto-tools: what the SOPS interop tests drive: the age command (Debian's age) and the npm
## sops-age package (from tests/crypto's package-lock.json, into the same cache folder); Node.js
## and npm from Debian when missing (needs root, as on a CI machine)
crypto-tools: $(STAMP)
	@command -v age >/dev/null 2>&1 && command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || \
		{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q age nodejs npm; }
	$(BIN)/python -m tests.crypto.tools

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

## messages: extract message ids, update the Estonian catalogue, compile it
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output -k N_ -k Msg -k _ -k ngettext:1,2 \
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

## lock: resolve the newest versions allowed by pyproject.toml, every extra included, into
## requirements/dev.lock with their hashes (run after changing a dependency, and monthly;
## `make lock UPGRADE=` adds what is new and keeps the other pins)
UPGRADE ?= --upgrade
lock: $(STAMP)
	$(BIN)/pip-compile --quiet $(UPGRADE) --all-extras --generate-hashes --allow-unsafe \
		--strip-extras --no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml

## test-latest: the whole suite against the newest release of every dependency, without
## the lock, in a virtual environment of its own (.venv-latest)
test-latest: editor-tools crypto-tools
	$(PYTHON) -m venv --clear $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[$(EXTRAS)]'
	$(LATEST)/bin/python -m pip list --format freeze > $(LATEST)/versions.txt
	$(LATEST)/bin/python -m pytest -p no:cacheprovider

clean:
	rm -rf $(VENV) $(LATEST) build dist .pytest_cache .mypy_cache .ruff_cache

.PHONY: mutate mutate-changed

## mutate: mutation testing (mutmut) of the rules, the content hash, storage, the journal and
## the cache (scripts/mutate.py; MUTATE_ARGS="hashing" for one, "invariants --survivors" to test
## again what the last run left alive); a survivor not listed in tests/equivalent_mutants.txt
## fails it. Results are kept in build/mutmut/: a rerun tests only what is new or changed.
## hashing.py takes under a minute; invariants/ (~2,600 mutants) hours on one core
mutate: $(STAMP)
	$(BIN)/python scripts/mutate.py $(MUTATE_ARGS)

## mutate-changed: the same, only on the functions that differ from MUTATE_BASE (committed or
## not), stopped after three minutes: the sample a CI run can afford, part of `make test`.
## MUTATE_BASE: origin/main when this checkout is ahead of it (a branch), else the last commit's
## first parent (CI on main: what the last change touched), else the empty tree (no history)
EMPTY_TREE := 4b825dc642cb6eb9a060e54bf8d69288fbee4904
MUTATE_BASE ?= $(shell if git rev-parse -q --verify origin/main >/dev/null \
	&& [ "$$(git rev-parse origin/main)" != "$$(git rev-parse HEAD)" ]; then echo origin/main; \
	elif git rev-parse -q --verify HEAD^ >/dev/null; then echo HEAD^; else echo $(EMPTY_TREE); fi)
mutate-changed: $(STAMP)
	$(BIN)/python scripts/mutate.py --changed $(MUTATE_BASE) --time-limit 170
