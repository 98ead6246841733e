"""Neo4jStore against the reference EmbeddedStore: same records in, equal answers out.

Needs the project's Neo4j server (conftest.require_neo4j: skipped outside CI when it is down).
Each test wipes the database it uses; the shared `store` fixture re-ingests what it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from policykg.graph import neo4j_store
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.neo4j_store import Neo4jStore
from policykg.graph.ontology import Label, Rel
from policykg.graph.store import Ambiguous, NotFound, StoreError

from policykg.records import Citation, Document, ExtractionRecord, Task
from tests.conftest import require_neo4j
from tests.graph_helpers import gold_records, guizhou_plan, national_outline, record, zunyi_plan

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo() -> Iterator[Neo4jStore]:
    st = Neo4jStore(require_neo4j())
    st.wipe()
    yield st
    st.wipe()  # the shared `store` fixture re-ingests the sample corpus into an empty database
    st.close()


@pytest.fixture
def embedded(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(f"embedded:{tmp_path / 'kg'}")


def both(neo: Neo4jStore, embedded: EmbeddedStore, records: list[ExtractionRecord]) -> None:
    for rec in records:
        assert neo.ingest(rec) == embedded.ingest(rec)


def assert_same_answers(neo: Neo4jStore, embedded: EmbeddedStore) -> None:
    """Every read method, over every document and agency, answers alike."""

    def same(call: Callable[[Any], Any]) -> None:
        assert call(neo) == call(embedded)

    same(lambda s: s.stats())
    same(lambda s: s.terms())
    same(lambda s: s.find_documents(limit=10_000))
    same(lambda s: s.tasks(limit=10_000))
    same(lambda s: s.targets(limit=10_000))
    same(lambda s: s.agencies(limit=10_000))
    for doc in embedded.find_documents(limit=10_000):
        same(lambda s, d=doc.id: s.document(d))
        same(lambda s, d=doc.id: s.implementations(d))
        same(lambda s, d=doc.id: s.ancestors(d, depth=2))
        same(lambda s, d=doc.id: s.neighborhood(d, depth=2))
    for agency in embedded.agencies(limit=10_000):
        same(lambda s, a=agency.id: s.agency_tasks(a))
        same(lambda s, a=agency.id: s.agency_tasks(a, role="lead"))
        same(lambda s, a=agency.name: s.tasks(lead=a))
        same(lambda s, a=agency.name: s.tasks(responsible=a))
        same(lambda s, a=agency.id: (s.tasks(lead=a, limit=1), s.tasks(lead=a, limit=1).total))


def test_gold_corpus_answers_like_the_embedded_store(neo: Neo4jStore, embedded: EmbeddedStore) -> None:
    both(neo, embedded, gold_records())
    assert_same_answers(neo, embedded)
    for q in ("知识产权", "纲要", "苏府〔2021〕81号", "无此文件"):
        assert neo.find_documents(q=q) == embedded.find_documents(q=q)
    assert neo.find_documents(jurisdiction="江苏省") == embedded.find_documents(jurisdiction="江苏省")
    assert neo.find_documents(level="national") == embedded.find_documents(level="national")
    for ref in ("知识产权强国建设纲要", "专利法", "苏府〔2021〕81号"):
        assert neo.resolve_document(ref) == embedded.resolve_document(ref)
    for indicator in ("每万人口高价值发明专利拥有量", "专利", "不存在的指标"):
        assert neo.targets(indicator) == embedded.targets(indicator)
    # pages and their totals (one query in Neo4j, cut across documents): every page of 4 and
    # of 9, and past the end
    total = embedded.tasks().total
    assert total > 20
    for limit in (4, 9):
        for offset in [*range(0, total + limit, limit), 10_000]:
            neo_page, embedded_page = (
                neo.tasks(limit=limit, offset=offset),
                embedded.tasks(limit=limit, offset=offset),
            )
            assert (neo_page, neo_page.total) == (embedded_page, embedded_page.total), (limit, offset)
    # part of a name (normalized, both stores match name_key) and pages of the agency list
    # an agency id answers itself in Neo4j (no lookup): one nobody has finds nothing in either
    assert neo.tasks(lead="agency:0000000000000000") == embedded.tasks(lead="agency:0000000000000000") == []
    for part in ("市场监督", "科技局", "知识产权局", "（", "无此单位"):
        assert neo.agencies(q=part, limit=7, offset=1) == embedded.agencies(q=part, limit=7, offset=1)
        assert neo.tasks(lead=part) == embedded.tasks(lead=part)
    assert neo.agencies(limit=5, offset=3) == embedded.agencies(limit=5, offset=3)


def test_unchanged_and_replaced(neo: Neo4jStore, embedded: EmbeddedStore) -> None:
    first = record("zunyi.txt", zunyi_plan(), content_hash="v1")
    both(neo, embedded, [first, record("outline.txt", national_outline(), content_hash="n1")])
    assert neo.ingest(first).status == "unchanged"
    # the new version drops a task and a citation: both disappear, shared nodes stay
    plan = zunyi_plan()
    plan.tasks = plan.tasks[:1]
    plan.cites = plan.cites[:1]
    second = record("zunyi.txt", plan, content_hash="v2")
    report = neo.ingest(second)
    assert report.status == "replaced" and report == embedded.ingest(second)
    assert_same_answers(neo, embedded)
    assert len(neo.tasks(document="遵义市知识产权试点工作方案")) == 1
    assert neo.find_documents(q="贵州省知识产权“十四五”规划") == []


def test_stub_merges_with_the_document_in_either_order(neo: Neo4jStore, embedded: EmbeddedStore) -> None:
    records = [
        record("zunyi.txt", zunyi_plan()),
        record("guizhou.txt", guizhou_plan()),
        record("outline.txt", national_outline()),
    ]
    both(neo, embedded, records)
    outline = neo.resolve_document("知识产权强国建设纲要")
    assert not outline.stub
    titles = {e.document.title for e in neo.implementations(outline.id).entries}
    assert {"遵义市知识产权试点工作方案", "贵州省知识产权“十四五”规划"} <= titles
    assert_same_answers(neo, embedded)
    # the document leaves again: the citations keep a stub alive
    neo.ingest(record("outline.txt", content_hash="gone"))
    embedded.ingest(record("outline.txt", content_hash="gone"))
    assert neo.resolve_document("知识产权强国建设纲要").stub
    assert_same_answers(neo, embedded)


def test_citation_by_number_only_lands_on_the_document(neo: Neo4jStore, embedded: EmbeddedStore) -> None:
    citing = Document(
        title="某市实施方案",
        jurisdiction="遵义市",
        cites=[Citation(None, "黔府发〔2021〕12号", relation="ensures_implementation_of", span=(1, 5))],
    )
    both(neo, embedded, [record("a.txt", citing)])
    assert neo.resolve_document("黔府发〔2021〕12号").stub
    both(neo, embedded, [record("b.txt", guizhou_plan())])  # carries 黔府发〔2021〕12号
    doc = neo.resolve_document("黔府发〔2021〕12号")
    assert not doc.stub and doc.title == "贵州省知识产权“十四五”规划"
    assert [c.document.title for c in neo.document(doc.id).cited_by] == ["某市实施方案"]
    assert_same_answers(neo, embedded)
    both(neo, embedded, [record("b.txt", content_hash="emptied")])
    assert_same_answers(neo, embedded)


def test_a_failed_ingest_leaves_nothing(neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> None:
    neo.ingest(record("outline.txt", national_outline()))
    before = neo.stats()
    original = neo4j_store._Ingest.write

    def write_then_fail(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)  # everything written inside the transaction ...
        raise RuntimeError("disk on fire")  # ... then the transaction fails

    monkeypatch.setattr(neo4j_store._Ingest, "write", write_then_fail)
    with pytest.raises(RuntimeError):
        neo.ingest(record("zunyi.txt", zunyi_plan()))
    monkeypatch.undo()
    assert neo.stats() == before
    with pytest.raises(NotFound):
        neo.resolve_document("遵义市知识产权试点工作方案")
    assert neo.ingest(record("zunyi.txt", zunyi_plan())).status == "ingested"


def test_user_text_is_data_not_cypher(neo: Neo4jStore, embedded: EmbeddedStore) -> None:
    nasty = "x'}) MATCH (n) DETACH DELETE n //`\"$param{}"
    doc = Document(
        title=f"恶意标题{nasty}",
        jurisdiction="遵义市",
        issuers=[f"遵义市{nasty}局"],
        tasks=[Task(f"任务{nasty}", lead=[f"遵义市{nasty}局"], span=(0, 3))],
        cites=[Citation(f"被引{nasty}", span=(4, 6))],
    )
    both(neo, embedded, [record("nasty.txt", doc), record("outline.txt", national_outline())])
    assert neo.find_documents(q=nasty)[0].title == f"恶意标题{nasty}"
    assert neo.tasks(lead=nasty)[0].text == f"任务{nasty}"
    assert_same_answers(neo, embedded)


def test_credentials_in_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    url = require_neo4j()
    password = os.environ.get("NEO4J_PASSWORD", "")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    host = url.split("://", 1)[1]
    st = Neo4jStore(f"bolt://neo4j:{password}@{host}")
    try:
        assert password not in st.url and st.stats().nodes is not None
    finally:
        st.close()
    with pytest.raises(StoreError, match="refused the credentials"):
        Neo4jStore(f"bolt://neo4j:wrong-{password}@{host}")


def test_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot reach"):
        Neo4jStore("bolt://127.0.0.1:1")


# -- lookups through indexes (titles, aliases, 404 candidates) -------------------------------


def test_title_lookups_and_404_candidates_answer_alike(neo: Neo4jStore, embedded: EmbeddedStore) -> None:
    citing = Document(
        title="某市实施方案",
        jurisdiction="遵义市",
        cites=[Citation("贵州省知识产权十四五规划", "黔府发〔2021〕12号", span=(1, 5))],
    )
    both(neo, embedded, [*gold_records(), record("a.txt", citing), record("b.txt", guizhou_plan())])
    # a title, a short name from the alias table, part of a title, a 文号, and a cited title that
    # differs from the document's own (an alias of it once the 文号 merged the two)
    refs = ("知识产权强国建设纲要", "专利法", "遵义市国家知识产权强市", "黔府发〔2021〕12号")
    refs += ("贵州省知识产权十四五规划",)
    for ref in refs:
        assert neo.resolve_document(ref) == embedded.resolve_document(ref)
    with pytest.raises(Ambiguous) as on_neo_many:
        neo.resolve_document("江苏省")
    with pytest.raises(Ambiguous) as on_embedded_many:
        embedded.resolve_document("江苏省")
    assert on_neo_many.value.candidates == on_embedded_many.value.candidates
    for missing in ("知识产权强国建没纲领", "遵义市知识产权试点方案XYZ", "完全无关的标题"):
        with pytest.raises(NotFound) as on_neo:
            neo.resolve_document(missing)
        with pytest.raises(NotFound) as on_embedded:
            embedded.resolve_document(missing)
        assert on_neo.value.candidates == on_embedded.value.candidates
    with pytest.raises(NotFound) as typo:
        neo.resolve_document("知识产权强国建没纲领")
    assert typo.value.candidates[0].title == "知识产权强国建设纲要(2021-2035年)"
    # a new document changes the "did you mean" table at once
    both(neo, embedded, [record("c.txt", Document(title="知识产权强国建没纲领的解读"))])
    assert neo.resolve_document("知识产权强国建没纲领").title == "知识产权强国建没纲领的解读"


def test_title_keys_are_added_to_documents_stored_before_them(neo: Neo4jStore) -> None:
    neo.ingest(record("outline.txt", national_outline()))
    outline = neo.resolve_document("知识产权强国建设纲要")
    # as a database written by a version without the title-key bookkeeping
    neo._driver.execute_query("MATCH (d:Document) REMOVE d._title_keys")
    neo._driver.execute_query("MATCH (m:_Meta {id: 'layout'}) DETACH DELETE m")
    with pytest.raises(NotFound):
        neo.resolve_document("知识产权强国建设纲要")
    reopened = Neo4jStore(require_neo4j())
    try:
        assert reopened.resolve_document("知识产权强国建设纲要") == outline
    finally:
        reopened.close()


@pytest.mark.parametrize("kind", ["load", "drop", "update"])
def test_an_edge_is_found_from_its_source_not_by_filtering_a_hub(neo: Neo4jStore, kind: str) -> None:
    # a clause thousands of tasks carry out must not be expanded edge by edge to find one task's
    # link: the task comes from its id index and the edge from the task
    cypher = neo4j_store._edge_cypher(kind, (Rel.CARRIES_OUT, Label.TASK, Label.CLAUSE))
    with neo._driver.session() as session:
        plan = session.run("EXPLAIN " + cypher, rows=[]).consume().plan

    def operators(p: dict[str, Any]) -> list[tuple[str, str]]:
        here = (p["operatorType"].split("@")[0], p.get("args", {}).get("Details", ""))
        return [here, *(o for c in p.get("children", []) for o in operators(c))]

    found = operators(plan)
    # the planner may also seek the clause and check the edge between the two (Expand(Into),
    # from the end with fewer edges); what it must not do is expand from the clause
    assert any(op.startswith("NodeUniqueIndexSeek") and "a:Task(id)" in d for op, d in found), found
    expands = [(op, d) for op, d in found if op.startswith("Expand")]
    assert expands and all(d.startswith("(a)-[r:CARRIES_OUT]->(b)") for _, d in expands), found


def test_task_order_follows_a_title_another_source_gives(neo: Neo4jStore, embedded: EmbeddedStore) -> None:
    """Neo4j orders a page of tasks by each task's kept TASK_ORDER: a document without a title
    of its own that a later citation names moves its tasks, though the tasks did not change."""
    untitled = Document(
        title=None, doc_number="某府〔2023〕5号", tasks=[Task("推进专利转化", lead=["某市科技局"])]
    )
    titled = Document(title="知识产权工作方案", tasks=[Task("建设保护中心", lead=["某市科技局"])])
    both(neo, embedded, [record("b.txt", untitled), record("e.txt", titled)])
    assert [t.document.title for t in neo.tasks(lead="某市科技局")] == ["知识产权工作方案", None]
    citer = Document(title="某区实施意见", cites=[Citation("专利转化方案", doc_number="某府〔2023〕5号")])
    both(neo, embedded, [record("c.txt", citer)])
    assert [t.document.title for t in neo.tasks(lead="某市科技局")] == ["专利转化方案", "知识产权工作方案"]
    assert_same_answers(neo, embedded)
    for offset in range(3):
        assert neo.tasks(limit=1, offset=offset) == embedded.tasks(limit=1, offset=offset)
    # a task rewritten while its document stays as it was keeps its order key too
    untitled.tasks[0].span = (40, 46)
    both(neo, embedded, [record("b.txt", untitled, content_hash="v2")])
    assert neo._read("MATCH (f:Task) WHERE f._order IS NULL RETURN count(f) AS n")[0]["n"] == 0
    assert [t.span.start for t in neo.tasks(lead="某市科技局") if t.span] == [40]
    assert_same_answers(neo, embedded)


def test_a_graph_without_task_order_gets_it_when_opened(neo: Neo4jStore, embedded: EmbeddedStore) -> None:
    """A database written before tasks kept TASK_ORDER (or by the bulk importer, which writes
    none) gets it on connecting, once."""
    both(neo, embedded, gold_records()[:3])
    neo._driver.execute_query("MATCH (f:Task) REMOVE f._order")
    neo._driver.execute_query("MATCH (m:_Meta {id: 'layout'}) REMOVE m._order")
    again = Neo4jStore(require_neo4j())
    try:
        missing = again._read("MATCH (f:Task) WHERE f._order IS NULL RETURN count(f) AS n")[0]["n"]
        assert missing == 0 and again._read("MATCH (f:Task) RETURN count(f) AS n")[0]["n"] > 10
        assert again.tasks(limit=10_000) == embedded.tasks(limit=10_000)
    finally:
        again.close()


def test_wipe_goes_on_in_smaller_batches_when_the_server_refuses_one(neo: Neo4jStore) -> None:
    """The project's server limits a transaction's memory (512 MB): deleting 5,000 nodes that
    hold 100 edges each in one batch exceeds it, so wipe() retries with smaller batches."""
    limit = neo._read(
        "SHOW SETTINGS YIELD name, value WHERE name = 'db.memory.transaction.max' RETURN value"
    )[0]["value"]
    assert limit != "0B", "this test needs a server that limits a transaction's memory"
    with neo._driver.session() as session:
        session.run("UNWIND range(1, 100) AS i CREATE (:Agency {id: 'hub' + i})").consume()
        session.run(
            "MATCH (h:Agency) WITH collect(h) AS hubs UNWIND range(1, 5000) AS i "
            "CALL (i, hubs) { CREATE (t:Task {id: 'task' + i}) "
            "FOREACH (h IN hubs | CREATE (t)-[:LED_BY]->(h)) } "
            "IN TRANSACTIONS OF 100 ROWS"
        ).consume()
    neo.wipe()
    assert neo.is_empty() and neo._read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] == 0


def test_the_projects_server_prunes_its_transaction_logs(neo: Neo4jStore) -> None:
    """Neo4j keeps two days of transaction logs by default; the project's server keeps 1 GB."""
    rows = neo._read(
        "SHOW SETTINGS YIELD name, value WHERE name = 'db.tx_log.rotation.retention_policy' RETURN value"
    )
    assert rows == [{"value": "1G size"}]
