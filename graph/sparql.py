"""SPARQL 1.1 over the graph, for people who work with ELI and RDF: a pyoxigraph triple store
filled with exactly the triples `policykg export` writes (graph/export.py: pkg: terms plus the
ELI / ORG / PROV-O terms they specialize), kept in step with the store it copies.

    index = SparqlIndex(store)
    answer = index.query("SELECT ...", timeout_s=5, row_limit=1000)   # a SparqlAnswer
    answer.serialize("application/sparql-results+json")               # bytes

In step: every query first compares Store.revision() with the revision the copy was filled
from (at most every `check_every_s`) and refills when it moved, so an ingest, a replaced
document or a wipe shows in the next query, as it does in the REST answers.

Read-only: only queries run (pyoxigraph's Store.query never writes; SPARQL Update is refused
before it reaches the store). Limits: at most `row_limit` solutions or triples are read (the
answer says it was truncated), and reading stops at `timeout_s`. A single step that yields no
row for a long time (a huge aggregate) cannot be interrupted inside pyoxigraph; the REST layer
answers 503 at the same deadline and the step finishes in its worker thread.

Named queries: queries/*.rq, SPARQL files with a `#` header (purpose, example), runnable as is;
bind_values() sets their parameter (a VALUES block) safely.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from policykg.graph import export
from policykg.graph.store import Store
from rdflib import Literal, URIRef

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_BATCH = 50_000  # triples per bulk_extend: the copy is streamed, never held as an rdflib graph

# media types of the answers (SPARQL 1.1 Query Results JSON / XML / CSV / TSV; RDF for graphs)
SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}


class SparqlError(Exception):
    """The query could not be parsed or evaluated (the message says why)."""


class SparqlTimeout(SparqlError):
    """Reading the answer ran past the time limit."""


class _Sink:
    """What export.to_rdf writes into: converts rdflib terms and batches them into the store."""

    def __init__(self, target: ox.Store):
        self.target = target
        self.batch: list[ox.Quad] = []
        self.count = 0

    def add(self, triple: tuple[Any, Any, Any]) -> None:
        s, p, o = triple
        self.batch.append(ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), _term(o)))
        if len(self.batch) >= _BATCH:
            self.flush()

    def bind(self, *_: Any, **__: Any) -> None:
        """Prefixes are for serializations; the store keeps none."""

    def flush(self) -> None:
        self.target.bulk_extend(self.batch)
        self.count += len(self.batch)
        self.batch = []


def _term(value: Any) -> ox.NamedNode | ox.Literal:
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype is not None:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    raise TypeError(f"unexpected RDF term {value!r}")


@dataclass
class SparqlAnswer:
    """A SELECT (variables, rows), ASK (boolean) or CONSTRUCT/DESCRIBE (triples) answer."""

    kind: str  # "solutions" | "boolean" | "triples"
    variables: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)  # pyoxigraph terms or None (unbound)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False

    def media_types(self) -> list[str]:
        return list(GRAPH_TYPES) if self.kind == "triples" else list(SOLUTION_TYPES)

    def serialize(self, media_type: str) -> bytes:
        if self.kind == "triples":
            return ox.serialize(self.triples, format=GRAPH_TYPES[media_type]) or b""
        name = SOLUTION_TYPES[media_type]
        if name == "json":
            return json.dumps(self._json(), ensure_ascii=False).encode("utf-8")
        if name == "xml":
            return self._xml().encode("utf-8")
        return self._table("," if name == "csv" else "\t").encode("utf-8")

    # SPARQL 1.1 Query Results JSON Format
    def _json(self) -> dict[str, Any]:
        if self.kind == "boolean":
            return {"head": {}, "boolean": self.boolean}
        bindings = [
            {var: _json_term(term) for var, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self.rows
        ]
        return {"head": {"vars": self.variables}, "results": {"bindings": bindings}}

    # SPARQL Query Results XML Format (Second Edition)
    def _xml(self) -> str:
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
        out += [f"<variable name={quoteattr(v)}/>" for v in self.variables]
        out.append("</head>")
        if self.kind == "boolean":
            out.append(f"<boolean>{'true' if self.boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in self.rows:
                out.append("<result>")
                for var, term in zip(self.variables, row, strict=True):
                    if term is not None:
                        out.append(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
                out.append("</result>")
            out.append("</results>")
        out.append("</sparql>")
        return "\n".join(out)

    # SPARQL 1.1 Query Results CSV and TSV Formats
    def _table(self, delimiter: str) -> str:
        buffer = io.StringIO()
        if delimiter == ",":
            writer = csv.writer(buffer, lineterminator="\r\n")
            if self.kind == "boolean":
                writer.writerow(["boolean"])
                writer.writerow(["true" if self.boolean else "false"])
                return buffer.getvalue()
            writer.writerow(self.variables)
            for row in self.rows:
                writer.writerow(["" if t is None else _plain(t) for t in row])
            return buffer.getvalue()
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"


def _plain(term: Any) -> str:
    """CSV results: the lexical form (IRIs as they are), no RDF syntax."""
    return term.value


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


class SparqlIndex:
    """The triple-store copy of one store (see the module docstring)."""

    def __init__(self, store: Store, base: str = export.BASE, check_every_s: float = 1.0):
        self.store = store
        self.base = base
        self.check_every_s = check_every_s
        self._lock = threading.Lock()
        self._oxigraph: ox.Store | None = None
        self._revision: str | None = None
        self._checked = 0.0
        self.triples = 0

    def sync(self) -> None:
        """Refill the copy when the store's revision moved (checked at most every check_every_s)."""
        with self._lock:
            now = time.monotonic()
            if self._oxigraph is not None and now - self._checked < self.check_every_s:
                return
            revision = self.store.revision()
            self._checked = now
            if self._oxigraph is not None and revision == self._revision:
                return
            fresh = ox.Store()
            sink = _Sink(fresh)
            export.to_rdf(self.store.dump(), base=self.base, vocabularies=True, into=sink)
            sink.flush()
            # the revision read before the dump: a write during the dump refills next time
            self._oxigraph, self._revision, self.triples = fresh, revision, len(fresh)

    def query(self, text: str, timeout_s: float = 5.0, row_limit: int = 1000) -> SparqlAnswer:
        self.sync()
        target = self._oxigraph  # a refill swaps in a new store; this query keeps its own
        assert target is not None
        deadline = time.monotonic() + timeout_s
        try:
            result = target.query(text)
        except Exception as err:  # pyoxigraph reports a bad query as SyntaxError, OSError, …
            raise SparqlError(f"{type(err).__name__}: {err}") from None
        try:
            return _read(result, row_limit, deadline)
        except SparqlError as err:
            # pyoxigraph's result iterators must be dropped on the thread that made them: the
            # traceback would carry them to the thread that reports the error
            failure = err.with_traceback(None)
        del result
        raise failure


def _read(result: Any, row_limit: int, deadline: float) -> SparqlAnswer:
    if isinstance(result, ox.QueryBoolean):
        return SparqlAnswer("boolean", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated = _take(([s[v] for v in variables] for s in result), row_limit, deadline)
        return SparqlAnswer("solutions", variables=variables, rows=rows, truncated=truncated)
    triples, truncated = _take(iter(result), row_limit, deadline)
    return SparqlAnswer("triples", triples=triples, truncated=truncated)


def bind_values(text: str, variable: str, value: Any) -> str:
    """The query with its `VALUES ?variable { … }` block holding `value` instead: the named
    queries' parameters. The value is written as an RDF term by pyoxigraph (a string becomes an
    escaped literal), so it can never change the query's structure."""
    term = value if isinstance(value, ox.NamedNode | ox.Literal) else ox.Literal(str(value))
    pattern = re.compile(r"(VALUES\s+\?" + re.escape(variable) + r"\s*\{)[^}]*(\})")
    if not pattern.search(text):
        raise SparqlError(f"the query has no VALUES ?{variable} {{ … }} block to bind")
    return pattern.sub(lambda m: f"{m.group(1)} {term} {m.group(2)}", text, count=1)


def _take(items: Iterable[Any], limit: int, deadline: float) -> tuple[list[Any], bool]:
    taken: list[Any] = []
    try:
        for item in items:
            if len(taken) == limit:
                return taken, True
            if time.monotonic() > deadline:
                raise SparqlTimeout("the SPARQL query ran past its time limit (POLICYKG_SPARQL_TIMEOUT_S)")
            taken.append(item)
    except SparqlTimeout:
        raise
    except Exception as err:  # evaluation errors (a bad regex, a type error) surface while iterating
        raise SparqlError(f"{type(err).__name__}: {err}") from None
    return taken, False


@dataclass(frozen=True)
class NamedSparql:
    name: str
    purpose: str
    text: str


def named_queries() -> list[NamedSparql]:
    """queries/*.rq with the purpose from the first header line (`# Purpose: …`)."""
    found = []
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = [line for line in text.splitlines() if line.lower().startswith("# purpose:")]
        purpose = header[0].split(":", 1)[1].strip() if header else ""
        found.append(NamedSparql(path.stem, purpose, text))
    return found
