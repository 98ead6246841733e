"""SPARQL over the graph (graph/sparql.py, GET/POST /sparql): the named queries in queries/*.rq
answer the lineage and lead-unit questions exactly as REST does, on every store; the triple
store follows ingest; the endpoint is read-only, limited, and speaks the standard formats."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.export import node_iri
from policykg.graph.sparql import SparqlError, SparqlIndex, SparqlTimeout, bind_values, named_queries
from rdflib import Graph

from policykg.settings import Settings
from tests.graph_helpers import guizhou_plan, national_outline, record, zunyi_plan

QUERIES = Path(__file__).resolve().parents[1] / "queries"
LINEAGE = (QUERIES / "implementations_of_document.rq").read_text(encoding="utf-8")
LEADS = (QUERIES / "tasks_led_by_agency.rq").read_text(encoding="utf-8")
OUTLINE = "知识产权强国建设纲要(2021-2035年)"
ZUNYI_AMSR = "遵义市市场监督管理局"
# the hand-made store writes the outline's title with full-width brackets
SMALL_LINEAGE = bind_values(LINEAGE, "rootTitle", "知识产权强国建设纲要（2021-2035年）")
COUNT_DOCS = "PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?d WHERE { ?d a eli:LegalResource }"


def _iris(answer, var: str) -> set[str]:
    column = answer.variables.index(var)
    return {row[column].value for row in answer.rows}


def _json_iris(body: dict, var: str) -> set[str]:
    return {b[var]["value"] for b in body["results"]["bindings"]}


# -- the named queries answer as REST does, on every store -------------------------------------


def test_named_queries_are_listed_with_their_purpose() -> None:
    found = {q.name: q for q in named_queries()}
    assert {"implementations_of_document", "tasks_led_by_agency"} <= set(found)
    assert all(q.purpose for q in found.values())


def test_lineage_query_answers_the_same_documents_as_rest(store) -> None:
    index = SparqlIndex(store)
    rest = store.implementations(store.resolve_document(OUTLINE).id)
    expected = {str(node_iri(e.document.id)) for e in rest.entries}
    assert expected, "the sample corpus has implementations of the outline"
    assert _iris(index.query(LINEAGE), "implementation") == expected
    # the same query for another root, bound instead of edited
    zunyi = "遵义市国家知识产权强市建设试点城市工作方案"
    ancestors = store.ancestors(store.resolve_document(zunyi).id)
    for entry in ancestors.entries:
        if entry.document.title:
            bound = index.query(bind_values(LINEAGE, "rootTitle", entry.document.title))
            down = store.implementations(entry.document.id)
            assert _iris(bound, "implementation") == {str(node_iri(e.document.id)) for e in down.entries}


def test_lead_query_answers_the_same_tasks_as_rest(store) -> None:
    index = SparqlIndex(store)
    rest = store.tasks(lead=ZUNYI_AMSR, limit=1000)
    assert len(rest) > 1
    answer = index.query(LEADS)
    assert _iris(answer, "task") == {str(node_iri(t.id)) for t in rest}
    texts = {row[answer.variables.index("text")].value for row in answer.rows}
    assert texts == {t.text for t in rest}
    other = store.agencies(q="保定市市场监督管理局")[0]
    bound = index.query(bind_values(LEADS, "leadName", other.name))
    assert _iris(bound, "task") == {str(node_iri(t.id)) for t in store.tasks(lead=other.id, limit=1000)}


def test_http_lineage_equals_rest_lineage(store) -> None:
    client = TestClient(create_app(store=store))
    body = client.get("/sparql", params={"query": LINEAGE}).json()
    rest = client.get("/lineage/implementations", params={"document": "知识产权强国建设纲要"}).json()
    assert _json_iris(body, "implementation") == {str(node_iri(e["document"]["id"])) for e in rest["entries"]}


# -- in step with ingest ------------------------------------------------------------------------


def test_the_triple_store_follows_ingest_and_wipe(empty_store) -> None:
    index = SparqlIndex(empty_store, check_every_s=0)
    assert index.query(COUNT_DOCS).rows == []
    empty_store.ingest(record("a.txt", national_outline()))
    first = _iris(index.query(COUNT_DOCS), "d")
    assert len(first) >= 1
    empty_store.ingest(record("b.txt", zunyi_plan(), guizhou_plan()))
    second = _iris(index.query(COUNT_DOCS), "d")
    zunyi = empty_store.resolve_document("遵义市知识产权试点工作方案").id
    assert first < second and str(node_iri(zunyi)) in second
    empty_store.ingest(record("b.txt", guizhou_plan()))  # a changed file replaces its facts
    third = _iris(index.query(COUNT_DOCS), "d")
    assert str(node_iri(empty_store.resolve_document("贵州省知识产权“十四五”规划").id)) in third
    assert len(third) < len(second)
    empty_store.wipe()
    assert index.query(COUNT_DOCS).rows == []


def test_an_unchanged_store_is_not_copied_again(tmp_path: Path) -> None:
    store = EmbeddedStore(f"embedded:{tmp_path / 'kg'}")
    store.ingest(record("a.txt", national_outline()))
    index = SparqlIndex(store, check_every_s=0)
    index.query(COUNT_DOCS)
    copy = index._oxigraph
    index.query(COUNT_DOCS)
    assert index._oxigraph is copy
    store.ingest(record("a.txt", national_outline()))  # unchanged: a no-op
    index.query(COUNT_DOCS)
    assert index._oxigraph is copy


# -- limits and errors (the index) ---------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> EmbeddedStore:
    st = EmbeddedStore(f"embedded:{tmp_path / 'kg'}")
    st.ingest(record("a.txt", zunyi_plan(), guizhou_plan(), national_outline()))
    return st


def test_row_limit_and_timeout(small: EmbeddedStore) -> None:
    index = SparqlIndex(small)
    everything = index.query("SELECT * WHERE { ?s ?p ?o }", row_limit=10**6)
    assert not everything.truncated and len(everything.rows) > 20
    cut = index.query("SELECT * WHERE { ?s ?p ?o }", row_limit=20)
    assert cut.truncated and len(cut.rows) == 20
    with pytest.raises(SparqlTimeout):
        index.query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", timeout_s=0)
    with pytest.raises(SparqlError):
        index.query("SELECT WHERE {")


def test_bound_values_cannot_change_the_query() -> None:
    sneaky = 'x" } ?s ?p ?o . { "'
    bound = bind_values(LEADS, "leadName", sneaky)
    assert bound.count("VALUES ?leadName") == 1
    assert str(ox.Literal(sneaky)) in bound  # one escaped literal
    with pytest.raises(SparqlError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", "leadName", "x")


def test_updates_cannot_run_through_query(small: EmbeddedStore) -> None:
    index = SparqlIndex(small)
    with pytest.raises(SparqlError):
        index.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert index.query("ASK { <urn:a> <urn:b> <urn:c> }").boolean is False


# -- the HTTP endpoint -----------------------------------------------------------------------------


@pytest.fixture
def client(small: EmbeddedStore) -> TestClient:
    return TestClient(create_app(store=small))


def test_get_and_both_posts_answer_alike(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": SMALL_LINEAGE})
    assert by_get.status_code == 200
    assert by_get.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    by_form = client.post("/sparql", data={"query": SMALL_LINEAGE})
    as_body = {"Content-Type": "application/sparql-query"}
    by_body = client.post("/sparql", content=SMALL_LINEAGE.encode(), headers=as_body)
    assert by_get.json() == by_form.json() == by_body.json()
    titles = {b["title"]["value"] for b in by_get.json()["results"]["bindings"]}
    assert titles == {"遵义市知识产权试点工作方案", "贵州省知识产权“十四五”规划"}
    assert "遵义市".encode() in by_get.content  # UTF-8, not escapes


def test_standard_result_formats(client: TestClient) -> None:
    def get(accept: str) -> tuple[str, bytes]:
        response = client.get("/sparql", params={"query": SMALL_LINEAGE}, headers={"Accept": accept})
        assert response.status_code == 200
        return response.headers["content-type"], response.content

    kind, body = get("application/sparql-results+xml")
    assert kind.startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    results = ET.fromstring(body).findall("r:results/r:result", ns)
    assert len(results) == 2
    kind, body = get("text/csv")
    assert kind == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert {r["title"] for r in rows} == {"遵义市知识产权试点工作方案", "贵州省知识产权“十四五”规划"}
    kind, body = get("text/tab-separated-values")
    lines = body.decode().splitlines()
    assert lines[0].split("\t")[0] == "?implementation" and lines[1].startswith("<https://")
    by_format = client.get("/sparql", params={"query": SMALL_LINEAGE, "format": "csv"})
    assert by_format.headers["content-type"] == "text/csv; charset=utf-8"
    ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert ask.json() == {"head": {}, "boolean": True}


def test_construct_answers_rdf(client: TestClient) -> None:
    query = (
        "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
        "CONSTRUCT { ?d eli:title ?t } WHERE { ?d a eli:LegalResource ; eli:title ?t }"
    )
    turtle = client.get("/sparql", params={"query": query})
    assert turtle.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert any(str(o).startswith("知识产权强国建设纲要") for o in graph.objects())
    nt = client.get("/sparql", params={"query": query}, headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=nt.text, format="nt")) == len(graph)


def test_errors_are_problems(client: TestClient) -> None:
    bad = client.get("/sparql", params={"query": "SELECT WHERE {"})
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["type"] == "/problems/sparql" and bad.json()["detail"]
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert client.post("/sparql", data={"update": update}).status_code == 403
    as_update = client.post("/sparql", content=update, headers={"Content-Type": "application/sparql-update"})
    assert as_update.status_code == 403
    assert client.get("/sparql", params={"query": update}).status_code == 400  # not a query
    assert client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert client.get("/sparql").status_code == 422


def test_limits_from_settings(small: EmbeddedStore) -> None:
    limited = TestClient(create_app(store=small, settings=Settings(sparql_row_limit=5)))
    cut = limited.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert cut.headers["sparql-truncated"] == "true"
    assert len(cut.json()["results"]["bindings"]) == 5
    slow = TestClient(create_app(store=small, settings=Settings(sparql_timeout_s=0)))
    late = slow.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"})
    assert late.status_code == 503 and late.json()["type"] == "/problems/timeout"


def test_sparql_json_is_standard(client: TestClient) -> None:
    """Read back with pyoxigraph's own SPARQL results parser."""
    body = client.get("/sparql", params={"query": SMALL_LINEAGE}).content
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    assert len(list(parsed)) == 2
    assert json.loads(body)["head"]["vars"][0] == "implementation"
