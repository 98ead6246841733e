"""POST /cypher cannot be talked out of reading the graph (graph/cypher.py), against the real
Neo4j server: the strings that got past the old text filter, the store's internal nodes, the
limits (server-side timeout, rows and bytes, a bounded number of queries at once: 429) and the
4xx answers for bad input."""

from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import ClassVar

import neo4j
import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph.cypher import CypherAccessError, check_plan
from policykg.graph.neo4j_store import Neo4jStore

from policykg.settings import get_settings
from tests.browser_helpers import serve_app
from tests.conftest import require_neo4j

JSON = {"Content-Type": "application/json"}
SLOW = "UNWIND range(1, 100000000000) AS x WITH x WHERE x % 7 = 99 RETURN count(*)"


class Recorder(http.server.BaseHTTPRequestHandler):
    """A loopback HTTP server that only counts the requests it gets (the SSRF target)."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"a,b\n1,2\n")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def target() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def neo(sample_records) -> Iterator[Neo4jStore]:
    st = Neo4jStore(require_neo4j())
    for rec in sample_records:
        st.ingest(rec)
    yield st
    st.close()


@pytest.fixture
def cypher_on(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "enable_cypher", True)
    monkeypatch.setattr(settings, "cypher_timeout_s", 1.0)
    monkeypatch.setattr(settings, "cypher_row_limit", 50)


@pytest.fixture
def api(neo: Neo4jStore, cypher_on: None) -> TestClient:
    return TestClient(create_app(store=neo))


BYPASSES = [
    # a // inside a string literal hid the rest of the line from the old filter
    "WITH 'http://x' AS s LOAD CSV FROM '{url}' AS l RETURN l",
    "RETURN '//' AS a UNION ALL LOAD CSV FROM '{url}' AS l RETURN l[0] AS a",
    "WITH '//' AS s CALL dbms.listConfig() YIELD name RETURN name",
    "WITH '//' AS s CALL dbms.listConnections() YIELD connectionId RETURN connectionId",
    # a CYPHER or EXPLAIN prefix took administration past the old filter
    "CYPHER 5 SHOW USERS",
    "CYPHER 5 SHOW TRANSACTIONS",
    "CYPHER 5 TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "CYPHER 5 SHOW SETTINGS",
    "CYPHER 5 CALL dbms.listConfig() YIELD name RETURN name",
    "CYPHER 5 LOAD CSV FROM '{url}' AS l RETURN l",
    "CYPHER runtime=slotted SHOW CURRENT USER",
    "/* */ SHOW USERS",
    "SHOW DATABASES",
    "SHOW PROCEDURES",
    "CALL dbms.components()",
    "CALL db.labels() YIELD label CALL dbms.listConfig() YIELD name RETURN label, name",
    "MATCH (d:Document) CALL { LOAD CSV FROM '{url}' AS l RETURN l } RETURN l LIMIT 1",
    # writes, in every disguise
    "CYPHER 5 CREATE (:Document {id: 'x'})",
    "MATCH (n:Document) WITH n LIMIT 1 SET n.title = '//'",
    "CREATE INDEX x FOR (n:Task) ON (n.text)",
    # the store's bookkeeping
    "MATCH (n:_Meta) RETURN n",
    "MATCH (n:`_Source`) RETURN n.record",
    "MATCH (n:Document) RETURN n._contrib",
    "MATCH (n) WHERE n.record IS NOT NULL RETURN n.record",
    "MATCH (n) RETURN labels(n), count(*)",
    "MATCH (n) WHERE elementId(n) = $id RETURN n",
]


@pytest.mark.parametrize("query", BYPASSES)
def test_bypasses_are_refused(api: TestClient, neo: Neo4jStore, target: str, query: str) -> None:
    before = neo.stats()
    Recorder.hits.clear()
    response = api.post("/cypher", json={"query": query.replace("{url}", target), "params": {"id": "4:x:0"}})
    assert response.status_code == 403, response.text
    assert "read" in response.json()["detail"] or "not allowed" in response.json()["detail"]
    assert Recorder.hits == [], "the server fetched the loopback URL"
    assert neo.stats() == before


@pytest.mark.parametrize(
    "query",
    [
        "CALL db.labels()",
        "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType",
        "SHOW INDEXES",
        "CYPHER 5 MATCH (d:Document) RETURN count(d) AS n",
        "MATCH (d:Document)-[r:CITES]->(e:Document) RETURN d.title, type(r), e.title LIMIT 3",
        "// a comment\nMATCH (a:Agency) WHERE a.name CONTAINS '//' RETURN a LIMIT 1",
        "MATCH (n) RETURN count(n)",
    ],
)
def test_reading_still_works(api: TestClient, query: str) -> None:
    response = api.post("/cypher", json={"query": query})
    assert response.status_code == 200, response.text


def test_internal_labels_are_not_listed_as_nodes(api: TestClient) -> None:
    rows = api.post("/cypher", json={"query": "MATCH (d:Document) RETURN d LIMIT 3"}).json()["rows"]
    assert rows and all(not any(k.startswith("_") for k in row[0]["properties"]) for row in rows)


def test_check_plan_refuses_by_operator() -> None:
    with pytest.raises(CypherAccessError, match="LOAD CSV"):
        check_plan("r", {"operatorType": "ProduceResults@x", "children": [{"operatorType": "LoadCSV@x"}]})
    with pytest.raises(CypherAccessError, match="only reads"):
        check_plan("s", None)
    check_plan("r", {"operatorType": "ProduceResults@neo4j", "args": {"Details": "x"}})


# -- limits ----------------------------------------------------------------------------------


def _running(neo: Neo4jStore, fragment: str) -> list[str]:
    with neo4j.GraphDatabase.driver(require_neo4j(), auth=("neo4j", _password())) as driver:
        records, _, _ = driver.execute_query("SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery")
    queries = [r["currentQuery"] or "" for r in records]
    return [q for q in queries if fragment in q and "SHOW" not in q]


def _password() -> str:
    import os

    return os.environ.get("NEO4J_PASSWORD", "")


def test_a_slow_query_is_stopped_on_the_server(api: TestClient, neo: Neo4jStore) -> None:
    started = time.monotonic()
    assert api.post("/cypher", json={"query": SLOW}).status_code == 408
    assert time.monotonic() - started < 10
    assert _running(neo, "range(1, 100000000000)") == []


def test_rows_and_bytes_are_bounded(api: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "cypher_byte_limit", 100_000)
    query = "UNWIND range(1, 10) AS i RETURN [x IN range(1, 50000) | x] AS xs"
    huge = api.post("/cypher", json={"query": query})
    assert huge.status_code == 200 and huge.json()["truncated"] is True
    assert len(huge.content) < 200_000
    many = api.post("/cypher", json={"query": "UNWIND range(1, 1000) AS x RETURN x"}).json()
    assert len(many["rows"]) == 50 and many["truncated"]
    small = api.post("/cypher", json={"query": "UNWIND range(1, 10) AS x RETURN x"}).json()
    assert len(small["rows"]) == 10 and not small["truncated"]


def test_too_many_cypher_queries_get_429_and_other_endpoints_answer(
    neo: Neo4jStore, cypher_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "cypher_concurrency", 2)
    monkeypatch.setattr(get_settings(), "cypher_timeout_s", 4.0)
    statuses: list[int] = []

    def slow() -> None:
        body = json.dumps({"query": SLOW}).encode()
        request = urllib.request.Request(f"{base}/cypher", data=body, headers=JSON)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as err:
            statuses.append(err.code)

    with serve_app(create_app(store=neo)) as base:
        workers = [threading.Thread(target=slow) for _ in range(2)]
        for w in workers:
            w.start()
        time.sleep(1.0)  # both are running on the server now
        request = urllib.request.Request(
            f"{base}/cypher", data=b'{"query": "RETURN 1"}', headers={"Content-Type": "application/json"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 429 and refused.value.headers["Retry-After"]
        started = time.monotonic()
        with urllib.request.urlopen(f"{base}/documents?limit=5", timeout=10) as response:
            assert response.status == 200
        assert time.monotonic() - started < 2
        for w in workers:
            w.join(timeout=30)
        assert statuses == [408, 408]
        with urllib.request.urlopen(request, timeout=10) as response:  # the slots are free again
            assert response.status == 200


# -- 4xx for bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"query": "RETURN $n", "params": {"n": 2**64}}, 400),
        ({"query": "RETURN $n", "params": {"n": [1, {"a": -(2**70)}]}}, 400),
        ({"query": "RETURN 1 +"}, 400),
        ({"query": "MATCH (n:Document RETURN n"}, 400),
        ({"query": "CYPHER 99 RETURN 1"}, 400),
        ({"query": "PROFILE RETURN 1"}, 400),
        ({"query": "RETURN 1 AS a, 2 AS a"}, 400),
        ({"query": "RETURN toInteger('x') + 1"}, 200),
        ({"query": "RETURN 0.0 / 0.0 AS nan, 1.0 / 0.0 AS inf"}, 200),
        ({"query": "RETURN point({x: 1, y: 2}) AS p, duration('P1D') AS d, date('2024-01-02') AS t"}, 200),
        ({"query": "RETURN 9223372036854775807 + 1"}, 400),
    ],
)
def test_bad_input_is_4xx(api: TestClient, body: dict, status: int) -> None:
    response = api.post("/cypher", json=body)
    assert response.status_code == status, response.text


def test_values_json_has_no_word_for(api: TestClient) -> None:
    query = "RETURN 0.0 / 0.0 AS nan, -1.0 / 0.0 AS ninf, point({x: 1, y: 2}) AS p, duration('P1D') AS d"
    row = api.post("/cypher", json={"query": query}).json()["rows"][0]
    assert row == ["NaN", "-Infinity", {"srid": 7203, "coordinates": [1.0, 2.0]}, "P1D"]


def test_a_huge_single_row_is_cut_not_sent(api: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # one row holding 6 M values is ~47 MB of JSON: the default byte limit stops it
    assert get_settings().cypher_byte_limit <= 10_000_000
    monkeypatch.setattr(get_settings(), "cypher_timeout_s", 60.0)
    response = api.post("/cypher", json={"query": "UNWIND range(1, 6000000) AS x RETURN collect(x) AS xs"})
    assert response.status_code == 200
    assert response.json() == {"columns": ["xs"], "rows": [], "truncated": True}
    assert len(response.content) < 1000


def test_the_servers_transaction_memory_limit_is_a_400(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the project's server caps a transaction's memory (graph/neo4j-server, --tx-memory 512m)
    monkeypatch.setattr(get_settings(), "cypher_timeout_s", 60.0)
    query = "UNWIND range(1, 100000000) AS x WITH collect(x) AS xs RETURN size(xs)"
    response = api.post("/cypher", json={"query": query})
    assert response.status_code == 400, response.text
    assert "more memory than the server allows" in response.json()["detail"]
