# Two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: build test lint clean venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps record what was installed, so that a changed pin reinstalls.
$(VENV)/.site-installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) .
	@touch $@

$(VENV)/.test-installed: pyproject.toml constraints.txt $(VENV)/.site-installed
	$(PIP) ".[test]"
	@touch $@

venv: $(VENV)/.site-installed

build: $(VENV)/.site-installed
	$(BIN)/invoke build

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.test-installed lint
	$(BIN)/python -m pytest

clean:
	rm -rf output $(VENV) .pytest_cache .ruff_cache build *.egg-info
