"""The Cypher library (queries/*.cypher): header parsing, every query against real Neo4j on
the sample corpus (expectations taken from the sample documents and their gold files), the
`policykg query` command and the REST endpoints (GET /queries, POST /cypher)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.neo4j_store import Neo4jStore
from policykg.queries import QueryError, get_query, list_queries

from policykg import cli
from policykg.records import Citation, Document
from policykg.settings import get_settings
from tests.conftest import require_neo4j
from tests.graph_helpers import coverage_cells, query_cells, record

OUTLINE = "知识产权强国建设纲要"
ZUNYI = "遵义市国家知识产权强市建设试点城市工作方案"
SUZHOU_FINANCE = "苏州市知识产权金融奖励补贴实施办法(试行)"
SUZHOU_PEAK = "苏州市企业知识产权登峰行动计划(2021~2023年)"
BAODING = "保定市“十四五”知识产权保护和运用规划"


# -- the library itself (no server needed) -------------------------------------------------


def test_at_least_twelve_documented_queries() -> None:
    queries = list_queries()
    assert len(queries) >= 12
    for q in queries:
        assert q.purpose and q.example.startswith(f"policykg query {q.name}"), q.name
        assert "$" in q.cypher or not q.parameters, q.name
        for p in q.parameters:
            assert f"${p.name}" in q.cypher, f"{q.name}: ${p.name} declared but unused"


def test_bind_types_defaults_and_errors() -> None:
    q = get_query("implementations_of_document")
    assert q.bind({}) == {"document": OUTLINE, "depth": 5}
    assert q.bind({"depth": "2"})["depth"] == 2
    assert get_query("documents_per_level_and_jurisdiction").bind({"include_stubs": "true"}) == {
        "include_stubs": True
    }
    with pytest.raises(QueryError, match="missing"):
        get_query("tasks_led_by_agency").bind({})
    with pytest.raises(QueryError, match="unknown"):
        q.bind({"dept": "2"})
    with pytest.raises(QueryError, match="int"):
        q.bind({"depth": "deep"})
    with pytest.raises(QueryError, match="no query"):
        get_query("drop_everything")


# -- every query against Neo4j with the sample corpus ----------------------------------------


@pytest.fixture(scope="module")
def neo(sample_records) -> Iterator[Neo4jStore]:
    """Exactly the sample corpus (other tests leave hand-made records behind)."""
    st = Neo4jStore(require_neo4j())
    st.wipe()
    for rec in sample_records:
        st.ingest(rec)
    yield st
    st.wipe()  # the shared `store` fixture re-ingests into an empty database
    st.close()


def run(neo: Neo4jStore, name: str, **params: Any) -> list[dict[str, Any]]:
    query = get_query(name)
    result = neo.run_read(query.cypher, query.bind({k: str(v) for k, v in params.items()}))
    assert not result.truncated
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def test_task_leads_of_document(neo: Neo4jStore) -> None:
    rows = run(neo, "task_leads_of_document", document=ZUNYI)
    assert len(rows) >= 20 and {r["document"] for r in rows} == {ZUNYI}
    assert sum("遵义市市场监督管理局" in r["lead"] for r in rows) >= 10
    assert any("遵义市科技与大数据局" in r["responsible"] for r in rows)


def test_tasks_led_by_agency(neo: Neo4jStore) -> None:
    rows = run(neo, "tasks_led_by_agency", agency="苏州市市场监督管理局")
    assert {r["document"] for r in rows} == {SUZHOU_FINANCE, SUZHOU_PEAK}


def test_implementations_of_the_outline(neo: Neo4jStore) -> None:
    rows = run(neo, "implementations_of_document", document=OUTLINE)
    zunyi = next(r for r in rows if r["implementation"] == ZUNYI)
    assert zunyi["depth"] == 1 and zunyi["path"][0].startswith(OUTLINE) and zunyi["path"][-1] == ZUNYI
    assert zunyi["relations"] == ["ensures_implementation_of"]


def test_citation_chain_from_zunyi_to_the_outline(neo: Neo4jStore) -> None:
    rows = run(neo, "citation_chain_to_national", document=ZUNYI, national=OUTLINE)
    assert rows and rows[0]["chain"][0] == ZUNYI and rows[0]["chain"][-1].startswith(OUTLINE)
    assert rows[0]["levels"] == ["municipal", "national"]


def test_cited_by_number_only(neo: Neo4jStore) -> None:
    # the sample documents name every parent they cite by number also by its title
    assert all(r["cited_number"] for r in run(neo, "cited_by_number_only"))
    # a county plan citing 苏府〔2021〕81号 alone lands on the ingested 苏州 plan carrying it
    county = Document(
        title="某县贯彻落实登峰行动计划的方案",
        jurisdiction="苏州市",
        cites=[Citation(None, "苏府〔2021〕81号", relation="ensures_implementation_of", span=(5, 20))],
    )
    neo.ingest(record("zz_number_only.txt", county, content_hash="with"))
    try:
        rows = run(neo, "cited_by_number_only", document="某县")
        assert [(r["cited_number"], r["parent_title"], r["parent_not_ingested"]) for r in rows] == [
            ("苏府〔2021〕81号", SUZHOU_PEAK, False)
        ]
    finally:
        neo.ingest(record("zz_number_only.txt", content_hash="without"))  # its facts leave again
    assert run(neo, "cited_by_number_only", document="某县") == []


def test_agencies_leading_in_many_documents(neo: Neo4jStore) -> None:
    rows = run(neo, "agencies_leading_in_many_documents")
    suzhou = next(r for r in rows if r["agency"] == "苏州市市场监督管理局")
    assert suzhou["document_count"] == 2 and set(suzhou["documents"]) == {SUZHOU_FINANCE, SUZHOU_PEAK}
    assert all(r["document_count"] >= 2 for r in rows)


def test_one_indicator_across_jurisdictions(neo: Neo4jStore) -> None:
    rows = run(neo, "indicator_targets_across_jurisdictions", indicator="高价值发明专利拥有量")
    found = {(r["jurisdiction"], r["value"], r["unit"]) for r in rows}
    assert {("中国", 12, "件"), ("保定市", 2.21, "件")} <= found
    assert rows[0]["level"] == "national"


def test_orphan_citations(neo: Neo4jStore) -> None:
    rows = run(neo, "orphan_citations", min_citing=1, limit=500)
    by_title = {r["title"]: r for r in rows}
    # cited by the 遵义, 江苏 and 杭州 documents and never ingested
    assert by_title["企业知识产权管理规范"]["citing_documents"] >= 3
    assert not any((t or "").startswith(OUTLINE) for t in by_title)  # ingested, so no orphan
    assert "苏州市知识产权质押贷款扶持资金管理办法" in by_title  # repealed, never ingested


def test_repealed_documents(neo: Neo4jStore) -> None:
    rows = run(neo, "repealed_documents")
    assert {(r["repealed"], r["repealed_number"], r["repealed_by"]) for r in rows} == {
        ("苏州市知识产权质押贷款扶持资金管理办法", "苏财科字〔2009〕88号", SUZHOU_FINANCE),
        ("苏州市知识产权保险补贴实施办法(试行)", "苏知政〔2013〕45号", SUZHOU_FINANCE),
    }
    assert all(r["never_ingested"] for r in rows)


def test_tasks_without_lead(neo: Neo4jStore) -> None:
    rows = run(neo, "tasks_without_lead", document="保定市")
    assert rows and {r["document"] for r in rows} == {BAODING}
    # 保定's plan lists units with 按职责分工负责 and no 牵头 (see its gold file)
    for key in ("有效执行知识产权侵权惩罚性赔偿制度", "加大品种权行政执法案件查处力度"):
        assert any(key in r["task"] for r in rows), key
    assert all(r["responsible"] for r in rows)


def test_co_responsible_agency_pairs(neo: Neo4jStore) -> None:
    rows = run(neo, "co_responsible_agency_pairs", min_shared=5)
    first = rows[0]
    assert (first["agency_a"], first["agency_b"]) == ("遵义市各县(市、区)人民政府", "遵义市市场监督管理局")
    assert first["shared_tasks"] >= 15
    assert all(r["agency_a"] < r["agency_b"] and r["shared_tasks"] >= 5 for r in rows)


def test_documents_per_level_and_jurisdiction(neo: Neo4jStore) -> None:
    rows = run(neo, "documents_per_level_and_jurisdiction")
    assert {(r["level"], r["jurisdiction"], r["documents"]) for r in rows} == {
        ("national", "中国", 1),
        ("provincial", "江苏省", 2),
        ("municipal", "苏州市", 2),
        ("municipal", "遵义市", 1),
        ("municipal", "保定市", 1),
        ("municipal", "中山市", 1),
        ("municipal", "杭州市", 1),
    }
    assert rows[0]["level"] == "national"
    with_stubs = run(neo, "documents_per_level_and_jurisdiction", include_stubs=True)
    assert sum(r["documents"] for r in with_stubs) > 9


def test_fulltext_search(neo: Neo4jStore) -> None:
    rows = run(neo, "fulltext_search", q="强国")
    assert any(r["type"] == "Document" and r["text"].startswith(OUTLINE) for r in rows)


def test_most_cited_documents(neo: Neo4jStore) -> None:
    rows = run(neo, "most_cited_documents", limit=50)
    by_title = {r["title"]: r for r in rows}
    assert by_title["企业知识产权管理规范"]["citing_documents"] >= 3
    assert by_title["中华人民共和国专利法"]["citing_documents"] >= 3  # 纲要, 江苏, 保定


def test_clause_coverage_of_the_outline_in_the_sample(neo: Neo4jStore) -> None:
    # the sample corpus holds the outline's text on a listing page (headings indented with
    # no-break spaces): its clauses, and 遵义's tasks linked to them, as GET /lineage/coverage says
    from datetime import date

    from policykg.graph.coverage import coverage

    for as_of in (None, "2023-01-01"):
        rows = run(neo, "clause_coverage", document=OUTLINE, **({"as_of": as_of} if as_of else {}))
        rest = coverage(neo, neo.resolve_document(OUTLINE).id, date.fromisoformat(as_of) if as_of else None)
        expected = coverage_cells(rest)
        got = query_cells(rows)
        assert got == expected
        assert any(tasks for (_, jurisdiction), tasks in got.items() if jurisdiction == "遵义市")


def test_every_query_has_a_test() -> None:
    # a new .cypher file needs its own run(neo, "NAME", ...) above
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [q.name for q in list_queries() if f'run(neo, "{q.name}"' not in source]
    assert untested == []


# -- the command line ------------------------------------------------------------------------


def test_query_command_prints_a_table(neo: Neo4jStore, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["query", "repealed_documents", "--store", require_neo4j()])
    out = capsys.readouterr().out
    assert code == 0 and "repealed_by" in out.splitlines()[0] and "苏财科字〔2009〕88号" in out
    assert cli.main(["query", "--list"]) == 0
    assert "tasks_without_lead" in capsys.readouterr().out
    assert cli.main(["query", "tasks_led_by_agency", "--store", require_neo4j()]) == 1  # missing agency
    assert "missing parameter" in capsys.readouterr().err


# -- REST ---------------------------------------------------------------------------------


@pytest.fixture
def api(neo: Neo4jStore) -> TestClient:
    return TestClient(create_app(store=neo))


@pytest.fixture
def cypher_on(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "enable_cypher", True)
    monkeypatch.setattr(settings, "cypher_timeout_s", 1.0)
    monkeypatch.setattr(settings, "cypher_row_limit", 5)


def test_rest_lists_and_runs_named_queries(api: TestClient) -> None:
    listed = api.get("/queries").json()
    assert len(listed) >= 12 and {"name", "purpose", "parameters", "example"} <= set(listed[0])
    body = api.get("/queries/implementations_of_document", params={"document": OUTLINE, "depth": 2}).json()
    assert body["params"] == {"document": OUTLINE, "depth": 2}
    column = body["columns"].index("implementation")
    assert ZUNYI in [row[column] for row in body["rows"]]


def test_rest_query_errors(api: TestClient, tmp_path) -> None:
    assert api.get("/queries/no_such_query").status_code == 404
    assert api.get("/queries/tasks_led_by_agency").status_code == 422  # missing agency
    assert api.get("/queries/repealed_documents", params={"x": "1"}).status_code == 422  # unknown
    assert api.get("/queries/orphan_citations", params={"limit": "many"}).status_code == 422
    embedded = TestClient(create_app(store=EmbeddedStore(f"embedded:{tmp_path / 'kg'}")))
    assert embedded.get("/queries").status_code == 200
    assert embedded.get("/queries/repealed_documents").status_code == 501


def test_post_cypher_is_off_by_default(api: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "enable_cypher", False)
    response = api.post("/cypher", json={"query": "RETURN 1"})
    assert response.status_code == 403 and "POLICYKG_ENABLE_CYPHER" in response.json()["detail"]


def test_post_cypher_reads_with_limits(api: TestClient, cypher_on: None) -> None:
    query = "MATCH (d:Document) WHERE d.title STARTS WITH $t RETURN d"
    ok = api.post("/cypher", json={"query": query, "params": {"t": OUTLINE}})
    assert ok.status_code == 200
    node = ok.json()["rows"][0][0]
    assert node["labels"] == ["Document"] and "_contrib" not in node["properties"]
    many = api.post("/cypher", json={"query": "UNWIND range(1, 100) AS x RETURN x"}).json()
    assert len(many["rows"]) == 5 and many["truncated"]


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (:Document {id: 'x'})",
        "MATCH (n:Document) DETACH DELETE n",
        "MATCH (n:Agency) SET n.name = 'x'",
        "CREATE INDEX x FOR (n:Task) ON (n.text)",
        "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
        "SHOW USERS",
        "CALL dbms.listConfig() YIELD name RETURN name",
    ],
)
def test_post_cypher_refuses_writes(api: TestClient, cypher_on: None, neo: Neo4jStore, query: str) -> None:
    before = neo.stats()
    response = api.post("/cypher", json={"query": query})
    assert response.status_code == 403, response.text
    assert "read" in response.json()["detail"] or "not allowed" in response.json()["detail"]
    assert neo.stats() == before


def test_post_cypher_timeout_and_bad_cypher(api: TestClient, cypher_on: None, tmp_path) -> None:
    slow = "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 99 RETURN count(*)"
    assert api.post("/cypher", json={"query": slow}).status_code == 408
    assert api.post("/cypher", json={"query": "RETURN 1 +"}).status_code == 400
    embedded = TestClient(create_app(store=EmbeddedStore(f"embedded:{tmp_path / 'kg'}")))
    assert embedded.post("/cypher", json={"query": "RETURN 1"}).status_code == 501
