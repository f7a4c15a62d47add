# Everything a fresh machine needs starts from python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help setup validate serve test lint schema bench clean

help:
	@echo "make serve  - set up, validate the records and serve the dataset"
	@echo "make test   - set up and run every test"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - the performance comparison (about 9 minutes on 2 cores)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

validate: $(STAMP)
	$(BIN)/toolkit validate

schema: $(STAMP)
	$(BIN)/toolkit schema

serve: validate
	$(BIN)/toolkit serve --port 8001

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check toolkit tests
	$(BIN)/ruff format --check toolkit tests
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) dist .cache .pytest_cache .mypy_cache .ruff_cache
