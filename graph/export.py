"""Export the instance graph of any store: RDF (Turtle, N-Triples, JSON-LD) in the ontology's
terms, and GraphML for Gephi. Pure functions over `Store.dump()`; `write_export` does the I/O,
streamed (graph/export_stream.py); `to_rdf` builds an rdflib Graph for SHACL and SPARQL.

RDF mapping (every term comes from ontology.ttl through graph/ontology.py):

    node            <BASE{prefix}/{hex}> for node id "{prefix}:{hex}" (doc:…, agency:…), so an
                    IRI is as stable as the id; in Turtle the prefix is bound, and the node
                    reads `doc:20c1e5a302a4c5e2`, exactly its id
                    a pkg:Document (the class whose pkg:neo4jLabel is the node label)
                    rdfs:label the text the API draws on the node
    property        pkg:title "…" — one triple per value, typed by the property's rdfs:range
                    (xsd:string, xsd:integer, xsd:double, xsd:boolean, xsd:date); lists
                    (pkg:multiValued, e.g. aliases) give one triple per item
    edge            <source> pkg:ensuresImplementationOf <target>
    edge properties the provenance of a citation edge (source file, span, quote, title as
                    cited) is said about the edge itself, by RDF reification:
                    <BASE edge/{hex}> a rdf:Statement ; rdf:subject/predicate/object … ;
                    pkg:source "…" ; pkg:spanStart 12 ; …

With `vocabularies=True` (the default) the export also states what the ontology's rdfs:
subClassOf / rdfs:subPropertyOf axioms entail for the established vocabularies, so a consumer
that knows ELI, ORG, PROV-O, SKOS or DCTERMS but not pkg: understands the data without running
a reasoner: a document is also an eli:LegalResource and prov:Entity, an agency an
org:Organization, pkg:ensuresImplementationOf is also written eli:ensures_implementation_of,
pkg:title eli:title, and a fact with a source file prov:wasDerivedFrom <BASE source/{file}>
(a prov:Entity). skos:closeMatch mappings are not entailments and are not written.

`graph_from_rdf` reads such a graph back into GraphNode/GraphEdge values (the round trip the
tests check), and `validate` runs graph/shapes.ttl (SHACL) over it with pyshacl.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import networkx as nx
from policykg.graph.model import edge_id
from policykg.graph.ontology import ONTOLOGY_PATH, PKG, SchemaViolation, schema
from policykg.graph.views import GraphEdge, GraphNode
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

__all__ = [
    "BASE",
    "FORMATS",
    "SHAPES_PATH",
    "ExportSummary",
    "edge_iri",
    "graph_from_rdf",
    "node_iri",
    "serialize",
    "source_iri",
    "to_networkx",
    "to_rdf",
    "validate",
    "write_export",
    "write_in_memory",
]

# Instance IRIs live beside the ontology's placeholder namespace (ontology.ttl says why it is
# a placeholder); `--base` lets a publisher mint them under a namespace it controls.
BASE = "https://policykg.example.org/id/"
SHAPES_PATH = Path(__file__).resolve().parent / "shapes.ttl"
FORMATS = ("turtle", "ntriples", "jsonld", "graphml")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PREFIXES: dict[str, Namespace] = {
    "pkg": PKG,
    "eli": ELI,
    "org": ORG,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}
_ID_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):(.+)$")


# -- IRIs ------------------------------------------------------------------------------------


def _segment(text: str) -> str:
    # percent-encode everything outside the unreserved set: ids and file names may hold
    # CJK, spaces or '#', and an IRI must stay one opaque, reversible path segment
    return quote(text, safe="")


def node_iri(node_id: str, base: str = BASE) -> URIRef:
    """ "doc:20c1e5a302a4c5e2" → <BASE doc/20c1e5a302a4c5e2>; an id without a prefix goes to
    <BASE node/…>."""
    match = _ID_PREFIX.match(node_id)
    if match:
        return URIRef(f"{base}{match.group(1)}/{_segment(match.group(2))}")
    return URIRef(f"{base}node/{_segment(node_id)}")


def edge_iri(edge: GraphEdge, base: str = BASE) -> URIRef:
    return node_iri(edge.id, base)


def source_iri(source: str, base: str = BASE) -> URIRef:
    """The source file a fact was extracted from, as a prov:Entity."""
    return URIRef(f"{base}source/{_segment(source)}")


# -- the ontology's terms ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Terms:
    class_of_label: dict[str, URIRef]
    label_of_class: dict[URIRef, str]
    property_of_key: dict[str, URIRef]
    key_of_property: dict[URIRef, str]
    datatype_of_key: dict[str, str]
    multi_valued: frozenset[str]
    relation_of_type: dict[str, URIRef]
    type_of_relation: dict[URIRef, str]
    # established classes / properties a pkg: term is rdfs:subClassOf / rdfs:subPropertyOf
    super_terms: dict[URIRef, tuple[URIRef, ...]]


@lru_cache(maxsize=1)
def _terms() -> _Terms:
    s = schema()
    ontology = Graph().parse(ONTOLOGY_PATH, format="turtle")

    def supers(term: URIRef, axiom: URIRef) -> tuple[URIRef, ...]:
        # only IRIs outside pkg: (pkg: super-terms would be internal) and no blank nodes
        return tuple(
            sorted(o for o in ontology.objects(term, axiom) if isinstance(o, URIRef) and o not in PKG)
        )

    classes = {label: URIRef(t.iri) for label, t in s.node_types.items()}
    properties = {key: URIRef(p.iri) for key, p in s.properties.items()}
    relations = {name: URIRef(r.iri) for name, r in s.relation_types.items()}
    super_terms = {iri: supers(iri, RDFS.subClassOf) for iri in classes.values()}
    for iri in [*properties.values(), *relations.values()]:
        super_terms[iri] = supers(iri, RDFS.subPropertyOf)
    return _Terms(
        class_of_label=classes,
        label_of_class={iri: label for label, iri in classes.items()},
        property_of_key=properties,
        key_of_property={iri: key for key, iri in properties.items()},
        datatype_of_key={key: p.datatype for key, p in s.properties.items()},
        multi_valued=frozenset(key for key, p in s.properties.items() if p.multi_valued),
        relation_of_type=relations,
        type_of_relation={iri: name for name, iri in relations.items()},
        super_terms=super_terms,
    )


_XSD_OF = {"integer": XSD.integer, "float": XSD.double, "boolean": XSD.boolean, "date": XSD.date}


def _literal(key: str, value: Any) -> Literal:
    datatype = _terms().datatype_of_key[key]
    if datatype == "string":
        return Literal(str(value))  # a plain literal is xsd:string in RDF 1.1
    if datatype == "integer":
        return Literal(int(value), datatype=XSD.integer)
    if datatype == "float":
        return Literal(float(value), datatype=XSD.double)
    if datatype == "boolean":
        return Literal(bool(value), datatype=XSD.boolean)
    # a date stays the string the store holds: a malformed one is then reported by SHACL
    # (sh:datatype xsd:date) instead of being silently "repaired" here
    return Literal(str(value), datatype=_XSD_OF[datatype])


def _python(key: str, value: Literal) -> Any:
    datatype = _terms().datatype_of_key[key]
    if datatype == "integer":
        return int(value)
    if datatype == "float":
        return float(value)
    if datatype == "boolean":
        return value.toPython() is True or str(value).lower() in {"true", "1"}
    return str(value)


# -- RDF ---------------------------------------------------------------------------------------


def _values(key: str, value: Any) -> list[Any]:
    if isinstance(value, list | tuple | set | frozenset):
        if key not in _terms().multi_valued:
            raise SchemaViolation(f"{key} holds a list but is not pkg:multiValued in the ontology")
        return sorted(value, key=str)
    return [value]


Triple = tuple[URIRef, URIRef, URIRef | Literal]


def _property_triples(subject: URIRef, props: dict[str, Any], vocabularies: bool) -> Iterator[Triple]:
    terms = _terms()
    for key, value in props.items():
        if value is None:
            continue
        prop = terms.property_of_key.get(key)
        if prop is None:
            raise SchemaViolation(f"property key {key!r} is not defined in the ontology")
        for item in _values(key, value):
            literal = _literal(key, item)
            yield subject, prop, literal
            if vocabularies:
                for super_prop in terms.super_terms[prop]:
                    yield subject, super_prop, literal


def source_triples(source: str, base: str = BASE) -> list[Triple]:
    """What is said of a source file itself (once per file, however many facts cite it)."""
    entity = source_iri(source, base)
    return [(entity, RDF.type, PROV.Entity), (entity, RDFS.label, Literal(source))]


def item_triples(
    item: GraphNode | GraphEdge, base: str = BASE, vocabularies: bool = True
) -> tuple[list[Triple], list[str]]:
    """The triples one node or edge states (see the module docstring for the mapping), and
    the source files it derives from, whose own triples (source_triples) a writer states once.
    Duplicate-free: every super-term belongs to one pkg: term, and one item's subjects are
    its own."""
    terms = _terms()
    triples: list[Triple] = []
    sources: list[str] = []
    if isinstance(item, GraphNode):
        cls = terms.class_of_label.get(item.type)
        if cls is None:
            raise SchemaViolation(f"node label {item.type!r} is not defined in the ontology")
        subject = node_iri(item.id, base)
        triples += [(subject, RDF.type, cls), (subject, RDFS.label, Literal(item.label))]
        triples += _property_triples(subject, item.properties, vocabularies)
        if vocabularies:
            triples += [(subject, RDF.type, super_class) for super_class in terms.super_terms[cls]]
            sources += _provenance(triples, subject, item.properties, base)
        return triples, sources
    relation = terms.relation_of_type.get(item.type)
    if relation is None:
        raise SchemaViolation(f"relationship type {item.type!r} is not defined in the ontology")
    source, target = node_iri(item.source, base), node_iri(item.target, base)
    triples.append((source, relation, target))
    if vocabularies:
        triples += [(source, super_prop, target) for super_prop in terms.super_terms[relation]]
    props = {k: val for k, val in item.properties.items() if val is not None}
    if props:
        statement = edge_iri(item, base)
        triples += [
            (statement, RDF.type, RDF.Statement),
            (statement, RDF.subject, source),
            (statement, RDF.predicate, relation),
            (statement, RDF.object, target),
        ]
        triples += _property_triples(statement, props, vocabularies)
        if vocabularies:
            sources += _provenance(triples, statement, props, base)
    return triples, sources


def _provenance(triples: list[Triple], subject: URIRef, props: dict[str, Any], base: str) -> list[str]:
    source = props.get("source")
    if not source:
        return []
    triples.append((subject, PROV.wasDerivedFrom, source_iri(str(source), base)))
    return [str(source)]


def id_prefix(node_id: str) -> str | None:
    """ "doc" for "doc:20c1e5a302a4c5e2"; None for an id without a prefix."""
    match = _ID_PREFIX.match(node_id)
    return match.group(1) if match else None


def bind_prefixes(graph: Graph, base: str = BASE, id_prefixes: Iterable[str] = ()) -> None:
    for name, namespace in PREFIXES.items():
        graph.bind(name, namespace, override=True)
    for prefix in sorted(set(id_prefixes)):
        graph.bind(prefix, Namespace(f"{base}{prefix}/"), override=True)
    graph.bind("source", Namespace(f"{base}source/"), override=True)


def to_rdf(
    items: Iterable[GraphNode | GraphEdge],
    base: str = BASE,
    vocabularies: bool = True,
    into: Any = None,
) -> Graph:
    """The instance graph as RDF (see the module docstring for the mapping), in memory: for
    SHACL validation and small graphs (graph/export_stream.py writes large ones). `into`: where
    the triples go instead of a new rdflib Graph, anything with add((s, p, o)) and
    bind(prefix, ns) (graph/sparql.py streams them into a triple store without an rdflib copy)."""
    graph = into if into is not None else Graph()
    id_prefixes: set[str] = set()
    seen_sources: set[str] = set()
    for item in items:
        prefix = id_prefix(item.id)
        if prefix:
            id_prefixes.add(prefix)
        triples, sources = item_triples(item, base, vocabularies)
        for triple in triples:
            graph.add(triple)
        for source in sources:
            if source not in seen_sources:
                seen_sources.add(source)
                for triple in source_triples(source, base):
                    graph.add(triple)
    bind_prefixes(graph, base, id_prefixes)
    return graph


def graph_from_rdf(graph: Graph) -> tuple[list[GraphNode], list[GraphEdge]]:
    """Nodes and edges back from RDF written by `to_rdf` (pkg: terms only are read, so the
    result is the same with or without `vocabularies`). Node ids come from pkg:id, never from
    parsing IRIs, so a re-based export reads back identically."""
    terms = _terms()
    ids: dict[URIRef, str] = {}
    nodes: list[GraphNode] = []
    for subject, cls in graph.subject_objects(RDF.type):
        label = terms.label_of_class.get(cls)  # type: ignore[arg-type]
        if label is None or not isinstance(subject, URIRef):
            continue
        props = _read_properties(graph, subject)
        ids[subject] = str(props.get("id", subject))
        shown = graph.value(subject, RDFS.label)
        shown_text = str(shown) if shown is not None else ids[subject]
        nodes.append(GraphNode(id=ids[subject], type=label, label=shown_text, properties=props))
    statements: dict[tuple[URIRef, URIRef, URIRef], dict[str, Any]] = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        key = (
            graph.value(statement, RDF.subject),
            graph.value(statement, RDF.predicate),
            graph.value(statement, RDF.object),
        )
        statements[key] = _read_properties(graph, statement)  # type: ignore[index]
    edges: list[GraphEdge] = []
    for relation, rel_type in terms.type_of_relation.items():
        for source, target in graph.subject_objects(relation):
            if source not in ids or target not in ids:
                continue
            src, dst = ids[source], ids[target]  # type: ignore[index]
            edges.append(
                GraphEdge(
                    id=edge_id(rel_type, src, dst),
                    source=src,
                    target=dst,
                    type=rel_type,
                    properties=statements.get((source, relation, target), {}),  # type: ignore[arg-type]
                )
            )
    nodes.sort(key=lambda n: (n.type, n.id))
    edges.sort(key=lambda e: (e.type, e.source, e.target))
    return nodes, edges


def _read_properties(graph: Graph, subject: URIRef) -> dict[str, Any]:
    terms = _terms()
    props: dict[str, Any] = {}
    for predicate, value in graph.predicate_objects(subject):
        key = terms.key_of_property.get(predicate)  # type: ignore[arg-type]
        if key is None or not isinstance(value, Literal):
            continue
        if key in terms.multi_valued:
            props.setdefault(key, []).append(_python(key, value))
        else:
            props[key] = _python(key, value)
    for key in terms.multi_valued & props.keys():
        props[key] = sorted(props[key])
    return props


def validate(data: Graph, shapes: Path = SHAPES_PATH) -> tuple[bool, str]:
    """(conforms, report text) of graph/shapes.ttl over `data` with pyshacl. No inference is
    needed: the export states every class its shapes target."""
    from pyshacl import validate as shacl_validate

    shapes_graph = Graph().parse(shapes, format="turtle")
    conforms, _, text = shacl_validate(data, shacl_graph=shapes_graph, inference="none", advanced=True)
    return bool(conforms), str(text)


# -- GraphML -----------------------------------------------------------------------------------

# attribute names the export sets itself; property keys must not collide with them
_RESERVED = frozenset({"label", "type"})


def _graphml_value(key: str, value: Any) -> str | int | float | bool:
    """A value GraphML can type. One key always gets one type, taken from the ontology (a
    GraphML key has one attr.type, and networkx would otherwise write two keys of one name
    when a store answers 3 for one node and 3.0 for another); lists become JSON text."""
    if isinstance(value, list | tuple | set | frozenset):
        return json.dumps(sorted(value, key=str), ensure_ascii=False)
    datatype = _terms().datatype_of_key.get(key, "string")
    if datatype == "integer":
        return int(value)
    if datatype == "float":
        return float(value)
    if datatype == "boolean":
        return bool(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _attributes(props: dict[str, Any]) -> dict[str, str | int | float | bool]:
    clash = _RESERVED & props.keys()
    if clash:
        raise SchemaViolation(f"property keys {sorted(clash)} collide with GraphML attributes")
    # the node id is already the GraphML id; writing it again would only add a column
    return {k: _graphml_value(k, val) for k, val in props.items() if val is not None and k != "id"}


def to_networkx(items: Iterable[GraphNode | GraphEdge]) -> nx.MultiDiGraph:
    """A MultiDiGraph ready for nx.write_graphml: node attributes label (what Gephi draws),
    type (the node label, to partition by) and the properties; edge key = edge id, edge
    attributes label and type (the relationship type) and the properties."""
    graph = nx.MultiDiGraph()
    for item in items:
        if isinstance(item, GraphNode):
            graph.add_node(item.id, label=item.label, type=item.type, **_attributes(item.properties))
        else:
            graph.add_edge(
                item.source,
                item.target,
                key=item.id,
                label=item.type,
                type=item.type,
                **_attributes(item.properties),
            )
    return graph


# -- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSummary:
    format: str
    nodes: int
    edges: int
    triples: int | None = None  # RDF formats only


def _counted(
    items: Iterable[GraphNode | GraphEdge], counts: dict[str, int]
) -> Iterator[GraphNode | GraphEdge]:
    for item in items:
        counts["nodes" if isinstance(item, GraphNode) else "edges"] += 1
        yield item


def jsonld_context(graph: Graph, base: str = BASE) -> dict[str, str]:
    """Prefixes for compact JSON-LD (the vocabularies, and one per id prefix so a node reads
    "doc:20c1e5a302a4c5e2"); inline, so reading the file back needs no network."""
    context = {name: str(ns) for name, ns in PREFIXES.items()}
    context |= {name: str(ns) for name, ns in graph.namespaces() if str(ns).startswith(base)}
    return context


def write_export(
    items: Iterable[GraphNode | GraphEdge],
    fmt: str,
    out: IO[bytes],
    base: str = BASE,
    vocabularies: bool = True,
) -> ExportSummary:
    """Write `items` (a store's dump()) to the binary stream `out` as turtle, ntriples, jsonld
    or graphml, streamed within bounded memory (graph/export_stream.py)."""
    from policykg.graph.export_stream import write_stream

    return write_stream(items, fmt, out, base=base, vocabularies=vocabularies)


def write_in_memory(
    items: Iterable[GraphNode | GraphEdge],
    fmt: str,
    out: IO[bytes],
    base: str = BASE,
    vocabularies: bool = True,
) -> ExportSummary:
    """The same export built in memory (one rdflib Graph, one networkx graph) and serialized
    by those libraries: the reference the streamed writer is tested against, and the shape
    SHACL validation needs. Memory grows with the graph (about 2 KB a triple)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    counts = {"nodes": 0, "edges": 0}
    counted = _counted(items, counts)
    if fmt == "graphml":
        graph = to_networkx(counted)
        # default key ids (d0, d1 …): named ids would repeat for a node and an edge attribute
        # of one name (quote, source …), and GraphML key ids must be unique in the file
        nx.write_graphml(graph, out, encoding="utf-8", prettyprint=True)
        return ExportSummary(fmt, counts["nodes"], counts["edges"])
    rdf = to_rdf(counted, base=base, vocabularies=vocabularies)
    out.write(serialize(rdf, fmt, base))
    return ExportSummary(fmt, counts["nodes"], counts["edges"], len(rdf))


def serialize(rdf: Graph, fmt: str, base: str = BASE) -> bytes:
    """`rdf` as UTF-8 Turtle, N-Triples or compact JSON-LD."""
    if fmt == "turtle":
        return rdf.serialize(format="turtle", encoding="utf-8")
    if fmt == "ntriples":
        return rdf.serialize(format="nt", encoding="utf-8")
    if fmt == "jsonld":
        context = jsonld_context(rdf, base)
        return rdf.serialize(format="json-ld", context=context, encoding="utf-8", indent=2)
    raise ValueError(f"{fmt!r} is not an RDF format: use turtle, ntriples or jsonld")
