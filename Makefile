# Two commands for newcomers: `make site` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site test check serve schema guide golden clean

site: $(VENV)/.runtime  ## Create .venv/, install, build site/
	$(PY) build.py

check: $(VENV)/.runtime  ## Validate data/ only
	$(PY) build.py check

serve: $(VENV)/.runtime  ## Preview on http://127.0.0.1:8000/, rebuilt on every save (PORT=8001 to change)
	$(PY) build.py serve --port $(or $(PORT),8000)

schema: $(VENV)/.runtime  ## Regenerate schema/*.schema.json from the models (and the schema line of data files)
	$(PY) build.py schema

guide: $(VENV)/.runtime  ## Regenerate the field reference of content/contribuer.md from the models
	$(PY) build.py guide

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
