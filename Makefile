# PolicyKG — the two Quick start commands are `make serve` and `make test`.
# Everything is installed into the project (a virtual environment in .venv, npm packages in
# node_modules, Neo4j's Maven artifacts in ~/.m2); system packages (Chromium, CJK fonts) come
# from Debian's archive when the test suite needs them.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= embedded:$(CURDIR)/data/graph
NEO4J_PORT ?= 7687
export NEO4J_PASSWORD ?= policykg-test-password
export NEO4J_TEST_URL ?= bolt://127.0.0.1:$(NEO4J_PORT)

.PHONY: serve test venv static system-deps neo4j-start neo4j-stop lint eval bench clean

## serve: build the graph from the sample corpus (embedded store) and serve API + page on :8000
serve: venv static
	$(BIN)/policykg ingest corpus/seeds --store $(STORE)
	$(BIN)/policykg serve --store $(STORE)

## test: the full test suite, with a real Neo4j server and a real headless Chromium
test: venv static system-deps
	$(BIN)/ruff check .
	graph/neo4j-server/start --port $(NEO4J_PORT) --data $(CURDIR)/test-output/neo4j-data
	$(BIN)/python -m pytest -q; rc=$$?; graph/neo4j-server/stop; exit $$rc

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test]"
	touch $@

static: venv
	$(BIN)/python api/build_static.py

system-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk" || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "need Debian packages chromium and fonts-noto-cjk: sudo apt-get install chromium fonts-noto-cjk"; exit 1; fi; }

neo4j-start:
	graph/neo4j-server/start --port $(NEO4J_PORT)

neo4j-stop:
	graph/neo4j-server/stop

lint: venv
	$(BIN)/ruff check .

eval: venv
	$(BIN)/policykg eval

bench: venv
	$(BIN)/policykg bench --docs 100 1000

clean:
	rm -rf $(VENV) node_modules api/static/vendor test-output data
