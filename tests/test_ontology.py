"""ontology.ttl parses, is labelled in Chinese and English, maps to ELI / ORG / PROV-O, and
defines every term the graph holds."""

from __future__ import annotations

import pytest
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.model import build_fragment, check_fragment
from policykg.graph.ontology import ONTOLOGY_PATH, PKG, Key, Label, Rel, SchemaViolation, schema
from rdflib import OWL, RDF, RDFS, Graph, Namespace

from tests.graph_helpers import gold_records

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")


@pytest.fixture(scope="module")
def rdf() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_PATH, format="turtle")
    return graph


def test_parses_as_owl(rdf: Graph) -> None:
    assert (None, RDF.type, OWL.Ontology) in rdf
    assert len(list(rdf.subjects(RDF.type, OWL.Class))) >= 6


def test_required_node_types_exist() -> None:
    assert {"Document", "Agency", "Jurisdiction", "Task", "Target", "Indicator"} <= set(schema().node_types)


def test_every_term_has_chinese_and_english_labels() -> None:
    s = schema()
    terms = [*s.node_types.values(), *s.relation_types.values(), *s.properties.values()]
    missing = [t.iri for t in terms if not t.label_zh or not t.label_en]
    assert missing == []


def test_constants_match_the_ontology() -> None:
    s = schema()
    assert {str(x) for x in Label} == set(s.node_types)
    assert {str(x) for x in Rel} == set(s.relation_types)
    assert {str(x) for x in Key} == set(s.properties)


@pytest.mark.parametrize(
    ("rel", "eli_term"),
    [
        ("CITES", "cites"),
        ("BASED_ON", "based_on"),
        ("ENSURES_IMPLEMENTATION_OF", "ensures_implementation_of"),
        ("APPLIES", "applies"),
        ("REPEALS", "repeals"),
        ("PASSED_BY", "passed_by"),
        ("HAS_JURISDICTION", "jurisdiction"),
    ],
)
def test_relations_map_to_eli(rel: str, eli_term: str) -> None:
    assert str(ELI[eli_term]) in schema().relation_types[rel].maps_to


def test_classes_and_properties_map_to_established_vocabularies(rdf: Graph) -> None:
    s = schema()
    assert str(ELI.LegalResource) in s.node_types["Document"].maps_to
    assert str(ORG.Organization) in s.node_types["Agency"].maps_to
    for label in ("Document", "Task", "Target"):
        assert str(PROV.Entity) in s.node_types[label].maps_to
    assert (PKG.issuedOn, RDFS.subPropertyOf, ELI.date_document) in rdf
    assert (PKG.source, None, PROV.wasDerivedFrom) in rdf


def test_domains_and_ranges() -> None:
    rels = schema().relation_types
    assert rels["LED_BY"].domains == ("Task", "Target") and rels["LED_BY"].ranges == ("Agency",)
    assert rels["MEASURES"].domains == ("Target",) and rels["MEASURES"].ranges == ("Indicator",)
    assert rels["PART_OF"].domains == ("Jurisdiction",) and rels["PART_OF"].ranges == ("Jurisdiction",)


def test_provenance_keys_on_facts_and_citation_edges() -> None:
    s = schema()
    provenance = {"source", "span_start", "span_end"}
    for label in ("Document", "Task", "Target"):
        assert provenance <= s.node_keys(label)
    for rel in ("CITES", "BASED_ON", "ENSURES_IMPLEMENTATION_OF", "APPLIES", "REPEALS"):
        assert provenance <= s.relation_keys(rel)


def test_unique_and_indexed_keys_are_defined_keys() -> None:
    s = schema()
    for node in s.node_types.values():
        assert "id" in node.unique_keys
        assert set(node.unique_keys) | set(node.indexed_keys) <= set(node.keys)
    assert s.properties["stub"].datatype == "boolean"
    assert s.properties["value"].datatype == "float"
    assert s.properties["aliases"].multi_valued


def test_check_rejects_undefined_terms() -> None:
    s = schema()
    with pytest.raises(SchemaViolation):
        s.check_node("Policy", {"id": "x"})
    with pytest.raises(SchemaViolation):
        s.check_node("Document", {"id": "x", "color": "red"})
    with pytest.raises(SchemaViolation):
        s.check_edge("IMPLEMENTS", "Document", "Document", {})
    with pytest.raises(SchemaViolation):
        s.check_edge("LED_BY", "Document", "Agency", {})


def test_fragments_of_the_gold_records_use_only_defined_terms() -> None:
    for rec in gold_records():
        check_fragment(build_fragment(rec))


def assert_terms_defined(store) -> None:
    """Every label, relationship type and property key in `store` is in the ontology."""
    s = schema()
    labels, types, keys = store.terms()
    assert labels, "the store is empty"
    assert labels <= set(s.node_types), labels - set(s.node_types)
    assert types <= set(s.relation_types), types - set(s.relation_types)
    assert keys <= set(s.properties), keys - set(s.properties)


def test_embedded_graph_of_gold_uses_only_defined_terms(tmp_path) -> None:
    st = EmbeddedStore(f"embedded:{tmp_path}")
    for rec in gold_records():
        st.ingest(rec)
    assert_terms_defined(st)


def test_sample_corpus_graph_uses_only_defined_terms(store) -> None:
    assert_terms_defined(store)
