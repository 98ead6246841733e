"""Neo4jStore: the Store protocol (graph/store.py) on a Neo4j 5 server over Bolt.

Writing. The graph is the same function of the ingested records as in EmbeddedStore: each
source's contributions to a node or edge are kept apart and the node shows
model.merge_nodes(contributions ordered by source). Here the contributions live on the node
or relationship itself, in two bookkeeping properties (`_src`: source names, `_contrib`: one
JSON object per source), and one `_Source` node per source file keeps its content hash, its
record, its 文号 entries (resolve.NumberIndex) and what it placed. An ingest is ONE write
transaction: it takes the writer lock (`_Meta`), reads the contributions it touches, asks the
store-neutral graph plan (graph/plan.py, as EmbeddedStore does) what each record changes and
writes the result back with batched UNWIND statements. A failure rolls everything back: no
half-written document. ingest_many writes a chunk of records per transaction, and while a
load into an empty database holds its state in memory it plans the next chunk while a writer
thread writes this one (_Pipeline).

Reading. Cypher fetches candidates (always with parameters; only names from the ontology are
pasted into a query, after graph/schema.py's identifier check); the final filters that use
the normalization functions (graph/normalize.py) and the sorting run in Python with the same
keys as EmbeddedStore, so both stores answer with equal views. Lineage expands
variable-length paths bounded by the depth, then graph/lineage.walk picks the paths.

Bookkeeping (labels and keys starting with "_") is never shown: not in views, stats or terms.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, wraps
from itertools import islice
from typing import Any, TypeVar
from urllib.parse import unquote, urlparse, urlunparse

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable
from policykg.graph import answers
from policykg.graph import views as v
from policykg.graph.cypher import (
    CypherAccessError,
    CypherError,
    CypherTimeout,
    ReadResult,
    check_plan,
    plain,
    run_read,
)
from policykg.graph.embedded import record_hash
from policykg.graph.gcpause import paused_gc
from policykg.graph.lineage import walk
from policykg.graph.model import (
    AGENCY_ID,
    CITATION_TYPES,
    LINEAGE_TYPES,
    Fragment,
    agency_id,
    build_fragment,
    edge_id,
    merge_edges,
    merge_nodes,
)
from policykg.graph.normalize import doc_number_key, indicator_key, text_key
from policykg.graph.ontology import Key, Label, Rel, SchemaViolation, schema
from policykg.graph.plan import LINK_TYPES, EdgeKey, Placement, number_entries, plan_change
from policykg.graph.resolve import NumberIndex, TitleIndex, resolve_title
from policykg.graph.schema import (
    META_LABEL,
    SOURCE_LABEL,
    TASK_ORDER,
    TITLE_KEYS,
    TITLE_KEYS_SEP,
    apply_schema,
)
from policykg.graph.store import Ambiguous, IngestStopped, NotFound, StoreError
from policykg.graph.stored import (
    LINK_CACHE,
    Contribution,
    Parsed,
    Prepared,
    contributions_of,
    joined_title_keys,
    shown,
    source_row,
)

from policykg.records import ExtractionRecord
from policykg.settings import neo4j_auth

__all__ = [
    "CypherAccessError",
    "CypherError",
    "CypherTimeout",
    "Neo4jStore",
    "ReadResult",
    "check_plan",
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
Group = tuple[str, str, str]  # (type, source label, target label)
# what _Ingest.rows() answers: node rows by (kind, label), edge rows by (kind, group), source
# rows by kind
Rows = tuple[
    dict[tuple[str, str], list[Any]], dict[tuple[str, Group], list[Any]], dict[str, list[dict[str, Any]]]
]

# Sources per write transaction of ingest_many: enough that round trips stop mattering, few
# enough that one transaction's state stays small beside a modest server heap.
CHUNK = 500
# node and edge entries an _Ingest may keep between transactions; past this it is dropped (and
# a load reads what it touches from then on). 6,000 documents into an empty server kept 1.2 M
# entries: with this limit 153 s, peak 2.7 GB; with 1 M, dropped half-way, 173 s, 2.6 GB
_CACHE_LIMIT = 3_000_000
# a write transaction refused for its size (the project's server limits transaction memory and
# time by default): its chunk is written again in halves, and later chunks start smaller
_TOO_LARGE = {
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
}


def _take_lock(tx: neo4j.ManagedTransaction, nonce: str) -> tuple[str | None, int]:
    """Take the writer lock (the `_Meta` writer node, held by the transaction that wrote it
    until it ends), leave `nonce` on it and count the write; answer the nonce the last holder
    left and the write count now (Neo4jStore._writer)."""
    tx.run(f"MERGE (m:{META_LABEL} {{id: 'writer'}}) SET m.writes = coalesce(m.writes, 0) + 1").consume()
    row = tx.run(
        f"MATCH (m:{META_LABEL} {{id: 'writer'}}) WITH m, m.nonce AS last SET m.nonce = $nonce "
        "RETURN last, m.writes AS writes",
        nonce=nonce,
    ).single(strict=True)
    return row["last"], row["writes"]


class _NeedsDatabase(Exception):
    """A plan made ahead, outside a transaction (_Pipeline), needed to read the database."""


class _Stale(Exception):
    """The database is no longer as the plan made ahead assumed: the chunk before it did not
    commit, or another writer came in between (the writer lock's nonce tells)."""


class _ChunkTooLarge(Exception):
    """A chunk of several records ran into the server's transaction limits (its argument: the
    Neo4j error code). Not a Neo4jError: the driver does not retry it, _store_errors lets it by."""


@contextmanager
def _refused_for_size(records: int) -> Iterator[None]:
    """A refusal for the transaction's memory or time, of a chunk of several records, raised as
    _ChunkTooLarge: the driver would retry the whole chunk, and it would fail again."""
    try:
        yield
    except Neo4jError as err:
        if err.code in _TOO_LARGE and records > 1:
            raise _ChunkTooLarge(err.code) from err
        raise


@cache
def _node_cypher(kind: str, label: str) -> str:
    """The statement of one kind for one label, built only for labels a transaction touches and
    cached, so each text is constant and Neo4j plans it once. Names are the ontology's, checked
    by _name; all data travels as parameters. A node with a single contribution stores no
    `_contrib`: its properties are that contribution."""
    n = _name(label)
    return {
        "load": f"UNWIND $rows AS id MATCH (n:{n} {{id: id}}) RETURN n.id AS id, n._src AS src, "
        "n._contrib AS contrib, CASE WHEN n._contrib IS NULL THEN properties(n) END AS props",
        "drop": f"UNWIND $rows AS id MATCH (n:{n} {{id: id}}) DETACH DELETE n",
        "create": f"UNWIND $rows AS row CREATE (n:{n}) SET n = row",
        "update": f"UNWIND $rows AS row MATCH (n:{n} {{id: row.id}}) SET n = row",
    }[kind]


@cache
def _edge_cypher(kind: str, group: Group) -> str:
    """As _node_cypher, for one (type, source label, target label); rows are [source id,
    target id] (load, drop) or [source id, target id, properties] (create, update)."""
    rel, src, dst = (_name(name) for name in group)
    # from the source by its id index, then along its edges of this type to the target. This
    # graph's edges point from the particular to the general (a task to the clause it carries
    # out, a plan to its outline): the source has few, the target may have thousands. Left to
    # itself the planner may start at the target and filter all of them (15 times slower at 3k
    # documents, and worse as the graph grows), or join both ends' seeks on small graphs.
    match = f"MATCH (a:{src} {{id: row[0]}})-[r:{rel}]->(b:{dst}) USING INDEX a:{src}(id) WHERE b.id = row[1]"
    return {
        "load": f"UNWIND $rows AS row {match} RETURN row[0] AS a, row[1] AS b, r._src AS src, "
        "r._contrib AS contrib, CASE WHEN r._contrib IS NULL THEN properties(r) END AS props",
        "drop": f"UNWIND $rows AS row {match} DELETE r",
        "create": f"UNWIND $rows AS row MATCH (a:{src} {{id: row[0]}}) MATCH (b:{dst} {{id: row[1]}}) "
        f"CREATE (a)-[r:{rel}]->(b) SET r = row[2]",
        "update": f"UNWIND $rows AS row {match} SET r = row[2]",
    }[kind]


# TASK_ORDER of task f in document d: the parts of answers.fact_key, each between \u0000 (below
# every character of a title or id, so a shorter title orders first, as it does in the tuple);
# the span start zero-padded so text order is number order, "~" (after the digits) for none
_TASK_ORDER_OF = (
    "CASE WHEN d.title IS NULL THEN '1' ELSE '0' + d.title END + '\\u0000' + d.id + '\\u0000' + "
    "CASE WHEN f.source IS NULL OR f.span_start IS NULL THEN '~' "
    "ELSE right('000000000000' + toString(f.span_start), 12) END + '\\u0000' + f.id"
)
# kept for the tasks a transaction writes and for every task of a document it updates
_TASK_ORDER_CYPHER = {
    "tasks": "UNWIND $rows AS id MATCH (d:Document)-[:HAS_TASK]->(f:Task {id: id}) "
    f"SET f.{TASK_ORDER} = {_TASK_ORDER_OF}",
    "documents": "UNWIND $rows AS id MATCH (d:Document {id: id})-[:HAS_TASK]->(f:Task) "
    f"SET f.{TASK_ORDER} = {_TASK_ORDER_OF}",
}

_SOURCE_CYPHER = {
    "load": f"UNWIND $rows AS name MATCH (s:{SOURCE_LABEL} {{name: name}}) RETURN s.name AS name, "
    "s.content_hash AS hash, s.nodes AS nodes, s.edges AS edges, s.numbers AS numbers, s.placed AS placed",
    "records": f"UNWIND $rows AS name MATCH (s:{SOURCE_LABEL} {{name: name}}) "
    "RETURN s.name AS name, s.record AS record",
    "numbers": f"MATCH (s:{SOURCE_LABEL}) WHERE any(k IN s.number_keys WHERE k IN $rows) "
    "RETURN s.name AS name, s.numbers AS numbers",
    "create": f"UNWIND $rows AS row CREATE (s:{SOURCE_LABEL}) SET s = row",
    "update": f"UNWIND $rows AS row MATCH (s:{SOURCE_LABEL} {{name: row.name}}) SET s += row",
}


@cache
def _citers_cypher() -> str:
    """The LINK_TYPES edges into the documents of $rows (graph/plan.py: clause links)."""
    doc, types = _name(Label.DOCUMENT), "|".join(_name(t) for t in sorted(LINK_TYPES))
    return (
        f"UNWIND $rows AS id MATCH (a:{doc})-[r:{types}]->(:{doc} {{id: id}}) "
        "RETURN a.id AS a, id AS b, type(r) AS t"
    )


@cache
def _clause_edges_cypher() -> str:
    """The HAS_CLAUSE edges of the documents of $rows (graph/plan.py: clause links)."""
    doc, clause = _name(Label.DOCUMENT), _name(Label.CLAUSE)
    return (
        f"UNWIND $rows AS id MATCH (:{doc} {{id: id}})-[:{_name(Rel.HAS_CLAUSE)}]->(c:{clause}) "
        "RETURN id AS a, c.id AS b"
    )


@dataclass
class _SourceState:
    name: str
    content_hash: str | None = None
    counts: tuple[int, int] = (0, 0)  # nodes and edges of its fragment, as its report says
    record: str | None = None  # the record JSON; read only when a re-placement needs it
    numbers: list[list[Any]] = field(default_factory=list)  # [number_key, doc_id, full, titled]
    placed_nodes: list[list[str]] = field(default_factory=list)  # [label, id]
    placed_edges: list[list[str]] = field(default_factory=list)  # [src, dst, type, src label, dst label]
    stored: bool = False  # its _Source node exists


class _Ingest:
    """Ingests into one database: applies graph/plan.py's changes (it is the plan's PlanState)
    over the state the ingested sources touch, read from the database in batches and written
    back by write() at the end of each transaction.

    What it read or wrote stays true after the commit as long as no other writer commits in
    between (Neo4jStore checks that at the writer lock), so one object serves transaction
    after transaction of a bulk load and reads only what it has not seen yet. `complete`: the
    database held nothing when this object began, so what it has not seen does not exist and
    it reads nothing at all."""

    def __init__(self, complete: bool = False):
        self.tx: neo4j.ManagedTransaction | None = None
        self.complete = complete
        self.nonce: str | None = None  # the writer lock as this object's last transaction left it
        self.writes = 0
        self.labels: dict[str, str] = {}  # node id → label
        self.nodes: dict[NodeKey, dict[str, Contribution]] = {}  # id → source → contribution
        self.edges: dict[EdgeKey, dict[str, Contribution]] = {}
        self.edge_labels: dict[EdgeKey, tuple[str, str]] = {}
        # what exists in the database: CREATE for the rest (MERGE would look each one up)
        self.stored_nodes: set[NodeKey] = set()
        self.stored_edges: set[EdgeKey] = set()
        self.sources: dict[str, _SourceState] = {}
        self.checked: set[str] = set()  # source names looked up, found or not
        self.index = NumberIndex()
        self.loaded_numbers: set[str] = set()
        # for clause links: LINK_TYPES edges seen, by target document; fragments linked to
        self.citing: dict[str, set[EdgeKey]] = {}
        self.clause_edges: dict[str, set[EdgeKey]] = {}  # HAS_CLAUSE edges seen, by document
        # documents whose stored citers / clause edges were read: later changes are in memory
        self.citers_read: set[str] = set()
        self.clauses_read: set[str] = set()
        self.link_fragments: dict[str, tuple[str | None, Fragment]] = {}
        # this transaction's work
        self.fragments: dict[str, Fragment] = {}  # sources (re)placed
        self.ingested: set[str] = set()
        # nodes and edges this transaction touched → their contributions as stored before it
        # (None: not stored), so what a re-placement left as it was is not written again
        self.dirty_nodes: dict[NodeKey, dict[str, Contribution] | None] = {}
        self.dirty_edges: dict[EdgeKey, dict[str, Contribution] | None] = {}

    def begin(self, tx: neo4j.ManagedTransaction | None) -> None:
        """Start a transaction's work; with none, a plan made ahead (_Pipeline), which must
        not need to read the database."""
        self.tx = tx
        self.fragments, self.ingested = {}, set()
        self.dirty_nodes, self.dirty_edges = {}, {}

    def size(self) -> int:
        return len(self.nodes) + len(self.edges)

    def _run(self, cypher: str, rows: list[Any]) -> Iterator[neo4j.Record]:
        if self.tx is None:
            raise _NeedsDatabase(cypher)
        return iter(self.tx.run(cypher, rows=rows))

    def _consume(self, cypher: str, rows: list[Any]) -> None:
        if self.tx is None:
            raise _NeedsDatabase(cypher)
        self.tx.run(cypher, rows=rows).consume()

    # reading state ------------------------------------------------------------------
    def load_sources(self, names: Iterable[str]) -> None:
        wanted = sorted(set(names) - self.checked)
        self.checked.update(wanted)
        if not wanted or self.complete:
            return
        for row in self._run(_SOURCE_CYPHER["load"], wanted):
            placed = json.loads(row["placed"] or "{}")
            self.sources[row["name"]] = _SourceState(
                name=row["name"],
                content_hash=row["hash"],
                counts=(row["nodes"] or 0, row["edges"] or 0),
                numbers=json.loads(row["numbers"] or "[]"),
                placed_nodes=placed.get("nodes", []),
                placed_edges=placed.get("edges", []),
                stored=True,
            )

    def load_records(self, names: Iterable[str]) -> None:
        wanted = [name for name in names if self.sources[name].record is None]
        if wanted:
            for row in self._run(_SOURCE_CYPHER["records"], wanted):
                self.sources[row["name"]].record = row["record"]
        for name in wanted:
            if self.sources[name].record is None:
                raise StoreError(f"source {name!r} has no stored record; wipe and re-ingest")

    def load_numbers(self, numbers: Iterable[str]) -> None:
        """Fill the NumberIndex with every stored source's entries for these 文号 keys."""
        wanted = set(numbers) - self.loaded_numbers
        self.loaded_numbers |= wanted
        if not wanted or self.complete:
            return
        for row in self._run(_SOURCE_CYPHER["numbers"], sorted(wanted)):
            for number, doc_id, full, titled in json.loads(row["numbers"] or "[]"):
                if number in wanted:
                    self.index.add(row["name"], number, doc_id, full=full, titled=titled)

    def load(
        self, nodes: Iterable[tuple[str, str]], edges: Iterable[tuple[EdgeKey, tuple[str, str]]]
    ) -> None:
        """Read the contributions of these nodes ((label, id)) and edges (key, labels) not seen
        yet: one statement per label and per relationship group present."""
        if self.complete:
            return
        node_ids: dict[str, list[str]] = defaultdict(list)
        for label, node_id in nodes:
            if node_id not in self.nodes:
                self.nodes[node_id] = {}
                self.labels[node_id] = label
                node_ids[label].append(node_id)
        pairs: dict[Group, list[list[str]]] = defaultdict(list)
        for key, (src_label, dst_label) in edges:
            if key not in self.edges:
                self.edges[key] = {}
                self.edge_labels[key] = (src_label, dst_label)
                self._index_edge(key)
                pairs[(key[2], src_label, dst_label)].append([key[0], key[1]])
        for label, ids in sorted(node_ids.items()):
            for row in self._run(_node_cypher("load", label), ids):
                self.nodes[row["id"]] = contributions_of(row["src"], row["contrib"], row["props"])
                self.stored_nodes.add(row["id"])
        # an edge with an end known not to be stored is not stored either (a new task's edges):
        # nothing to ask the database
        known, stored = self.nodes, self.stored_nodes
        for group, rows in sorted(pairs.items()):
            rows = [r for r in rows if all(end not in known or end in stored for end in r)]
            if not rows:
                continue
            for row in self._run(_edge_cypher("load", group), rows):
                key = (row["a"], row["b"], group[0])
                self.edges[key] = contributions_of(row["src"], row["contrib"], row["props"])
                self.stored_edges.add(key)

    def prefetch(self, fragments: Iterable[Fragment]) -> None:
        """Read up front, in a few statements, what ingesting these fragments will touch (apply
        then reads only stragglers, such as the node a 文号 now lands on)."""
        fragments = list(fragments)
        self.load_sources(f.source for f in fragments)
        numbers = {n[0] for f in fragments for n in number_entries(f)}
        numbers |= {
            n[0] for f in fragments if f.source in self.sources for n in self.sources[f.source].numbers
        }
        self.load_numbers(numbers)
        nodes: list[tuple[str, str]] = []
        edges: list[tuple[EdgeKey, tuple[str, str]]] = []
        for fragment in fragments:
            state = self.sources.get(fragment.source)
            if state:
                nodes += [(label, node_id) for label, node_id in state.placed_nodes]
                edges += [((s, d, t), (sl, dl)) for s, d, t, sl, dl in state.placed_edges]
            label_of = {n.id: n.label for n in fragment.nodes}
            nodes += [(n.label, n.id) for n in fragment.nodes]
            edges += [
                ((e.source, e.target, e.type), (label_of[e.source], label_of[e.target]))
                for e in fragment.edges
            ]
        self.load(nodes, edges)
        if self.complete:
            return
        # what clause links will ask, for the whole chunk at once: who cites the documents
        # whose clauses change, and which sources hold the clauses of the documents cited
        self.citing_sources(
            {e.source for f in fragments for e in f.edges if e.type == Rel.HAS_CLAUSE}
            | {s for f in fragments for s in self.clause_documents_of(f.source)}
        )
        parents = {e.target for f in fragments for e in f.edges if e.type in LINK_TYPES}
        self.clause_sources(parents)
        clause = str(Label.CLAUSE)
        self.load([(clause, key[1]) for doc in parents for key in self.clause_edges.get(doc, ())], [])

    # graph/plan.PlanState: what the planner reads, loaded from the database as needed ------
    def numbers_of(self, source: str) -> set[str]:
        self.load_sources([source])
        state = self.sources.get(source)
        return {n[0] for n in state.numbers} if state else set()

    def stored(self, sources: Iterable[str]) -> set[str]:
        names = set(sources)
        self.load_sources(names)
        return {s for s in names if s in self.sources}

    def need_numbers(self, numbers: set[str]) -> None:
        self.load_numbers(numbers)

    def fragment_for_links(self, source: str) -> Fragment:
        self.load_sources([source])
        digest = self.sources[source].content_hash
        cached = self.link_fragments.get(source)
        if cached is None or cached[0] != digest:
            if len(self.link_fragments) >= LINK_CACHE:
                self.link_fragments.clear()
            self.load_records([source])
            fragment = build_fragment(ExtractionRecord.from_json(self.sources[source].record or ""))
            cached = self.link_fragments[source] = (digest, fragment)
        return cached[1]

    def clause_sources(self, doc_ids: set[str]) -> dict[str, set[str]]:
        wanted = sorted(doc_ids - self.clauses_read)
        if wanted and not self.complete:
            self.clauses_read.update(wanted)
            rows = self._run(_clause_edges_cypher(), wanted)
            labels = (str(Label.DOCUMENT), str(Label.CLAUSE))
            self.load([], [((row["a"], row["b"], str(Rel.HAS_CLAUSE)), labels) for row in rows])
        found: dict[str, set[str]] = {}
        for doc_id in doc_ids:
            names = {name for key in self.clause_edges.get(doc_id, ()) for name in self.edges.get(key) or {}}
            if names:
                found[doc_id] = names
        return found

    def _index_edge(self, key: EdgeKey) -> None:
        """Note an edge the clause links ask about (citing, clause_edges) as it becomes known."""
        if key[2] in LINK_TYPES:
            self.citing.setdefault(key[1], set()).add(key)
        elif key[2] == Rel.HAS_CLAUSE:
            self.clause_edges.setdefault(key[0], set()).add(key)

    def citing_sources(self, doc_ids: set[str]) -> set[str]:
        wanted = sorted(doc_ids - self.citers_read)
        if wanted and not self.complete:
            self.citers_read.update(wanted)
            rows = self._run(_citers_cypher(), wanted)
            doc = str(Label.DOCUMENT)
            keys = [((row["a"], row["b"], row["t"]), (doc, doc)) for row in rows]
            self.load([], keys)
        found: set[str] = set()
        for doc_id in doc_ids:
            for key in self.citing.get(doc_id, ()):
                found |= set(self.edges.get(key) or {})
        return found

    def clause_documents_of(self, source: str) -> set[str]:
        self.load_sources([source])
        state = self.sources.get(source)
        return {s for s, _, t, _, _ in state.placed_edges if t == Rel.HAS_CLAUSE} if state else set()

    def fragments_of(self, sources: list[str]) -> dict[str, Fragment]:
        # a fragment this job already built (or placed) is that record's: rebuilding is pure
        missing = [name for name in sources if name not in self.fragments]
        self.load_records(missing)
        for name in missing:
            self.fragments[name] = build_fragment(ExtractionRecord.from_json(self.sources[name].record or ""))
        return {name: self.fragments[name] for name in sources}

    # applying the plan ------------------------------------------------------------------
    def apply(self, source: str, fragment: Fragment, record_json: str) -> None:
        change = plan_change(self, source, fragment)
        self.fragments[source] = fragment
        state = self.sources.setdefault(source, _SourceState(name=source))
        state.record = record_json
        state.numbers = [list(e) for e in change.entries]
        if not self.complete:
            wanted_nodes: list[tuple[str, str]] = []
            wanted_edges: list[tuple[EdgeKey, tuple[str, str]]] = []
            for name in change.retract:
                placed = self.sources[name]
                wanted_nodes += [(label, node_id) for label, node_id in placed.placed_nodes]
                wanted_edges += [((s, d, t), (sl, dl)) for s, d, t, sl, dl in placed.placed_edges]
            for placement in change.placements.values():
                wanted_nodes += [(label, node_id) for node_id, (label, _) in placement.nodes.items()]
                wanted_edges += [(key, labels) for key, (labels, _) in placement.edges.items()]
            self.load(wanted_nodes, wanted_edges)
        for name in change.retract:
            self.unplace(name)
        for name, placement in change.placements.items():
            self.place(name, placement)

    def unplace(self, name: str) -> None:
        state = self.sources[name]
        for s, d, t, _, _ in state.placed_edges:
            self._touch_edge((s, d, t))
            self.edges.get((s, d, t), {}).pop(name, None)
        for _, node_id in state.placed_nodes:
            self._touch_node(node_id)
            self.nodes.get(node_id, {}).pop(name, None)
        state.placed_nodes, state.placed_edges = [], []

    def _touch_node(self, node_id: NodeKey) -> None:
        if node_id not in self.dirty_nodes:
            stored = node_id in self.stored_nodes
            self.dirty_nodes[node_id] = dict(self.nodes.get(node_id, {})) if stored else None

    def _touch_edge(self, key: EdgeKey) -> None:
        if key not in self.dirty_edges:
            stored = key in self.stored_edges
            self.dirty_edges[key] = dict(self.edges.get(key, {})) if stored else None

    def place(self, name: str, placement: Placement) -> None:
        state = self.sources[name]
        for node_id, (label, props) in placement.nodes.items():
            self._touch_node(node_id)
            self.labels.setdefault(node_id, label)
            self.nodes.setdefault(node_id, {})[name] = props
            state.placed_nodes.append([label, node_id])
        for key, (labels, props) in placement.edges.items():
            self._touch_edge(key)
            self._index_edge(key)
            self.edge_labels.setdefault(key, labels)
            self.edges.setdefault(key, {})[name] = props
            state.placed_edges.append([key[0], key[1], key[2], labels[0], labels[1]])

    def apply_records(self, prepared: Prepared) -> list[str]:
        """Apply a chunk's records in order, each as if ingested on its own; their statuses."""
        statuses = []
        for i, (record, digest) in enumerate(zip(prepared.records, prepared.digests, strict=True)):
            state = self.sources.get(record.source)
            if state is not None and state.content_hash == digest:
                statuses.append("unchanged")  # also when another writer stored it meanwhile
                continue
            fragment, text = prepared.built[i] if i in prepared.built else prepared.build(i)
            statuses.append("replaced" if state is not None and state.content_hash else "ingested")
            self.apply(record.source, fragment, text)
            state = self.sources[record.source]
            state.content_hash = digest
            state.counts = (len(fragment.nodes), len(fragment.edges))
            self.ingested.add(record.source)
        return statuses

    # writing state -----------------------------------------------------------------
    def rows(self) -> Rows:
        """This transaction's changes as statement rows: per (kind, label) the nodes, per (kind,
        relationship group) the edges, per kind the _Source nodes; kind is drop, create or
        update. A complete first load has only creates (graph/bulk.py writes them as CSV)."""
        node_rows: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for node_id, before in self.dirty_nodes.items():
            label = self.labels[node_id]
            contributions = self.nodes.get(node_id)
            stored = node_id in self.stored_nodes
            if contributions and stored and _same(before, contributions):
                continue  # re-placed as it was: what is stored stays true
            if contributions:
                props = shown(merge_nodes(label, Parsed(contributions, sorted(contributions))), contributions)
                if label == Label.DOCUMENT:
                    props[TITLE_KEYS] = joined_title_keys(props)
                node_rows["update" if stored else "create", label].append(props)
                self.stored_nodes.add(node_id)
            elif stored:
                node_rows["drop", label].append(node_id)
                self.stored_nodes.discard(node_id)
        edge_rows: dict[tuple[str, Group], list[Any]] = defaultdict(list)
        for key, before in self.dirty_edges.items():
            group = (key[2], *self.edge_labels[key])
            contributions = self.edges.get(key)
            stored = key in self.stored_edges
            if contributions and stored and _same(before, contributions):
                continue
            if contributions:
                props = shown(merge_edges(Parsed(contributions, sorted(contributions))), contributions)
                edge_rows["update" if stored else "create", group].append([key[0], key[1], props])
                self.stored_edges.add(key)
            elif stored:
                edge_rows["drop", group].append([key[0], key[1]])
                self.stored_edges.discard(key)
        source_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for name in sorted(self.fragments):
            state = self.sources[name]
            row = {"name": name} | source_row(state.numbers, state.placed_nodes, state.placed_edges)
            if name in self.ingested:
                nodes, edges = state.counts
                row |= {
                    "record": state.record,
                    "content_hash": state.content_hash,
                    "nodes": nodes,
                    "edges": edges,
                }
            source_rows["update" if state.stored else "create"].append(row)
            state.stored = True
            if not self.complete:  # stored now; read back only if a re-placement needs it
                state.record = None

        return node_rows, edge_rows, source_rows

    def write(self) -> None:
        """Write this transaction's changes (rows(), sent by _send)."""
        _send(self._consume, self.rows())


def _send(consume: Callable[[str, list[Any]], None], rows: Rows) -> None:
    """Send a transaction's rows: per label and relationship group present, one UNWIND
    statement each for what leaves, what is new (CREATE) and what changed."""
    node_rows, edge_rows, source_rows = rows
    # edges leave before their nodes; new nodes exist before the edges that need them
    for kind, group in sorted(k for k in edge_rows if k[0] == "drop"):
        consume(_edge_cypher(kind, group), edge_rows[kind, group])
    for kind in ("drop", "create", "update"):
        for label in sorted(lbl for k, lbl in node_rows if k == kind):
            consume(_node_cypher(kind, label), node_rows[kind, label])
    for kind in ("create", "update"):
        for group in sorted(g for k, g in edge_rows if k == kind):
            consume(_edge_cypher(kind, group), edge_rows[kind, group])
    for kind, found in sorted(source_rows.items()):
        consume(_SOURCE_CYPHER[kind], found)
    # a rewritten task lost its order key (SET n = row), and a document's title may change
    # without its tasks changing
    if tasks := [p[Key.ID] for k in ("create", "update") for p in node_rows.get((k, Label.TASK), [])]:
        consume(_TASK_ORDER_CYPHER["tasks"], tasks)
    if documents := [p[Key.ID] for p in node_rows.get(("update", Label.DOCUMENT), [])]:
        consume(_TASK_ORDER_CYPHER["documents"], documents)


def _same(before: dict[str, Contribution] | None, now: dict[str, Contribution]) -> bool:
    """Whether a node's or edge's contributions are those it was stored with. Each is a
    properties dict or its JSON text (stored.dump, canonical), as read or as kept after a write:
    two of one kind compare as they are, a dict and a text once parsed."""
    if before is None or before.keys() != now.keys():
        return False
    for name, was in before.items():
        is_ = now[name]
        if was is is_ or was == is_:
            continue
        if isinstance(was, str) == isinstance(is_, str) or _parsed(was) != _parsed(is_):
            return False
    return True


def _parsed(contribution: Contribution) -> dict[str, Any]:
    return json.loads(contribution) if isinstance(contribution, str) else contribution


class _Pipeline:
    """ingest_many's writes, one chunk written while the next is planned. A chunk's plan is
    made in the client (placing, linking, rows: most of a load's time) and its rows written by
    the server. While the state of a load into an empty database is all in memory, the next
    chunk is planned as if this one had committed, while a writer thread sends this one. Its
    transaction checks the writer lock's nonce: the chunk before committed and nobody else
    wrote. When a chunk is not written (the server refused it, another writer came, or its plan
    needed to read the database), the chunks from it on are written again as plain
    transactions (Neo4jStore._ingest_fitting) against what the database holds."""

    def __init__(self, store: Neo4jStore):
        self.store = store
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="policykg-write")
        # planned chunks not known to be written, oldest first
        self.flight: deque[tuple[Prepared, Future[None], list[v.IngestReport]]] = deque()
        self.done: list[v.IngestReport] = []  # reports of written chunks not yet taken

    def __enter__(self) -> _Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.writer.shutdown(wait=True)

    def take(self) -> list[v.IngestReport]:
        done, self.done = self.done, []
        return done

    def ingest(self, prepared: Prepared) -> None:
        """Write a chunk: planned ahead while the one before is written, or else (the first
        chunk, a state that must read) as a plain transaction once the ones before are."""
        n, size = len(prepared.records), self.store.chunk_size
        if n > size:  # prepared before a smaller size was learnt (_ingest_fitting)
            for start in range(0, n, size):
                self.ingest(prepared.part(start, min(n, start + size)))
            return
        try:
            planned = self.store._plan_ahead(prepared)
        except Exception:  # planning ahead only saves time: the plain way meets any error again
            self.store._cache = None  # half-applied: the plain way starts from the database
            planned = None
        if planned is None:
            self.drain()
            self.done += self.store._ingest_fitting(prepared)
            return
        rows, reports, expected, after = planned
        future = self.writer.submit(self.store._write_ahead, rows, expected, after, len(prepared.records))
        self.flight.append((prepared, future, reports))
        while len(self.flight) > 1:
            self._settle(again=True)

    def drain(self) -> None:
        while self.flight:
            self._settle(again=True)

    def abandon(self) -> None:
        """After a failure elsewhere: wait for what is in flight, keep the reports of what was
        written, write nothing more."""
        while self.flight:
            self._settle(again=False)

    def _settle(self, again: bool) -> None:
        """Wait for the oldest chunk in flight. Written: its reports are done. Not written: wait
        for all in flight; a chunk commits only on the nonce the one before left, so those up to
        the last written one were written, and the rest are written again (`again`) or not."""
        _, future, reports = self.flight[0]
        if future.exception() is None:
            self.flight.popleft()
            self.done += self.store._committed(reports)
            return
        self.store._cache = None
        flight = list(self.flight)
        self.flight.clear()
        last = max((i for i, (_, f, _) in enumerate(flight) if f.exception() is None), default=-1)
        for i, (chunk, _, planned) in enumerate(flight):
            if i <= last:
                self.done += self.store._committed(planned)
            elif again:
                self.done += self.store._ingest_fitting(chunk)


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
        self.chunk_size = CHUNK
        self._cache: _Ingest | None = None  # see _writer
        self._titles: tuple[str | None, TitleIndex] | None = None  # see _title_index
        try:
            # constraints make MERGE on ids safe and fast; IF NOT EXISTS makes this cheap
            apply_schema(self._driver, database)
        except Neo4jError as err:
            self._driver.close()
            raise StoreError(f"cannot create the Neo4j schema: {err.message}") from None
        try:
            self._backfill_layout()
        except (Neo4jError, DriverError, ServiceUnavailable) as err:
            self._driver.close()
            raise StoreError(f"cannot add the title keys and task order to the stored graph: {err}") from None

    _LAYOUT = f"MERGE (m:{META_LABEL} {{id: 'layout'}}) SET m.{TITLE_KEYS} = true, m.{TASK_ORDER} = true"

    def _backfill_layout(self) -> None:
        """A database written before Documents carried TITLE_KEYS, or Tasks TASK_ORDER, or
        loaded by the bulk importer (which writes neither), gets them, in batches, once (marked
        on the `_Meta {id: 'layout'}` node, which a wipe puts back)."""
        done = self._read(
            f"OPTIONAL MATCH (m:{META_LABEL} {{id: 'layout'}}) "
            f"RETURN m.{TITLE_KEYS} AS titles, m.{TASK_ORDER} AS order"
        )[0]
        if done["titles"] and done["order"]:
            return
        while not done["titles"] and (
            batch := self._read(
                f"MATCH (d:Document) WHERE d.{TITLE_KEYS} IS NULL "
                "RETURN d{.id, .title_key, .aliases} AS d LIMIT 10000"
            )
        ):
            self._driver.execute_query(
                f"UNWIND $rows AS row MATCH (d:Document {{id: row[0]}}) SET d.{TITLE_KEYS} = row[1]",
                {"rows": [[r["d"]["id"], joined_title_keys(r["d"])] for r in batch]},
                database_=self.database,
            )
        if not done["order"]:
            with self._driver.session(database=self.database) as session:
                session.run(
                    "MATCH (d:Document)-[:HAS_TASK]->(f:Task) "
                    f"CALL (d, f) {{ SET f.{TASK_ORDER} = {_TASK_ORDER_OF} }} IN TRANSACTIONS OF 20000 ROWS"
                ).consume()
        self._driver.execute_query(self._LAYOUT, database_=self.database)

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
        byte_limit: int = 10_000_000,
    ) -> ReadResult:
        """Analyst Cypher, read-only (graph/cypher.py)."""
        return run_read(
            self._driver,
            cypher,
            params,
            database=self.database,
            timeout_s=timeout_s,
            row_limit=row_limit,
            byte_limit=byte_limit,
        )

    # -- writing ----------------------------------------------------------------------------
    @_store_errors
    def ingest(self, record: ExtractionRecord) -> v.IngestReport:
        return self._ingest_chunk(self._prepare([record]))[0]

    def ingest_many(self, records: Iterable[ExtractionRecord]) -> list[v.IngestReport]:
        """As ingest() on each record in turn, `chunk_size` records per transaction.

        Pipelined: while one chunk's transaction runs (most of it waiting for the server), a
        worker thread prepares the next chunk (fragments and record JSON, graph/plan.py's
        pure first step), unless the two chunks share a source (the next one's preparation
        must then see what this one stores)."""
        reports: list[v.IngestReport] = []
        pending = iter(records)
        # graph/gcpause.py: a load's objects are not garbage
        with (
            paused_gc(),
            ThreadPoolExecutor(1, thread_name_prefix="policykg-prepare") as worker,
            _Pipeline(self) as pipeline,
        ):
            chunk = list(islice(pending, self.chunk_size))
            ahead: Future[Prepared] | None = worker.submit(self._prepare, chunk) if chunk else None
            try:
                while chunk:
                    prepared = ahead.result() if ahead is not None else self._prepare(chunk)
                    upcoming = list(islice(pending, self.chunk_size))
                    shared = {r.source for r in upcoming} & {r.source for r in chunk}
                    ahead = worker.submit(self._prepare, upcoming) if upcoming and not shared else None
                    pipeline.ingest(prepared)
                    reports += pipeline.take()
                    chunk = upcoming
                pipeline.drain()
                reports += pipeline.take()
            except (StoreError, SchemaViolation) as err:
                pipeline.abandon()
                raise IngestStopped(reports + pipeline.take(), err) from err
        return reports

    @_store_errors
    def _prepare(self, records: list[ExtractionRecord]) -> Prepared:
        """What a chunk needs that is a pure function of its records: the fragments and record
        texts of the records that will change as far as the database tells now (the
        transaction checks again under the lock and builds any other one it needs)."""
        prepared = Prepared(records, [record_hash(r) for r in records])
        stored = {
            row["name"]: row
            for row in self._read(
                f"UNWIND $names AS name MATCH (s:{SOURCE_LABEL} {{name: name}}) "
                "RETURN s.name AS name, s.content_hash AS hash, s.nodes AS nodes, s.edges AS edges",
                names=sorted({r.source for r in records}),
            )
        }
        known = {name: row["hash"] for name, row in stored.items()}
        for i, (record, digest) in enumerate(zip(records, prepared.digests, strict=True)):
            if known.get(record.source) != digest:
                prepared.build(i)
                known[record.source] = digest
        if not prepared.built:
            prepared.unchanged = [
                self._report(r, "unchanged", stored[r.source]["nodes"] or 0, stored[r.source]["edges"] or 0)
                for r in records
            ]
        return prepared

    def _ingest_fitting(self, prepared: Prepared) -> list[v.IngestReport]:
        """_ingest_chunk, split in halves as long as the server refuses a chunk's transaction
        for its size; later chunks then start at the size that fitted."""
        n, size = len(prepared.records), self.chunk_size
        if n > size:  # prepared (ahead) before a smaller size was learnt
            parts = [prepared.part(start, min(n, start + size)) for start in range(0, n, size)]
            return [report for part in parts for report in self._ingest_fitting(part)]
        try:
            return self._ingest_chunk(prepared)
        except _ChunkTooLarge as err:
            half = n // 2
            self.chunk_size = max(1, min(self.chunk_size, half))
            print(
                f"neo4j: {n} records in one transaction exceeded the server's limit ({err}); "
                f"writing {half} at a time",
                file=sys.stderr,
                flush=True,
            )
            return self._ingest_fitting(prepared.part(0, half)) + self._ingest_fitting(prepared.part(half, n))

    @_store_errors
    def _ingest_chunk(self, prepared: Prepared) -> list[v.IngestReport]:
        """Store a chunk's records atomically, each as if ingested on its own, in order."""
        if prepared.unchanged is not None:
            return prepared.unchanged
        records, built = prepared.records, prepared.built

        def work(tx: neo4j.ManagedTransaction) -> tuple[_Ingest, list[str]]:
            job = self._writer(tx)
            with _refused_for_size(len(records)):
                job.load_sources(r.source for r in records)
                if not job.complete:
                    job.prefetch(fragment for fragment, _ in built.values())
                statuses = job.apply_records(prepared)
                job.write()
            return job, statuses

        # also around the session: the timeout may be met at commit
        with self._driver.session(database=self.database) as session, _refused_for_size(len(records)):
            job, statuses = session.execute_write(work)
        self._keep(job)
        return self._committed(self._reports(prepared, statuses, job))

    def _keep(self, job: _Ingest) -> None:
        """Keep the state for the next transaction (see _writer), unless it grew too large."""
        self._cache = job if job.size() <= _CACHE_LIMIT else None

    def _reports(self, prepared: Prepared, statuses: list[str], job: _Ingest) -> list[v.IngestReport]:
        reports = []
        for i, (record, status) in enumerate(zip(prepared.records, statuses, strict=True)):
            fragment = prepared.built[i][0] if status != "unchanged" else None
            nodes, edges = (
                job.sources[record.source].counts
                if fragment is None
                else (len(fragment.nodes), len(fragment.edges))
            )
            reports.append(self._report(record, status, nodes, edges))
        return reports

    def _committed(self, reports: list[v.IngestReport]) -> list[v.IngestReport]:
        for report in reports:
            if report.status != "unchanged":
                self._progress.add(report.documents, report.nodes + report.edges)
        return reports

    def _plan_ahead(
        self, prepared: Prepared
    ) -> tuple[Rows, list[v.IngestReport], tuple[str | None, int], tuple[str, int]] | None:
        """A chunk's rows and reports planned outside a transaction on the state kept from the
        last one, which then must be complete (it needs no reads); None when it cannot be. The
        state then stands as if the chunk had committed: _write_ahead checks that it did."""
        job = self._cache
        if job is None or not job.complete:
            return None
        self._cache = None  # until the plan is whole
        job.begin(None)
        statuses = job.apply_records(prepared)
        rows = job.rows()
        expected = (job.nonce, job.writes)
        job.nonce, job.writes = uuid.uuid4().hex, job.writes + 1
        self._keep(job)
        return rows, self._reports(prepared, statuses, job), expected, (job.nonce, job.writes)

    @_store_errors
    def _write_ahead(
        self, rows: Rows, expected: tuple[str | None, int], after: tuple[str, int], records: int
    ) -> None:
        """Write rows planned ahead, in one transaction under the writer lock, if the database
        is still as the plan assumed (our last transaction's nonce); else _Stale."""

        def work(tx: neo4j.ManagedTransaction) -> None:
            found = _take_lock(tx, after[0])
            if found != (expected[0], after[1]):
                raise _Stale(f"writer lock at {found}, expected {expected}")
            with _refused_for_size(records):  # not retried by the driver: the plain way halves it
                _send(lambda cypher, found: tx.run(cypher, rows=found).consume(), rows)

        with self._driver.session(database=self.database) as session, _refused_for_size(records):
            session.execute_write(work)

    def _writer(self, tx: neo4j.ManagedTransaction) -> _Ingest:
        """Take the writer lock and answer the ingest state to use under it. Ingests touch shared
        nodes (agencies, cited documents), so they run one at a time: the lock is the `_Meta`
        node, held until commit or rollback. Each holder leaves a new nonce on it, so the state
        kept from our last transaction is still the database's exactly when the nonce (and the
        write count) is still ours; otherwise a new state reads afresh."""
        nonce = uuid.uuid4().hex
        last, writes = _take_lock(tx, nonce)
        job, self._cache = self._cache, None  # a retried or failed transaction must not reuse it
        if job is None or (last, writes) != (job.nonce, job.writes + 1):
            # both counts come from the count store; only bookkeeping nodes: nothing to read
            empty = tx.run(
                f"CALL () {{ MATCH (n) RETURN count(n) AS nodes }} "
                f"CALL () {{ MATCH (n:{META_LABEL}) RETURN count(n) AS meta }} RETURN nodes = meta AS empty"
            ).single(strict=True)["empty"]
            job = _Ingest(complete=empty)
        job.nonce, job.writes = nonce, writes
        job.begin(tx)
        return job

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
        graph does not need one huge transaction; smaller ones while the server refuses a
        batch for its memory or time (a node may hold a large record, or thousands of edges).
        Each batch commits, so a retry goes on from where the refused one stopped."""
        batch = 5000
        with self._driver.session(database=self.database) as session:
            while True:
                try:
                    session.run(
                        f"MATCH (n) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {batch} ROWS"
                    ).consume()
                    break
                except Neo4jError as err:
                    if err.code not in _TOO_LARGE or batch == 1:
                        raise
                    batch = max(1, batch // 10)
        self._driver.execute_query(self._LAYOUT, database_=self.database)  # nothing to backfill

    @_store_errors
    def is_empty(self) -> bool:
        """No node but the store's own `_Meta` ones (both counts come from the count store)."""
        total = self._read("MATCH (n) RETURN count(n) AS c")[0]["c"]
        meta = self._read(f"MATCH (n:{META_LABEL}) RETURN count(n) AS c")[0]["c"]
        return total == meta

    @_store_errors
    def revision(self) -> str:
        """Every write transaction leaves a new nonce on the `_Meta` writer node (_writer), and
        wipe deletes it: the pair changes whenever the graph may have, from any process."""
        rows = self._read(
            f"MATCH (m:{META_LABEL} {{id: 'writer'}}) RETURN m.nonce AS nonce, m.writes AS writes"
        )
        return f"neo4j:{rows[0]['writes']}:{rows[0]['nonce']}" if rows else "neo4j:empty"

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

    def _facts(
        self, label: str, where: str = "true", match: str | None = None, **params: Any
    ) -> list[dict[str, Any]]:
        """Tasks or targets with their owning documents and agencies. `match` finds the
        candidates `f` (default: every node of the label), `where` filters them."""
        owner = Rel.HAS_TASK if label == Label.TASK else Rel.HAS_TARGET
        return self._read(
            f"{match or f'MATCH (f:{_name(label)})'} WITH f WHERE {where} "
            f"RETURN f{_FACT_FIELDS} AS f, "
            f"COLLECT {{ MATCH (d:Document)-[:{_name(owner)}]->(f) RETURN d{_DOC_FIELDS} }} AS docs, "
            f"COLLECT {{ MATCH (f)-[:LED_BY]->(a:Agency) RETURN a{_AGENCY_FIELDS} }} AS lead, "
            f"COLLECT {{ MATCH (f)-[:RESPONSIBILITY_OF]->(a:Agency) RETURN a{_AGENCY_FIELDS} }} AS resp",
            **params,
        )

    def _task_page(
        self, match: str, where: str, limit: int, offset: int, **params: Any
    ) -> answers.Page[v.TaskView]:
        """One page of tasks in the protocol's order (answers.fact_sort: owning document's title,
        nulls last, its id, span start, nulls last, task id), sorted by each task's TASK_ORDER
        and cut in Cypher, so only the page's tasks and documents are read, and how many
        matched, in one query (Neo4j orders strings by code point, like Python)."""
        rows = self._read(
            f"{match} WITH f WHERE {where} "
            f"WITH f ORDER BY f.{TASK_ORDER} "
            "WITH collect(f) AS matched "
            "CALL (matched) { UNWIND matched[$offset..$offset + $limit] AS f "
            "CALL (f) { MATCH (d:Document)-[:HAS_TASK]->(f) RETURN d ORDER BY d.id LIMIT 1 } "
            f"RETURN collect({{f: f{_FACT_FIELDS}, docs: [d{_DOC_FIELDS}], "
            f"lead: COLLECT {{ MATCH (f)-[:LED_BY]->(a:Agency) RETURN a{_AGENCY_FIELDS} }}, "
            f"resp: COLLECT {{ MATCH (f)-[:RESPONSIBILITY_OF]->(a:Agency) RETURN a{_AGENCY_FIELDS} }}"
            "}) AS page } "
            "RETURN size(matched) AS total, page",
            offset=max(0, offset),
            limit=max(0, limit),
            **params,
        )
        views = sorted((self._task_view(r) for r in rows[0]["page"]), key=self._fact_sort)
        return answers.Page(views, total=rows[0]["total"])

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

    def _task_views(self, match: str, **params: Any) -> list[v.TaskView]:
        return sorted(
            (self._task_view(r) for r in self._facts(Label.TASK, match=match, **params)), key=self._fact_sort
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
    def dump(self, ordered: bool = True) -> Iterator[v.GraphNode | v.GraphEdge]:
        """Every node (by type, id), then every edge (by type, source, target), bookkeeping
        left out. Read in full before the first item is yielded, so a driver failure is a
        StoreError here and not halfway through an export. Unordered: streamed as the server
        answers (bounded memory; a failure is a StoreError while iterating)."""
        if not ordered:
            return self._dump_streamed()
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

    def _dump_streamed(self) -> Iterator[v.GraphNode | v.GraphEdge]:
        # page by page along each label's unique id index, each page a read transaction of
        # its own: one transaction over a label of millions would outlive the server's
        # transaction timeout (a 100k-document export did), and holds nothing more
        s = schema()
        for label in sorted(s.node_types):
            for r in self._pages(label, "RETURN n.id AS key, properties(n) AS p"):
                yield self._graph_node(label, _public(r["p"]))
        for label in sorted(s.node_types):
            # OPTIONAL: a page of nodes without edges still says where the next page starts
            tail = (
                "OPTIONAL MATCH (n)-[r]->(b) RETURN n.id AS key, type(r) AS t, b.id AS b, properties(r) AS p"
            )
            for r in self._pages(label, tail):
                if r["t"] in s.relation_types:
                    yield v.GraphEdge(
                        id=edge_id(r["t"], r["key"], r["b"]),
                        source=r["key"],
                        target=r["b"],
                        type=r["t"],
                        properties=_public(r["p"]),
                    )

    # nodes a page of the streamed dump reads: a page of Documents brings their edges too (tens
    # each), and is held while it is written out
    _PAGE = 1_000

    def _pages(self, label: str, tail: str) -> Iterator[dict[str, Any]]:
        """Rows of `MATCH (n:label) … tail` over _PAGE nodes at a time, in id order (the
        unique index's), each page read in full in a transaction of its own: a transaction
        left open while the export writes its rows would outlive the timeout the same way;
        `tail` returns `key`."""
        query = f"MATCH (n:{_name(label)}) WHERE n.id > $after WITH n ORDER BY n.id LIMIT $size {tail}"
        read = _store_errors(self._read)  # a generator escapes the _store_errors of its caller
        after = ""
        while rows := read(query, after=after, size=self._PAGE):
            yield from rows
            after = max(r["key"] for r in rows)

    @_store_errors
    def find_documents(
        self,
        q: str | None = None,
        level: str | None = None,
        jurisdiction: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> answers.Page[v.DocumentRef]:
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
        _, key = resolve_title(query)
        if key:
            # the TITLE_KEYS text index: a title (or alias) key exactly, else part of one
            exact = TITLE_KEYS_SEP + key + TITLE_KEYS_SEP
            for needle in (exact, key):
                found = self._documents(f"d.{TITLE_KEYS} CONTAINS $needle", needle=needle)
                if found:
                    return self._one(query, found)
        best = self._title_index().closest(query)
        refs = {d[Key.ID]: d for d in self._documents("d.id IN $ids", ids=[d for _, d in best])}
        candidates = [self._doc_ref(refs[d]) for _, d in best if d in refs]
        raise NotFound(f"no document matches {query!r}", candidates)

    def _title_index(self) -> TitleIndex:
        """The "did you mean" table (resolve.TitleIndex), read once per state of the database:
        kept while the writer lock's nonce (new at every committed ingest, gone at a wipe) is
        the one it was read under."""
        rows = self._read(f"OPTIONAL MATCH (m:{META_LABEL} {{id: 'writer'}}) RETURN m.nonce AS nonce")
        nonce = rows[0]["nonce"] if rows else None
        cached = self._titles
        if cached is not None and cached[0] == nonce:
            return cached[1]
        titles = self._read("MATCH (d:Document) WHERE d.title IS NOT NULL RETURN d.title AS t, d.id AS id")
        index = TitleIndex(sorted((r["t"], r["id"]) for r in titles))
        self._titles = (nonce, index)
        return index

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
        # from the document's own facts, not a filter over every task
        tasks = [
            self._task_view(r)
            for r in self._facts(
                Label.TASK,
                match="MATCH (:Document {id: $id})-[:HAS_TASK]->(f:Task) WITH DISTINCT f",
                id=doc_id,
            )
        ]
        targets = [
            self._target_view(r)
            for r in self._facts(
                Label.TARGET,
                match="MATCH (:Document {id: $id})-[:HAS_TARGET]->(f:Target) WITH DISTINCT f",
                id=doc_id,
            )
        ]
        return v.DocumentDetail(
            **self._doc_ref(p).model_dump(),
            doc_type=p.get(Key.DOC_TYPE),
            issued_on=p.get(Key.ISSUED_ON),
            effective_from=p.get(Key.EFFECTIVE_FROM),
            valid_until=p.get(Key.VALID_UNTIL),
            issuers=self._agency_refs([r["a"] for r in issuers]),
            cites=citations(True, cite_types),
            cited_by=citations(False, cite_types),
            repeals=citations(True, [Rel.REPEALS]),
            repealed_by=citations(False, [Rel.REPEALS]),
            tasks=sorted(tasks, key=self._fact_sort),
            targets=sorted(targets, key=self._fact_sort),
            span=self._span(p),
        )

    # -- clause-level lineage ----------------------------------------------------------------
    @_store_errors
    def clauses(self, doc_id: str) -> list[v.ClauseView]:
        self._require_document(doc_id)
        rows = self._read(
            "MATCH (:Document {id: $id})-[:HAS_CLAUSE]->(c:Clause) "
            "RETURN properties(c) AS c, "
            "COLLECT { MATCH (c)-[:PART_OF_CLAUSE]->(p:Clause) RETURN p.id } AS parents",
            id=doc_id,
        )
        views = [answers.clause_view(_public(r["c"]), min(r["parents"], default=None)) for r in rows]
        return sorted(views, key=answers.clause_sort)

    @_store_errors
    def clause_links(self, doc_id: str) -> list[v.ClauseLinkView]:
        self._require_document(doc_id)
        rows = self._read(
            "MATCH (:Document {id: $id})-[:HAS_CLAUSE]->(c:Clause)<-[r:CARRIES_OUT]-(t:Task) "
            "RETURN c.id AS clause, t.id AS task, properties(r) AS props",
            id=doc_id,
        )
        tasks = {
            r["f"]["id"]: self._task_view(r)
            for r in self._facts(
                Label.TASK,
                match="MATCH (:Document {id: $id})-[:HAS_CLAUSE]->(:Clause)<-[:CARRIES_OUT]-(f:Task) "
                "WITH DISTINCT f",
                id=doc_id,
            )
        }
        links = [answers.link_view(r["clause"], tasks[r["task"]], _public(r["props"])) for r in rows]
        return sorted(links, key=answers.link_sort)

    @_store_errors
    def statuses(self, doc_ids: Iterable[str]) -> dict[str, v.DocumentStatus]:
        rows = self._read(
            "UNWIND $ids AS id MATCH (d:Document {id: id}) "
            "RETURN id, properties(d) AS d, "
            "COLLECT { MATCH (o:Document)-[:REPEALS]->(d) RETURN properties(o) } AS repealers",
            ids=sorted(set(doc_ids)),
        )
        return {
            r["id"]: answers.status_view(_public(r["d"]), [_public(o) for o in r["repealers"]]) for r in rows
        }

    def _lineage(self, doc_id: str, depth: int, direction: str) -> v.LineageResult:
        depth = max(0, int(depth))  # an int, so it may stand in the pattern (bounds take no parameters)
        if depth == 0:
            root = self._require_document(doc_id)
            return v.LineageResult(root=self._doc_ref(root), direction=direction, entries=[])  # type: ignore[arg-type]
        types = "|".join(_name(t) for t in sorted(LINEAGE_TYPES))
        backward = direction == "implementations"
        arrow = f"<-[:{types}*1..{depth}]-" if backward else f"-[:{types}*1..{depth}]->"
        step_to = f"<-[r:{types}]-" if backward else f"-[r:{types}]->"
        # one round trip: the root, what it reaches (DISTINCT right after the variable-length
        # expand lets Neo4j prune it breadth-first) and each one's next steps for lineage.walk
        rows = self._read(
            f"MATCH (root:Document {{id: $id}}) "
            f"CALL (root) {{ MATCH (root){arrow}(d:Document) WITH DISTINCT d "
            f"RETURN collect(d{{.id, .title, .doc_number, .level, .jurisdiction, .stub, "
            f"next: [(d){step_to}(b:Document) | [b.id, type(r)]]}}) AS reached }} "
            "RETURN properties(root) AS root, reached, "
            f"[(root){step_to}(b:Document) | [b.id, type(r)]] AS next",
            id=doc_id,
        )
        if not rows:
            raise NotFound(f"no {Label.DOCUMENT} with id {doc_id!r}")
        root = _public(rows[0]["root"])
        props = {doc_id: root} | {r[Key.ID]: _public(r) for r in rows[0]["reached"]}
        step: dict[str, list[tuple[str, str]]] = {
            node: [(b, rel) for b, rel in following if b in props]
            for node, following in [
                (doc_id, rows[0]["next"]),
                *((r[Key.ID], r["next"]) for r in rows[0]["reached"]),
            ]
        }
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

    def _agency_ids(self, ref: str) -> list[str]:
        """Agencies a reference names: an id, an exact name, else every name containing it (all
        compared normalized, as EmbeddedStore does). An agency's id is model.agency_id of its
        normalized name, so the first two are one index seek, the last a text-index search."""
        ref = ref.strip()
        if AGENCY_ID.fullmatch(ref):
            # an id answers itself: were it missing, no name would hold it either (the fallback
            # below finds nothing), so the answer is the same without the round trip
            return [ref]
        found = {
            r["id"]
            for r in self._read(
                "MATCH (a:Agency) WHERE a.id IN $ids RETURN a.id AS id", ids=[ref, agency_id(ref)]
            )
        }
        if found:
            return [ref] if ref in found else sorted(found)
        needle = text_key(ref)
        if not needle:
            return []
        # name_key is text_key(name), as the embedded store compares; its text index serves CONTAINS
        rows = self._read(
            "MATCH (a:Agency) WHERE a.name_key CONTAINS $needle RETURN a.id AS id", needle=needle
        )
        return sorted(r["id"] for r in rows)

    @_store_errors
    def tasks(
        self,
        lead: str | None = None,
        responsible: str | None = None,
        document: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> answers.Page[v.TaskView]:
        # (the tasks a filter starts from, the same filter as a condition); the first filter
        # given is where the query starts: an agency's or a document's tasks, not every task
        filters: list[tuple[str, str]] = []
        params: dict[str, Any] = {}
        if lead:
            params["lead"] = self._agency_ids(lead)
            filters.append(
                (
                    "MATCH (a:Agency)<-[:LED_BY]-(f:Task) WHERE a.id IN $lead WITH DISTINCT f",
                    "EXISTS { MATCH (f)-[:LED_BY]->(a:Agency) WHERE a.id IN $lead }",
                )
            )
        if responsible:
            params["resp"] = self._agency_ids(responsible)
            filters.append(
                (
                    "MATCH (a:Agency)<-[:RESPONSIBILITY_OF]-(f:Task) WHERE a.id IN $resp WITH DISTINCT f",
                    "EXISTS { MATCH (f)-[:RESPONSIBILITY_OF]->(a:Agency) WHERE a.id IN $resp }",
                )
            )
        if document:
            params["doc"] = self.resolve_document(document).id
            filters.append(
                (
                    "MATCH (:Document {id: $doc})-[:HAS_TASK]->(f:Task) WITH DISTINCT f",
                    "EXISTS { (:Document {id: $doc})-[:HAS_TASK]->(f) }",
                )
            )
        match = filters[0][0] if filters else f"MATCH (f:{_name(Label.TASK)})"
        where = " AND ".join(["true", *(condition for _, condition in filters[1:])])
        return self._task_page(match, where, limit, offset, **params)

    @_store_errors
    def agencies(
        self, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> answers.Page[v.AgencySummary]:
        # as the embedded store: name_key contains the needle, order by name then id (strings
        # compare by code point in Cypher too), task counts only for the page
        needle = text_key(q) if q and q.strip() else ""
        total = self._read(
            "MATCH (a:Agency) WHERE a.name_key CONTAINS $needle RETURN count(a) AS c", needle=needle
        )[0]["c"]
        rows = self._read(
            "MATCH (a:Agency) WHERE a.name_key CONTAINS $needle "
            "WITH a ORDER BY a.name, a.id SKIP $offset LIMIT $limit "
            "RETURN a{.id, .name, .jurisdiction, .aliases} AS a, "
            "COUNT { (t:Task)-[:LED_BY]->(a) } AS lead, COUNT { (t:Task)-[:RESPONSIBILITY_OF]->(a) } AS resp",
            needle=needle,
            offset=max(offset, 0),
            limit=max(limit, 0),
        )
        summaries = [
            v.AgencySummary(
                id=p[Key.ID],
                name=p[Key.NAME],
                jurisdiction=p.get(Key.JURISDICTION),
                aliases=list(p.get(Key.ALIASES, [])),
                lead_tasks=row["lead"],
                responsible_tasks=row["resp"],
            )
            for row in rows
            for p in [_public(row["a"])]
        ]
        return answers.Page(summaries, total=total)

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
        types = "|".join(_name(r) for r in rels)
        return self._task_views(
            f"MATCH (:Agency {{id: $agency}})<-[:{types}]-(f:Task) WITH DISTINCT f", agency=rows[0]["id"]
        )

    @_store_errors
    def targets(
        self, indicator: str | None = None, limit: int = 200, offset: int = 0
    ) -> answers.Page[v.TargetView]:
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
        elif label == Label.CLAUSE:
            shown = f"{p[Key.PATH]} {p.get(Key.HEADING) or ''}".strip()[:40]
        else:
            shown = p.get(Key.NAME) or node_id
        return v.GraphNode(id=node_id, type=label, label=shown, properties=dict(p))
