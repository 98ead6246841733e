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

# the Python dependencies come from the lock files (hashes pinned); `make lock` refreshes them
LOCKS := requirements/test.lock requirements/runtime.lock
LOCK := $(BIN)/uv pip compile pyproject.toml requirements/build.in --generate-hashes --universal \
	--python-version 3.11 --quiet

.PHONY: serve test venv static system-deps neo4j-start neo4j-stop lint eval bench bench-load clean places lock lock-upgrade

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
$(VENV)/.installed: pyproject.toml requirements/test.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes -r requirements/test.lock
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; \
	  echo "requirements/test.lock does not satisfy pyproject.toml: run make lock"; exit 1; }
	touch $@

## lock: resolve pyproject.toml's dependencies into requirements/*.lock (versions and hashes
## pinned; existing pins kept). lock-upgrade: the newest versions of everything.
lock:
	test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/pip install -q uv; }
	$(LOCK) --extra test -o requirements/test.lock
	$(LOCK) --constraint requirements/test.lock -o requirements/runtime.lock

lock-upgrade:
	$(MAKE) lock LOCK="$(LOCK) --upgrade"

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

## places: regenerate ingest/data/places.tsv from the division table in the jionlp wheel
## (downloaded into a temporary directory; jionlp is not a dependency). PLACES_CHECK=1 only compares.
JIONLP_VERSION ?= 1.5.31
places: venv
	tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(BIN)/pip download -q --no-deps --only-binary=:all: -d $$tmp jionlp==$(JIONLP_VERSION) && \
	$(BIN)/python ingest/data/build_places.py --wheel $$tmp/jionlp-$(JIONLP_VERSION)-py2.py3-none-any.whl \
	  $(if $(PLACES_CHECK),--check)

lint: venv
	$(BIN)/ruff check .

eval: venv
	$(BIN)/policykg eval

## bench: the benchmark (BENCH_DOCS sizes) on both stores, with a Neo4j of its own on BENCH_PORT
## (its database is wiped), sized for 100k documents; figures in test-output/bench.json
bench: venv
	mkdir -p test-output
	NEO4J_HEAP=$(BENCH_HEAP) NEO4J_PAGECACHE=$(BENCH_PAGECACHE) NEO4J_TX_TIMEOUT=0 NEO4J_TX_MEMORY=0 \
	  graph/neo4j-server/start \
	  --port $(BENCH_PORT) --data $(CURDIR)/test-output/neo4j-bench
	$(BIN)/policykg bench --docs $(BENCH_DOCS) --store bolt://127.0.0.1:$(BENCH_PORT) \
	  --json test-output/bench.json; rc=$$?; graph/neo4j-server/stop --port $(BENCH_PORT); exit $$rc

## bench-load: requests/s and p99 of the API on the sample corpus, 30 loopback clients for 10 s
bench-load: venv
	$(BIN)/policykg bench-load --clients 30 --seconds 10

clean:
	rm -rf $(VENV) node_modules api/static/vendor test-output data
