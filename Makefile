# giaoban: the two commands a new user needs are `make reports` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD ?= build
CORPUS ?= corpus
JOBS ?= 2
# Language of the reports and the index: vi (default) or en.
REPORT_LANG ?= vi
# A researcher's own codebook: make reports CODEBOOK=my.yml (default: the packaged one).
CODEBOOK ?=
CODEBOOK_OPT := $(if $(CODEBOOK),--codebook $(CODEBOOK),)
# A large corpus on Dask: make reports SCHEDULER=local:2 (or tcp://HOST:8786); default in-process.
SCHEDULER ?=
SCHEDULER_OPT := $(if $(SCHEDULER),--scheduler $(SCHEDULER),)

.PHONY: setup reports ingest tag analyze render test test-fast lint lab bench clean

setup: $(STAMP)

# Re-install only when the package metadata changes (idempotent, cheap when nothing changed).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "giaoban needs Python 3.11 or newer; run e.g. make PYTHON=python3.12 ...")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/python -m ipykernel install --sys-prefix --name giaoban --display-name "Python (giaoban)" > /dev/null
	touch $(STAMP)

# Exit status 1 means "some files were not ingested": go on with the rest (they are listed in
# $(BUILD)/ingest_problems.txt and `reports` fails at the end; lines "check: ..." were read but
# deserve a look, and do not fail it); anything else stops here.
ingest: setup
	$(BIN)/giaoban ingest --corpus $(CORPUS) --build $(BUILD) --jobs $(JOBS) $(SCHEDULER_OPT) || [ $$? -eq 1 ]

tag: ingest
	$(BIN)/giaoban tag --build $(BUILD) $(CODEBOOK_OPT) $(SCHEDULER_OPT)

analyze: tag
	$(BIN)/giaoban analyze --build $(BUILD) $(CODEBOOK_OPT) $(SCHEDULER_OPT)

render: analyze
	$(BIN)/giaoban render all --build $(BUILD) --out reports --jobs $(JOBS) --if-changed --lang $(REPORT_LANG) $(CODEBOOK_OPT) $(SCHEDULER_OPT)

reports: render
	@echo "Open reports/index.html"
	@if grep -qv '^check:' $(BUILD)/ingest_problems.txt 2>/dev/null; then \
		echo "Some corpus files were not ingested ($(BUILD)/ingest_problems.txt):"; \
		cat $(BUILD)/ingest_problems.txt; exit 1; \
	elif [ -s $(BUILD)/ingest_problems.txt ]; then \
		echo "Read, but check these ($(BUILD)/ingest_problems.txt):"; cat $(BUILD)/ingest_problems.txt; fi

# The whole suite (notebooks, browser and whole-build tests included), after the linter.
test: setup lint
	$(BIN)/python -m pytest -q

# Everything but the tests marked slow: under half a minute, for the edit-test loop.
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check .

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: setup
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(BUILD) reports
