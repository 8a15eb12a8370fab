# samverkan — two commands on a fresh machine:
#   make demo   installs, serves the bundled demo sites on 127.0.0.1, runs the nightly flow, writes processed/
#   make test   installs and runs ruff, mypy and the whole test suite (what .ci/run calls)
#   make test-fast   the edit loop: every test not marked slow (no Prefect flows, servers or subprocess runs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint bench national dictionary train clean notebooks

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

# 290 generated kommun sites on 127.0.0.1, two nights through `samverkan run`; ends with the NATIONAL line
national: install
	$(BIN)/python benchmarks/national.py $(NATIONAL_ARGS)

# Execute every notebook against SAMVERKAN_DATA_DIR (default: this folder); executed copies go to build/notebooks/.
notebooks: install
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,notebooks]"
	SAMVERKAN_DATA_DIR="$${SAMVERKAN_DATA_DIR:-$(CURDIR)}" $(BIN)/jupyter nbconvert --to notebook --execute \
		--ExecutePreprocessor.timeout=600 --output-dir build/notebooks notebooks/*.ipynb

dictionary: install
	$(BIN)/samverkan dictionary --write

train: install
	$(MAKE) -C models train PYTHON=$(abspath $(BIN)/python)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
