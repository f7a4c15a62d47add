# Everything a fresh machine needs starts from python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help setup validate serve test lint schema bench clean fast pure test-compiled

help:
	@echo "make serve  - set up, validate the records and serve the dataset"
	@echo "make test   - set up and run every test"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - the performance comparison (about 9 minutes on 2 cores)"
	@echo "make fast   - compile the hot path with mypyc (pure Python where no C compiler works)"
	@echo "make pure   - remove the compiled modules: pure Python again"
	@echo "make test-compiled - compile, then the tests that compare compiled and pure"

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

# The hot modules compiled with mypyc, in place beside their sources (they take precedence on
# import); without a working C compiler the package stays pure Python (see setup.py).
fast: $(STAMP)
	FACTBASE_COMPILE=1 $(BIN)/python setup.py -q build_ext --inplace

pure:
	find toolkit -name '*.so' -delete
	rm -rf build

# On the compiled path: compiled and pure give the same reports and databases, and the tests
# of the compiled modules' own stages pass (the whole suite runs on the pure path: make test).
COMPILED_TESTS ?= tests/test_compiled.py tests/test_languages.py tests/test_vietnamese.py \
	tests/test_english.py tests/test_words.py tests/test_rules.py tests/test_load.py tests/test_build.py
test-compiled: fast
	$(BIN)/python -m pytest $(COMPILED_TESTS) $(PYTEST_ARGS)

clean: pure
	rm -rf $(VENV) dist .cache .pytest_cache .mypy_cache .ruff_cache
