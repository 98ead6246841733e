"""Streamed export: Turtle, N-Triples, JSON-LD and GraphML written item by item, so a graph
of millions of nodes is exported within bounded memory (no rdflib Graph, no networkx graph).

The triples are exactly those of `export.to_rdf` (the same `item_triples` per node and edge,
a source file's own triples stated once), written as they come: grouped by subject within one
item, a subject that recurs (an edge's source node) simply gets another block, which every
RDF syntax allows. Prefixes are declared up front from the vocabularies and the id prefixes
the model mints (graph/model.py); an IRI outside them is written in full. Only what an
item needs is held, plus the names of the source files already stated.

GraphML declares its keys before the first node, so they come from the ontology (one key per
property and scope, typed by its datatype); a property the ontology lacks is refused, as the
RDF formats refuse it. A control character XML 1.0 cannot hold becomes U+FFFD (networkx
refused to write such a graph at all).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from policykg.graph.export import (
    BASE,
    FORMATS,
    PREFIXES,
    ExportSummary,
    _attributes,
    _terms,
    item_triples,
    source_triples,
)
from policykg.graph.ontology import SchemaViolation
from policykg.graph.views import GraphEdge, GraphNode
from rdflib import RDF, Literal, URIRef

__all__ = ["ID_PREFIXES", "write_stream"]

# the id prefixes graph/model.py mints (stable_id); ids with another prefix get full IRIs
ID_PREFIXES = ("agency", "clause", "doc", "edge", "ind", "jur", "target", "task")

# a Turtle local name this writer may use unquoted (PN_LOCAL, without the rarer characters)
_LOCAL = re.compile(
    r"^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:(?:[A-Za-z0-9_.-]|%[0-9A-Fa-f]{2})*(?:[A-Za-z0-9_-]|%[0-9A-Fa-f]{2}))?$"
)
# characters a quoted string (Turtle, N-Triples) must escape; the rest of Unicode is written as is
_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _quoted(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match.group(0)
        return _STRING_ESCAPES.get(char) or f"\\u{ord(char):04X}"

    return '"' + _NEEDS_ESCAPE.sub(one, text) + '"'


def _iriref(iri: str) -> str:
    return "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04X}", iri) + ">"


def _namespaces(base: str) -> dict[str, str]:
    """prefix → namespace, as the in-memory export binds them."""
    spaces = {name: str(ns) for name, ns in PREFIXES.items()}
    spaces |= {prefix: f"{base}{prefix}/" for prefix in ID_PREFIXES}
    spaces["source"] = f"{base}source/"
    return spaces


class _Compactor:
    """IRI → prefix:local where a bound namespace and a safe local name allow, else None."""

    def __init__(self, namespaces: dict[str, str]):
        self.prefix_of = {ns: prefix for prefix, ns in namespaces.items()}
        self.cache: dict[str, str | None] = {}

    def __call__(self, iri: str) -> str | None:
        cut = max(iri.rfind("#"), iri.rfind("/")) + 1
        prefix = self.prefix_of.get(iri[:cut])
        if prefix is None:
            return None
        local = iri[cut:]
        return f"{prefix}:{local}" if _LOCAL.match(local) else None


# -- RDF writers ---------------------------------------------------------------------------------


class _NTriples:
    def __init__(self, out: IO[bytes], namespaces: dict[str, str]):
        self.out = out

    def begin(self) -> None:
        pass

    def term(self, term: URIRef | Literal) -> str:
        if isinstance(term, Literal):
            text = _quoted(str(term))
            return f"{text}^^{_iriref(term.datatype)}" if term.datatype else text
        return _iriref(term)

    def subject(self, subject: URIRef, pairs: list[tuple[URIRef, URIRef | Literal]]) -> None:
        s = self.term(subject)
        self.out.write("".join(f"{s} {self.term(p)} {self.term(o)} .\n" for p, o in pairs).encode("utf-8"))

    def end(self) -> None:
        pass


class _Turtle(_NTriples):
    def __init__(self, out: IO[bytes], namespaces: dict[str, str]):
        super().__init__(out, namespaces)
        self.namespaces = namespaces
        self.compact = _Compactor(namespaces)

    def begin(self) -> None:
        lines = [f"@prefix {prefix}: {_iriref(ns)} .\n" for prefix, ns in sorted(self.namespaces.items())]
        self.out.write(("".join(lines) + "\n").encode("utf-8"))

    def term(self, term: URIRef | Literal) -> str:
        if isinstance(term, Literal):
            text = _quoted(str(term))
            if not term.datatype:
                return text
            return f"{text}^^{self.compact(term.datatype) or _iriref(term.datatype)}"
        return self.compact(term) or _iriref(term)

    def subject(self, subject: URIRef, pairs: list[tuple[URIRef, URIRef | Literal]]) -> None:
        body = " ;\n    ".join(f"{'a' if p == RDF.type else self.term(p)} {self.term(o)}" for p, o in pairs)
        self.out.write(f"{self.term(subject)} {body} .\n\n".encode())


class _JsonLd:
    """Compact JSON-LD: one node object per subject block in "@graph", the context inline
    (reading the file back needs no network), as the in-memory export writes it."""

    def __init__(self, out: IO[bytes], namespaces: dict[str, str]):
        self.out = out
        self.namespaces = namespaces
        self.compact = _Compactor(namespaces)
        self.first = True

    def begin(self) -> None:
        context = json.dumps(dict(sorted(self.namespaces.items())), ensure_ascii=False, indent=2)
        self.out.write(f'{{\n  "@context": {context},\n  "@graph": [\n'.encode())

    def iri(self, iri: str) -> str:
        return self.compact(iri) or iri

    def value(self, term: URIRef | Literal) -> Any:
        if isinstance(term, Literal):
            if not term.datatype:
                return str(term)
            return {"@value": str(term), "@type": self.iri(term.datatype)}
        return {"@id": self.iri(term)}

    def subject(self, subject: URIRef, pairs: list[tuple[URIRef, URIRef | Literal]]) -> None:
        node: dict[str, Any] = {"@id": self.iri(subject)}
        for p, o in pairs:
            if p == RDF.type and isinstance(o, URIRef):
                node.setdefault("@type", []).append(self.iri(o))
            else:
                node.setdefault(self.iri(p), []).append(self.value(o))
        text = json.dumps(node, ensure_ascii=False)
        self.out.write((("    " if self.first else ",\n    ") + text).encode("utf-8"))
        self.first = False

    def end(self) -> None:
        self.out.write(b"\n  ]\n}\n")


_RDF_WRITERS = {"turtle": _Turtle, "ntriples": _NTriples, "jsonld": _JsonLd}


def _write_rdf(
    items: Iterable[GraphNode | GraphEdge], fmt: str, out: IO[bytes], base: str, vocabularies: bool
) -> ExportSummary:
    writer = _RDF_WRITERS[fmt](out, _namespaces(base))
    nodes = edges = triples = 0
    stated: set[str] = set()  # source files whose own triples are written
    writer.begin()
    for item in items:
        if isinstance(item, GraphNode):
            nodes += 1
        else:
            edges += 1
        found, sources = item_triples(item, base, vocabularies)
        for source in sources:
            if source not in stated:
                stated.add(source)
                found += source_triples(source, base)
        blocks: dict[URIRef, dict[tuple[URIRef, URIRef | Literal], None]] = {}
        for s, p, o in found:
            blocks.setdefault(s, {})[(p, o)] = None  # a dict keeps order and drops repeats
        for subject, pairs in blocks.items():
            writer.subject(subject, list(pairs))
            triples += len(pairs)
    writer.end()
    return ExportSummary(fmt, nodes, edges, triples)


# -- GraphML -----------------------------------------------------------------------------------

_GRAPHML_TYPE = {"string": "string", "integer": "long", "float": "double", "boolean": "boolean"}


def _graphml_keys() -> dict[tuple[str, str], tuple[str, str]]:
    """(scope, name) → (key id, attr.type) for every attribute a node or edge may carry."""
    datatypes = _terms().datatype_of_key
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for scope in ("node", "edge"):
        names = {"label": "string", "type": "string"}
        names |= {k: _GRAPHML_TYPE.get(t, "string") for k, t in sorted(datatypes.items()) if k != "id"}
        for name, kind in names.items():
            keys[(scope, name)] = (f"d{len(keys)}", kind)
    return keys


# characters XML 1.0 cannot hold, not even as references (networkx refuses the whole file)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _graphml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(_xml(str(value)), {"\r": "&#13;"})  # a raw CR would read back as LF


def _write_graphml(items: Iterable[GraphNode | GraphEdge], out: IO[bytes]) -> ExportSummary:
    keys = _graphml_keys()
    head = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
    ]
    head += [
        f'<key id="{key_id}" for="{scope}" attr.name="{name}" attr.type="{kind}"/>\n'
        for (scope, name), (key_id, kind) in keys.items()
    ]
    head.append('<graph edgedefault="directed">\n')
    out.write("".join(head).encode("utf-8"))
    nodes = edges = 0
    for item in items:
        if isinstance(item, GraphNode):
            scope, attrs = "node", {"label": item.label, "type": item.type}
            tag = f"<node id={quoteattr(_xml(item.id))}>"
            nodes += 1
        else:
            scope, attrs = "edge", {"label": item.type, "type": item.type}
            ends = f"source={quoteattr(_xml(item.source))} target={quoteattr(_xml(item.target))}"
            tag = f"<edge {ends} id={quoteattr(_xml(item.id))}>"
            edges += 1
        attrs |= _attributes(item.properties)
        lines = [tag]
        for name, value in attrs.items():
            key = keys.get((scope, name))
            if key is None:
                raise SchemaViolation(f"property key {name!r} is not defined in the ontology")
            lines.append(f'  <data key="{key[0]}">{_graphml_text(value)}</data>')
        lines.append(f"</{scope}>\n")
        out.write("\n".join(lines).encode("utf-8"))
    out.write(b"</graph>\n</graphml>\n")
    return ExportSummary("graphml", nodes, edges)


def write_stream(
    items: Iterable[GraphNode | GraphEdge],
    fmt: str,
    out: IO[bytes],
    base: str = BASE,
    vocabularies: bool = True,
) -> ExportSummary:
    """Write `items` (a store's dump, in any order) to the binary stream `out` as it reads
    them: turtle, ntriples, jsonld or graphml."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "graphml":
        return _write_graphml(items, out)
    return _write_rdf(items, fmt, out, base, vocabularies)
