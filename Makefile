# Two commands on a fresh machine: `make build` and `make test`.
# Python 3.11, 3.12 or 3.13: the first of these that runs, or the one named on the command line
# (`make build PYTHON=python3.13`). pyenv's shims run only the versions that `pyenv global`
# selects; an installed version that it does not select is taken from pyenv's own folder.
PYTHON ?= python3.11 python3.12 python3.13 python3
# Another folder keeps a second Python's environment apart: `make test-fast VENV=.venv-3.13 PYTHON=python3.13`.
VENV ?= .venv
# 3.11.5 at least: soupsieve 4.1.2 (pinned) requires it; Debian 12's python3 is 3.11.2.
SUPPORTED := import sys; sys.exit(not (3, 11, 5) <= sys.version_info[:3] and sys.version_info[:2] <= (3, 13))
PY := $(shell for name in $(PYTHON); do \
	for exe in "$$(command -v $$name)" "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/*/bin/$$name; do \
	"$$exe" -c '$(SUPPORTED)' 2>/dev/null && { echo "$$exe"; exit; }; done; done)
VERSION_OF = $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt

.PHONY: build test test-fast lint clean venv python python-version

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Says which Python to install when none fits, and never reuses a venv of another version
# than the one named on the command line.
python:
	@test -n "$(PY)" || { echo "make: no Python 3.11 (3.11.5 or later), 3.12 or 3.13 found ($(PYTHON)):" \
	  "install one (Debian 13: apt-get install python3; elsewhere: pyenv install 3.13) or name it: make PYTHON=…" >&2; exit 1; }
	@have=$$($(call VERSION_OF,$(BIN)/python)); want=$$($(call VERSION_OF,$(PY))); \
	if [ "$(origin PYTHON)" = "command line" ] && [ -n "$$have" ] && [ "$$have" != "$$want" ]; then \
	  echo "make: $(VENV) holds Python $$have, not $$want: run \`make clean\` or choose another" \
	    "folder (make … VENV=.venv-$$want PYTHON=$(PYTHON))" >&2; exit 1; fi

python-version:
	@test -n "$(PY)" && $(call VERSION_OF,$(PY))

# Stamps record what was installed, so that a changed pin reinstalls.
$(VENV)/.site-installed: pyproject.toml constraints.txt | python $(BIN)/python
	@# whoosh3 replaced Whoosh-Reloaded, and both write whoosh/: the old one goes first.
	@$(BIN)/pip uninstall -y -q Whoosh-Reloaded 2>/dev/null || true
	$(PIP) -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml constraints.txt $(VENV)/.site-installed
	$(PIP) -e ".[test,bench]"
	@touch $@

venv: $(VENV)/.site-installed

build: $(VENV)/.site-installed
	$(BIN)/invoke build

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.test-installed lint
	$(BIN)/python -m pytest

# The tests of the code, not of the machine: no browser, load, concurrency or bench runs
# (about a minute), for a second Python version in CI.
FAST_TESTS := -m "not browser" $(addprefix --ignore=tests/,test_load.py test_deploy.py test_bench.py \
	test_incremental.py test_atomic_builds.py test_index_stream.py test_serving.py)

test-fast: $(VENV)/.test-installed
	$(BIN)/python -m pytest $(FAST_TESTS)

clean:
	rm -rf output $(VENV) .pytest_cache .ruff_cache build *.egg-info
