# Two commands do everything: `make demo` and `make test`.  Each sets up .venv on first use
# (torch 2.13.0 CPU first, so nothing pulls a multi-GB CUDA build) and is a no-op set-up after.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/fitbrief demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Headless Chromium for the brief's browser test; installed from Debian's packages when absent.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "chromium could not be installed; browser tests will be skipped"; }

test: $(STAMP) lint browser
	$(BIN)/python -m pytest

# The baselines (trafilatura, Scrapy, model2vec) are installed for the benchmarks only.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	cd bench && for b in bench_*.py; do ../$(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) fitbrief-demo .pytest_cache .mypy_cache .ruff_cache
