"""Neo4jStore: the Store protocol (graph/store.py) on a Neo4j 5 server over Bolt.

Writing. The graph is the same function of the ingested records as in EmbeddedStore: each
source's contributions to a node or edge are kept apart and the node shows
model.merge_nodes(contributions ordered by source). Here the contributions live on the node
or relationship itself, in two bookkeeping properties (`_src`: source names, `_contrib`: one
JSON object per source), and one `_Source` node per source file keeps its content hash, its
record, its 文号 entries (resolve.NumberIndex) and what it placed. An ingest is ONE write
transaction: it takes the writer lock (`_Meta`), reads the contributions it touches, applies
exactly the algorithm of EmbeddedStore._apply in Python and writes the result back with
batched UNWIND … MERGE. A failure rolls everything back: no half-written document.

Reading. Cypher fetches candidates (always with parameters; only names from the ontology are
pasted into a query, after graph/schema.py's identifier check); the final filters that use
the normalization functions (graph/normalize.py) and the sorting run in Python with the same
keys as EmbeddedStore, so both stores answer with equal views. Lineage expands
variable-length paths bounded by the depth, then graph/lineage.walk picks the paths.

Bookkeeping (labels and keys starting with "_") is never shown: not in views, stats or terms.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse, urlunparse

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable
from policykg.graph import answers
from policykg.graph import views as v
from policykg.graph.embedded import record_hash
from policykg.graph.lineage import walk
from policykg.graph.model import (
    CITATION_TYPES,
    LINEAGE_TYPES,
    Fragment,
    build_fragment,
    check_fragment,
    edge_id,
    merge_edges,
    merge_nodes,
)
from policykg.graph.normalize import doc_number_key, indicator_key, text_key, title_key
from policykg.graph.ontology import Key, Label, Rel, schema
from policykg.graph.resolve import NumberIndex, closest, resolve_title
from policykg.graph.schema import META_LABEL, SOURCE_LABEL, apply_schema
from policykg.graph.store import Ambiguous, NotFound, StoreError

from policykg.records import ExtractionRecord
from policykg.settings import neo4j_auth

__all__ = [
    "CypherAccessError",
    "CypherError",
    "CypherTimeout",
    "Neo4jStore",
    "ReadResult",
    "check_read_only",
    "connect",
    "plain",
    "run_read",
]

T = TypeVar("T")
SCHEMES = {"bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc"}
_MAX_CANDIDATES = 20
# what a DocumentRef / AgencyRef / fact view needs (never the bookkeeping blobs)
_DOC_FIELDS = "{.id, .title, .doc_number, .level, .jurisdiction, .stub}"
_AGENCY_FIELDS = "{.id, .name, .jurisdiction}"
_FACT_FIELDS = (
    "{.id, .text, .section, .indicator, .value, .unit, .baseline, .baseline_year, .target_year, "
    ".source, .span_start, .span_end, .quote, .quote_start}"
)


# -- connecting ----------------------------------------------------------------------------


def _split_url(url: str) -> tuple[str, str | None, str | None]:
    """(URL without credentials, user, password) of bolt://user:password@host:port."""
    parsed = urlparse(url)
    if parsed.scheme not in SCHEMES:
        raise StoreError(f"not a Neo4j URL: {url!r} (use bolt://HOST:PORT or neo4j://HOST:PORT)")
    if not parsed.hostname:
        raise StoreError(f"no host in {url!r}")
    netloc = parsed.hostname if ":" not in parsed.hostname else f"[{parsed.hostname}]"
    if parsed.port:
        netloc += f":{parsed.port}"
    user = unquote(parsed.username) if parsed.username else None
    password = unquote(parsed.password) if parsed.password else None
    return urlunparse((parsed.scheme, netloc, "", "", "", "")), user, password


def connect(url: str) -> neo4j.Driver:
    """A verified driver for `url` (credentials as in settings.neo4j_auth); StoreError when
    the server does not answer or refuses the credentials."""
    clean, user, password = _split_url(url)
    driver = neo4j.GraphDatabase.driver(
        clean,
        auth=neo4j_auth(user, password),
        connection_timeout=5,
        max_transaction_retry_time=15,
        # the server warns about labels not yet used; that is normal for a young graph
        notifications_min_severity="OFF",
    )
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise StoreError(
            f"Neo4j at {clean} refused the credentials: set NEO4J_PASSWORD (and NEO4J_USER) "
            "or put user:password@ in the URL"
        ) from None
    except (ServiceUnavailable, DriverError, OSError) as err:
        driver.close()
        raise StoreError(
            f"cannot reach Neo4j at {clean} ({type(err).__name__}); start it with "
            "NEO4J_PASSWORD=... policykg neo4j start"
        ) from None
    return driver


def _store_errors(method: Callable[..., T]) -> Callable[..., T]:
    """Driver failures become StoreError (the API answers 503, the CLI one line)."""

    @wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return method(*args, **kwargs)
        except (ServiceUnavailable, DriverError) as err:
            raise StoreError(f"Neo4j is not available: {err}") from None
        except Neo4jError as err:
            raise StoreError(f"Neo4j error {err.code}: {err.message}") from None

    return wrapper


def _public(props: dict[str, Any]) -> dict[str, Any]:
    return {k: val for k, val in props.items() if not k.startswith("_") and val is not None}


def _name(name: str) -> str:
    """A label or relationship type from the ontology (or bookkeeping), checked before it is
    pasted into Cypher: labels and types cannot be parameters."""
    if name not in _known_names():
        raise StoreError(f"{name!r} is not a label or relationship type of the ontology")
    return name


_KNOWN: set[str] = set()


def _known_names() -> set[str]:
    if not _KNOWN:
        s = schema()
        _KNOWN.update(s.node_types, s.relation_types, {SOURCE_LABEL, META_LABEL})
    return _KNOWN


# -- analyst Cypher (queries/, POST /cypher) ---------------------------------------------


class CypherError(StoreError):
    """The query is wrong (syntax, unknown function, bad parameter type): HTTP 400."""


class CypherAccessError(CypherError):
    """The query tried to write (or to read files): HTTP 403."""


class CypherTimeout(CypherError):
    """The query ran past its time limit: HTTP 408."""


@dataclass
class ReadResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False  # more rows existed than the row limit


# A READ session stops writes, but Community Neo4j has no read-only role: its one user is an
# admin, so administration that counts as "reading" (SHOW USERS, TERMINATE TRANSACTIONS,
# dbms.* procedures) and LOAD CSV (files and URLs read on the server) are refused by text.
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_ADMIN = re.compile(r"^\s*(SHOW|TERMINATE|GRANT|DENY|REVOKE)\b", re.IGNORECASE)
_SHOW_SCHEMA = re.compile(
    r"^\s*SHOW\s+(\w+\s+)?(INDEX|INDEXES|CONSTRAINT|CONSTRAINTS|FUNCTIONS?|PROCEDURES?)\b", re.IGNORECASE
)
_PROCEDURE = re.compile(r"\bCALL\s+`?([A-Za-z_][\w.]*)", re.IGNORECASE)
READ_PROCEDURES = frozenset(
    {
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
    }
)


def check_read_only(cypher: str) -> None:
    """Refuse what a READ session would let through (see above); CypherAccessError."""
    text = _COMMENTS.sub(" ", cypher)
    if _LOAD_CSV.search(text):
        raise CypherAccessError("LOAD CSV is not allowed here: this endpoint only reads the graph")
    if _ADMIN.search(text) and not _SHOW_SCHEMA.search(text):
        raise CypherAccessError(
            "administration commands are not allowed here: this endpoint only reads the graph"
        )
    for name in _PROCEDURE.findall(text):
        if name.lower() not in READ_PROCEDURES:
            raise CypherAccessError(
                f"procedure {name} is not allowed here; allowed: {', '.join(sorted(READ_PROCEDURES))}"
            )


def plain(value: Any) -> Any:
    """A driver value as JSON-ready data: nodes, relationships and paths become dicts
    (bookkeeping properties left out), temporal values ISO strings."""
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), "properties": plain(_public(dict(value)))}
    if isinstance(value, neo4j.graph.Relationship):
        return {
            "type": value.type,
            "start": value.start_node.get(Key.ID) if value.start_node else None,
            "end": value.end_node.get(Key.ID) if value.end_node else None,
            "properties": plain(_public(dict(value))),
        }
    if isinstance(value, neo4j.graph.Path):
        return {
            "nodes": [plain(n) for n in value.nodes],
            "relationships": [plain(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def run_read(
    driver: neo4j.Driver,
    cypher: str,
    params: dict[str, Any] | None = None,
    *,
    database: str | None = None,
    timeout_s: float = 30.0,
    row_limit: int = 10_000,
) -> ReadResult:
    """Run analyst Cypher in a READ access-mode session: the server refuses any write
    (CypherAccessError), stops it after `timeout_s` (CypherTimeout) and at most `row_limit`
    rows come back (`truncated` says more existed)."""
    check_read_only(cypher)
    query = neo4j.Query(cypher, timeout=timeout_s)  # type: ignore[arg-type]  # analyst text is the point
    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            result = session.run(query, params or {})
            columns = list(result.keys())
            rows: list[list[Any]] = []
            truncated = False
            for record in result:
                if len(rows) >= row_limit:
                    truncated = True
                    break
                rows.append([plain(v) for v in record.values()])
            result.consume()
    except Neo4jError as err:
        code = err.code or ""
        message = err.message or str(err)
        if "AccessMode" in code or "Forbidden" in code or "read access mode" in message.lower():
            raise CypherAccessError(
                f"this endpoint is read-only: the query tried to change the graph ({message})"
            ) from None
        if "TransactionTimedOut" in code or "Terminated" in code:
            raise CypherTimeout(f"the query ran longer than {timeout_s:g} s and was stopped") from None
        if code.startswith("Neo.ClientError"):
            raise CypherError(f"{code}: {message}") from None
        raise StoreError(f"Neo4j error {code}: {message}") from None
    except (ServiceUnavailable, DriverError) as err:
        raise StoreError(f"Neo4j is not available: {err}") from None
    return ReadResult(columns=columns, rows=rows, truncated=truncated)


# -- progress --------------------------------------------------------------------------------


@dataclass
class _Progress:
    """A rate line on stderr during long loads: documents and entities (nodes + edges) per
    second. Silent for the first few seconds so single ingests and tests stay quiet."""

    every_s: float = 5.0
    started: float | None = None
    last: float = 0.0
    documents: int = 0
    entities: int = 0
    sources: int = 0

    def add(self, documents: int, entities: int) -> None:
        now = time.monotonic()
        if self.started is None or now - self.last > 60:  # a new burst of ingests
            self.started, self.last = now, now
            self.documents = self.entities = self.sources = 0
        self.documents += documents
        self.entities += entities
        self.sources += 1
        if now - self.last >= self.every_s:
            self.last = now
            elapsed = max(now - self.started, 1e-6)
            print(
                f"neo4j: {self.sources} sources, {self.documents} documents "
                f"({self.documents / elapsed:.1f}/s), {self.entities} entities "
                f"({self.entities / elapsed:.0f}/s) in {elapsed:.0f} s",
                file=sys.stderr,
                flush=True,
            )


# -- the write transaction -----------------------------------------------------------------

NodeKey = str
EdgeKey = tuple[str, str, str]  # (source node id, target node id, type) as in EmbeddedStore
Group = tuple[str, str, str]  # (type, source label, target label)


@lru_cache(maxsize=1)
def _groups() -> tuple[list[str], list[Group]]:
    """Node labels and (type, source label, target label) triples the ontology allows."""
    s = schema()
    groups = sorted(
        (rel.name, d, r) for rel in s.relation_types.values() for d in rel.domains for r in rel.ranges
    )
    return sorted(s.node_types), groups


def _param(prefix: str, *names: str) -> str:
    return "_".join((prefix, *names))


@lru_cache(maxsize=1)
def _statements() -> dict[str, str]:
    """The ingest's statements, each ONE constant text over every label and relationship
    group (empty lists cost nothing): few round trips per ingest and plans Neo4j caches.
    Names are the ontology's, checked by _name; all data travels as parameters."""
    labels, groups = _groups()
    load_nodes = " UNION ALL ".join(
        f"MATCH (n:{_name(lbl)}) WHERE n.id IN ${_param('ids', lbl)} "
        "RETURN n.id AS a, null AS b, null AS rel, n._src AS src, n._contrib AS contrib"
        for lbl in labels
    )
    load_edges = " UNION ALL ".join(
        f"UNWIND ${_param('pairs', t, sl, dl)} AS p "
        f"MATCH (:{_name(sl)} {{id: p[0]}})-[r:{_name(t)}]->(:{_name(dl)} {{id: p[1]}}) "
        f"RETURN p[0] AS a, p[1] AS b, '{t}' AS rel, r._src AS src, r._contrib AS contrib"
        for t, sl, dl in groups
    )
    write = [
        f"CALL () {{ UNWIND ${_param('drop', t, sl, dl)} AS p "
        f"MATCH (:{_name(sl)} {{id: p[0]}})-[r:{_name(t)}]->(:{_name(dl)} {{id: p[1]}}) DELETE r }}"
        for t, sl, dl in groups
    ]
    write += [
        f"CALL () {{ UNWIND ${_param('drop', lbl)} AS id MATCH (n:{_name(lbl)} {{id: id}}) DETACH DELETE n }}"
        for lbl in labels
    ]
    write += [
        f"CALL () {{ UNWIND ${_param('set', lbl)} AS row "
        f"MERGE (n:{_name(lbl)} {{id: row.id}}) SET n = row.props }}"
        for lbl in labels
    ]
    write += [
        f"CALL () {{ UNWIND ${_param('set', t, sl, dl)} AS row MATCH (a:{_name(sl)} {{id: row.a}}) "
        f"MATCH (b:{_name(dl)} {{id: row.b}}) MERGE (a)-[r:{_name(t)}]->(b) SET r = row.props }}"
        for t, sl, dl in groups
    ]
    write.append(
        f"CALL () {{ UNWIND $sources AS row MERGE (s:{SOURCE_LABEL} {{name: row.name}}) SET s += row }}"
    )
    return {
        "load_nodes": f"CALL () {{ {load_nodes} }} RETURN a, src, contrib",
        "load_edges": f"CALL () {{ {load_edges} }} RETURN a, b, rel, src, contrib",
        "write": "\n".join(write) + "\nRETURN 1",
    }


@dataclass
class _SourceState:
    name: str
    record: str | None = None
    numbers: list[list[Any]] = field(default_factory=list)  # [number_key, doc_id, full, titled]
    placed_nodes: list[list[str]] = field(default_factory=list)  # [label, id]
    placed_edges: list[list[str]] = field(default_factory=list)  # [src, dst, type, src label, dst label]


class _Ingest:
    """One ingest: EmbeddedStore._apply, with the state it touches read from and written to
    the database inside the caller's transaction."""

    def __init__(self, tx: neo4j.ManagedTransaction):
        self.tx = tx
        self.labels: dict[str, str] = {}  # node id → label
        self.nodes: dict[NodeKey, dict[str, dict[str, Any]]] = {}  # id → source → props
        self.edges: dict[EdgeKey, dict[str, dict[str, Any]]] = {}
        self.edge_labels: dict[EdgeKey, tuple[str, str]] = {}
        self.dirty_nodes: set[str] = set()
        self.dirty_edges: set[EdgeKey] = set()
        self.sources: dict[str, _SourceState] = {}
        self.fragments: dict[str, Fragment] = {}
        self.index = NumberIndex()
        self.loaded_numbers: set[str] = set()

    # reading state ------------------------------------------------------------------
    def load_sources(self, names: Iterable[str]) -> None:
        wanted = sorted(set(names) - set(self.sources))
        if not wanted:
            return
        rows = self.tx.run(
            f"MATCH (s:{SOURCE_LABEL}) WHERE s.name IN $names "
            "RETURN s.name AS name, s.record AS record, s.numbers AS numbers, s.placed AS placed",
            names=wanted,
        )
        for row in rows:
            placed = json.loads(row["placed"] or "{}")
            self.sources[row["name"]] = _SourceState(
                name=row["name"],
                record=row["record"],
                numbers=json.loads(row["numbers"] or "[]"),
                placed_nodes=placed.get("nodes", []),
                placed_edges=placed.get("edges", []),
            )

    def load_numbers(self, numbers: Iterable[str]) -> None:
        """Fill the NumberIndex with every stored source's entries for these 文号 keys."""
        wanted = sorted(set(numbers) - self.loaded_numbers)
        if not wanted:
            return
        self.loaded_numbers |= set(wanted)
        rows = self.tx.run(
            f"MATCH (s:{SOURCE_LABEL}) WHERE any(k IN s.number_keys WHERE k IN $keys) "
            "RETURN s.name AS name, s.numbers AS numbers",
            keys=wanted,
        )
        keep = set(wanted)
        for row in rows:
            for number, doc_id, full, titled in json.loads(row["numbers"] or "[]"):
                if number in keep:
                    self.index.add(row["name"], number, doc_id, full=full, titled=titled)

    def load(
        self, nodes: Iterable[tuple[str, str]], edges: Iterable[tuple[EdgeKey, tuple[str, str]]]
    ) -> None:
        """Read the contributions of these nodes ((label, id)) and edges (key, labels)."""
        labels, groups = _groups()
        node_params: dict[str, list[str]] = {_param("ids", lbl): [] for lbl in labels}
        for label, node_id in nodes:
            self.labels.setdefault(node_id, label)
            if node_id not in self.nodes:
                self.nodes[node_id] = {}
                node_params[_param("ids", label)].append(node_id)
        edge_params: dict[str, list[list[str]]] = {_param("pairs", *g): [] for g in groups}
        for key, (src_label, dst_label) in edges:
            self.edge_labels.setdefault(key, (src_label, dst_label))
            if key not in self.edges:
                self.edges[key] = {}
                edge_params[_param("pairs", key[2], src_label, dst_label)].append([key[0], key[1]])
        if any(node_params.values()):
            for row in self.tx.run(_statements()["load_nodes"], node_params):
                self.nodes[row["a"]] = _contributions(row["src"], row["contrib"])
        if any(edge_params.values()):
            for row in self.tx.run(_statements()["load_edges"], edge_params):
                self.edges[(row["a"], row["b"], row["rel"])] = _contributions(row["src"], row["contrib"])

    # the algorithm of EmbeddedStore._apply / _place / _unplace ------------------------
    def apply(self, source: str, fragment: Fragment, record_json: str) -> None:
        self.load_sources([source])
        old = self.sources.get(source)
        new_entries = _number_entries(fragment)
        numbers = {n[0] for n in old.numbers} if old else set()
        numbers |= {n[0] for n in new_entries}
        self.load_numbers(numbers)
        before = {n: self.index.canonical(n) for n in numbers}
        users = {s for n in numbers for s in self.index.sources(n)}
        self.index.remove_source(source)
        for number, doc_id, full, titled in new_entries:
            self.index.add(source, number, doc_id, full=full, titled=titled)
        changed = {n for n in numbers if self.index.canonical(n) != before[n]}
        users |= {s for n in changed for s in self.index.sources(n)}
        self.load_sources(users)
        redo = sorted(s for s in users if s != source and s in self.sources) if changed else []
        for name in redo:
            record = self.sources[name].record
            if record is None:
                raise StoreError(f"source {name!r} has no stored record; wipe and re-ingest")
            self.fragments[name] = build_fragment(ExtractionRecord.from_json(record))
        # a re-placed source may carry other 文号 too: know their current owners
        self.load_numbers({n[0] for name in redo for n in _number_entries(self.fragments[name])})
        self.fragments[source] = fragment
        state = self.sources.setdefault(source, _SourceState(name=source))
        state.record = record_json
        state.numbers = [list(e) for e in new_entries]

        order = [source, *redo]
        remaps = {name: self._remap(self.fragments[name]) for name in order}
        wanted_nodes: list[tuple[str, str]] = []
        wanted_edges: list[tuple[EdgeKey, tuple[str, str]]] = []
        for name in order:
            placed = self.sources[name]
            wanted_nodes += [(label, node_id) for label, node_id in placed.placed_nodes]
            wanted_edges += [((s, d, t), (sl, dl)) for s, d, t, sl, dl in placed.placed_edges]
            nodes, edges = self._placement(self.fragments[name], remaps[name])
            wanted_nodes += [(label, node_id) for label, node_id, _ in nodes]
            wanted_edges += [(key, labels) for key, labels, _ in edges]
        self.load(wanted_nodes, wanted_edges)
        for name in order:
            self.unplace(name)
        for name in order:
            self.place(name, remaps[name])

    def _remap(self, fragment: Fragment) -> dict[str, str]:
        remap: dict[str, str] = {}
        for node in fragment.nodes:
            if node.label == Label.DOCUMENT:
                full = not node.properties.get(Key.STUB)
                remap[node.id] = self.index.remap(node.id, node.properties.get(Key.DOC_NUMBER_KEY), full)
        return remap

    @staticmethod
    def _placement(
        fragment: Fragment, remap: dict[str, str]
    ) -> tuple[list[tuple[str, str, dict[str, Any]]], list[tuple[EdgeKey, tuple[str, str], dict[str, Any]]]]:
        """Where a fragment's nodes and edges land once 文号 stubs are remapped."""
        label_of = {remap.get(n.id, n.id): n.label for n in fragment.nodes}
        nodes = [
            (node.label, remap.get(node.id, node.id), node.properties | {Key.ID: remap.get(node.id, node.id)})
            for node in fragment.nodes
        ]
        edges = []
        for edge in fragment.edges:
            key = (remap.get(edge.source, edge.source), remap.get(edge.target, edge.target), edge.type)
            if key[0] != key[1]:
                edges.append((key, (label_of[key[0]], label_of[key[1]]), edge.properties))
        return nodes, edges

    def unplace(self, name: str) -> None:
        state = self.sources[name]
        for s, d, t, _, _ in state.placed_edges:
            self.edges.get((s, d, t), {}).pop(name, None)
            self.dirty_edges.add((s, d, t))
        for _, node_id in state.placed_nodes:
            self.nodes.get(node_id, {}).pop(name, None)
            self.dirty_nodes.add(node_id)
        state.placed_nodes, state.placed_edges = [], []

    def place(self, name: str, remap: dict[str, str]) -> None:
        state = self.sources[name]
        nodes, edges = self._placement(self.fragments[name], remap)
        for label, node_id, props in nodes:
            self.nodes[node_id][name] = props
            state.placed_nodes.append([label, node_id])
            self.dirty_nodes.add(node_id)
        for key, (src_label, dst_label), props in edges:
            self.edges[key][name] = props
            state.placed_edges.append([key[0], key[1], key[2], src_label, dst_label])
            self.dirty_edges.add(key)

    # writing state -----------------------------------------------------------------
    def write(self, counts: dict[str, tuple[int, int]], content_hash: dict[str, str]) -> None:
        labels, groups = _groups()
        params: dict[str, list[Any]] = {}
        for lbl in labels:
            params[_param("drop", lbl)] = []
            params[_param("set", lbl)] = []
        for g in groups:
            params[_param("drop", *g)] = []
            params[_param("set", *g)] = []
        for key in sorted(self.dirty_edges):
            group = (key[2], *self.edge_labels[key])
            contributions = self.edges.get(key) or {}
            if not contributions:
                params[_param("drop", *group)].append([key[0], key[1]])
                continue
            order = sorted(contributions)
            props = merge_edges([contributions[s] for s in order])
            props |= {"_src": order, "_contrib": [_dump(contributions[s]) for s in order]}
            params[_param("set", *group)].append({"a": key[0], "b": key[1], "props": props})
        for node_id in sorted(self.dirty_nodes):
            label = self.labels[node_id]
            contributions = self.nodes.get(node_id) or {}
            if not contributions:
                params[_param("drop", label)].append(node_id)
                continue
            order = sorted(contributions)
            props = merge_nodes(label, [contributions[s] for s in order])
            props |= {"_src": order, "_contrib": [_dump(contributions[s]) for s in order]}
            params[_param("set", label)].append({"id": node_id, "props": props})
        rows = []
        for name, state in sorted(self.sources.items()):
            if name not in self.fragments:
                continue  # only read, not re-placed
            row: dict[str, Any] = {
                "name": name,
                "record": state.record,
                "numbers": json.dumps(state.numbers, ensure_ascii=False),
                "number_keys": sorted({n[0] for n in state.numbers}),
                "placed": json.dumps(
                    {"nodes": state.placed_nodes, "edges": state.placed_edges}, ensure_ascii=False
                ),
            }
            if name in content_hash:
                nodes, edges = counts[name]
                row |= {"content_hash": content_hash[name], "nodes": nodes, "edges": edges}
            rows.append(row)
        params["sources"] = rows
        self.tx.run(_statements()["write"], params).consume()


def _contributions(src: list[str] | None, contrib: list[str] | None) -> dict[str, dict[str, Any]]:
    return {s: json.loads(c) for s, c in zip(src or [], contrib or [], strict=True)}


def _dump(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, sort_keys=True)


def _number_entries(fragment: Fragment) -> list[tuple[str, str, bool, bool]]:
    """What EmbeddedStore._apply adds to its NumberIndex for a fragment."""
    return [
        (
            node.properties[Key.DOC_NUMBER_KEY],
            node.id,
            not node.properties.get(Key.STUB),
            bool(node.properties.get(Key.TITLE_KEY)),
        )
        for node in fragment.nodes
        if node.label == Label.DOCUMENT and node.properties.get(Key.DOC_NUMBER_KEY)
    ]


# -- the store -------------------------------------------------------------------------------


class Neo4jStore:
    # answer-shaping helpers shared with the other store (graph/answers.py)
    _span = staticmethod(answers.span_view)
    _fact_sort = staticmethod(answers.fact_sort)
    _target_sort = staticmethod(answers.target_sort)
    _page = staticmethod(answers.page)
    _matches = staticmethod(answers.document_matches)

    def __init__(self, url: str, database: str | None = None):
        clean, _, _ = _split_url(url)
        self.url = clean  # never echo a password
        self.database = database
        self._driver = connect(url)
        self._progress = _Progress()
        try:
            # constraints make MERGE on ids safe and fast; IF NOT EXISTS makes this cheap
            apply_schema(self._driver, database)
        except Neo4jError as err:
            self._driver.close()
            raise StoreError(f"cannot create the Neo4j schema: {err.message}") from None

    # -- plumbing -------------------------------------------------------------------------
    def _read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = self._driver.execute_query(
            cypher, params, database_=self.database, routing_=neo4j.RoutingControl.READ
        )
        return [r.data() for r in records]

    def close(self) -> None:
        self._driver.close()

    def run_read(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        timeout_s: float = 30.0,
        row_limit: int = 10_000,
    ) -> ReadResult:
        """Analyst Cypher, read-only (see module function run_read)."""
        return run_read(
            self._driver, cypher, params, database=self.database, timeout_s=timeout_s, row_limit=row_limit
        )

    # -- writing ----------------------------------------------------------------------------
    @_store_errors
    def ingest(self, record: ExtractionRecord) -> v.IngestReport:
        digest = record_hash(record)
        known = self._read(
            f"MATCH (s:{SOURCE_LABEL} {{name: $name}}) RETURN s.content_hash AS hash, s.nodes AS nodes, "
            "s.edges AS edges",
            name=record.source,
        )
        if known and known[0]["hash"] == digest:
            return self._report(record, "unchanged", known[0]["nodes"] or 0, known[0]["edges"] or 0)
        fragment = build_fragment(record)
        check_fragment(fragment)
        data = record.to_dict() | {"content_hash": digest}
        record_json = json.dumps(data, ensure_ascii=False)

        def work(tx: neo4j.ManagedTransaction) -> str:
            # the writer lock: ingests touch shared nodes (agencies, cited documents), so
            # they run one at a time; the lock is released at commit or rollback
            tx.run(
                f"MERGE (m:{META_LABEL} {{id: 'writer'}}) SET m.writes = coalesce(m.writes, 0) + 1"
            ).consume()
            row = tx.run(
                f"MATCH (s:{SOURCE_LABEL} {{name: $name}}) RETURN s.content_hash AS hash", name=record.source
            ).single()
            if row and row["hash"] == digest:
                return "unchanged"  # another writer stored it meanwhile
            job = _Ingest(tx)
            job.apply(record.source, fragment, record_json)
            job.write({record.source: (len(fragment.nodes), len(fragment.edges))}, {record.source: digest})
            return "replaced" if row else "ingested"

        with self._driver.session(database=self.database) as session:
            status = session.execute_write(work)
        self._progress.add(len(record.documents), len(fragment.nodes) + len(fragment.edges))
        return self._report(record, status, len(fragment.nodes), len(fragment.edges))

    @staticmethod
    def _report(record: ExtractionRecord, status: str, nodes: int, edges: int) -> v.IngestReport:
        return v.IngestReport(
            source=record.source,
            status=status,  # type: ignore[arg-type]
            documents=len(record.documents),
            nodes=nodes,
            edges=edges,
        )

    @_store_errors
    def wipe(self) -> None:
        """Delete every node and relationship (the schema stays), in batches so a large
        graph does not need one huge transaction."""
        with self._driver.session(database=self.database) as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()

    # -- small readers ----------------------------------------------------------------------
    @staticmethod
    def _doc_ref(p: dict[str, Any]) -> v.DocumentRef:
        return v.DocumentRef(
            id=p[Key.ID],
            title=p.get(Key.TITLE),
            doc_number=p.get(Key.DOC_NUMBER),
            level=p.get(Key.LEVEL),
            jurisdiction=p.get(Key.JURISDICTION),
            stub=bool(p.get(Key.STUB)),
        )

    @staticmethod
    def _agency_refs(rows: list[dict[str, Any]]) -> list[v.AgencyRef]:
        refs = [
            v.AgencyRef(id=a[Key.ID], name=a[Key.NAME], jurisdiction=a.get(Key.JURISDICTION)) for a in rows
        ]
        return sorted(refs, key=lambda r: (r.name, r.id))

    @staticmethod
    def _doc_sort(p: dict[str, Any]) -> tuple[Any, ...]:
        title = p.get(Key.TITLE)
        return (title is None, title or "", p[Key.ID])

    def _facts(self, label: str, where: str, **params: Any) -> list[dict[str, Any]]:
        """Tasks or targets with their owning documents and agencies; `where` filters `f`."""
        owner = Rel.HAS_TASK if label == Label.TASK else Rel.HAS_TARGET
        return self._read(
            f"MATCH (f:{_name(label)}) WHERE {where} "
            f"RETURN f{_FACT_FIELDS} AS f, "
            f"COLLECT {{ MATCH (d:Document)-[:{_name(owner)}]->(f) RETURN d{_DOC_FIELDS} }} AS docs, "
            f"COLLECT {{ MATCH (f)-[:LED_BY]->(a:Agency) RETURN a{_AGENCY_FIELDS} }} AS lead, "
            f"COLLECT {{ MATCH (f)-[:RESPONSIBILITY_OF]->(a:Agency) RETURN a{_AGENCY_FIELDS} }} AS resp",
            **params,
        )

    def _task_view(self, row: dict[str, Any]) -> v.TaskView:
        p = _public(row["f"])
        return v.TaskView(
            id=p[Key.ID],
            text=p[Key.TEXT],
            section=p.get(Key.SECTION),
            document=self._doc_ref(min(row["docs"], key=lambda d: d[Key.ID])),
            lead=self._agency_refs(row["lead"]),
            responsible=self._agency_refs(row["resp"]),
            span=self._span(p),
            quote=p.get(Key.QUOTE),
            quote_start=p.get(Key.QUOTE_START),
        )

    def _target_view(self, row: dict[str, Any]) -> v.TargetView:
        p = _public(row["f"])
        return v.TargetView(
            id=p[Key.ID],
            indicator=p[Key.INDICATOR],
            value=p.get(Key.VALUE),
            unit=p.get(Key.UNIT),
            baseline=p.get(Key.BASELINE),
            baseline_year=p.get(Key.BASELINE_YEAR),
            target_year=p.get(Key.TARGET_YEAR),
            document=self._doc_ref(min(row["docs"], key=lambda d: d[Key.ID])),
            lead=self._agency_refs(row["lead"]),
            responsible=self._agency_refs(row["resp"]),
            span=self._span(p),
            quote=p.get(Key.QUOTE),
            quote_start=p.get(Key.QUOTE_START),
        )

    def _task_views(self, where: str, **params: Any) -> list[v.TaskView]:
        return sorted(
            (self._task_view(r) for r in self._facts(Label.TASK, where, **params)), key=self._fact_sort
        )

    def _documents(self, where: str = "true", **params: Any) -> list[dict[str, Any]]:
        rows = self._read(
            f"MATCH (d:Document) WHERE {where} RETURN d{{.id, .title, .doc_number, .level, .jurisdiction, "
            ".stub, .title_key, .doc_number_key, .aliases} AS d",
            **params,
        )
        return [_public(r["d"]) for r in rows]

    # -- reading ----------------------------------------------------------------------------
    @_store_errors
    def stats(self) -> v.StoreStats:
        s = schema()
        nodes = dict.fromkeys(sorted(s.node_types), 0)
        edges = dict.fromkeys(sorted(s.relation_types), 0)
        # one count per label/type: answered from Neo4j's count store, not by scanning
        for label in nodes:
            nodes[label] = self._read(f"MATCH (n:{_name(label)}) RETURN count(n) AS c")[0]["c"]
        for rel in edges:
            edges[rel] = self._read(f"MATCH ()-[r:{_name(rel)}]->() RETURN count(r) AS c")[0]["c"]
        return v.StoreStats(nodes=nodes, edges=edges)

    @_store_errors
    def terms(self) -> tuple[set[str], set[str], set[str]]:
        """(node labels, relationship types, property keys) in the graph, bookkeeping left out."""
        graph_nodes = f"MATCH (n) WHERE NOT n:{SOURCE_LABEL} AND NOT n:{META_LABEL}"
        labels = self._read(f"{graph_nodes} UNWIND labels(n) AS l RETURN collect(DISTINCT l) AS v")[0]["v"]
        types = self._read("MATCH ()-[r]->() RETURN collect(DISTINCT type(r)) AS v")[0]["v"]
        keys = set(self._read(f"{graph_nodes} UNWIND keys(n) AS k RETURN collect(DISTINCT k) AS v")[0]["v"])
        keys |= set(
            self._read("MATCH ()-[r]->() UNWIND keys(r) AS k RETURN collect(DISTINCT k) AS v")[0]["v"]
        )
        return set(labels), set(types), {k for k in keys if not k.startswith("_")}

    @_store_errors
    def dump(self) -> Iterator[v.GraphNode | v.GraphEdge]:
        """Every node (by type, id), then every edge (by type, source, target), bookkeeping
        left out. Read in full before the first item is yielded, so a driver failure is a
        StoreError here and not halfway through an export."""
        s = schema()
        nodes: list[v.GraphNode] = []
        for label in sorted(s.node_types):
            rows = self._read(f"MATCH (n:{_name(label)}) RETURN properties(n) AS p")
            nodes.extend(self._graph_node(label, _public(r["p"])) for r in rows)
        edges: list[v.GraphEdge] = []
        for rel in sorted(s.relation_types):
            rows = self._read(
                f"MATCH (a)-[r:{_name(rel)}]->(b) RETURN a.id AS a, b.id AS b, properties(r) AS p"
            )
            edges.extend(
                v.GraphEdge(
                    id=edge_id(rel, r["a"], r["b"]),
                    source=r["a"],
                    target=r["b"],
                    type=rel,
                    properties=_public(r["p"]),
                )
                for r in rows
            )
        # sorted here, not by ORDER BY: the same code-point order as EmbeddedStore.dump
        nodes.sort(key=lambda n: (n.type, n.id))
        edges.sort(key=lambda e: (e.type, e.source, e.target))
        return iter([*nodes, *edges])

    @_store_errors
    def find_documents(
        self,
        q: str | None = None,
        level: str | None = None,
        jurisdiction: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[v.DocumentRef]:
        areas, needle, number = answers.document_search(q, jurisdiction)
        docs = self._documents(
            "($level IS NULL OR d.level = $level) AND ($areas IS NULL OR d.jurisdiction IN $areas)",
            level=level or None,
            areas=sorted(areas) if areas is not None else None,
        )
        hits = [self._doc_ref(p) for p in docs if not needle or self._matches(p, needle, number)]
        hits.sort(key=lambda r: (r.stub, r.title is None, r.title or "", r.id))
        return self._page(hits, limit, offset)

    @_store_errors
    def resolve_document(self, id_or_title: str) -> v.DocumentRef:
        query = (id_or_title or "").strip()
        if not query:
            raise NotFound("empty document reference")
        hit = self._documents("d.id = $id", id=query)
        if hit:
            return self._doc_ref(hit[0])
        number = doc_number_key(query)
        by_number = self._documents("d.doc_number_key = $number", number=number)
        if by_number:
            return self._one(query, by_number)
        docs = self._documents()
        _, key = resolve_title(query)
        by_title = [d for d in docs if key in self._title_keys(d)]
        if by_title:
            return self._one(query, by_title)
        partial = [d for d in docs if key and any(key in k for k in self._title_keys(d))]
        if partial:
            return self._one(query, partial)
        titles = {d.get(Key.TITLE): d for d in sorted(docs, key=self._doc_sort)}
        titles.pop(None, None)
        best = closest(query, titles)  # type: ignore[arg-type]
        raise NotFound(f"no document matches {query!r}", [self._doc_ref(titles[t]) for t in best])

    @staticmethod
    def _title_keys(p: dict[str, Any]) -> set[str]:
        keys = {title_key(t) for t in p.get(Key.ALIASES, [])}
        if p.get(Key.TITLE_KEY):
            keys.add(p[Key.TITLE_KEY])
        return keys

    def _one(self, query: str, docs: list[dict[str, Any]]) -> v.DocumentRef:
        unique = sorted({d[Key.ID]: d for d in docs}.values(), key=self._doc_sort)
        if len(unique) == 1:
            return self._doc_ref(unique[0])
        refs = [self._doc_ref(d) for d in unique[:_MAX_CANDIDATES]]
        raise Ambiguous(f"{query!r} matches {len(unique)} documents", refs)

    def _require_document(self, doc_id: str) -> dict[str, Any]:
        rows = self._read("MATCH (d:Document {id: $id}) RETURN properties(d) AS d", id=doc_id)
        if not rows:
            raise NotFound(f"no {Label.DOCUMENT} with id {doc_id!r}")
        return _public(rows[0]["d"])

    @_store_errors
    def document(self, doc_id: str) -> v.DocumentDetail:
        p = self._require_document(doc_id)
        cite_types = sorted(CITATION_TYPES - {Rel.REPEALS})
        rows = self._read(
            "MATCH (d:Document {id: $id})-[r]-(o:Document) WHERE type(r) IN $types "
            "RETURN startNode(r) = d AS outgoing, type(r) AS rel, properties(r) AS props, "
            f"o{_DOC_FIELDS} AS o",
            id=doc_id,
            types=sorted(CITATION_TYPES),
        )

        def citations(outgoing: bool, types: Iterable[str]) -> list[v.CitationView]:
            wanted = set(types)
            views = [
                v.CitationView(
                    document=self._doc_ref(r["o"]),
                    relation=r["rel"].lower(),
                    span=self._span(r["props"]),
                    quote=r["props"].get(Key.QUOTE),
                    quote_start=r["props"].get(Key.QUOTE_START),
                )
                for r in rows
                if r["outgoing"] == outgoing and r["rel"] in wanted
            ]
            return sorted(
                views,
                key=lambda c: (
                    c.span is None,
                    c.span.source if c.span else "",
                    c.span.start if c.span else 0,
                    c.document.title or "",
                    c.document.id,
                    c.relation,
                ),
            )

        issuers = self._read(
            f"MATCH (:Document {{id: $id}})-[:PASSED_BY]->(a:Agency) RETURN a{_AGENCY_FIELDS} AS a", id=doc_id
        )
        tasks = [
            self._task_view(r)
            for r in self._facts(Label.TASK, "EXISTS { (:Document {id: $id})-[:HAS_TASK]->(f) }", id=doc_id)
        ]
        targets = [
            self._target_view(r)
            for r in self._facts(
                Label.TARGET, "EXISTS { (:Document {id: $id})-[:HAS_TARGET]->(f) }", id=doc_id
            )
        ]
        return v.DocumentDetail(
            **self._doc_ref(p).model_dump(),
            doc_type=p.get(Key.DOC_TYPE),
            issued_on=p.get(Key.ISSUED_ON),
            issuers=self._agency_refs([r["a"] for r in issuers]),
            cites=citations(True, cite_types),
            cited_by=citations(False, cite_types),
            repeals=citations(True, [Rel.REPEALS]),
            repealed_by=citations(False, [Rel.REPEALS]),
            tasks=sorted(tasks, key=self._fact_sort),
            targets=sorted(targets, key=self._fact_sort),
            span=self._span(p),
        )

    def _lineage(self, doc_id: str, depth: int, direction: str) -> v.LineageResult:
        root = self._require_document(doc_id)
        depth = max(0, int(depth))  # an int, so it may stand in the pattern (bounds take no parameters)
        types = "|".join(_name(t) for t in sorted(LINEAGE_TYPES))
        if depth == 0:
            return v.LineageResult(root=self._doc_ref(root), direction=direction, entries=[])  # type: ignore[arg-type]
        arrow = f"<-[:{types}*1..{depth}]-" if direction == "implementations" else f"-[:{types}*1..{depth}]->"
        # DISTINCT right after the variable-length expand lets Neo4j prune it breadth-first
        reached = self._read(
            f"MATCH (:Document {{id: $id}}){arrow}(d:Document) WITH DISTINCT d RETURN d{_DOC_FIELDS} AS d",
            id=doc_id,
        )
        props = {root[Key.ID]: root} | {r["d"][Key.ID]: _public(r["d"]) for r in reached}
        edges = self._read(
            f"MATCH (a:Document)-[r:{types}]->(b:Document) WHERE a.id IN $ids AND b.id IN $ids "
            "RETURN a.id AS a, b.id AS b, type(r) AS rel",
            ids=sorted(props),
        )
        step: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for e in edges:
            if direction == "implementations":
                step[e["b"]].append((e["a"], e["rel"]))
            else:
                step[e["a"]].append((e["b"], e["rel"]))
        entries = [
            v.LineageEntry(
                document=self._doc_ref(props[found.node]),
                depth=len(found.path) - 1,
                path=[self._doc_ref(props[d]) for d in found.path],
                relations=[r.lower() for r in found.relations],
            )
            for found in walk(
                doc_id, lambda n: step.get(n, []), depth, sort_key=lambda d: self._doc_sort(props[d])
            )
        ]
        return v.LineageResult(root=self._doc_ref(root), direction=direction, entries=entries)  # type: ignore[arg-type]

    @_store_errors
    def implementations(self, doc_id: str, depth: int = 10) -> v.LineageResult:
        return self._lineage(doc_id, depth, "implementations")

    @_store_errors
    def ancestors(self, doc_id: str, depth: int = 10) -> v.LineageResult:
        return self._lineage(doc_id, depth, "ancestors")

    def _agency_rows(self) -> list[dict[str, Any]]:
        rows = self._read("MATCH (a:Agency) RETURN a{.id, .name, .jurisdiction, .aliases} AS a")
        return [_public(r["a"]) for r in rows]

    def _agency_ids(self, ref: str) -> list[str]:
        """Agencies a reference names: an id, an exact name, else every name containing it."""
        ref = ref.strip()
        agencies = self._agency_rows()
        if any(a[Key.ID] == ref for a in agencies):
            return [ref]
        needle = text_key(ref)
        exact = [a[Key.ID] for a in agencies if text_key(a[Key.NAME]) == needle]
        if exact:
            return exact
        return [a[Key.ID] for a in agencies if needle and needle in text_key(a[Key.NAME])]

    @_store_errors
    def tasks(
        self,
        lead: str | None = None,
        responsible: str | None = None,
        document: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[v.TaskView]:
        where = ["true"]
        params: dict[str, Any] = {}
        if lead:
            where.append("EXISTS { MATCH (f)-[:LED_BY]->(a:Agency) WHERE a.id IN $lead }")
            params["lead"] = self._agency_ids(lead)
        if responsible:
            where.append("EXISTS { MATCH (f)-[:RESPONSIBILITY_OF]->(a:Agency) WHERE a.id IN $resp }")
            params["resp"] = self._agency_ids(responsible)
        if document:
            params["doc"] = self.resolve_document(document).id
            where.append("EXISTS { (:Document {id: $doc})-[:HAS_TASK]->(f) }")
        return self._page(self._task_views(" AND ".join(where), **params), limit, offset)

    @_store_errors
    def agencies(self, q: str | None = None, limit: int = 50, offset: int = 0) -> list[v.AgencySummary]:
        needle = text_key(q) if q and q.strip() else None
        rows = self._read(
            "MATCH (a:Agency) RETURN a{.id, .name, .jurisdiction, .aliases} AS a, "
            "COUNT { (t:Task)-[:LED_BY]->(a) } AS lead, COUNT { (t:Task)-[:RESPONSIBILITY_OF]->(a) } AS resp"
        )
        found = []
        for row in rows:
            p = _public(row["a"])
            names = [p[Key.NAME], *p.get(Key.ALIASES, [])]
            if needle and not any(needle in text_key(n) for n in names):
                continue
            found.append(
                v.AgencySummary(
                    id=p[Key.ID],
                    name=p[Key.NAME],
                    jurisdiction=p.get(Key.JURISDICTION),
                    aliases=list(p.get(Key.ALIASES, [])),
                    lead_tasks=row["lead"],
                    responsible_tasks=row["resp"],
                )
            )
        found.sort(key=lambda a: (a.name, a.id))
        return self._page(found, limit, offset)

    @_store_errors
    def agency_tasks(self, agency_id: str, role: v.Role | None = None) -> list[v.TaskView]:
        rows = self._read("MATCH (a:Agency {id: $id}) RETURN a.id AS id", id=agency_id)
        if not rows:
            rows = self._read("MATCH (a:Agency {name: $name}) RETURN a.id AS id", name=agency_id.strip())
        if not rows:
            raise NotFound(f"no agency {agency_id!r}")
        rels = {"lead": [Rel.LED_BY], "responsible": [Rel.RESPONSIBILITY_OF]}.get(
            role or "", [Rel.LED_BY, Rel.RESPONSIBILITY_OF]
        )
        return self._task_views(
            "EXISTS { MATCH (f)-[r]->(:Agency {id: $agency}) WHERE type(r) IN $rels }",
            agency=rows[0]["id"],
            rels=[str(r) for r in rels],
        )

    @_store_errors
    def targets(self, indicator: str | None = None, limit: int = 200, offset: int = 0) -> list[v.TargetView]:
        where, params = "true", {}
        if indicator and indicator.strip():
            key = indicator_key(indicator)
            exact = self._read(
                "MATCH (:Target)-[:MEASURES]->(i:Indicator {name: $key}) RETURN count(*) AS c", key=key
            )[0]["c"]
            if exact:
                where = "EXISTS { (f)-[:MEASURES]->(:Indicator {name: $key}) }"
            else:
                where = "EXISTS { MATCH (f)-[:MEASURES]->(i:Indicator) WHERE i.name CONTAINS $key }"
            params = {"key": key}
        views = [self._target_view(r) for r in self._facts(Label.TARGET, where, **params)]
        return self._page(sorted(views, key=self._target_sort), limit, offset)

    @_store_errors
    def neighborhood(self, node_id: str, depth: int = 1, limit: int = 300) -> v.Neighborhood:
        labels = sorted(schema().node_types)
        # one index seek per label: ids are unique per label, and a label-less match would scan
        union = " UNION ".join(
            f"MATCH (n:{_name(lbl)} {{id: $id}}) RETURN elementId(n) AS e" for lbl in labels
        )
        found = self._read(f"CALL {{ {union} }} RETURN e", id=node_id)
        if not found:
            raise NotFound(f"no node with id {node_id!r}")
        element = {node_id: found[0]["e"]}
        distance = {node_id: 0}
        frontier = [node_id]
        for level in range(1, depth + 1):
            if not frontier or len(distance) >= limit:
                break
            rows = self._read(
                "UNWIND $eids AS e MATCH (n)-[]-(m) WHERE elementId(n) = e AND m.id IS NOT NULL "
                "RETURN e, collect(DISTINCT [m.id, elementId(m)]) AS around",
                eids=[element[n] for n in frontier],
            )
            around_of = {r["e"]: r["around"] for r in rows}
            nxt = []
            for node in frontier:
                around = {mid: eid for mid, eid in around_of.get(element[node], [])}
                for other in sorted(around.keys() - distance.keys()):
                    if len(distance) >= limit:
                        break
                    distance[other] = level
                    element[other] = around[other]
                    nxt.append(other)
            frontier = nxt
        eids = [element[n] for n in distance]
        node_rows = self._read(
            "UNWIND $eids AS e MATCH (n) WHERE elementId(n) = e "
            "RETURN labels(n) AS labels, properties(n) AS p",
            eids=eids,
        )
        nodes_by_id = {}
        for row in node_rows:
            label = next(lbl for lbl in row["labels"] if not lbl.startswith("_"))
            nodes_by_id[row["p"][Key.ID]] = self._graph_node(label, _public(row["p"]))
        nodes = [nodes_by_id[n] for n in sorted(distance, key=lambda n: (distance[n], n))]
        edge_rows = self._read(
            "MATCH (a)-[r]->(b) WHERE elementId(a) IN $eids AND elementId(b) IN $eids "
            "RETURN a.id AS a, b.id AS b, type(r) AS rel, properties(r) AS p",
            eids=eids,
        )
        edges = [
            v.GraphEdge(
                id=edge_id(r["rel"], r["a"], r["b"]),
                source=r["a"],
                target=r["b"],
                type=r["rel"],
                properties=_public(r["p"]),
            )
            for r in edge_rows
        ]
        edges.sort(key=lambda e: (e.type, e.source, e.target))
        return v.Neighborhood(center=node_id, nodes=nodes, edges=edges)

    @staticmethod
    def _graph_node(label: str, p: dict[str, Any]) -> v.GraphNode:
        node_id = p[Key.ID]
        if label == Label.DOCUMENT:
            shown = p.get(Key.TITLE) or p.get(Key.DOC_NUMBER) or node_id
        elif label == Label.TASK:
            shown = p[Key.TEXT][:40]
        elif label == Label.TARGET:
            value = "" if p.get(Key.VALUE) is None else f" {p[Key.VALUE]:g}{p.get(Key.UNIT) or ''}"
            shown = p[Key.INDICATOR] + value
        else:
            shown = p.get(Key.NAME) or node_id
        return v.GraphNode(id=node_id, type=label, label=shown, properties=dict(p))
