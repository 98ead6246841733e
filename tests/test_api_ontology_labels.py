"""GET /ontology/labels: the page's 中文/English words for graph terms come from ontology.ttl."""

from __future__ import annotations

from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.ontology import ONTOLOGY_PATH, PKG
from rdflib import RDFS, Graph, Literal


def test_labels_are_the_ontology_rdfs_labels(tmp_path):
    store = EmbeddedStore(f"embedded:{tmp_path / 'kg'}")
    try:
        body = TestClient(create_app(store=store)).get("/ontology/labels").json()
    finally:
        store.close()
    graph = Graph().parse(ONTOLOGY_PATH)
    by_term = {
        "classes": PKG.neo4jLabel,
        "relations": PKG.neo4jType,
        "properties": PKG.neo4jKey,
    }
    for group, predicate in by_term.items():
        expected = {}
        for subject, name in graph.subject_objects(predicate):
            labels = {
                lit.language: str(lit)
                for lit in graph.objects(subject, RDFS.label)
                if isinstance(lit, Literal)
            }
            expected[str(name)] = {"zh": labels["zh"], "en": labels["en"]}
        assert body[group] == expected, group
    assert body["classes"]["Document"] == {"zh": "政策文件", "en": "Policy document"}
    assert body["relations"]["ENSURES_IMPLEMENTATION_OF"]["zh"] == "贯彻落实"
