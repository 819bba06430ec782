# make book : set up everything, fetch and check the data, build processed tables,
#             execute the notebooks that changed, build the HTML book.
# make test : set up everything and run the whole test suite (unit, data, CLI, nbval).
# make test-fast : unit and data tests only (no notebook execution, HTML, browser, server or new Python
#                  process), in parallel (JOBS=2), under a minute.
# Offline: ANALYSIS_DATA_MIRROR=DIR make book   (a folder holding pwt/ and wdi/).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD := .build
JOBS ?= 2
LAB_PORT ?= 8888
LAB_ARGS ?=
# cffconvert (validates CITATION.cff) pins an old jsonschema that conflicts with JupyterLab's,
# so it lives in its own venv; its whole dependency set is pinned here.
CFFCONVERT := $(BUILD)/tools/cffconvert/bin/cffconvert
CFFCONVERT_PINS := cffconvert==2.0.0 attrs==26.1.0 certifi==2026.10.19.post1 charset-normalizer==3.5.3 \
  click==8.5.1 docopt==0.6.2 idna==3.20 jsonschema==3.2.0 pykwalify==1.8.0 pyrsistent==0.20.0 \
  python-dateutil==4.0.0 requests==2.34.2 ruamel-yaml==0.19.1 setuptools==84.2.1 six==1.17.0 \
  tzdata==2026.6 urllib3==2.8.0

# Keep every tool's configuration and cache inside the repository (never $HOME).
export MPLCONFIGDIR := $(CURDIR)/$(BUILD)/user/matplotlib
export IPYTHONDIR := $(CURDIR)/$(BUILD)/user/ipython
export JUPYTER_CONFIG_DIR := $(CURDIR)/$(BUILD)/user/jupyter/config
export JUPYTER_DATA_DIR := $(CURDIR)/$(BUILD)/user/jupyter/data
export JUPYTER_RUNTIME_DIR := $(CURDIR)/$(BUILD)/user/jupyter/runtime
export JUPYTER_PLATFORM_DIRS := 1
export XDG_CACHE_HOME := $(CURDIR)/$(BUILD)/user/cache
export XDG_CONFIG_HOME := $(CURDIR)/$(BUILD)/user/config
export UV_CACHE_DIR := $(CURDIR)/$(BUILD)/user/uv
export npm_config_cache := $(CURDIR)/$(BUILD)/user/npm
export PIP_CACHE_DIR := $(CURDIR)/$(BUILD)/user/pip
export PYTHONHASHSEED := 0
# One BLAS thread per process: faster on 2 shared cores, and the same arithmetic in every run.
export OPENBLAS_NUM_THREADS := 1
export OMP_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export HYPOTHESIS_STORAGE_DIRECTORY := $(CURDIR)/$(BUILD)/hypothesis

.PHONY: help venv data notebooks html book browser test test-fast bench lab clean FORCE

help:
	@echo "make book   build the whole book (book/_build/html/index.html)"
	@echo "make test   run the whole test suite"
	@echo "make test-fast  unit and data tests only (no notebooks, HTML or browser)"
	@echo "make bench  run the benchmarks"
	@echo "make lab    open the source notebooks in JupyterLab (127.0.0.1, LAB_PORT=$(LAB_PORT))"
	@echo "Offline: ANALYSIS_DATA_MIRROR=DIR make book"

# The environment: a venv with uv, then the locked set (hash-checked), then this package.
# Bytecode is compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on CI machines), every
# new Python (a kernel, a CLI call) would otherwise compile pandas, matplotlib and scipy again.
$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 is required (python3.11 or python3 on PATH)"; exit 1; }
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python >= 3.11 is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

$(CFFCONVERT): $(STAMP)
	$(BIN)/uv venv --quiet --clear --python $(BIN)/python $(BUILD)/tools/cffconvert
	$(BIN)/uv pip install --quiet --python $(BUILD)/tools/cffconvert/bin/python $(CFFCONVERT_PINS)

# fetch and build run only when the registry, a raw file, a processed table or the data code changed
# (or a processed table is missing); both also check hashes themselves, so the stamp only saves time.
DATA_STAMP := $(BUILD)/data.stamp
PROCESSED := $(addprefix data/processed/,$(addsuffix .parquet,pwt wdi countries hdr))
DATA_INPUTS := data/raw/sources.toml $(wildcard src/analysis/data/*.py data/raw/*/* data/raw/*/*/* $(PROCESSED))
$(DATA_STAMP): $(STAMP) $(DATA_INPUTS) $(if $(filter-out $(wildcard $(PROCESSED)),$(PROCESSED)),FORCE)
	$(BIN)/python -m analysis fetch
	$(BIN)/python -m analysis build
	@mkdir -p $(BUILD) && touch $@

data: $(DATA_STAMP)

FORCE:

# Executes only the runs whose inputs changed (book/runs.lock); `run --dry-run` says which and why.
notebooks: data
	$(BIN)/python -m analysis run --jobs $(JOBS)

# Refuses while a page is stale or failed; skipped when no page source changed.
html: $(STAMP)
	$(BIN)/python -m analysis book

book: notebooks
	$(MAKE) --no-print-directory html

# The browser tests drive Debian's Chromium (Playwright cannot download its own browser offline).
# Installed here when missing and we are root (as on CI); otherwise stop and say what to install.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq chromium fonts-liberation; \
	  else \
	    echo "error: the browser tests need the chromium package: apt-get install -y chromium fonts-liberation (as root)"; \
	    exit 1; \
	  fi; \
	fi

# Tests check what is committed: the executed notebooks are re-run by nbval, not rewritten. The
# benchmarks run once each (--benchmark-disable), so that a broken one fails here, not in `make bench`.
test: data html browser $(CFFCONVERT)
	ANALYSIS_NBVAL=1 $(BIN)/python -m pytest -p no:cacheprovider tests benchmarks --benchmark-disable \
	  --nbval $(wildcard book/chapters book/countries) book/claims_ledger.ipynb \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-current-env

test-fast: data
	$(BIN)/python -m pytest -p no:cacheprovider -n $(JOBS) tests -m "not notebooks and not html and not browser and not slow" \
	  --ignore=tests/test_book.py

# Step timings, then rebuilds (forced, no change, one module) against a naive jupyter-book build.
bench: data
	$(BIN)/python -m pytest -p no:cacheprovider benchmarks --benchmark-only --benchmark-columns=median,iqr,rounds
	$(BIN)/python benchmarks/rebuild.py --jobs $(JOBS)

# JupyterLab on this machine only (127.0.0.1). jupyter-config/ (on JUPYTER_CONFIG_PATH) makes the
# MyST Markdown sources open as notebooks; jupytext.toml says how they are saved. More server
# options: make lab LAB_ARGS="--no-browser".
lab: data
	JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter-config $(BIN)/jupyter lab --ip=127.0.0.1 --port=$(LAB_PORT) \
	  --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

clean:
	rm -rf $(BUILD) build book/_build book/_extra/_static/mathjax data/processed/*.parquet
