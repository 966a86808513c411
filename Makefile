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

# Test files run in parallel, one worker per core up to 4 (browser and preview-server tests mostly wait);
# a file's tests stay together, on one worker, with their module fixtures. TEST_JOBS=0 runs them in one process.
TEST_JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)

test: $(VENV)/.test node_modules/.installed  ## Create .venv/ with test dependencies and run every test
	$(PY) -m pytest -n $(TEST_JOBS) --dist loadfile

golden: $(VENV)/.test  ## Regenerate tests/golden/ from tests/fixtures/ (review the diff!)
	$(PY) -m tests.golden

# Quiet and quick: the dependencies are installed from requirements*.txt without building this package (no
# setuptools run, no build isolation); a .pth file puts the checkout on the venv's path, as an editable install
# would. pip's own upgrade is skipped (the venv's pip installs pinned wheels fine). -qq: errors only. --no-compile:
# Python compiles only the modules a command imports, when it first imports them (half the install's time).
PIP_INSTALL := $(VENV)/bin/pip install -qq --no-compile --disable-pip-version-check
LINK := $(PY) -c 'import pathlib, site; pathlib.Path(site.getsitepackages()[0], "annuaire360.pth").write_text("$(CURDIR)\n")'

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus est nécessaire : installez-le (paquet python3) puis relancez make.")'
	@echo "Première installation (une seule fois) : création de $(VENV)/…"
	@$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	@$(PIP_INSTALL) -r requirements.txt
	@$(LINK)
	@touch $@

$(VENV)/.test: requirements.txt requirements-importeurs.txt requirements-test.txt | $(VENV)/bin/python
	@$(PIP_INSTALL) -r requirements.txt -r requirements-importeurs.txt -r requirements-test.txt
	@$(LINK)
	@touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) node_modules site .pytest_cache
