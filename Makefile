# Two entry points: `make run` (set up, then JupyterLab on the demo) and `make test`.
# Everything lives in .venv; the only requirements are Python 3.10+ and node 20.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8888

.PHONY: setup run test test-fast chromium bench lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[test]'
	$(PY) -m rerunkernel install --sys-prefix
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/jupyter lab notebooks/demo.ipynb --no-browser --ip=127.0.0.1 --port=$(PORT)

# Debian's chromium drives the browser tests (Playwright's own download can't work here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

test: setup chromium
	$(PY) -m pytest -q -ra

test-fast: setup
	$(PY) -m pytest -q -ra -m "not slow and not browser"

bench: setup
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) bench/rerun_latency.py

clean:
	rm -rf $(VENV) build dist *.egg-info
