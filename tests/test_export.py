"""`policykg export`: RDF (Turtle, JSON-LD) in the ontology's terms, SHACL shapes, GraphML.

Tests that take `store` run on both stores (embedded and Neo4j, tests/conftest.py); the rest
export an embedded store built from the sample corpus.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import rdflib.namespace as rns
from policykg.graph import export
from policykg.graph.model import edge_id
from policykg.graph.ontology import ONTOLOGY_PATH, PKG, SchemaViolation, schema
from policykg.graph.views import GraphEdge, GraphNode
from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, SH

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}  # export format → rdflib parser
ZUNYI = "遵义市国家知识产权强市建设试点城市工作方案"
OUTLINE = "知识产权强国建设纲要"


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded(sample_records, tmp_path_factory):
    from policykg.graph.embedded import EmbeddedStore

    st = EmbeddedStore(f"embedded:{tmp_path_factory.mktemp('export-store')}")
    for record in sample_records:
        st.ingest(record)
    yield st
    st.close()


@pytest.fixture(scope="module")
def items(embedded) -> list[GraphNode | GraphEdge]:
    return list(embedded.dump())


@pytest.fixture(scope="module")
def rdf(items) -> Graph:
    """The sample corpus exported as Turtle and parsed back."""
    return _parsed(items, "turtle")


Items = list[GraphNode | GraphEdge]


def _export(items: Items, fmt: str, **options: Any) -> tuple[bytes, export.ExportSummary]:
    out = io.BytesIO()
    summary = export.write_export(items, fmt, out, **options)
    return out.getvalue(), summary


def _parsed(items: Items, fmt: str, **options: Any) -> Graph:
    data, _ = _export(items, fmt, **options)
    return Graph().parse(data=data, format=RDF_FORMATS[fmt])


def _split(items: Items) -> tuple[list[GraphNode], list[GraphEdge]]:
    return [i for i in items if isinstance(i, GraphNode)], [i for i in items if isinstance(i, GraphEdge)]


def _one(graph: Graph, predicate: URIRef, value: Literal) -> URIRef:
    subjects = set(graph.subjects(predicate, value))
    assert len(subjects) == 1, f"{len(subjects)} subjects with {predicate} {value!r}"
    return subjects.pop()  # type: ignore[return-value]


def _expected_triples(items: Items, vocabularies: bool) -> int:
    """The triple count the mapping of graph/export.py implies, computed from ontology.ttl
    independently of the exporter: per node rdf:type + rdfs:label + one triple per property
    value; per edge one triple, and a reified statement (4 triples + its properties) when the
    edge has properties. With vocabularies, each rdfs:subClassOf/subPropertyOf axiom to an
    established term adds its triple, and provenance adds prov:wasDerivedFrom per fact and
    2 triples per source file."""
    ontology = Graph().parse(ONTOLOGY_PATH, format="turtle")
    s = schema()

    def mirrored(iri: str, axiom: URIRef) -> int:
        if not vocabularies:
            return 0
        return sum(1 for o in ontology.objects(URIRef(iri), axiom) if isinstance(o, URIRef) and o not in PKG)

    def props_triples(props: dict[str, Any]) -> int:
        count = 0
        for key, value in props.items():
            values = len(value) if isinstance(value, list) else 1
            count += values * (1 + mirrored(s.properties[key].iri, RDFS.subPropertyOf))
        return count + (1 if vocabularies and props.get("source") else 0)

    total = 0
    sources: set[str] = set()
    for item in items:
        sources |= {item.properties["source"]} if item.properties.get("source") else set()
        if isinstance(item, GraphNode):
            total += 2 + mirrored(s.node_types[item.type].iri, RDFS.subClassOf)
            total += props_triples(item.properties)
        else:
            total += 1 + mirrored(s.relation_types[item.type].iri, RDFS.subPropertyOf)
            if item.properties:
                total += 4 + props_triples(item.properties)
    return total + (2 * len(sources) if vocabularies else 0)


# -- Store.dump --------------------------------------------------------------------------------


def test_dump_holds_what_stats_counts(store) -> None:
    items = list(store.dump())
    nodes, edges = _split(items)
    assert items == [*nodes, *edges], "every node comes before the first edge"
    assert nodes == sorted(nodes, key=lambda n: (n.type, n.id))
    assert edges == sorted(edges, key=lambda e: (e.type, e.source, e.target))
    stats = store.stats()
    assert {t: sum(n.type == t for n in nodes) for t in stats.nodes} == stats.nodes
    assert {t: sum(e.type == t for e in edges) for t in stats.edges} == stats.edges
    ids = {n.id for n in nodes}
    assert len(ids) == len(nodes)
    assert all(e.source in ids and e.target in ids for e in edges)
    assert not any(k.startswith("_") for i in items for k in i.properties), "bookkeeping leaked"


def test_both_stores_dump_the_same_graph(store, items) -> None:
    assert list(store.dump()) == items


# -- RDF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_rdf_export_parses_back_with_every_fact(store, fmt) -> None:
    items = list(store.dump())
    data, summary = _export(items, fmt)
    graph = Graph().parse(data=data, format=RDF_FORMATS[fmt])
    assert len(graph) == summary.triples == _expected_triples(items, vocabularies=True)
    nodes, edges = _split(items)
    assert (summary.nodes, summary.edges) == (len(nodes), len(edges))
    # lossless: the pkg: triples alone give back every node and edge with its properties
    assert export.graph_from_rdf(graph) == (nodes, edges)

    zunyi = _one(graph, PKG.title, Literal(ZUNYI))
    outline = _one(graph, PKG.titleKey, Literal(OUTLINE))
    assert zunyi == export.node_iri(store.resolve_document(ZUNYI).id)
    assert (zunyi, PKG.ensuresImplementationOf, outline) in graph
    assert (zunyi, ELI.ensures_implementation_of, outline) in graph
    assert {PKG.Document, ELI.LegalResource, PROV.Entity} <= set(graph.objects(zunyi, RDF.type))
    assert (zunyi, PKG.issuedOn, Literal("2022-10-21", datatype=rns.XSD.date)) in graph
    assert (zunyi, PKG.stub, Literal(False)) in graph
    assert (zunyi, RDFS.label, Literal(ZUNYI)) in graph

    # the citation's provenance is said about the edge: source file, span, quote
    statement = next(
        st
        for st in graph.subjects(RDF.subject, zunyi)
        if graph.value(st, RDF.object) == outline
        and graph.value(st, RDF.predicate) == PKG.ensuresImplementationOf
    )
    assert (statement, RDF.type, RDF.Statement) in graph
    source = str(graph.value(statement, PKG.source))
    start, end = graph.value(statement, PKG.spanStart), graph.value(statement, PKG.spanEnd)
    assert start.datatype == rns.XSD.integer and 0 <= start.toPython() < end.toPython()
    assert OUTLINE in str(graph.value(statement, PKG.quote))
    assert (statement, PROV.wasDerivedFrom, export.source_iri(source)) in graph
    assert (export.source_iri(source), RDF.type, PROV.Entity) in graph

    # agencies are organizations; the work plan was passed by one
    issuers = set(graph.objects(zunyi, PKG.passedBy))
    assert issuers and all((a, RDF.type, ORG.Organization) in graph for a in issuers)
    assert issuers == set(graph.objects(zunyi, ELI.passed_by))
    # targets keep typed numbers
    values = [o for o in graph.objects(None, PKG.value)]
    assert values and all(v.datatype == rns.XSD.double for v in values)
    assert all(y.datatype == rns.XSD.integer for y in graph.objects(None, PKG.targetYear))


def test_turtle_and_jsonld_hold_the_same_graph(items) -> None:
    assert isomorphic(_parsed(items, "turtle"), _parsed(items, "jsonld"))


def test_pkg_only_writes_no_borrowed_terms(items) -> None:
    graph = _parsed(items, "turtle", vocabularies=False)
    assert len(graph) == _expected_triples(items, vocabularies=False)
    borrowed = {ELI, ORG, PROV}
    used = {t for triple in graph for t in triple if isinstance(t, URIRef)}
    assert not [t for t in used if any(str(t).startswith(str(ns)) for ns in borrowed)]
    assert export.graph_from_rdf(graph) == _split(items)


def test_export_is_deterministic_and_iris_are_stable(items) -> None:
    # streamed: the bytes follow the items' order (a store dumps in a fixed order), the
    # triples do not depend on it
    assert _export(items, "turtle")[0] == _export(items, "turtle")[0]
    assert set(_parsed(items, "turtle")) == set(_parsed(list(reversed(items)), "turtle"))
    assert export.node_iri("doc:20c1e5a302a4c5e2") == URIRef(f"{export.BASE}doc/20c1e5a302a4c5e2")
    assert export.node_iri("doc:a b#c", "https://x.test/") == URIRef("https://x.test/doc/a%20b%23c")
    assert export.source_iri("文件 1.txt").startswith(f"{export.BASE}source/%E6%96%87")
    # a re-based export reads back to the same ids (ids come from pkg:id, not from IRIs)
    rebased = _parsed(items, "turtle", base="https://data.example.gov.cn/policy/")
    assert export.graph_from_rdf(rebased) == _split(items)


def test_a_term_outside_the_ontology_is_refused() -> None:
    with pytest.raises(SchemaViolation):
        export.to_rdf([GraphNode(id="x:1", type="Memo", label="x")])
    with pytest.raises(SchemaViolation):
        export.to_rdf([GraphNode(id="doc:1", type="Document", label="x", properties={"colour": "red"})])
    with pytest.raises(SchemaViolation):
        export.to_rdf([GraphEdge(id="e:1", source="a:1", target="b:1", type="LIKES")])


# -- SHACL -------------------------------------------------------------------------------------


def test_export_conforms_to_the_shapes(store) -> None:
    graph = _parsed(list(store.dump()), "turtle")
    conforms, report = export.validate(graph)
    assert conforms, report


def test_pkg_only_export_conforms_to_the_shapes(items) -> None:
    conforms, report = export.validate(_parsed(items, "jsonld", vocabularies=False))
    assert conforms, report


def _node(graph: Graph, cls: URIRef, **where: Literal) -> URIRef:
    for subject in sorted(graph.subjects(RDF.type, cls)):
        if all((subject, PKG[k], v) in graph for k, v in where.items()):
            return subject  # type: ignore[return-value]
    raise AssertionError(f"no {cls} with {where}")


def test_shapes_reject_a_broken_graph(rdf) -> None:
    """Each breakage is one the model can never produce; each must be reported on its node
    by the constraint meant to catch it (so the shapes constrain, not just parse)."""
    broken = Graph()
    for triple in rdf:
        broken.add(triple)
    zunyi = _one(broken, PKG.title, Literal(ZUNYI))
    outline = _one(broken, PKG.titleKey, Literal(OUTLINE))
    stub = _node(broken, PKG.Document, stub=Literal(True))
    task = _node(broken, PKG.Task)
    target = _node(broken, PKG.Target)
    indicator = _node(broken, PKG.Indicator)
    agency = _node(broken, PKG.Agency)
    area = _node(broken, PKG.Jurisdiction)
    # a citation's statement (a CARRIES_OUT link's statement has shapes of its own)
    statement = next(
        st
        for st in sorted(broken.subjects(RDF.type, RDF.Statement))
        if broken.value(st, RDF.predicate) != PKG.carriesOut
    )
    expected = set()

    def expect(focus: URIRef, component: str) -> None:
        expected.add((focus, SH[f"{component}ConstraintComponent"]))

    broken.remove((zunyi, PKG.stub, None))  # a document must say whether it is a stub
    expect(zunyi, "MinCount")
    broken.add((outline, PKG.passedBy, area))  # PASSED_BY must reach an Agency
    expect(outline, "Class")
    broken.add((stub, PKG.source, Literal("x.txt")))  # a stub has no source file of its own
    expect(stub, "Or")
    broken.set((target, PKG.targetYear, Literal("soon")))  # years are integers
    expect(target, "Datatype")
    broken.remove((None, PKG.hasTask, task))  # every task belongs to a document
    expect(task, "MinCount")
    broken.add((indicator, PKG.name, Literal("另一个名称")))  # one name per indicator
    expect(indicator, "MaxCount")
    broken.add((area, PKG.colour, Literal("red")))  # no term outside the ontology
    expect(area, "Closed")
    broken.set((agency, PKG.jurisdictionName, Literal("火星")))  # must match OPERATES_IN
    expect(agency, "SPARQL")
    broken.remove((statement, PKG.source, None))  # a citation keeps its source file
    expect(statement, "MinCount")
    broken.set((statement, PKG.spanStart, Literal(10**9)))  # start after end
    expect(statement, "LessThanOrEquals")

    shapes = Graph().parse(export.SHAPES_PATH, format="turtle")
    conforms, results, text = shacl_validate(broken, shacl_graph=shapes, inference="none", advanced=True)
    assert not conforms
    found = {
        (results.value(r, SH.focusNode), results.value(r, SH.sourceConstraintComponent))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }
    assert expected <= found, f"missing {expected - found}\n{text}"
    assert export.validate(broken)[0] is False


def test_shapes_cover_every_term_of_the_ontology() -> None:
    shapes = Graph().parse(export.SHAPES_PATH, format="turtle")
    targets = set(shapes.objects(None, SH.targetClass))
    paths = set(shapes.objects(None, SH.path))
    paths |= {shapes.value(p, SH.inversePath) for p in paths if shapes.value(p, SH.inversePath)}
    s = schema()
    assert {URIRef(t.iri) for t in s.node_types.values()} <= targets
    missing = {p.iri for p in s.properties.values()} | {r.iri for r in s.relation_types.values()}
    missing -= {str(p) for p in paths}
    assert not missing, f"ontology terms without a shape in graph/shapes.ttl: {sorted(missing)}"


# -- GraphML -----------------------------------------------------------------------------------


def test_graphml_parses_back_with_the_same_graph(store, tmp_path: Path) -> None:
    items = list(store.dump())
    nodes, edges = _split(items)
    path = tmp_path / "graph.graphml"
    with path.open("wb") as out:
        summary = export.write_export(items, "graphml", out)
    assert (summary.nodes, summary.edges) == (len(nodes), len(edges))
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.is_directed()
    assert graph.number_of_nodes() == len(nodes)
    assert graph.number_of_edges() == len(edges)
    assert {k for _, _, k in graph.edges(keys=True)} == {e.id for e in edges}
    zunyi = store.resolve_document(ZUNYI).id
    data = graph.nodes[zunyi]
    assert (data["label"], data["type"], data["title"], data["stub"]) == (ZUNYI, "Document", ZUNYI, False)
    outline = store.resolve_document(OUTLINE).id
    assert "ENSURES_IMPLEMENTATION_OF" in {d["type"] for d in graph.get_edge_data(zunyi, outline).values()}
    # lists become JSON text (GraphML has no list type); numbers keep their type
    with_aliases = [n for n in nodes if n.properties.get("aliases")]
    assert with_aliases
    first = with_aliases[0]
    assert json.loads(graph.nodes[first.id]["aliases"]) == sorted(first.properties["aliases"])
    target = next(n for n in nodes if n.type == "Target" and "value" in n.properties)
    assert graph.nodes[target.id]["value"] == pytest.approx(target.properties["value"])
    assert isinstance(graph.nodes[target.id]["span_start"], int)


# -- the command -------------------------------------------------------------------------------


def test_export_command(embedded, tmp_path: Path, capsys) -> None:
    from policykg.cli import main

    out = tmp_path / "graph.jsonld"
    assert main(["export", "--store", embedded.url, "-f", "jsonld", "-o", str(out), "--validate"]) == 0
    err = capsys.readouterr().err
    assert "conforms" in err and "triples" in err
    assert len(Graph().parse(out, format="json-ld")) > 0
    assert main(["export", "--store", embedded.url, "-f", "graphml", "--validate"]) == 1
    assert main(["export", "--store", embedded.url, "-o", str(tmp_path / "no" / "such" / "x.ttl")]) == 1
    assert main(["export", "--store", embedded.url, "-f", "graphml", "-o", str(tmp_path / "g.graphml")]) == 0
    assert nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True).number_of_nodes() > 0


# -- streamed export = the in-memory export --------------------------------------------------


def _in_memory(items: Items, fmt: str, **options: Any) -> tuple[bytes, export.ExportSummary]:
    out = io.BytesIO()
    summary = export.write_in_memory(items, fmt, out, **options)
    return out.getvalue(), summary


def _same_rdf(items: Items, fmt: str, **options: Any) -> Graph:
    """Parse what the streamed and the in-memory (rdflib) writers wrote; both must hold the
    same triples, as many as the summary counts."""
    streamed, summary = _export(items, fmt, **options)
    reference, ref_summary = _in_memory(items, fmt, **options)
    got = Graph().parse(data=streamed, format=RDF_FORMATS[fmt])
    want = Graph().parse(data=reference, format=RDF_FORMATS[fmt])
    assert len(got) == summary.triples == ref_summary.triples == len(want) > 0
    assert set(got) == set(want), f"{len(set(got) ^ set(want))} triples differ"
    return got


def test_the_streamed_dump_holds_the_graph_page_by_page(store, monkeypatch) -> None:
    """Neo4j streams a large graph in pages, each read in a transaction of its own (one would
    outlive the server's transaction timeout): small pages, many of them without an edge, give
    every node and edge dump() gives."""
    if hasattr(type(store), "_PAGE"):
        monkeypatch.setattr(type(store), "_PAGE", 3)

    def canonical(items: Items) -> list[str]:
        return sorted(json.dumps(x.model_dump(), ensure_ascii=False, sort_keys=True) for x in items)

    streamed = canonical(store.dump(ordered=False))
    assert streamed == canonical(store.dump()) and len(streamed) > 100


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_streamed_rdf_holds_the_triples_of_the_in_memory_export(store, fmt) -> None:
    items = list(store.dump(ordered=False))
    _same_rdf(items, fmt)
    _same_rdf(items, fmt, vocabularies=False, base="https://data.example.gov.cn/policy/")


def _awkward_items() -> Items:
    """Text every syntax must escape, ids and source files that are no plain local names."""
    text = 'a "quoted" \\\\ back\\\\slash\nnew line\ttab\r\x01 控制 ~end.'
    doc = GraphNode(
        id="doc:a b#c.",
        type="Document",
        label=text,
        properties={
            "id": "doc:a b#c.",
            "title": text,
            "stub": False,
            "aliases": ["乙", "甲"],
            "source": "文件 1 (v2).txt",
            "span_start": 0,
            "span_end": 9,
            "issued_on": "2022-10-21",
        },
    )
    stub = GraphNode(id="doc:2", type="Document", label="x", properties={"id": "doc:2", "stub": True})
    odd = GraphNode(id="plain-id", type="Agency", label="局", properties={"id": "plain-id", "name": "局"})
    target = GraphNode(
        id="target:1",
        type="Target",
        label="t",
        properties={
            "id": "target:1",
            "indicator": "t",
            "value": 1e-05,
            "baseline": 100.0,
            "target_year": 2025,
            "source": "文件 1 (v2).txt",
            "span_start": 3,
            "span_end": 4,
        },
    )
    cite = GraphEdge(
        id=edge_id("CITES", "doc:a b#c.", "doc:2"),
        source="doc:a b#c.",
        target="doc:2",
        type="CITES",
        properties={"source": "文件 1 (v2).txt", "span_start": 1, "span_end": 2, "quote": text},
    )
    passed = GraphEdge(
        id=edge_id("PASSED_BY", "doc:a b#c.", "plain-id"),
        source="doc:a b#c.",
        target="plain-id",
        type="PASSED_BY",
    )
    return [doc, stub, odd, target, cite, passed]


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_streamed_rdf_escapes_what_it_must(fmt) -> None:
    graph = _same_rdf(_awkward_items(), fmt)
    nodes, edges = _split(_awkward_items())
    assert export.graph_from_rdf(graph) == (
        sorted(nodes, key=lambda n: (n.type, n.id)),
        sorted(edges, key=lambda e: (e.type, e.source, e.target)),
    )


def _graphml(data: bytes, tmp_path: Path, name: str) -> tuple[dict, list]:
    path = tmp_path / name
    path.write_bytes(data)
    graph = nx.read_graphml(path, force_multigraph=True)
    return dict(graph.nodes(data=True)), sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])


@pytest.mark.parametrize("awkward", [False, True])
def test_streamed_graphml_holds_the_graph_of_the_in_memory_export(store, awkward, tmp_path: Path) -> None:
    items = _awkward_items() if awkward else list(store.dump(ordered=False))
    if awkward:  # networkx cannot write \x01 (XML 1.0 cannot hold it); the stream writes U+FFFD
        streamed, _ = _export(items, "graphml")
        assert "\x01" not in streamed.decode() and "\ufffd 控制" in streamed.decode()
        for item in items:
            item.properties = {
                k: x.replace("\x01", "") if isinstance(x, str) else x for k, x in item.properties.items()
            }
            if isinstance(item, GraphNode):
                item.label = item.label.replace("\x01", "")
    streamed, summary = _export(items, "graphml")
    reference, _ = _in_memory(items, "graphml")
    got, want = _graphml(streamed, tmp_path, "s.graphml"), _graphml(reference, tmp_path, "m.graphml")
    assert got == want
    assert (summary.nodes, summary.edges) == (len(got[0]), len(got[1]))


def test_unordered_dump_holds_the_ordered_dump(store) -> None:
    ordered = list(store.dump())
    streamed = list(store.dump(ordered=False))
    nodes, edges = _split(streamed)
    assert streamed == [*nodes, *edges], "every node comes before the first edge"
    key = {GraphNode: lambda n: (n.type, n.id), GraphEdge: lambda e: (e.type, e.source, e.target)}
    assert sorted(nodes, key=key[GraphNode]) + sorted(edges, key=key[GraphEdge]) == ordered


def test_export_command_streams_and_bounds_validation(embedded, items, tmp_path: Path, capsys) -> None:
    from policykg.cli import main

    out = tmp_path / "graph.nt"
    assert main(["export", "--store", embedded.url, "-f", "ntriples", "-o", str(out)]) == 0
    assert "triples" in capsys.readouterr().err
    assert set(Graph().parse(out, format="nt")) == set(_parsed(items, "turtle"))
    # a graph above the limit is refused before anything is written, and says why
    small = str(len(items) - 1)
    target = tmp_path / "big.ttl"
    assert (
        main(["export", "--store", embedded.url, "--validate", "--validate-limit", small, "-o", str(target)])
        == 1
    )
    err = capsys.readouterr().err
    assert f"{len(items):,} nodes and edges" in err and "--validate-limit" in err
    assert not target.exists()
    assert (
        main(
            [
                "export",
                "--store",
                embedded.url,
                "--validate",
                "--validate-limit",
                str(len(items)),
                "-f",
                "ntriples",
                "-o",
                str(target),
            ]
        )
        == 0
    )
    assert "conforms" in capsys.readouterr().err


def test_every_id_prefix_the_model_mints_gets_a_short_name() -> None:
    """Turtle and JSON-LD abbreviate ids by their prefix (export_stream.ID_PREFIXES): a node or
    edge kind added to the model without its prefix there would export as full IRIs."""
    from policykg.graph.export_stream import ID_PREFIXES
    from policykg.graph.model import build_fragment
    from policykg.ingest.extract import extract_path

    seeds = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
    prefixes = set()
    for path in sorted(seeds.glob("*.txt")):
        fragment = build_fragment(extract_path(path))
        prefixes |= {n.id.split(":", 1)[0] for n in fragment.nodes}
        prefixes |= {e.id.split(":", 1)[0] for e in fragment.edges}
    assert "clause" in prefixes
    assert prefixes <= set(ID_PREFIXES)
