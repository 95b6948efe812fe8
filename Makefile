# Central Asian news -> verified records. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
IN ?= seeds
OUT ?= out
export PYTHONHASHSEED := 0

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv with the pinned dependencies
	@echo "installed into $(VENV)"

extract: $(STAMP) ## Extract every article of IN (default seeds/) into OUT (default out/)
	$(BIN)/extractor extract $(IN) --out $(OUT)

test: $(STAMP) ## Run the test suite offline (network blocked)
	$(BIN)/pytest

lint: $(STAMP) ## ruff, mypy and the import-layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

record: $(STAMP) ## Re-record the LLM cassettes against a live endpoint (needs OPENAI_API_KEY)
	@test -n "$$OPENAI_API_KEY" || { echo "make record needs OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI endpoint)"; exit 2; }
	$(BIN)/python scripts/curate_cassettes.py --live
	$(BIN)/pytest tests/test_cassettes.py

curate: $(STAMP) ## Rebuild the cassettes from the hand-curated answers in fixtures/llm_answers
	$(BIN)/python scripts/curate_cassettes.py
	$(BIN)/pytest tests/test_cassettes.py

eval: $(STAMP) ## P/R/F1 against fixtures/gold (BACKEND=offline, or openai from the cassettes)
	$(BIN)/python -m evaluation --backend $(or $(BACKEND),offline)

bench: $(STAMP) ## Speed and memory benchmarks (printed, never asserted)
	$(BIN)/python -m bench

report: $(STAMP) ## Consolidate OUT across articles (JSON + store) and build OUT/report.html
	$(BIN)/extractor consolidate $(OUT)
	$(BIN)/extractor report $(OUT) --html $(OUT)/report.html

schema: $(STAMP) ## Re-export the JSON Schema into schemas/
	$(BIN)/python -m schemas.export

clean: ## Remove outputs and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache

.PHONY: help install extract test lint record curate eval bench report schema clean
