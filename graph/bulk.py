"""First load into an empty Neo4j database: the graph plan as CSV for Neo4j's bulk importer.

Bolt writes cost a round of Cypher per batch and a transaction log; for a first load of many
files into an EMPTY database, `neo4j-admin database import full` writes the store files
directly. The graph is exactly what incremental ingest would have written, bookkeeping
included (each node's `_src`/`_contrib`, the documents' title keys, one `_Source` node per
file with its record and 文号 entries), so later incremental ingests continue from it:

    write_csv(records, folder)      the graph plan as CSV, one file per label and per
                                    relationship type and its ends, each a header file (its
                                    columns and types from the ontology) and the parts its
                                    processes wrote as they placed sources; streamed in two
                                    passes (below), each in `jobs` processes
    import_command(folder, home)    the importer's command line: the project's own server's
                                    Maven artifacts (graph/neo4j-server/target/lib) run
                                    org.neo4j.cli.AdminTool, which is what neo4j-admin runs
    run_import(folder, home)        runs it (the server must be stopped: the import is offline)

The plan is what incremental ingest would compute (graph/plan.py; tests/test_bulk_plan.py
compares every row with neo4j_store._Ingest over an empty database), but the bulk load sees
every source before it writes anything, so it never holds the whole graph:

    pass 1   each record once: its fragment (checked against the ontology) and record JSON,
             built by `jobs` processes, are spilled to a temporary file in the records'
             order; the 文号 index is built from every source, and
             each node id and edge key is counted (as a hash) to know which ones more than
             one source contributes to
    pass 2   each source's last version once, against the final index, so no source is ever
             placed twice (incremental ingest re-places a source when a 文号 moves): its
             clause links are made, its private nodes and edges (most of them: its tasks,
             targets, clauses) are written at once as CSV rows (the header is known before
             any row); Documents, and what several sources share, are kept and merged at
             the end as incremental ingest merges them

At 100,000 documents what is kept is the index, the counts and the shared nodes (a few GB),
not the 11 M nodes and edges and their bookkeeping (more than 20 GB when planned in memory).

After the import the server is started on that home and Neo4jStore applies the schema from the
ontology (constraints, indexes) and adds the tasks' order keys (schema.TASK_ORDER) when it
connects. For a user's own server: write the CSV with `policykg ingest --store bolt://…
--bulk-csv DIR PATH` and run the printed `neo4j-admin` line (README, "Neo4j").
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import subprocess
import tempfile
import time
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from policykg.graph import views as v
from policykg.graph.embedded import record_hash
from policykg.graph.gcpause import paused_gc
from policykg.graph.model import Fragment, merge_edges, merge_nodes
from policykg.graph.ontology import Key, Label, Rel, SchemaViolation, schema
from policykg.graph.plan import LINK_TYPES, EdgeKey, NumberEntry, link_placement, number_entries, place
from policykg.graph.resolve import NumberIndex
from policykg.graph.schema import SOURCE_KEY, SOURCE_LABEL, TITLE_KEYS
from policykg.graph.store import StoreError
from policykg.graph.stored import (
    LINK_CACHE,
    SOURCE_COLUMNS,
    Contribution,
    Parsed,
    Prepared,
    dump,
    joined_title_keys,
    shown,
    source_row,
)

from policykg.records import ExtractionRecord

# a record, or its JSON (one line of a records file): decoded where it is built, in a worker
RecordIn = ExtractionRecord | str

__all__ = ["BulkPlan", "import_command", "run_import", "write_csv"]

SERVER_LIB = Path(__file__).resolve().parent / "neo4j-server" / "target" / "lib"
# between the elements of a list value (a task's aliases, a node's sources): a character the
# extracted text does not hold (write_csv refuses a value that contains it)
ARRAY_DELIMITER = "\x1e"
_SPILL = "policykg-spill-"  # temporary files of a plan, in its folder while it is written
_NODES = "Node"  # the importer's id space of the graph's nodes (ids are unique across labels)


@dataclass
class BulkPlan:
    folder: Path
    # label → its CSV file: a header file, then the parts; relationship type → its files
    nodes: dict[str, list[Path]] = field(default_factory=dict)
    edges: dict[str, list[list[Path]]] = field(default_factory=dict)
    reports: list[v.IngestReport] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, why it was refused)
    node_count: int = 0
    edge_count: int = 0
    # wall seconds per phase: pass 1 (reading records, building fragments), pass 2 (placing,
    # linking, writing private rows), merging and writing what is shared, the headers
    seconds: dict[str, float] = field(default_factory=dict)


# the importer's column type of each ontology datatype (dates are stored as text, as Bolt
# ingest stores them) and the Python types a cell of it may hold
_KINDS = {"string": "string", "date": "string", "boolean": "boolean", "integer": "long", "float": "double"}
_FITS: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "long": (int,),
    "double": (int, float),
    "string[]": (list, tuple),
}
_BOOKKEEPING = {"_src": "string[]", "_contrib": "string[]"}  # graph/stored.shown


@dataclass(frozen=True)
class _Head:
    """A CSV file's header: its id columns, then each property's column and importer type
    (known before any row: from the ontology), and what its rows are (for errors)."""

    name: str  # the file's name without .csv: nodes-Task, edges-LED_BY-Task-Agency
    ids: tuple[str, ...]
    columns: dict[str, str]  # property key → the importer's type, in column order
    where: str

    def line(self) -> str:
        return ",".join([*self.ids, *(f"{k}:{kind}" for k, kind in self.columns.items())]) + "\n"

    def row(self, ids: Iterable[str], props: dict[str, Any]) -> str:
        if not props.keys() <= self.columns.keys():  # a view comparison: no set built per row
            unknown = sorted(props.keys() - self.columns.keys())
            raise StoreError(f"{self.where}: properties the ontology does not give it: {unknown}")
        cells = [_quoted(x) for x in ids]
        cells += [_cell(props.get(k), kind, self.where, k) for k, kind in self.columns.items()]
        return ",".join(cells) + "\n"


def _columns(keys: Iterable[str], extra: dict[str, str]) -> dict[str, str]:
    props = schema().properties
    found = {k: "string[]" if props[k].multi_valued else _KINDS[props[k].datatype] for k in keys}
    found.pop(Key.ID, None)  # the id column
    return dict(sorted((found | extra).items()))


@cache
def _node_head(label: str) -> _Head:
    if label == SOURCE_LABEL:
        return _Head(f"nodes-{label}", (f"{SOURCE_KEY}:ID({SOURCE_LABEL})",), SOURCE_COLUMNS, label)
    extra = _BOOKKEEPING | ({TITLE_KEYS: "string"} if label == Label.DOCUMENT else {})
    return _Head(f"nodes-{label}", (f"id:ID({_NODES})",), _columns(schema().node_keys(label), extra), label)


@cache
def _edge_head(rel: str, source: str, target: str) -> _Head:
    ids = (f":START_ID({_NODES})", f":END_ID({_NODES})")
    columns = _columns(schema().relation_keys(rel), _BOOKKEEPING)
    return _Head(f"edges-{rel}-{source}-{target}", ids, columns, rel)


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _cell(value: Any, kind: str, where: str, key: str) -> str:
    if value is None:
        return ""  # an empty unquoted field: no property
    if type(value) not in _FITS[kind]:  # bool is no long, as in Cypher
        raise StoreError(
            f"{where}: {key} = {value!r} is not of the ontology's type ({kind}); load it with plain ingest"
        )
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "long":
        return str(value)
    if kind == "double":
        return repr(float(value))
    if kind == "string[]":
        items = [str(x) for x in value]
        if any(ARRAY_DELIMITER in x for x in items):
            raise StoreError(f"{where}: a list value holds the character U+001E; load it with plain ingest")
        value = ARRAY_DELIMITER.join(items)
    return _quoted(value)


class _Writer:
    """The CSV rows one process writes, as they come: one part per CSV file, without its
    header (the importer reads a header file, then the parts, as one file). A process keeps
    its writer across the chunks it places, so each file has one part per process: the
    importer takes about twice as long over a part per chunk. `close` answers, per file, its
    head and the rows written since the last close."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.paths: dict[str, Path] = {}  # CSV file → this process's part
        self.open: dict[str, tuple[_Head, IO[str], _Part]] = {}

    def add(self, head: _Head, ids: Iterable[str], props: dict[str, Any]) -> None:
        found = self.open.get(head.name)
        if found is None:
            path = self.paths.get(head.name)
            if path is None:
                fd, name = tempfile.mkstemp(dir=self.folder, prefix=f"{head.name}.part-", suffix=".csv")
                os.close(fd)
                path = self.paths[head.name] = Path(name)
            handle = path.open("a", encoding="utf-8", newline="")
            found = self.open[head.name] = (head, handle, _Part(path, 0))
        _, handle, part = found
        handle.write(head.row(ids, props))
        part.count += 1

    def node(self, label: str, node_id: str, props: dict[str, Any]) -> None:
        self.add(_node_head(label), (node_id,), {k: x for k, x in props.items() if k != Key.ID})

    def edge(self, key: EdgeKey, ends: tuple[str, str], props: dict[str, Any]) -> None:
        self.add(_edge_head(key[2], *ends), key[:2], props)

    def close(self) -> dict[str, tuple[_Head, _Part]]:
        for _, handle, _ in self.open.values():
            handle.close()
        done = {name: (head, part) for name, (head, _, part) in self.open.items()}
        self.open = {}
        return done


@dataclass
class _Part:
    """Rows of one CSV file written to a process's part (path) between two closes."""

    path: Path
    count: int


def _forked_pool(jobs: int) -> ProcessPoolExecutor:
    """Worker processes forked from this one: they read the plan's state as it is at the fork
    (module globals, str hashes salted alike) instead of receiving it pickled."""
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))


def write_csv(records: Iterable[RecordIn], folder: Path, jobs: int = 1) -> BulkPlan:
    """Plan the whole load (an empty database: nothing is read) and write it as CSV files,
    streaming: records are read once; memory holds what several sources share, not the graph.
    `records`: ExtractionRecords, or their JSON texts (a records file's lines), which the
    first pass's workers decode. `jobs`: processes building fragments (the first pass),
    placing sources and linking their tasks (the second)."""
    if "," in str(folder.resolve()):  # the importer's file lists (import_args) part at commas
        raise StoreError(f"{folder}: the importer cannot read files in a folder whose path holds a comma")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in _plan_files(folder):  # an earlier plan's: they would sit beside this one's
        stale.unlink()
    try:
        return _write_csv(records, folder, jobs)
    except BaseException:  # no half-written plan is left to import
        for written in _plan_files(folder):
            written.unlink()
        raise


def _plan_files(folder: Path) -> Iterator[Path]:
    """The CSV files a plan writes in its folder: each file's header and parts."""
    for path in [*folder.glob("nodes-*.csv"), *folder.glob("edges-*.csv")]:
        if path.name.endswith(".header.csv") or ".part-" in path.name:
            yield path


def _write_csv(records: Iterable[RecordIn], folder: Path, jobs: int) -> BulkPlan:
    with paused_gc(), tempfile.NamedTemporaryFile(dir=folder, prefix=_SPILL, suffix=".records") as spill:
        plan = BulkPlan(folder)
        started = time.perf_counter()
        scan = _scan(records, spill, plan, jobs)
        spill.flush()
        plan.seconds["build"] = time.perf_counter() - started
        kept = _in_link_order(scan)
        if jobs > 1 and len(kept) > 1:
            # several chunks per process, handed out as processes free up (linking costs vary)
            size = max(1, -(-len(kept) // (jobs * 8)))
            chunks = [kept[i : i + size] for i in range(0, len(kept), size)]
            global _SHARED
            _SHARED = scan, spill.name, folder  # read by the forked workers, not pickled to them
            try:
                with _forked_pool(jobs) as pool:
                    parts = list(pool.map(_place_range, chunks))
            finally:
                _SHARED = None
        else:
            parts = [_place(scan, spill.name, _Writer(folder), kept)]
        plan.seconds["place"] = time.perf_counter() - started - plan.seconds["build"]
        _finish(parts, plan)
        return plan


def _in_link_order(scan: _Scan) -> list[int]:
    """The sources to place (their offsets in the spill), those linked to the same parent
    together: the parent's fragment and vectors are then built once per chunk, not once per
    implementing plan (the order of the rows does not matter to the importer)."""
    return [
        offset
        for _, offset in sorted(
            (scan.parent_of.get(name, ""), offset) for name, offset in scan.offsets.items()
        )
    ]


@dataclass
class _Scan:
    """What the first pass over the records learns about the whole load, so that the second
    places every source once, against the final 文号 index, and writes what only it
    contributes straight to CSV. Only nodes and edges several sources may contribute to are
    held until the end (`pooled`)."""

    index: NumberIndex = field(default_factory=NumberIndex)
    offsets: dict[str, int] = field(default_factory=dict)  # source → its last version in the spill
    seen: set[int] = field(default_factory=set)  # hashes of node ids and edge keys met once…
    shared: set[int] = field(default_factory=set)  # …and more than once (a collision only pools)
    holders: dict[str, set[str]] = field(default_factory=dict)  # document → sources with its clauses
    landing: set[str] = field(default_factory=set)  # Documents other references land on
    parents: set[str] = field(default_factory=set)  # Documents whose clauses tasks are linked to
    parent_of: dict[str, str] = field(default_factory=dict)  # source → a parent with clauses

    def count(self, h: int) -> None:
        """`h`: the hash of a node id or edge key."""
        if h in self.seen:
            self.shared.add(h)
        else:
            self.seen.add(h)


@dataclass
class _Built:
    """One record as the first pass needs it, computed where it was built (a worker): its
    spill entry, its report's counts, and the keys the scan notes about it."""

    source: str
    digest: str
    failure: str | None = None  # why the ontology refused it
    blob: bytes = b""  # pickled (source, digest, record JSON, fragment)
    documents: int = 0
    nodes: int = 0
    edges: int = 0
    numbers: list[NumberEntry] = field(default_factory=list)
    counted: list[int] = field(default_factory=list)  # hashes of its non-Document node ids and edge keys
    links: list[tuple[str, str | None, bool]] = field(default_factory=list)  # (target, 文号 key, full)
    holds: list[str] = field(default_factory=list)  # documents whose clauses it gives


def _build(given: RecordIn) -> _Built:
    """Check and build one record's fragment (pure: run in the first pass's workers)."""
    try:
        record = ExtractionRecord.from_json(given) if isinstance(given, str) else given
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise StoreError(f"a record's JSON is not an extraction record: {err!r} in {given[:80]!r}") from None
    digest = record_hash(record)
    try:
        fragment, text = Prepared([record], [digest]).build(0)
    except SchemaViolation as err:  # refused as plain ingest refuses it; the others go in
        return _Built(record.source, digest, failure=str(err))
    built = _Built(
        record.source,
        digest,
        blob=pickle.dumps((record.source, digest, text, fragment), pickle.HIGHEST_PROTOCOL),
        documents=len(record.documents),
        nodes=len(fragment.nodes),
        edges=len(fragment.edges),
        numbers=number_entries(fragment),
    )
    # str hashes are salted per interpreter; forked workers share their parent's salt
    documents = {}
    for node in fragment.nodes:
        if node.label == Label.DOCUMENT:
            documents[node.id] = node.properties
        else:
            built.counted.append(hash(node.id))
    for edge in fragment.edges:
        built.counted.append(hash((edge.source, edge.target, edge.type)))
        if edge.type in LINK_TYPES:
            target = documents[edge.target]
            built.links.append((edge.target, target.get(Key.DOC_NUMBER_KEY), not target.get(Key.STUB)))
        elif edge.type == Rel.HAS_CLAUSE:
            built.holds.append(edge.source)
    return built


def _build_chunk(records: list[RecordIn]) -> list[_Built]:
    return [_build(record) for record in records]


_BUILD_CHUNK = 32  # records per task of the first pass's workers
_IN_FLIGHT = 4  # tasks queued per worker: enough to keep it busy, few records held at once


def _built(records: Iterable[RecordIn], jobs: int) -> Iterator[_Built]:
    """Each record built, in the records' order; with jobs > 1 in forked worker processes,
    a bounded number of chunks in flight (the records are read as they are consumed)."""
    if jobs <= 1:
        yield from map(_build, records)
        return
    chunks = _chunked(records, _BUILD_CHUNK)
    with _forked_pool(jobs) as pool:
        pending: deque[Future[list[_Built]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_build_chunk, chunk))
            if len(pending) >= jobs * _IN_FLIGHT:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _chunked(items: Iterable[RecordIn], size: int) -> Iterator[list[RecordIn]]:
    chunk: list[RecordIn] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _scan(records: Iterable[RecordIn], spill: IO[bytes], plan: BulkPlan, jobs: int = 1) -> _Scan:
    """Pass 1: check and build each record's fragment (in `jobs` processes), spill it with the
    record's JSON, and note its 文号 entries, what it may share, its clause-link ends and its
    report, in the records' order."""
    scan = _Scan()
    digests: dict[str, str] = {}
    # the documents each source's documents implement or are based on: (source, id, 文号, full)
    link_targets: list[tuple[str, str, str | None, bool]] = []
    for built in _built(records, jobs):
        name, digest = built.source, built.digest
        if built.failure is not None:
            plan.failed.append((name, built.failure))
            continue
        before = digests.get(name)
        status = "ingested" if before is None else "unchanged" if before == digest else "replaced"
        plan.reports.append(
            v.IngestReport(
                source=name,
                status=status,  # type: ignore[arg-type]
                documents=built.documents,
                nodes=built.nodes,
                edges=built.edges,
            )
        )
        if status == "unchanged":
            continue
        digests[name] = digest
        scan.offsets[name] = spill.tell()
        spill.write(built.blob)
        scan.index.remove_source(name)
        for e in built.numbers:
            scan.index.add(name, e.number, e.doc_id, full=e.full, titled=e.titled)
        for h in built.counted:
            scan.count(h)
        link_targets += [(name, *link) for link in built.links]
        for document in built.holds:
            scan.holders.setdefault(document, set()).add(name)
    scan.landing = scan.index.landing()
    for source, *ref in link_targets:
        landed = scan.index.remap(*ref)
        scan.parents.add(landed)
        if landed in scan.holders:
            scan.parent_of[source] = min(scan.parent_of.get(source, landed), landed)
    scan.seen = set()  # pass 2 asks only what is shared
    return scan


class _Spilled:
    """The plan state clause links ask for (plan.LinkState), answered from the first pass."""

    def __init__(self, scan: _Scan, spill: IO[bytes]):
        self.scan, self.spill = scan, spill
        self.cache: OrderedDict[str, Fragment] = OrderedDict()

    def clause_sources(self, doc_ids: set[str]) -> dict[str, set[str]]:
        return {d: self.scan.holders[d] for d in doc_ids if d in self.scan.holders}

    def fragment_for_links(self, source: str) -> Fragment:
        if source not in self.cache:
            if len(self.cache) >= LINK_CACHE:
                self.cache.popitem(last=False)
            here = self.spill.tell()
            self.spill.seek(self.scan.offsets[source])
            self.cache[source] = pickle.load(self.spill)[3]
            self.spill.seek(here)
        self.cache.move_to_end(source)
        return self.cache[source]


_SHARED: tuple[_Scan, str, Path] | None = None


@dataclass
class _Placed:
    """What one process placed: its part of each CSV file, and what it contributed to the
    nodes and edges several sources may share, merged by the parent."""

    files: dict[str, tuple[_Head, _Part]]
    nodes: dict[str, tuple[str, dict[str, Contribution]]]  # id → (label, source → contribution)
    edges: dict[EdgeKey, tuple[tuple[str, str], dict[str, Contribution]]]


_WRITER: _Writer | None = None  # a place worker's, kept across the chunks it places


def _place_range(offsets: list[int]) -> _Placed:
    global _WRITER
    assert _SHARED is not None
    scan, spill_path, folder = _SHARED
    if _WRITER is None:
        _WRITER = _Writer(folder)
    return _place(scan, spill_path, _WRITER, offsets)


def _place(scan: _Scan, spill_path: str, writer: _Writer, offsets: list[int]) -> _Placed:
    """Pass 2 over these sources (offsets of their last version in the spill): place each
    once, against the final index (so nothing is placed twice), link its tasks, and write
    what only it contributes; what several sources may share is handed back."""
    pooled_nodes: dict[str, tuple[str, dict[str, Contribution]]] = {}
    pooled_edges: dict[EdgeKey, tuple[tuple[str, str], dict[str, Contribution]]] = {}
    with open(spill_path, "rb") as spill:
        state = _Spilled(scan, spill)
        for offset in offsets:
            spill.seek(offset)
            name, digest, text, fragment = pickle.load(spill)
            placement = place(fragment, scan.index)
            link_placement(state, name, placement, {name: fragment}, {name})
            linked = {
                d
                for s, d, t in placement.edges
                if t == Rel.CARRIES_OUT or (t == Rel.HAS_CLAUSE and s in scan.parents)
            }
            for node_id, (label, props) in placement.nodes.items():
                if label == Label.DOCUMENT or node_id in linked or hash(node_id) in scan.shared:
                    # kept as JSON text, as incremental ingest keeps contributions: a third of
                    # the memory of the dict, and what `_contrib` stores anyway
                    pooled_nodes.setdefault(node_id, (label, {}))[1][name] = dump(props)
                else:
                    writer.node(label, node_id, shown(merge_nodes(label, [props]), {name: props}))
            for key, (ends, props) in placement.edges.items():
                if key[2] == Rel.CARRIES_OUT:
                    pooled = hash(key[0]) in scan.shared
                else:
                    pooled = hash(key) in scan.shared or any(
                        x in scan.landing or placement.nodes[x][1].get(Key.STUB) for x in key[:2]
                    )
                if pooled:
                    pooled_edges.setdefault(key, (ends, {}))[1][name] = dump(props)
                else:
                    writer.edge(key, ends, shown(merge_edges([props]), {name: props}))
            source = source_row(
                [list(e) for e in number_entries(fragment)],
                [[label, node_id] for node_id, (label, _) in placement.nodes.items()],
                [[*key, *ends] for key, (ends, _) in placement.edges.items()],
            ) | {
                "record": text,
                "content_hash": digest,
                "nodes": len(fragment.nodes),
                "edges": len(fragment.edges),
            }
            writer.add(_node_head(SOURCE_LABEL), (name,), source)
    return _Placed(writer.close(), pooled_nodes, pooled_edges)


def _finish(parts: list[_Placed], plan: BulkPlan) -> None:
    """Merge what the processes placed: the shared nodes and edges as incremental ingest
    merges them (neo4j_store._Ingest.rows), appended to a part already written (the importer
    slows with the number of files); then each CSV file's header, and its parts in the plan."""
    started = time.perf_counter()
    writer = _Writer(plan.folder)
    for part in parts:  # the merged rows go on the end of a placing process's part (it is done)
        for name, (_, file_part) in part.files.items():
            writer.paths.setdefault(name, file_part.path)
    nodes: dict[str, tuple[str, dict[str, Contribution]]] = {}
    edges: dict[EdgeKey, tuple[tuple[str, str], dict[str, Contribution]]] = {}
    for part in parts:
        for node_id, (label, contributions) in part.nodes.items():
            nodes.setdefault(node_id, (label, {}))[1].update(contributions)
        for key, (ends, contributions) in part.edges.items():
            edges.setdefault(key, (ends, {}))[1].update(contributions)
    for node_id, (label, contributions) in nodes.items():
        props = shown(merge_nodes(label, Parsed(contributions, sorted(contributions))), contributions)
        if label == Label.DOCUMENT:
            props[TITLE_KEYS] = joined_title_keys(props)
        writer.node(label, node_id, props)
    for key, (ends, contributions) in edges.items():
        writer.edge(
            key, ends, shown(merge_edges(Parsed(contributions, sorted(contributions))), contributions)
        )
    files: dict[str, tuple[_Head, dict[Path, int]]] = {}  # CSV file → its parts' row counts
    for found in [*(part.files for part in parts), writer.close()]:
        for name, (head, part) in found.items():
            counts = files.setdefault(name, (head, {}))[1]
            counts[part.path] = counts.get(part.path, 0) + part.count
    source_head = _node_head(SOURCE_LABEL)  # no record went in: the importer still gets _Source
    files.setdefault(source_head.name, (source_head, {}))
    plan.seconds["merge"] = time.perf_counter() - started
    for name in sorted(files):
        head, counts = files[name]
        header = plan.folder / f"{name}.header.csv"
        header.write_text(head.line(), encoding="utf-8")
        group = [header, *counts]
        count = sum(counts.values())
        if name.startswith("nodes-"):
            plan.nodes[head.where] = group
            if head.where != SOURCE_LABEL:  # bookkeeping, not the graph's
                plan.node_count += count
        else:
            plan.edges.setdefault(head.where, []).append(group)
            plan.edge_count += count
    plan.seconds["write"] = time.perf_counter() - started - plan.seconds["merge"]


def import_args(plan: BulkPlan, database: str = "neo4j") -> list[str]:
    """The arguments of `neo4j-admin database import full` for these files."""
    args = ["database", "import", "full"]
    args += [f"--nodes={label}={_joined(files)}" for label, files in sorted(plan.nodes.items())]
    args += [
        f"--relationships={rel}={_joined(files)}"
        for rel, groups in sorted(plan.edges.items())
        for files in groups
    ]
    args += ["--multiline-fields=true", f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}"]
    # the importer's report beside the files, not in whatever folder it was started from
    args += ["--overwrite-destination=true", f"--report-file={plan.folder / 'import.report'}"]
    return [*args, database]


def _joined(files: list[Path]) -> str:
    return ",".join(str(f) for f in files)


def import_command(plan: BulkPlan, java: str = "java", heap: str = "2g") -> list[str]:
    """The importer run from the project's own server's Maven artifacts."""
    if not SERVER_LIB.is_dir():
        raise StoreError(f"{SERVER_LIB} not found: build the server first (policykg neo4j start builds it)")
    return [java, f"-Xmx{heap}", "-cp", f"{SERVER_LIB}/*", "org.neo4j.cli.AdminTool", *import_args(plan)]


def run_import(plan: BulkPlan, home: Path, heap: str = "2g") -> str:
    """Import into the database home a stopped server uses (its --data folder); answers the
    importer's summary. Raises StoreError with its output when it fails."""
    conf = plan.folder / "conf"
    conf.mkdir(exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    (conf / "neo4j.conf").touch()
    env = os.environ | {"NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}
    proc = subprocess.run(
        import_command(plan, heap=heap), env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise StoreError(f"the bulk import failed (exit {proc.returncode}):\n{tail}")
    summary = proc.stdout[proc.stdout.find("IMPORT DONE") :].strip()
    return summary or json.dumps(proc.stdout[-500:])
