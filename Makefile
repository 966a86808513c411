# Two commands for newcomers: `make site` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site test check serve golden clean

site: $(VENV)/.runtime  ## Create .venv/, install, build site/
	$(PY) build.py

check: $(VENV)/.runtime  ## Validate data/ only
	$(PY) build.py check

test: $(VENV)/.test node_modules/.installed  ## Create .venv/ with test dependencies and run every test
	$(PY) -m pytest

golden: $(VENV)/.test  ## Regenerate tests/golden/ from tests/fixtures/ (review the diff!)
	$(PY) -m tests.golden

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 ou plus est nécessaire"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) node_modules site .pytest_cache
