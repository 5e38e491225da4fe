# `make demo` and `make test` do all the set-up on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-shared test-lowest venv bench clean data

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,web]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	IPOLENS_HOME=$${IPOLENS_HOME:-$(CURDIR)/.ipolens-demo} $(BIN)/ipolens ipo 6082.HK

test: $(STAMP)
	$(BIN)/python -m pytest

# Only the tests that read the reference material in ../shared (CI runs them after a run without it).
test-shared: $(STAMP)
	$(BIN)/python -m pytest -m needs_shared

# The suite on every runtime dependency pinned at its declared lower bound (constraints/lowest.txt).
test-lowest:
	test -d .venv-lowest || $(PY) -m venv .venv-lowest
	.venv-lowest/bin/pip install -q --upgrade pip
	.venv-lowest/bin/pip install -q -c constraints/lowest.txt -e '.[test,web]'
	.venv-lowest/bin/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_cli_startup.py

# Re-convert the embedded dataset from ../shared/data (maintainers only; the result is committed).
data: $(STAMP)
	$(BIN)/python -m ipolens.data.convert ../shared/data

clean:
	rm -rf $(VENV) .venv-lowest .ipolens-demo .pytest_cache
