"""Clause-level lineage (issue 13): clause nodes, task→clause links made by the graph plan in
both stores whichever document arrives first, coverage and target cascades, status over time
(`as_of`), over REST, and the named Cypher query against real Neo4j."""

from __future__ import annotations

import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph import neo4j_store
from policykg.graph.coverage import cascade, coverage, filter_lineage, in_force
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.model import build_fragment, check_fragment
from policykg.graph.neo4j_store import Neo4jStore
from policykg.graph.views import DocumentStatus
from policykg.ingest.extract import extract_path
from policykg.ingest.validity import extract_validity
from policykg.queries import get_query

from policykg.records import Citation, Clause, Document, ExtractionRecord, Task
from tests.conftest import ROOT, SEEDS, require_neo4j
from tests.graph_helpers import (
    coverage_cells,
    guizhou_plan,
    national_outline,
    query_cells,
    record,
    zunyi_plan,
)

OUTLINE = "知识产权强国建设纲要"
OUTLINE_FILE = ROOT / "corpus" / "dev" / "national_ip_power_outline_2021.txt"

JUDICIAL = (
    "二、加强知识产权司法保护。健全知识产权审判体系，推进知识产权民事、刑事、行政案件“三合一”审判机制改革。"
)
TALENT = "三、培养人才。加强高层次人才培养和引进，完善人才评价体系。"


def outline(judicial: str = JUDICIAL, heading: str = "加强知识产权司法保护") -> Document:
    doc = national_outline()
    doc.issued_on = "2021-09-22"
    doc.clauses = [
        Clause("二", "二", heading, (100, 300), judicial),
        Clause("三", "三", "培养人才", (300, 500), TALENT),
    ]
    return doc


def zunyi(**changes: Any) -> Document:
    doc = zunyi_plan(**changes)
    if "tasks" not in changes:
        doc.tasks = [
            Task(
                "深入推进知识产权民事、刑事、行政案件“三合一”审判机制建设",
                "一/1",
                ["遵义市中级人民法院"],
                span=(200, 240),
            ),
            Task(
                "加强知识产权高层次人才培养和引进工作",
                "一/2",
                ["遵义市人力资源和社会保障局"],
                span=(240, 280),
            ),
            Task("开展专利导航", "一/3", ["遵义市市场监督管理局"], span=(280, 300)),
        ]
    return doc


def guizhou(**changes: Any) -> Document:
    doc = guizhou_plan(issued_on="2021-06-01", **changes)
    doc.tasks = [
        Task(
            "健全知识产权审判体系，推进“三合一”审判机制改革", "二/1", ["贵州省高级人民法院"], span=(300, 340)
        )
    ]
    return doc


def links_of(store: Any) -> list[tuple[str, str, str]]:
    """(clause path, task text, evidence) of every link into the outline."""
    doc = store.resolve_document(OUTLINE).id
    paths = {c.id: c.path for c in store.clauses(doc)}
    return sorted((paths[link.clause], link.task.text, link.evidence) for link in store.clause_links(doc))


# -- clause nodes ---------------------------------------------------------------------------


def test_clauses_tasks_stand_in_and_sub_clauses_hang_under() -> None:
    doc = Document(
        title="某市知识产权工作方案",
        span=(0, 900),
        clauses=[
            Clause("二", "二", "重点任务", (10, 800), "二、重点任务"),
            Clause("二/(一)", "(一)", "强化保护", (20, 400), "(一)强化保护"),
        ],
        tasks=[
            Task("强化行政执法", "二/(一)", span=(30, 60)),
            Task("建设维权中心", "某表/1", span=(420, 460)),  # a table row: its clause by span
        ],
    )
    fragment = build_fragment(record("c.txt", doc))
    check_fragment(fragment)
    clauses = {n.properties["path"]: n for n in fragment.nodes if n.label == "Clause"}
    assert {p: (n.properties["depth"], n.properties["source"]) for p, n in clauses.items()} == {
        "二": (1, "c.txt"),
        "二/(一)": (2, "c.txt"),
    }
    tasks = {n.id: n.properties["text"] for n in fragment.nodes if n.label == "Task"}
    in_clause = {
        tasks[e.source]: clauses_path(clauses, e.target) for e in fragment.edges if e.type == "IN_CLAUSE"
    }
    assert in_clause == {"强化行政执法": "二/(一)", "建设维权中心": "二"}
    part_of = [(e.source, e.target) for e in fragment.edges if e.type == "PART_OF_CLAUSE"]
    assert part_of == [(clauses["二/(一)"].id, clauses["二"].id)]


def clauses_path(clauses: dict[str, Any], node_id: str) -> str:
    return next(p for p, n in clauses.items() if n.id == node_id)


def test_store_answers_clauses_in_document_order(empty_store) -> None:
    empty_store.ingest(record("outline.txt", outline()))
    views = empty_store.clauses(empty_store.resolve_document(OUTLINE).id)
    assert [(c.path, c.number, c.heading, c.level, c.parent) for c in views] == [
        ("二", "二", "加强知识产权司法保护", 1, None),
        ("三", "三", "培养人才", 1, None),
    ]
    assert views[0].span is not None and (views[0].span.source, views[0].span.start) == ("outline.txt", 100)


# -- links: made by the graph plan, whichever side arrives first ----------------------------

EXPECTED = [
    ("三", "加强知识产权高层次人才培养和引进工作", "similarity"),
    ("二", "深入推进知识产权民事、刑事、行政案件“三合一”审判机制建设", "similarity"),
]


def test_links_whichever_document_arrives_first(empty_store) -> None:
    empty_store.ingest(record("zunyi.txt", zunyi()))
    assert empty_store.stats().edges["CARRIES_OUT"] == 0
    empty_store.ingest(record("outline.txt", outline()))  # the parent second: the child is re-placed
    after = links_of(empty_store)
    assert sorted(after) == sorted(EXPECTED)
    empty_store.wipe()
    empty_store.ingest(record("outline.txt", outline()))
    empty_store.ingest(record("zunyi.txt", zunyi()))  # the child second
    assert links_of(empty_store) == after
    link = next(x for x in empty_store.clause_links(empty_store.resolve_document(OUTLINE).id) if x.clause)
    assert 0 < link.score <= 1 and link.quote
    assert link.task.lead and link.task.document.title == zunyi().title


@pytest.mark.neo4j
def test_a_replaced_source_writes_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent arriving second re-places the child, whose tasks, their units and clauses come
    out as they were: Neo4j is sent the new links and the parent, not the child again; the
    graph is still the embedded store's."""
    neo, embedded = Neo4jStore(require_neo4j()), EmbeddedStore(f"embedded:{tmp_path / 'kg'}")
    neo.wipe()
    try:
        for st in (neo, embedded):
            st.ingest(record("zunyi.txt", zunyi()))
        sent: list[str] = []
        consume = neo4j_store._Ingest._consume

        def spy(job: Any, cypher: str, rows: list[Any]) -> None:
            sent.append(cypher)
            consume(job, cypher, rows)

        monkeypatch.setattr(neo4j_store._Ingest, "_consume", spy)
        for st in (neo, embedded):
            st.ingest(record("outline.txt", outline()))
        rewritten = [c for c in sent if "SET n = row" in c or "SET r = row" in c]
        assert any("CARRIES_OUT" in c and "CREATE" in c for c in rewritten)
        assert not [c for c in rewritten if "(n:Task" in c or "[r:LED_BY]" in c or "[r:IN_CLAUSE]" in c]
        assert links_of(neo) == links_of(embedded) == sorted(EXPECTED)
        assert neo.stats() == embedded.stats()
        assert neo.tasks(lead="遵义市中级人民法院") == embedded.tasks(lead="遵义市中级人民法院")
    finally:
        neo.wipe()
        neo.close()


def test_links_follow_the_parent_and_the_child(empty_store) -> None:
    empty_store.ingest(record("outline.txt", outline()))
    empty_store.ingest(record("zunyi.txt", zunyi()))
    assert empty_store.stats().edges["CARRIES_OUT"] == 2
    # the parent's clause 二 now says something else: its link goes, the other stays
    empty_store.ingest(
        record(
            "outline.txt", outline(judicial="二、加强国际合作。拓展海外交流渠道。", heading="加强国际合作")
        )
    )
    assert [path for path, _, _ in links_of(empty_store)] == ["三"]
    assert empty_store.stats().nodes["Clause"] == 2  # no copy of a clause left behind
    # the child no longer implements the outline: no links at all
    empty_store.ingest(record("zunyi.txt", zunyi(cites=[Citation("知识产权强国建设纲要(2021-2035年)")])))
    assert empty_store.stats().edges["CARRIES_OUT"] == 0
    empty_store.ingest(record("zunyi.txt", zunyi()))
    assert empty_store.stats().edges["CARRIES_OUT"] == 1
    # the parent's source now holds another document: the outline is a stub, its clauses gone
    empty_store.ingest(record("outline.txt", Document(title="另一份文件", span=(0, 10))))
    assert empty_store.stats().edges["CARRIES_OUT"] == 0 and empty_store.stats().nodes["Clause"] == 0


# -- coverage, cascade, as_of ---------------------------------------------------------------


def load_small(store: Any) -> str:
    store.ingest(record("outline.txt", outline()))
    store.ingest(record("zunyi.txt", zunyi()))
    store.ingest(record("guizhou.txt", guizhou()))
    return store.resolve_document(OUTLINE).id


def test_coverage_by_jurisdiction_with_gaps(empty_store) -> None:
    found = coverage(empty_store, load_small(empty_store))
    assert [(c.jurisdiction, c.level, [d.title for d in c.documents]) for c in found.jurisdictions] == [
        ("贵州省", "provincial", ["贵州省知识产权“十四五”规划"]),
        ("遵义市", "municipal", ["遵义市知识产权试点工作方案"]),
    ]
    rows = {c.clause.path: c for c in found.clauses}
    assert list(rows) == ["二", "三"]
    judicial = {cell.jurisdiction: [t.task.text for t in cell.tasks] for cell in rows["二"].cells}
    assert judicial == {
        "贵州省": ["健全知识产权审判体系，推进“三合一”审判机制改革"],
        "遵义市": ["深入推进知识产权民事、刑事、行政案件“三合一”审判机制建设"],
    }
    assert rows["二"].gaps == []
    assert [cell.jurisdiction for cell in rows["三"].cells] == ["遵义市"] and rows["三"].gaps == ["贵州省"]
    lead = rows["三"].cells[0].tasks[0].task.lead
    assert [a.name for a in lead] == ["遵义市人力资源和社会保障局"]


def test_as_of_counts_only_documents_in_force(empty_store) -> None:
    root = load_small(empty_store)
    repealer = Document(
        title="贵州省知识产权强省建设规划",
        jurisdiction="贵州省",
        issued_on="2023-05-01",
        span=(0, 100),
        repeals=[Citation("贵州省知识产权“十四五”规划", span=(10, 30))],
    )
    empty_store.ingest(record("repealer.txt", repealer))
    columns = lambda day: [c.jurisdiction for c in coverage(empty_store, root, day).jurisdictions]  # noqa: E731
    assert columns(None) == ["贵州省", "遵义市"]
    assert columns(date(2022, 12, 1)) == ["贵州省", "遵义市"]
    assert columns(date(2023, 6, 1)) == ["遵义市"]  # repealed on 2023-05-01
    assert columns(date(2021, 12, 1)) == ["贵州省"]  # 遵义's plan was issued on 2022-10-21
    after = coverage(empty_store, root, date(2023, 6, 1))
    assert after.as_of == "2023-06-01" and after.root_in_force
    assert all(cell.jurisdiction == "遵义市" for c in after.clauses for cell in c.cells)
    zunyi_id = empty_store.resolve_document(zunyi().title).id
    ancestors = lambda day: [  # noqa: E731
        e.document.title for e in filter_lineage(empty_store, empty_store.ancestors(zunyi_id), day).entries
    ]
    assert "贵州省知识产权“十四五”规划" in ancestors(date(2023, 4, 30))
    assert "贵州省知识产权“十四五”规划" not in ancestors(date(2023, 5, 1))
    # valid_until ends it too
    empty_store.ingest(record("zunyi.txt", zunyi(valid_until="2024-12-31")))
    assert columns(date(2024, 12, 31)) == ["遵义市"] and columns(date(2025, 1, 1)) == []


def test_in_force_rules() -> None:
    day = date(2023, 6, 1)
    assert in_force(DocumentStatus(), day)
    assert not in_force(None, day)
    assert in_force(DocumentStatus(issued_on="2023-06-01"), day)
    assert not in_force(DocumentStatus(issued_on="2023-01-01", effective_from="2023-07-01"), day)
    assert not in_force(DocumentStatus(valid_until="2023-05-31"), day)
    assert in_force(DocumentStatus(repealed_on=["2023-06-02"]), day)
    assert not in_force(DocumentStatus(repealed_on=["2023-06-01"]), day)
    assert not in_force(DocumentStatus(repealed_on=[None]), day)  # repealed, day unknown


def test_cascade_lines_up_levels(empty_store) -> None:
    found = cascade(empty_store, load_small(empty_store))
    [indicator] = found.indicators
    assert indicator.indicator == "万人高价值发明专利拥有量"
    rows = [(e.depth, e.level, e.target.document.jurisdiction, e.target.value) for e in indicator.entries]
    assert rows == [
        (0, "national", "中国", 12.0),
        (1, "provincial", "贵州省", 6.0),
        (1, "municipal", "遵义市", 3.5),
    ]
    assert indicator.entries[2].target.lead[0].name == "遵义市市场监督管理局"


# -- REST -------------------------------------------------------------------------------------


def test_rest_coverage_cascade_and_as_of(empty_store) -> None:
    load_small(empty_store)
    api = TestClient(create_app(store=empty_store))
    body = api.get("/lineage/coverage", params={"document": OUTLINE}).json()
    assert [c["jurisdiction"] for c in body["jurisdictions"]] == ["贵州省", "遵义市"]
    assert (
        body["clauses"][1]["gaps"] == ["贵州省"]
        and body["clauses"][1]["cells"][0]["tasks"][0]["task"]["quote"] is None
    )
    cascade_body = api.get("/targets/cascade", params={"document": OUTLINE, "as_of": "2022-01-01"}).json()
    assert [e["target"]["document"]["jurisdiction"] for e in cascade_body["indicators"][0]["entries"]] == [
        "中国",
        "贵州省",
    ]
    lineage = api.get("/lineage/implementations", params={"document": OUTLINE, "as_of": "2022-01-01"}).json()
    assert [e["document"]["jurisdiction"] for e in lineage["entries"]] == ["贵州省"]
    assert (
        api.get("/lineage/coverage", params={"document": OUTLINE, "as_of": "2022-13-01"}).status_code == 422
    )
    missing = api.get("/targets/cascade", params={"document": "没有这个文件"})
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(
        "application/problem+json"
    )
    detail = api.get(f"/documents/{empty_store.resolve_document(OUTLINE).id}").json()
    assert detail["issued_on"] == "2021-09-22" and detail["effective_from"] is None


# -- the sample corpus and the outline: both stores alike, and the named query ---------------


@pytest.fixture(scope="module")
def corpus_records() -> list[ExtractionRecord]:
    return [extract_path(p) for p in sorted(SEEDS.glob("*.txt"))] + [extract_path(OUTLINE_FILE)]


@pytest.fixture(scope="module")
def both(corpus_records) -> Iterator[tuple[EmbeddedStore, Neo4jStore]]:
    neo = Neo4jStore(require_neo4j())
    neo.wipe()
    neo.ingest_many(list(reversed(corpus_records)))  # the other order: the plan makes the same links
    with tempfile.TemporaryDirectory() as folder:
        embedded = EmbeddedStore(f"embedded:{Path(folder) / 'kg'}")
        for rec in corpus_records:
            embedded.ingest(rec)
        yield embedded, neo
        embedded.close()
    neo.wipe()  # the shared `store` fixture re-ingests into an empty database
    neo.close()


def test_corpus_coverage_and_cascade_alike_in_both_stores(both) -> None:
    embedded, neo = both
    root = embedded.resolve_document(OUTLINE).id
    assert neo.resolve_document(OUTLINE).id == root
    assert embedded.stats() == neo.stats()
    assert embedded.stats().edges["CARRIES_OUT"] > 0
    for day in (None, date(2021, 1, 1), date(2023, 1, 1)):
        assert coverage(embedded, root, day) == coverage(neo, root, day)
        assert cascade(embedded, root, day) == cascade(neo, root, day)
    found = coverage(embedded, root)
    # one node per provision although two files hold the outline's text
    assert len(found.clauses) == 33 and [c.jurisdiction for c in found.jurisdictions] == ["遵义市"]
    # 遵义 issued its plan on 2022-10-21: not yet in force at the start of 2021
    assert coverage(embedded, root, date(2021, 1, 1)).jurisdictions == []
    # links read against both texts (README, worked example): the measure each task carries out
    linked = {  # paths as NFKC: the outline's text is in two files, （八） in one, (八) in the other
        (
            unicodedata.normalize("NFKC", c.clause.path),
            t.task.text[:12],
            t.task.lead[0].name if t.task.lead else None,
        )
        for c in found.clauses
        for cell in c.cells
        for t in cell.tasks
    }
    assert {
        ("四/(八)", "加强知识产权司法资源配置", "遵义市中级人民法院"),
        ("六/(十四)", "根据本地实际情况,培育本", "遵义市市场监督管理局"),
        ("九/(二十二)", "完善我市国家知识产权强市", "遵义市市场监督管理局"),
    } <= linked
    # the cascade: the outline's 12 件 by 2025 above 遵义's 10 件
    indicator = next(
        i for i in cascade(embedded, root).indicators if i.indicator == "万人高价值发明专利拥有量"
    )
    assert [(e.depth, e.level, e.target.value, e.target.target_year) for e in indicator.entries] == [
        (0, "national", 12.0, 2025),
        (1, "municipal", 10.0, 2025),
    ]


def test_named_query_clause_coverage_agrees_with_rest(both) -> None:
    _, neo = both
    query = get_query("clause_coverage")
    for as_of in (None, "2021-01-01"):
        params = query.bind({"document": OUTLINE} | ({"as_of": as_of} if as_of else {}))
        result = neo.run_read(query.cypher, params)
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        rest = coverage(neo, neo.resolve_document(OUTLINE).id, date.fromisoformat(as_of) if as_of else None)
        expected = coverage_cells(rest)
        got = query_cells(rows)
        assert got == expected
        assert all(r["linked_tasks"] == len(r["tasks"]) for r in rows)


# -- status over time from the text ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "issued_on", "expected"),
    [
        ("第五十一条 本条例自2022年5月1日起施行。", None, ("2022-05-01", None)),
        ("本意见自印发之日起施行，有效期三年。", "2021-10-09", ("2021-10-09", "2024-10-08")),
        ("本办法自2022年5月1日起施行，有效期5年。", None, ("2022-05-01", "2027-04-30")),
        ("本通知自印发之日起施行,有效期至2023年12月31日。", "2023-06-09", ("2023-06-09", "2023-12-31")),
        ("以上政策措施自公布之日起实施,有效期至2023年12月31日。", "2023-02-02", ("2023-02-02", "2023-12-31")),
        ("第十八条 本办法自2021年起实施,有效期至2023年。", None, ("2021-01-01", "2023-12-31")),
        # another document's dates, a patent's term, a subsidy's window: not the document's own
        ("按照《若干措施》要求(自2022年1月1日起施行,有效期3年)执行。", "2023-06-09", (None, None)),
        ("在专利权有效期内实施专利的，给予奖励。证书有效期三年。", "2023-06-09", (None, None)),
        ("优惠政策自2023年4月1日起执行至2027年12月31日止。", None, (None, None)),
        ("本方案自印发之日起施行。", None, (None, None)),  # no date of issue to count from
        # not a calendar day: no date rather than one an export would reject
        ("本办法自2023年2月30日起施行，有效期至2025年12月31日。", None, (None, "2025-12-31")),
        ("本意见自印发之日起施行，有效期三年。", "2023-02-30", (None, None)),
    ],
)
def test_validity_from_text(
    text: str, issued_on: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert extract_validity(text, issued_on=issued_on) == expected


def test_validity_on_the_corpus() -> None:
    regulation = extract_path(ROOT / "corpus" / "dev" / "ip_guangdong_ip_protection_regulation_2022.md")
    assert (regulation.documents[0].effective_from, regulation.documents[0].valid_until) == (
        "2022-05-01",
        None,
    )
    measures = extract_path(ROOT / "corpus" / "dev" / "city_fuqing_economy_measures_2023.txt").documents[0]
    assert (measures.issued_on, measures.effective_from, measures.valid_until) == (
        "2023-06-09",
        "2023-06-09",
        "2028-06-08",
    )


def test_rdf_export_with_clause_links_conforms_to_the_shapes(both) -> None:
    from policykg.graph import export
    from rdflib import RDF, Literal, URIRef

    embedded, _ = both
    graph = export.to_rdf(list(embedded.dump()))
    conforms, report = export.validate(graph)
    assert conforms, report
    pkg = "https://policykg.example.org/ontology#"
    links = sorted(graph.subjects(RDF.predicate, URIRef(pkg + "carriesOut")))
    assert links
    graph.set((links[0], URIRef(pkg + "score"), Literal(2.0)))  # a score outside 0..1
    conforms, report = export.validate(graph)
    assert not conforms and "Result Path: pkg:score" in report


def test_bulk_plan_makes_the_same_links(both, corpus_records, tmp_path: Path) -> None:
    """The first-load bulk path (graph/bulk.py, the plan over an empty database) links alike."""
    from policykg.graph import bulk

    embedded, _ = both
    plan = bulk.write_csv(list(reversed(corpus_records)), tmp_path / "csv")
    stats = embedded.stats()
    assert plan.node_count == sum(stats.nodes.values()) and plan.edge_count == sum(stats.edges.values())
    [[_, *parts]] = plan.edges["CARRIES_OUT"]  # its header, then its parts' rows
    rows = sum(len(part.read_text(encoding="utf-8").splitlines()) for part in parts)
    assert rows == stats.edges["CARRIES_OUT"] > 0


def test_two_copies_of_a_document_have_one_node_per_provision(empty_store) -> None:
    """A listing page and the document's own file: the same provisions, brackets of either width."""
    copy = outline()
    copy.clauses = [
        Clause("二", "二", "加强知识产权司法保护", (10, 90), JUDICIAL),
        Clause("二/(一)", "(一)", "健全审判体系", (20, 90), JUDICIAL),
    ]
    own = outline()
    own.clauses = [*own.clauses, Clause("二/（一）", "（一）", "健全审判体系", (120, 300), JUDICIAL)]
    empty_store.ingest(record("a-listing.txt", copy))
    empty_store.ingest(record("outline.txt", own))
    empty_store.ingest(record("zunyi.txt", zunyi()))
    views = empty_store.clauses(empty_store.resolve_document(OUTLINE).id)
    # the first file by name shows each provision it holds; the other file adds 三
    assert [(c.path, c.span.source if c.span else None) for c in views] == [
        ("二", "a-listing.txt"),
        ("二/(一)", "a-listing.txt"),
        ("三", "outline.txt"),
    ]
    assert empty_store.stats().edges["CARRIES_OUT"] == 2  # one link per task and provision
