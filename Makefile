# `make` builds every source/*.md into build/; `make test` runs ruff, mypy and pytest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system
# WeasyPrint subsets fonts with HarfBuzz's subsetter when it is there (0.3-0.6 s for a
# Chinese PDF) and falls back to fontTools without it (40-60 s): the set-up gives the fast path.
SYSTEM_PACKAGES := libharfbuzz-subset0

.PHONY: all test clean system

all: $(STAMP)
	$(BIN)/python build.py

system: $(SYSTEM_STAMP)

$(SYSTEM_STAMP):
	@if /sbin/ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing $(SYSTEM_PACKAGES) (HarfBuzz's font subsetter, for fast PDFs)"; \
	  apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; }; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	  sudo apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	else \
	  echo "unpress needs HarfBuzz's font subsetter; run: sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; \
	fi
	@mkdir -p $(VENV) && touch $(SYSTEM_STAMP)

$(STAMP): pyproject.toml $(SYSTEM_STAMP)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

clean:
	rm -rf build $(VENV)
