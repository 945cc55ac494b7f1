# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export HOST PORT

.PHONY: run test bench lint install install-test chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Starts the demo on an embedded SQLite file (var/ventanilla.sqlite3): migrate, seed on the first run, serve.
run: install
	DEBUG=$${DEBUG:-1} $(BIN)/ventanilla demo --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests, when it is missing and we may install it.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) >/dev/null; \
	  else echo "Chromium is missing and we are not root: browser tests will be skipped."; fi; \
	fi

test: install chromium
	DEBUG=1 $(BIN)/ventanilla build_locale
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
