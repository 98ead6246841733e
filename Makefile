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
BENCH_DOCS ?= 100 1000 10000
BENCH_PORT ?= 7688
BENCH_HEAP ?= 3g
BENCH_PAGECACHE ?= 4g

.PHONY: serve test venv static system-deps neo4j-start neo4j-stop lint eval bench clean

## serve: build the graph from the sample corpus (embedded store) and serve API + page on :8000
serve: venv static
	$(BIN)/policykg ingest corpus/seeds --store $(STORE)
	$(BIN)/policykg serve --store $(STORE)

## test: the full test suite, with a real Neo4j server and a real headless Chromium
test: venv static system-deps
	$(BIN)/ruff check .
	graph/neo4j-server/start --port $(NEO4J_PORT) --data $(CURDIR)/test-output/neo4j-data
	$(BIN)/python -m pytest -q; rc=$$?; graph/neo4j-server/stop --port $(NEO4J_PORT); exit $$rc

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
	graph/neo4j-server/stop --port $(NEO4J_PORT)

lint: venv
	$(BIN)/ruff check .

eval: venv
	$(BIN)/policykg eval

## bench: the benchmark (BENCH_DOCS sizes) on both stores, with a Neo4j of its own on BENCH_PORT
## (its database is wiped), sized for 100k documents; figures in test-output/bench.json
bench: venv
	mkdir -p test-output
	NEO4J_HEAP=$(BENCH_HEAP) NEO4J_PAGECACHE=$(BENCH_PAGECACHE) graph/neo4j-server/start \
	  --port $(BENCH_PORT) --data $(CURDIR)/test-output/neo4j-bench
	$(BIN)/policykg bench --docs $(BENCH_DOCS) --store bolt://127.0.0.1:$(BENCH_PORT) \
	  --json test-output/bench.json; rc=$$?; graph/neo4j-server/stop --port $(BENCH_PORT); exit $$rc

clean:
	rm -rf $(VENV) node_modules api/static/vendor test-output data
