"""graph/model.py: records become nodes and edges with stable ids and provenance."""

from __future__ import annotations

from policykg.graph.model import AGENCY_ID, agency_id, build_fragment, check_fragment, merge_nodes
from policykg.graph.normalize import title_key
from policykg.graph.resolve import document_id

from policykg.records import Citation, Document
from tests.graph_helpers import guizhou_plan, national_outline, record, zunyi_plan


def _by_label(fragment, label):
    return [n for n in fragment.nodes if n.label == label]


def _edges(fragment, rel):
    return [e for e in fragment.edges if e.type == rel]


def test_fragment_respects_the_ontology() -> None:
    check_fragment(build_fragment(record("a.txt", zunyi_plan(), guizhou_plan(), national_outline())))


def test_ids_come_from_content_not_order() -> None:
    one = build_fragment(record("a.txt", zunyi_plan(), guizhou_plan()))
    two = build_fragment(record("a.txt", guizhou_plan(), zunyi_plan()))
    assert {n.id for n in one.nodes} == {n.id for n in two.nodes}
    assert {e.id for e in one.edges} == {e.id for e in two.edges}


def test_citation_relations_become_edge_types() -> None:
    fragment = build_fragment(record("a.txt", zunyi_plan()))
    assert len(_edges(fragment, "ENSURES_IMPLEMENTATION_OF")) == 1
    assert len(_edges(fragment, "BASED_ON")) == 1
    assert len(_edges(fragment, "CITES")) == 1
    doc = zunyi_plan(cites=[], repeals=[Citation("旧办法", "遵府发〔2009〕1号", span=(5, 9))])
    repeal = _edges(build_fragment(record("a.txt", doc)), "REPEALS")
    assert len(repeal) == 1 and repeal[0].properties["cited_number"] == "遵府发〔2009〕1号"


def test_cited_documents_are_stubs_with_the_id_of_the_real_document() -> None:
    citing = build_fragment(record("a.txt", zunyi_plan()))
    stub = next(
        n for n in _by_label(citing, "Document") if n.properties.get("title_key") == "知识产权强国建设纲要"
    )
    assert stub.properties["stub"] is True
    real = build_fragment(record("b.txt", national_outline()))
    outline = next(n for n in _by_label(real, "Document") if not n.properties["stub"])
    assert outline.id == stub.id


def test_provenance_on_documents_tasks_targets_and_citations() -> None:
    fragment = build_fragment(record("a.txt", zunyi_plan()))
    for node in fragment.nodes:
        if node.label in ("Task", "Target") or (node.label == "Document" and not node.properties["stub"]):
            assert node.properties["source"] == "a.txt"
            assert node.properties["span_end"] > node.properties["span_start"]
    for rel in ("CITES", "BASED_ON", "ENSURES_IMPLEMENTATION_OF"):
        for edge in _edges(fragment, rel):
            assert {"source", "span_start", "span_end"} <= set(edge.properties)


def test_tasks_roles_and_agency_jurisdictions() -> None:
    fragment = build_fragment(record("a.txt", zunyi_plan()))
    assert len(_by_label(fragment, "Task")) == 2
    assert len(_edges(fragment, "HAS_TASK")) == 2
    assert len(_edges(fragment, "LED_BY")) == 3  # two tasks + one target
    assert len(_edges(fragment, "RESPONSIBILITY_OF")) == 2
    agencies = {n.properties["name"]: n for n in _by_label(fragment, "Agency")}
    assert agencies["遵义市市场监督管理局"].properties["jurisdiction"] == "遵义市"
    names = {n.id: n.properties["name"] for n in _by_label(fragment, "Jurisdiction")}
    part_of = {(names[e.source], names[e.target]) for e in _edges(fragment, "PART_OF")}
    assert {("遵义市", "贵州省"), ("贵州省", "中国")} <= part_of


def test_level_falls_back_to_the_jurisdiction() -> None:
    fragment = build_fragment(record("a.txt", guizhou_plan()))
    doc = next(n for n in _by_label(fragment, "Document") if not n.properties["stub"])
    assert doc.properties["level"] == "provincial"
    assert doc.properties["doc_number_key"] == "黔府发〔2021〕12号"


def test_same_indicator_in_two_documents_is_one_node() -> None:
    fragment = build_fragment(record("a.txt", zunyi_plan(), guizhou_plan(), national_outline()))
    indicators = _by_label(fragment, "Indicator")
    assert [n.properties["name"] for n in indicators] == ["万人高价值发明专利拥有量"]
    assert len(_edges(fragment, "MEASURES")) == 3


def test_repeated_task_text_gets_distinct_ids() -> None:
    doc = zunyi_plan()
    doc.tasks = [*doc.tasks, doc.tasks[0]]
    assert len(_by_label(build_fragment(record("a.txt", doc)), "Task")) == 3


def test_document_without_title_gets_an_id_from_its_number_or_position() -> None:
    by_number = Document(title=None, doc_number="国办发〔2014〕64号")
    assert build_fragment(record("a.txt", by_number)).nodes[0].id == document_id(None, "国办发〔2014〕64号")
    untitled = build_fragment(record("a.txt", Document(title=None), Document(title=None)))
    assert len(_by_label(untitled, "Document")) == 2


def test_merge_prefers_the_ingested_document_and_collects_aliases() -> None:
    stub = {"id": "d", "title": "纲要", "title_key": title_key("纲要"), "stub": True}
    longer = {"id": "d", "title": "纲要(2021-2035年)", "stub": True}
    full = {
        "id": "d",
        "title": "知识产权强国建设纲要",
        "stub": False,
        "source": "x.txt",
        "span_start": 0,
        "span_end": 9,
    }
    merged = merge_nodes("Document", [stub, longer])
    assert merged["title"] == "纲要(2021-2035年)" and merged["stub"] is True
    merged = merge_nodes("Document", [stub, full, longer])
    assert merged["title"] == "知识产权强国建设纲要" and merged["stub"] is False
    assert merged["aliases"] == ["纲要", "纲要(2021-2035年)"]
    assert merged["source"] == "x.txt"


def test_agency_ids_match_their_pattern_and_names_do_not() -> None:
    assert AGENCY_ID.fullmatch(agency_id("临江市市场监督管理局"))
    assert not AGENCY_ID.fullmatch("临江市市场监督管理局")
    assert not AGENCY_ID.fullmatch(agency_id("临江市市场监督管理局") + "0")
