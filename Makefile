# Two entry points: `make run` (set up, then JupyterLab on the demo) and `make test`.
# Everything lives in .venv; the only requirements are Python 3.10+ and node 20.19+ (or 22.12+).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: setup run notebook-copies test test-fast test-ext chromium bench dist clean

# The JupyterLab extension is built from source with the machine's node by the build hook of
# `pip install -e` (`jlpm install`, then a development build into rerunkernel/labextension,
# copied into the venv's share/jupyter/labextensions). Every input of that build is listed,
# so an edit reinstalls, and the browser tests never run a copy built by hand.
EXT_SOURCES := $(wildcard jupyterlab-ext/package.json jupyterlab-ext/yarn.lock \
	jupyterlab-ext/tsconfig.json jupyterlab-ext/install.json \
	jupyterlab-ext/src/*.ts jupyterlab-ext/schema/*.json jupyterlab-ext/style/*)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(EXT_SOURCES) | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[test]'
	$(PY) -m rerunkernel install --sys-prefix
	touch $(STAMP)

# ECharts (rk.echarts_chart) is copied from npm by the extension build; copied again if deleted
ECHARTS := rerunkernel/elements/echarts.esm.min.js

$(ECHARTS): | $(STAMP)
	cd jupyterlab-ext && $(CURDIR)/$(VENV)/bin/jlpm build:echarts

# apache-arrow (dataframes in a v2 component's data) likewise
ARROW := rerunkernel/elements/apache-arrow.min.js

$(ARROW): | $(STAMP)
	cd jupyterlab-ext && $(CURDIR)/$(VENV)/bin/jlpm build:arrow

setup: $(STAMP) $(ECHARTS) $(ARROW)

# `make run` serves working copies of notebooks/ in RUN_DIR (git-ignored), so running the demo
# and JupyterLab's autosave change the copies and notebooks/ stays as committed. A copy is made
# when it is missing, and made again when its source changed while the copy did not (the file
# as it was copied is kept in RUN_COPIED to tell); a copy edited since is never overwritten.
RUN_DIR    := build/notebooks
RUN_COPIED := build/notebooks-as-copied

notebook-copies:
	@mkdir -p $(RUN_DIR) $(RUN_COPIED)
	@for source in notebooks/*; do \
	  [ -f "$$source" ] || continue; \
	  name=$${source##*/}; copy=$(RUN_DIR)/$$name; copied=$(RUN_COPIED)/$$name; \
	  if [ ! -e "$$copy" ] || { cmp -s "$$copy" "$$copied" && ! cmp -s "$$source" "$$copied"; }; \
	  then cp "$$source" "$$copy" && cp "$$source" "$$copied"; \
	  elif ! cmp -s "$$source" "$$copied"; then \
	    echo "Keeping $$copy, edited since it was copied: notebooks/$$name changed too" \
	      "(delete $$copy to get the new version)"; \
	  fi; \
	done

# The URL JupyterLab prints opens the demo's working copy (LabApp's default_url: ServerApp's
# is overridden).
# (--allow-root only where it is needed: containers and CI machines often run as root)
run: notebook-copies
	@$(MAKE) -q setup 2>/dev/null || echo "Setting up $(VENV): installing rerunkernel and" \
	  "JupyterLab, then building the JupyterLab extension with node (about a minute)..."
	@$(MAKE) --no-print-directory setup
	@echo "Starting JupyterLab on $(RUN_DIR)/demo.ipynb, a working copy of notebooks/ (which" \
	  "stays as committed): open the URL below that ends in demo.ipynb?token=..."
	$(VENV)/bin/jupyter lab --no-browser --ip=127.0.0.1 --port=$(PORT) \
	  --LabApp.default_url=/lab/tree/$(RUN_DIR)/demo.ipynb \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

# Debian's chromium drives the browser tests (Playwright's own download can't work here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

# The extension's own unit tests (vitest), for its pure logic.
test-ext: setup
	cd jupyterlab-ext && $(CURDIR)/$(VENV)/bin/jlpm test

# lint-imports: the layering contracts in pyproject.toml (the core imports no kernel code)
# pytest -n 3: three workers, a module at a time, browser modules then the others, each
# longest first (docs/ARCHITECTURE.md, "Tests")
test: setup chromium test-ext
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -q -ra -n 3 --dist loadfile

test-fast: setup test-ext
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -q -ra -m "not slow and not e2e"

bench: setup
	$(PY) -m pip install --disable-pip-version-check -q -e '.[bench]'
	for script in bench/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Release files: the sdist carries a production build of the extension, and the wheel is built
# from the sdist, so neither installs with node.
dist: setup
	rm -rf dist rerunkernel/labextension
	$(PY) -m pip install --disable-pip-version-check -q build
	$(PY) -m build

clean:
	rm -rf $(VENV) build dist *.egg-info rerunkernel/labextension $(ECHARTS) $(ARROW)
	cd jupyterlab-ext && rm -rf node_modules .yarn lib tsconfig.tsbuildinfo
