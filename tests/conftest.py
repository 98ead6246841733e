"""Shared fixtures.

`store` is parametrized over both stores (embedded, neo4j) and holds the sample corpus, so
every test that takes it asks both stores the same question. The Neo4j server is the
project's own (`policykg neo4j start`, see README); its URL comes from NEO4J_TEST_URL
(default bolt://127.0.0.1:7687) and its password from NEO4J_PASSWORD. Outside CI a missing
server skips the Neo4j half with one line saying how to start it; in CI (CI=true) it fails.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
GOLD = ROOT / "corpus" / "gold"
OUTPUT = ROOT / "test-output"
NEO4J_URL = os.environ.get("NEO4J_TEST_URL", "bolt://127.0.0.1:7687")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
START_HINT = "start it with: NEO4J_PASSWORD=... policykg neo4j start  (or: make neo4j-start)"


def neo4j_reachable(url: str = NEO4J_URL) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 7687), timeout=1.0):
            return True
    except OSError:
        return False


def require_neo4j() -> str:
    """The Neo4j test URL, or a skip (fail in CI) when no server answers."""
    if neo4j_reachable():
        return NEO4J_URL
    message = f"no Neo4j server at {NEO4J_URL}; {START_HINT}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def sample_records():
    """Extraction records of the sample corpus (extracted once per session)."""
    from policykg.ingest.extract import extract_path

    return [extract_path(path) for path in sorted(SEEDS.glob("*.txt"))]


def _fresh_neo4j():
    from policykg.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(require_neo4j())
    store.wipe()  # tests own this database: start from nothing
    return store


@pytest.fixture(scope="session")
def _session_stores(tmp_path_factory) -> Iterator[dict]:
    stores: dict = {}
    yield stores
    for st in stores.values():
        st.close()


@pytest.fixture(params=["embedded", "neo4j"])
def store(request, sample_records, _session_stores):
    """A store of each kind holding the sample corpus. Ingest skips unchanged sources by
    content hash, so re-loading before each test costs little and repairs a wiped Neo4j."""
    kind = request.param
    if kind not in _session_stores:
        if kind == "embedded":
            from policykg.graph.embedded import EmbeddedStore

            path = request.getfixturevalue("tmp_path_factory").mktemp("embedded-store")
            _session_stores[kind] = EmbeddedStore(f"embedded:{path}")
        else:
            _session_stores[kind] = _fresh_neo4j()
    st = _session_stores[kind]
    for record in sample_records:
        st.ingest(record)
    return st


@pytest.fixture(params=["embedded", "neo4j"])
def empty_store(request, tmp_path) -> Iterator:
    """A new, empty store of each kind (for ingest, re-ingest and replacement tests)."""
    if request.param == "embedded":
        from policykg.graph.embedded import EmbeddedStore

        st = EmbeddedStore(f"embedded:{tmp_path / 'store'}")
    else:
        st = _fresh_neo4j()
    yield st
    st.close()
