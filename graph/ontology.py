"""The graph schema, read once from ontology.ttl (OWL in Turtle) with rdflib.

Everything that names a node label, relationship type or property key takes it from here:

    from policykg.graph.ontology import Key, Label, Rel, schema

    schema().node_types["Document"].unique_keys     # ('id',)
    schema().relation_types["LED_BY"].domains       # ('Task', 'Target')
    schema().node_keys("Task")                      # every property key a Task may carry
    schema().relation_keys("CITES")                 # every property key a CITES edge may carry

`Label`, `Rel` and `Key` are constants for code that builds the graph; tests/test_ontology.py
checks that they name exactly what the ontology defines. The Neo4j store derives its
uniqueness constraints (`unique_keys`) and indexes (`indexed_keys`) from the same Schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = [
    "ONTOLOGY_PATH",
    "PKG",
    "Key",
    "Label",
    "NodeType",
    "PropertyDef",
    "Rel",
    "RelationType",
    "Schema",
    "SchemaViolation",
    "load_schema",
    "schema",
]

# graph/data/ontology.ttl links to the repository's top-level ontology.ttl, so a wheel ships it too
ONTOLOGY_PATH = Path(__file__).resolve().parent / "data" / "ontology.ttl"
PKG = Namespace("https://policykg.example.org/ontology#")

# xsd datatype → the name used in PropertyDef.datatype
_DATATYPES = {
    XSD.string: "string",
    XSD.boolean: "boolean",
    XSD.integer: "integer",
    XSD.double: "float",
    XSD.date: "date",
}


class Label(StrEnum):
    """Node labels (pkg:neo4jLabel)."""

    DOCUMENT = "Document"
    AGENCY = "Agency"
    JURISDICTION = "Jurisdiction"
    TASK = "Task"
    TARGET = "Target"
    INDICATOR = "Indicator"
    CLAUSE = "Clause"


class Rel(StrEnum):
    """Relationship types (pkg:neo4jType)."""

    CITES = "CITES"
    BASED_ON = "BASED_ON"
    ENSURES_IMPLEMENTATION_OF = "ENSURES_IMPLEMENTATION_OF"
    APPLIES = "APPLIES"
    REPEALS = "REPEALS"
    PASSED_BY = "PASSED_BY"
    HAS_JURISDICTION = "HAS_JURISDICTION"
    HAS_TASK = "HAS_TASK"
    HAS_TARGET = "HAS_TARGET"
    LED_BY = "LED_BY"
    RESPONSIBILITY_OF = "RESPONSIBILITY_OF"
    MEASURES = "MEASURES"
    OPERATES_IN = "OPERATES_IN"
    PART_OF = "PART_OF"
    HAS_CLAUSE = "HAS_CLAUSE"
    PART_OF_CLAUSE = "PART_OF_CLAUSE"
    IN_CLAUSE = "IN_CLAUSE"
    CARRIES_OUT = "CARRIES_OUT"


class Key(StrEnum):
    """Property keys (pkg:neo4jKey)."""

    ID = "id"
    TITLE = "title"
    TITLE_KEY = "title_key"
    NAME_KEY = "name_key"
    ALIASES = "aliases"
    DOC_NUMBER = "doc_number"
    DOC_NUMBER_KEY = "doc_number_key"
    DOC_TYPE = "doc_type"
    ISSUED_ON = "issued_on"
    LEVEL = "level"
    JURISDICTION = "jurisdiction"
    STUB = "stub"
    NAME = "name"
    TEXT = "text"
    SECTION = "section"
    INDICATOR = "indicator"
    VALUE = "value"
    UNIT = "unit"
    BASELINE = "baseline"
    BASELINE_YEAR = "baseline_year"
    TARGET_YEAR = "target_year"
    SOURCE = "source"
    SPAN_START = "span_start"
    SPAN_END = "span_end"
    QUOTE = "quote"
    QUOTE_START = "quote_start"
    CITED_TITLE = "cited_title"
    CITED_NUMBER = "cited_number"
    PATH = "path"
    NUMBER = "number"
    HEADING = "heading"
    DEPTH = "depth"
    EFFECTIVE_FROM = "effective_from"
    VALID_UNTIL = "valid_until"
    SCORE = "score"
    EVIDENCE = "evidence"


@dataclass(frozen=True, slots=True)
class PropertyDef:
    key: str
    iri: str
    datatype: str  # string | boolean | integer | float | date
    multi_valued: bool
    labels: tuple[str, ...]  # node labels that carry it
    relations: tuple[str, ...]  # relationship types that carry it
    label_zh: str
    label_en: str


@dataclass(frozen=True, slots=True)
class NodeType:
    name: str
    iri: str
    label_zh: str
    label_en: str
    unique_keys: tuple[str, ...]
    indexed_keys: tuple[str, ...]
    text_indexed_keys: tuple[str, ...]
    keys: tuple[str, ...]  # every property key the label may carry
    maps_to: tuple[str, ...]  # IRIs of the established classes it specializes


@dataclass(frozen=True, slots=True)
class RelationType:
    name: str
    iri: str
    label_zh: str
    label_en: str
    domains: tuple[str, ...]
    ranges: tuple[str, ...]
    keys: tuple[str, ...]
    maps_to: tuple[str, ...]  # IRIs of established properties it specializes or closely matches


class SchemaViolation(ValueError):
    """A node or edge uses a term the ontology does not define."""


@dataclass(frozen=True)
class Schema:
    node_types: dict[str, NodeType]
    relation_types: dict[str, RelationType]
    properties: dict[str, PropertyDef]

    def node_keys(self, label: str) -> frozenset[str]:
        return frozenset(self.node_types[label].keys)

    def relation_keys(self, rel_type: str) -> frozenset[str]:
        return frozenset(self.relation_types[rel_type].keys)

    def check_node(self, label: str, properties: dict[str, object]) -> None:
        if label not in self.node_types:
            raise SchemaViolation(f"node label {label!r} is not defined in the ontology")
        unknown = set(properties) - self.node_keys(label)
        if unknown:
            raise SchemaViolation(f"{label} carries undefined keys {sorted(unknown)}")

    def check_edge(self, rel_type: str, source_label: str, target_label: str, properties: dict) -> None:
        rel = self.relation_types.get(rel_type)
        if rel is None:
            raise SchemaViolation(f"relationship type {rel_type!r} is not defined in the ontology")
        if source_label not in rel.domains or target_label not in rel.ranges:
            raise SchemaViolation(f"({source_label})-[{rel_type}]->({target_label}) violates domain/range")
        unknown = set(properties) - self.relation_keys(rel_type)
        if unknown:
            raise SchemaViolation(f"{rel_type} carries undefined keys {sorted(unknown)}")


def _text(graph: Graph, subject: Node, lang: str) -> str:
    for value in graph.objects(subject, RDFS.label):
        if isinstance(value, Literal) and value.language == lang:
            return str(value)
    return ""


def _classes(graph: Graph, node: Node) -> list[Node]:
    """A class, or the members of an owl:unionOf class expression."""
    union = graph.value(node, OWL.unionOf)
    if union is None:
        return [node]
    return list(Collection(graph, union))


def _one(graph: Graph, subject: Node, predicate: URIRef) -> str:
    value = graph.value(subject, predicate)
    if value is None:
        raise SchemaViolation(f"{subject} has no {predicate}")
    return str(value)


def load_schema(path: Path = ONTOLOGY_PATH) -> Schema:
    graph = Graph()
    graph.parse(path, format="turtle")
    class_label = {subject: str(label) for subject, label in graph.subject_objects(PKG.neo4jLabel)}
    rel_type = {subject: str(name) for subject, name in graph.subject_objects(PKG.neo4jType)}
    prop_key = {subject: str(key) for subject, key in graph.subject_objects(PKG.neo4jKey)}

    properties: dict[str, PropertyDef] = {}
    keys_of_label: dict[str, list[str]] = {label: [] for label in class_label.values()}
    keys_of_rel: dict[str, list[str]] = {name: [] for name in rel_type.values()}
    for subject, key in sorted(prop_key.items(), key=lambda item: item[1]):
        if (subject, RDF.type, OWL.DatatypeProperty) not in graph:
            raise SchemaViolation(f"{subject} has pkg:neo4jKey but is not an owl:DatatypeProperty")
        labels = tuple(
            class_label[c] for d in graph.objects(subject, RDFS.domain) for c in _classes(graph, d)
        )
        relations = tuple(sorted(rel_type[r] for r in graph.objects(subject, PKG.onRelationship)))
        datatype = _DATATYPES[graph.value(subject, RDFS.range)]  # type: ignore[index]
        multi = graph.value(subject, PKG.multiValued)
        properties[key] = PropertyDef(
            key=key,
            iri=str(subject),
            datatype=datatype,
            multi_valued=bool(multi is not None and multi.toPython()),
            labels=tuple(sorted(labels)),
            relations=relations,
            label_zh=_text(graph, subject, "zh"),
            label_en=_text(graph, subject, "en"),
        )
        for label in labels:
            keys_of_label[label].append(key)
        for rel in relations:
            keys_of_rel[rel].append(key)

    node_types: dict[str, NodeType] = {}
    for subject, label in class_label.items():
        node_types[label] = NodeType(
            name=label,
            iri=str(subject),
            label_zh=_text(graph, subject, "zh"),
            label_en=_text(graph, subject, "en"),
            unique_keys=tuple(sorted(prop_key[k] for k in graph.objects(subject, PKG.uniqueKey))),
            indexed_keys=tuple(sorted(prop_key[k] for k in graph.objects(subject, PKG.indexedKey))),
            text_indexed_keys=tuple(sorted(prop_key[k] for k in graph.objects(subject, PKG.textIndexedKey))),
            keys=tuple(sorted(keys_of_label[label])),
            maps_to=tuple(sorted(str(c) for c in graph.objects(subject, RDFS.subClassOf))),
        )

    relation_types: dict[str, RelationType] = {}
    for subject, name in rel_type.items():
        mapped = [*graph.objects(subject, RDFS.subPropertyOf), *graph.objects(subject, _SKOS_CLOSE)]
        relation_types[name] = RelationType(
            name=name,
            iri=str(subject),
            label_zh=_text(graph, subject, "zh"),
            label_en=_text(graph, subject, "en"),
            domains=tuple(
                class_label[c] for d in graph.objects(subject, RDFS.domain) for c in _classes(graph, d)
            ),
            ranges=tuple(
                class_label[c] for r in graph.objects(subject, RDFS.range) for c in _classes(graph, r)
            ),
            keys=tuple(sorted(keys_of_rel[name])),
            maps_to=tuple(sorted(str(m) for m in mapped)),
        )
    return Schema(node_types=node_types, relation_types=relation_types, properties=properties)


_SKOS_CLOSE = URIRef("http://www.w3.org/2004/02/skos/core#closeMatch")


@lru_cache(maxsize=1)
def schema() -> Schema:
    """The schema of ontology.ttl, parsed once per process."""
    return load_schema()
