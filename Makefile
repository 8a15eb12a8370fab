# samverkan — two commands on a fresh machine:
#   make demo   installs, serves the bundled demo sites on 127.0.0.1, runs the nightly flow, writes processed/
#   make test   installs and runs ruff, mypy and the whole test suite (what .ci/run calls)
#   make test-fast   the edit loop: every test not marked slow (no Prefect flows, servers or subprocess runs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint bench dictionary train clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/samverkan demo

test: install
	bash scripts/install_chromium.sh
	$(BIN)/ruff check pipeline flows tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check pipeline flows tests benchmarks scripts
	$(BIN)/mypy

bench: install
	$(BIN)/python benchmarks/bench.py

dictionary: install
	$(BIN)/samverkan dictionary --write

train: install
	$(MAKE) -C models train PYTHON=$(abspath $(BIN)/python)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
