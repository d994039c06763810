# TriDesk: `make run` brings the whole suite up locally; `make test` runs every test.
# A fresh machine needs only python3 (3.11+) and pip: uv is installed with pip when missing.

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(PYTHON) -m uv
endif
API_PORT ?= 8000
AWS_PORT ?= 5000
ENDPOINT ?=

.DEFAULT_GOAL := help
.PHONY: help setup run test test-unit test-integration fuzz lint bench clean

help:
	@echo "make run    - install what is needed, start the suite locally with demo data (Ctrl-C stops)"
	@echo "make test   - install what is needed and run every test (lint, unit, integration, API conformance)"
	@echo "make bench  - run the benchmarks (quick mode)"
	@echo "make fuzz   - the API conformance run with new random examples (TRIDESK_FUZZ_EXAMPLES=200)"
	@echo "options: API_PORT=$(API_PORT) AWS_PORT=$(AWS_PORT) ENDPOINT=http://localhost:4566 (use LocalStack)"

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
		|| $(PYTHON) -m pip install --quiet --user uv \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --locked
	@touch $@

setup: .venv/.synced

run: setup
	$(UV) run --no-sync python -m local --api-port $(API_PORT) --aws-port $(AWS_PORT) $(if $(ENDPOINT),--endpoint $(ENDPOINT))

lint: setup
	$(UV) run --no-sync ruff check layers functions local tests benchmarks
	$(UV) run --no-sync cfn-lint template.yaml

test: setup lint
	$(UV) run --no-sync pytest -p no:cacheprovider

test-unit: setup
	$(UV) run --no-sync pytest tests/unit

test-integration: setup
	$(UV) run --no-sync pytest tests/integration

fuzz: setup
	TRIDESK_FUZZ_EXAMPLES=$${TRIDESK_FUZZ_EXAMPLES:-200} $(UV) run --no-sync pytest tests/integration/test_api_schema.py

bench: setup
	@for script in benchmarks/[a-z]*.py; do name=$$(basename $$script .py); echo "== benchmarks.$$name"; \
		$(UV) run --no-sync python -m benchmarks.$$name --quick || exit 1; done

clean:
	rm -rf .venv .pytest_cache .hypothesis
