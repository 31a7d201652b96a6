# The README's commands. Each target installs what it needs itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
PORT   ?= 8501
ADDRESS ?= 127.0.0.1
SCALE  ?= full
DEMO_DIR ?= demo-data
PYTEST_ARGS ?=
# The tests and the accuracy run empty their database again and again: they get a server of their own,
# never the one .env names, which may hold the demo or a case (devtools/throwaway.py).
TEST_BOLT_PORT ?= 7688
TEST_HTTP_PORT ?= 7475
TEST_URI := bolt://127.0.0.1:$(TEST_BOLT_PORT)
TEST_ENV := NEO4J_URI=$(TEST_URI) NEO4J_HTTP_PORT=$(TEST_HTTP_PORT) NEO4J_USERNAME=neo4j NEO4J_DATABASE=neo4j \
            EXPLORER_TESTS_MAY_CLEAR=$(TEST_URI)

.PHONY: help install chromium neo4j neo4j-stop neo4j-status demo demo-data serve test accuracy lint bench clean

help:
	@echo "make demo   - install, start Neo4j, load the demo data, serve the app on http://localhost:$(PORT)"
	@echo "make test   - install, start a Neo4j of its own (Bolt $(TEST_BOLT_PORT)), run the whole test suite, stop what it started"
	@echo "make accuracy - real networks' published facts and the scenario seeds, expected against found"
	@echo "make bench  - benchmarks against the alternatives (SCALE=small for a 5-minute run)"
	@echo "make neo4j / neo4j-stop / neo4j-status - the database on its own"

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own download does not work offline),
# with CJK fonts so the Chinese interface renders in screenshots.
chromium:
	@{ command -v chromium >/dev/null 2>&1 && ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1; } || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

.env:
	@$(PYTHON) -c "import secrets,pathlib; t=pathlib.Path('.env.example').read_text(); pathlib.Path('.env').write_text(t.replace('change-me-please', secrets.token_urlsafe(18)))"
	@echo "Wrote .env with a generated Neo4j password."

neo4j: install .env
	@$(PY) -m devtools.local_neo4j start

neo4j-stop: install
	@$(PY) -m devtools.local_neo4j stop

neo4j-status: install
	@$(PY) -m devtools.local_neo4j status

demo-data: neo4j
	$(PY) -m devtools.demo --out $(DEMO_DIR)

serve: install
	$(BIN)/streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

demo: demo-data serve

test: install chromium .env
	@export $(TEST_ENV); \
	was_running=0; $(PY) -m devtools.local_neo4j status >/dev/null 2>&1 && was_running=1; \
	$(PY) -m devtools.local_neo4j start || exit 1; \
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$was_running = 0 ]; then $(PY) -m devtools.local_neo4j stop; fi; \
	exit $$rc

# ACCURACY_ARGS=--small for the quick version (the real networks and two small seeds).
ACCURACY_ARGS ?=
accuracy: install .env
	@export $(TEST_ENV); \
	was_running=0; $(PY) -m devtools.local_neo4j status >/dev/null 2>&1 && was_running=1; \
	$(PY) -m devtools.local_neo4j start || exit 1; \
	$(PY) -m devtools.accuracy $(ACCURACY_ARGS); rc=$$?; \
	if [ $$was_running = 0 ]; then $(PY) -m devtools.local_neo4j stop; fi; \
	exit $$rc

lint: install
	$(BIN)/ruff check explorer loaders pages devtools tests bench app.py
	$(BIN)/ruff format --check explorer loaders pages devtools tests bench app.py

bench: install .env
	$(PY) -m bench --scale $(SCALE)

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
