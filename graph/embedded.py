"""EmbeddedStore: the Store protocol on a networkx MultiDiGraph, persisted in a directory.

Layout of `embedded:PATH`:

    PATH/records/<sha256(source)[:16]>.json   one ExtractionRecord per source (with content_hash)

The graph is a pure function of the stored records (graph/model.py), rebuilt on open. Ingesting
a source writes its record file atomically (temp file, fsync, os.replace, fsync of the folder):
a crash leaves the old record or the new one, never a partial file. In memory each source's
contributions to nodes and edges are kept apart (model.merge_nodes shows the merged node), so a
changed record replaces exactly its own facts and shared nodes live while anyone contributes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
from policykg.graph import answers
from policykg.graph import views as v
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
from policykg.graph.store import Ambiguous, NotFound, StoreError

from policykg.records import ExtractionRecord

__all__ = ["EmbeddedStore"]

T = TypeVar("T")
_MAX_CANDIDATES = 20


def _locked(method: Callable[..., T]) -> Callable[..., T]:
    @wraps(method)
    def wrapper(self: EmbeddedStore, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


def record_hash(record: ExtractionRecord) -> str:
    return record.content_hash or hashlib.sha256(record.to_json().encode("utf-8")).hexdigest()


def _write_atomic(path: Path, data: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder
    finally:
        os.close(fd)


class EmbeddedStore:
    # answer-shaping helpers shared with the other store (graph/answers.py)
    _span = staticmethod(answers.span_view)
    _fact_sort = staticmethod(answers.fact_sort)
    _target_sort = staticmethod(answers.target_sort)
    _page = staticmethod(answers.page)
    _matches = staticmethod(answers.document_matches)

    def __init__(self, url: str):
        if not url.startswith("embedded:"):
            raise StoreError(f"not an embedded store URL: {url!r}")
        self.url = url
        self.path = Path(url[len("embedded:") :]).expanduser()
        self.records_dir = self.path / "records"
        try:
            self.records_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create store folder {self.path}: {err.strerror or err}") from None
        self._lock = threading.RLock()
        self._reset()
        self._load()

    # -- state ---------------------------------------------------------------------------
    def _reset(self) -> None:
        self.graph = nx.MultiDiGraph()
        self._hashes: dict[str, str] = {}
        self._fragments: dict[str, Fragment] = {}
        self._nodes: dict[str, dict[str, tuple[str, dict[str, Any]]]] = {}
        self._edges: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}
        # the source whose contribution a node (other than a Document) or an edge shows: the
        # first by name. Shared nodes (中国, an indicator, an agency) gather a contribution from
        # every source, so re-merging them on each ingest would make ingest quadratic.
        self._shown: dict[Any, str] = {}
        self._placed: dict[str, tuple[list[str], list[tuple[str, str, str]]]] = {}
        self._numbers = NumberIndex()
        # read-path indexes, kept in step with self.graph by _refresh_node: queries used to scan
        # every node per request (all tasks for one agency's tasks), which grows with the corpus.
        # Dicts, not sets: they keep the graph's node order, which some answers depend on.
        self._by_label: dict[str, dict[str, None]] = {}
        self._by_key: dict[str, dict[str, None]] = {}  # "a:"/"n:"/"t:" + name/文号/title key
        self._keys_of: dict[str, tuple[str, ...]] = {}
        self._pos: dict[str, int] = {}  # when a node joined the graph (the graph's node order)
        self._added = 0

    def _record_path(self, source: str) -> Path:
        return self.records_dir / f"{hashlib.sha256(source.encode('utf-8')).hexdigest()[:16]}.json"

    def _load(self) -> None:
        for path in sorted(self.records_dir.glob("*.json")):
            if path.name.startswith("."):
                continue
            try:
                record = ExtractionRecord.from_json(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
                # saves are atomic, so this is damage from outside (an edit, a bad disk): say
                # which file, rather than a traceback from deep inside the JSON parser
                raise StoreError(
                    f"damaged record file {path}: {err}; delete it and ingest that source again"
                ) from None
            self._hashes[record.source] = record_hash(record)
            self._apply(record.source, build_fragment(record))

    # -- writing -------------------------------------------------------------------------
    @_locked
    def ingest(self, record: ExtractionRecord) -> v.IngestReport:
        digest = record_hash(record)
        known = record.source in self._hashes
        if known and self._hashes[record.source] == digest:
            return self._report(record, "unchanged")
        fragment = build_fragment(record)
        check_fragment(fragment)
        data = record.to_dict() | {"content_hash": digest}
        _write_atomic(self._record_path(record.source), json.dumps(data, ensure_ascii=False))
        self._hashes[record.source] = digest
        self._apply(record.source, fragment)
        return self._report(record, "replaced" if known else "ingested")

    def _report(self, record: ExtractionRecord, status: str) -> v.IngestReport:
        fragment = self._fragments.get(record.source)
        return v.IngestReport(
            source=record.source,
            status=status,  # type: ignore[arg-type]
            documents=len(record.documents),
            nodes=len(fragment.nodes) if fragment else 0,
            edges=len(fragment.edges) if fragment else 0,
        )

    @_locked
    def wipe(self) -> None:
        """Forget every source: delete the record files and empty the graph."""
        for path in self.records_dir.glob("*.json"):
            path.unlink(missing_ok=True)
        _fsync_dir(self.records_dir)
        self._reset()

    def _numbers_of(self, fragment: Fragment | None) -> set[str]:
        if fragment is None:
            return set()
        return {
            n.properties[Key.DOC_NUMBER_KEY] for n in fragment.nodes if Key.DOC_NUMBER_KEY in n.properties
        }

    def _apply(self, source: str, fragment: Fragment) -> None:
        """Replace `source`'s contributions, re-placing other sources whose 文号 references
        now land on a different node (resolve.NumberIndex)."""
        old = self._fragments.get(source)
        numbers = self._numbers_of(old) | self._numbers_of(fragment)
        before = {n: self._numbers.canonical(n) for n in numbers}
        users = {s for n in numbers for s in self._numbers.sources(n)}
        self._numbers.remove_source(source)
        for node in fragment.nodes:
            number = node.properties.get(Key.DOC_NUMBER_KEY)
            if node.label == Label.DOCUMENT and number:
                self._numbers.add(
                    source,
                    number,
                    node.id,
                    full=not node.properties.get(Key.STUB),
                    titled=bool(node.properties.get(Key.TITLE_KEY)),
                )
        changed = {n for n in numbers if self._numbers.canonical(n) != before[n]}
        users |= {s for n in changed for s in self._numbers.sources(n)}
        redo = sorted(s for s in users if s != source and s in self._placed) if changed else []
        for s in [source, *redo]:
            self._unplace(s)
        self._fragments[source] = fragment
        for s in [source, *redo]:
            self._place(s)

    def _place(self, source: str) -> None:
        fragment = self._fragments[source]
        remap: dict[str, str] = {}
        for node in fragment.nodes:
            if node.label == Label.DOCUMENT:
                full = not node.properties.get(Key.STUB)
                remap[node.id] = self._numbers.remap(node.id, node.properties.get(Key.DOC_NUMBER_KEY), full)
        placed_nodes: list[str] = []
        for node in fragment.nodes:
            node_id = remap.get(node.id, node.id)
            self._nodes.setdefault(node_id, {})[source] = (node.label, node.properties | {Key.ID: node_id})
            placed_nodes.append(node_id)
            self._refresh_node(node_id, source)
        placed_edges: list[tuple[str, str, str]] = []
        for edge in fragment.edges:
            key = (remap.get(edge.source, edge.source), remap.get(edge.target, edge.target), edge.type)
            if key[0] == key[1]:
                continue
            self._edges.setdefault(key, {})[source] = edge.properties
            placed_edges.append(key)
            self._refresh_edge(key, source)
        self._placed[source] = (placed_nodes, placed_edges)

    def _unplace(self, source: str) -> None:
        nodes, edges = self._placed.pop(source, ([], []))
        for key in edges:
            contributions = self._edges.get(key, {})
            contributions.pop(source, None)
            self._refresh_edge(key, source)
        for node_id in nodes:
            self._nodes.get(node_id, {}).pop(source, None)
            self._refresh_node(node_id, source)

    def _shown_unchanged(self, key: Any, contributions: dict[str, Any], source: str | None) -> bool:
        """After `source` was added to or removed from `contributions`, does the entry that
        shows the first contribution still show the same one? (Then nothing needs merging.)"""
        shown = self._shown.get(key)
        return (
            source is not None
            and shown is not None
            and shown != source
            and shown in contributions
            and (source not in contributions or source > shown)
        )

    def _refresh_node(self, node_id: str, source: str | None = None) -> None:
        contributions = self._nodes.get(node_id)
        if (
            contributions
            and node_id in self.graph
            and self.graph.nodes[node_id]["label"] != Label.DOCUMENT
            and self._shown_unchanged(node_id, contributions, source)
        ):
            return
        if not contributions:
            self._shown.pop(node_id, None)
            self._nodes.pop(node_id, None)
            if node_id in self.graph:
                self._unindex(node_id)
                self.graph.remove_node(node_id)
            return
        ordered = [contributions[s] for s in sorted(contributions)]
        self._shown[node_id] = min(contributions)
        label = ordered[0][0]
        if node_id in self.graph:
            self._unindex(node_id)
        else:
            self._pos[node_id] = self._added
            self._added += 1
        props = merge_nodes(label, [p for _, p in ordered])
        self.graph.add_node(node_id, label=label, props=props)
        self._index(node_id, label, props)

    # -- read-path indexes ---------------------------------------------------------------
    @staticmethod
    def _index_keys(label: str, props: dict[str, Any]) -> tuple[str, ...]:
        """The lookup keys of a node: an agency's normalized name, a document's 文号 key and
        title keys (its own and its aliases'), exactly as the readers compare them."""
        if label == Label.AGENCY:
            return (f"a:{text_key(props[Key.NAME])}",)
        if label == Label.DOCUMENT:
            keys = {f"t:{title_key(t)}" for t in props.get(Key.ALIASES, [])}
            if props.get(Key.TITLE_KEY):
                keys.add(f"t:{props[Key.TITLE_KEY]}")
            if props.get(Key.DOC_NUMBER_KEY):
                keys.add(f"n:{props[Key.DOC_NUMBER_KEY]}")
            return tuple(sorted(keys))
        return ()

    def _index(self, node_id: str, label: str, props: dict[str, Any]) -> None:
        self._by_label.setdefault(label, {})[node_id] = None
        keys = self._index_keys(label, props)
        self._keys_of[node_id] = keys
        for key in keys:
            self._by_key.setdefault(key, {})[node_id] = None

    def _unindex(self, node_id: str) -> None:
        members = self._by_label.get(self.graph.nodes[node_id]["label"])
        if members is not None:
            members.pop(node_id, None)
        for key in self._keys_of.pop(node_id, ()):
            bucket = self._by_key.get(key)
            if bucket is not None:
                bucket.pop(node_id, None)
                if not bucket:
                    del self._by_key[key]
        if node_id not in self._nodes:  # leaving the graph: a later return is a new position
            self._pos.pop(node_id, None)

    def _keyed(self, key: str) -> list[str]:
        """Nodes under an index key, in the graph's node order."""
        return sorted(self._by_key.get(key, ()), key=self._pos.__getitem__)

    def _refresh_edge(self, key: tuple[str, str, str], source: str | None = None) -> None:
        src, dst, rel = key
        contributions = self._edges.get(key)
        if (
            contributions
            and self.graph.has_edge(src, dst, rel)
            and self._shown_unchanged(key, contributions, source)
        ):
            return
        if not contributions:
            self._shown.pop(key, None)
            self._edges.pop(key, None)
            if self.graph.has_edge(src, dst, rel):
                self.graph.remove_edge(src, dst, rel)
            return
        self._shown[key] = min(contributions)
        props = merge_edges([contributions[s] for s in sorted(contributions)])
        self.graph.add_edge(src, dst, key=rel, id=edge_id(rel, src, dst), props=props)

    # -- small readers -------------------------------------------------------------------
    def _props(self, node_id: str) -> dict[str, Any]:
        return self.graph.nodes[node_id]["props"]

    def _label(self, node_id: str) -> str:
        return self.graph.nodes[node_id]["label"]

    def _of_label(self, label: str) -> Iterable[str]:
        # sorted: the order a scan of the graph's nodes would give
        return sorted(self._by_label.get(label, ()), key=self._pos.__getitem__)

    def _out(self, node_id: str, types: Iterable[str]) -> list[tuple[str, str, dict[str, Any]]]:
        wanted = set(types)
        return [
            (dst, rel, d["props"])
            for _, dst, rel, d in self.graph.out_edges(node_id, keys=True, data=True)
            if rel in wanted
        ]

    def _in(self, node_id: str, types: Iterable[str]) -> list[tuple[str, str, dict[str, Any]]]:
        wanted = set(types)
        return [
            (src, rel, d["props"])
            for src, _, rel, d in self.graph.in_edges(node_id, keys=True, data=True)
            if rel in wanted
        ]

    def _doc_ref(self, doc_id: str) -> v.DocumentRef:
        p = self._props(doc_id)
        return v.DocumentRef(
            id=doc_id,
            title=p.get(Key.TITLE),
            doc_number=p.get(Key.DOC_NUMBER),
            level=p.get(Key.LEVEL),
            jurisdiction=p.get(Key.JURISDICTION),
            stub=bool(p.get(Key.STUB)),
        )

    def _agency_ref(self, agency_id: str) -> v.AgencyRef:
        p = self._props(agency_id)
        return v.AgencyRef(id=agency_id, name=p[Key.NAME], jurisdiction=p.get(Key.JURISDICTION))

    def _doc_sort(self, doc_id: str) -> tuple[Any, ...]:
        title = self._props(doc_id).get(Key.TITLE)
        return (title is None, title or "", doc_id)

    def _agencies_of(self, node_id: str, rel: str) -> list[v.AgencyRef]:
        refs = [self._agency_ref(a) for a, _, _ in self._out(node_id, [rel])]
        return sorted(refs, key=lambda r: (r.name, r.id))

    def _owner(self, node_id: str, rel: str) -> str:
        return min(src for src, _, _ in self._in(node_id, [rel]))

    def _task_view(self, task_id: str) -> v.TaskView:
        p = self._props(task_id)
        return v.TaskView(
            id=task_id,
            text=p[Key.TEXT],
            section=p.get(Key.SECTION),
            document=self._doc_ref(self._owner(task_id, Rel.HAS_TASK)),
            lead=self._agencies_of(task_id, Rel.LED_BY),
            responsible=self._agencies_of(task_id, Rel.RESPONSIBILITY_OF),
            span=self._span(p),
            quote=p.get(Key.QUOTE),
            quote_start=p.get(Key.QUOTE_START),
        )

    def _target_view(self, target_id: str) -> v.TargetView:
        p = self._props(target_id)
        return v.TargetView(
            id=target_id,
            indicator=p[Key.INDICATOR],
            value=p.get(Key.VALUE),
            unit=p.get(Key.UNIT),
            baseline=p.get(Key.BASELINE),
            baseline_year=p.get(Key.BASELINE_YEAR),
            target_year=p.get(Key.TARGET_YEAR),
            document=self._doc_ref(self._owner(target_id, Rel.HAS_TARGET)),
            lead=self._agencies_of(target_id, Rel.LED_BY),
            responsible=self._agencies_of(target_id, Rel.RESPONSIBILITY_OF),
            span=self._span(p),
            quote=p.get(Key.QUOTE),
            quote_start=p.get(Key.QUOTE_START),
        )

    # -- reading -------------------------------------------------------------------------
    @_locked
    def stats(self) -> v.StoreStats:
        """Counts per label and relationship type; every ontology term is listed (0 if absent)."""
        nodes = dict.fromkeys(sorted(schema().node_types), 0)
        edges = dict.fromkeys(sorted(schema().relation_types), 0)
        for _, data in self.graph.nodes(data=True):
            nodes[data["label"]] = nodes.get(data["label"], 0) + 1
        for _, _, rel in self.graph.edges(keys=True):
            edges[rel] = edges.get(rel, 0) + 1
        return v.StoreStats(nodes=nodes, edges=edges)

    @_locked
    def find_documents(
        self,
        q: str | None = None,
        level: str | None = None,
        jurisdiction: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[v.DocumentRef]:
        areas, needle, number = answers.document_search(q, jurisdiction)
        hits = []
        for doc_id in self._of_label(Label.DOCUMENT):
            p = self._props(doc_id)
            if level and p.get(Key.LEVEL) != level:
                continue
            if areas is not None and p.get(Key.JURISDICTION) not in areas:
                continue
            if needle and not self._matches(p, needle, number):
                continue
            hits.append(self._doc_ref(doc_id))
        hits.sort(key=lambda r: (r.stub, r.title is None, r.title or "", r.id))
        return self._page(hits, limit, offset)

    @_locked
    def resolve_document(self, id_or_title: str) -> v.DocumentRef:
        query = (id_or_title or "").strip()
        if not query:
            raise NotFound("empty document reference")
        if query in self.graph and self._label(query) == Label.DOCUMENT:
            return self._doc_ref(query)
        by_number = self._keyed(f"n:{doc_number_key(query)}")
        if by_number:
            return self._one(query, by_number)
        _, key = resolve_title(query)
        by_title = self._keyed(f"t:{key}")
        if by_title:
            return self._one(query, by_title)
        docs = list(self._of_label(Label.DOCUMENT))
        partial = [d for d in docs if key and any(key in k for k in self._title_keys(d))]
        if partial:
            return self._one(query, partial)
        titles = {self._props(d).get(Key.TITLE): d for d in sorted(docs, key=self._doc_sort)}
        titles.pop(None, None)
        best = closest(query, titles)  # type: ignore[arg-type]
        raise NotFound(f"no document matches {query!r}", [self._doc_ref(titles[t]) for t in best])

    def _title_keys(self, doc_id: str) -> set[str]:
        p = self._props(doc_id)
        keys = {title_key(t) for t in p.get(Key.ALIASES, [])}
        if p.get(Key.TITLE_KEY):
            keys.add(p[Key.TITLE_KEY])
        return keys

    def _one(self, query: str, doc_ids: list[str]) -> v.DocumentRef:
        unique = sorted(set(doc_ids), key=self._doc_sort)
        if len(unique) == 1:
            return self._doc_ref(unique[0])
        refs = [self._doc_ref(d) for d in unique[:_MAX_CANDIDATES]]
        raise Ambiguous(f"{query!r} matches {len(unique)} documents", refs)

    def _require(self, node_id: str, label: str) -> None:
        if node_id not in self.graph or self._label(node_id) != label:
            raise NotFound(f"no {label} with id {node_id!r}")

    @_locked
    def document(self, doc_id: str) -> v.DocumentDetail:
        self._require(doc_id, Label.DOCUMENT)
        p = self._props(doc_id)

        def citations(edges: list[tuple[str, str, dict[str, Any]]]) -> list[v.CitationView]:
            views = [
                v.CitationView(
                    document=self._doc_ref(other),
                    relation=rel.lower(),
                    span=self._span(props),
                    quote=props.get(Key.QUOTE),
                    quote_start=props.get(Key.QUOTE_START),
                )
                for other, rel, props in edges
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

        cite_types = CITATION_TYPES - {Rel.REPEALS}
        tasks = [self._task_view(t) for t, _, _ in self._out(doc_id, [Rel.HAS_TASK])]
        targets = [self._target_view(t) for t, _, _ in self._out(doc_id, [Rel.HAS_TARGET])]
        return v.DocumentDetail(
            **self._doc_ref(doc_id).model_dump(),
            doc_type=p.get(Key.DOC_TYPE),
            issued_on=p.get(Key.ISSUED_ON),
            issuers=self._agencies_of(doc_id, Rel.PASSED_BY),
            cites=citations(self._out(doc_id, cite_types)),
            cited_by=citations(self._in(doc_id, cite_types)),
            repeals=citations(self._out(doc_id, [Rel.REPEALS])),
            repealed_by=citations(self._in(doc_id, [Rel.REPEALS])),
            tasks=sorted(tasks, key=self._fact_sort),
            targets=sorted(targets, key=self._fact_sort),
            span=self._span(p),
        )

    def _lineage(self, doc_id: str, depth: int, direction: str) -> v.LineageResult:
        self._require(doc_id, Label.DOCUMENT)
        step = self._in if direction == "implementations" else self._out

        def neighbours(node: str) -> list[tuple[str, str]]:
            return [(other, rel) for other, rel, _ in step(node, LINEAGE_TYPES)]

        entries = [
            v.LineageEntry(
                document=self._doc_ref(found.node),
                depth=len(found.path) - 1,
                path=[self._doc_ref(d) for d in found.path],
                relations=[r.lower() for r in found.relations],
            )
            for found in walk(doc_id, neighbours, depth, sort_key=self._doc_sort)
        ]
        return v.LineageResult(root=self._doc_ref(doc_id), direction=direction, entries=entries)  # type: ignore[arg-type]

    @_locked
    def implementations(self, doc_id: str, depth: int = 10) -> v.LineageResult:
        return self._lineage(doc_id, depth, "implementations")

    @_locked
    def ancestors(self, doc_id: str, depth: int = 10) -> v.LineageResult:
        return self._lineage(doc_id, depth, "ancestors")

    def _agency_ids(self, ref: str) -> set[str]:
        """Agencies a reference names: an id, an exact name, else every name containing it."""
        ref = ref.strip()
        if ref in self.graph and self._label(ref) == Label.AGENCY:
            return {ref}
        needle = text_key(ref)
        exact = set(self._keyed(f"a:{needle}"))
        if exact:
            return exact
        agencies = self._of_label(Label.AGENCY)
        return {a for a in agencies if needle and needle in text_key(self._props(a)[Key.NAME])}

    def _tasks_with(self, agency_ids: set[str], rel: str) -> set[str]:
        found = set()
        for agency in agency_ids:
            found |= {t for t, _, _ in self._in(agency, [rel]) if self._label(t) == Label.TASK}
        return found

    @_locked
    def tasks(
        self,
        lead: str | None = None,
        responsible: str | None = None,
        document: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[v.TaskView]:
        # each filter narrows from its own small set; every task only when there is no filter
        narrowed: list[set[str]] = []
        if lead:
            narrowed.append(self._tasks_with(self._agency_ids(lead), Rel.LED_BY))
        if responsible:
            narrowed.append(self._tasks_with(self._agency_ids(responsible), Rel.RESPONSIBILITY_OF))
        if document:
            doc_id = self.resolve_document(document).id
            owned = self._out(doc_id, [Rel.HAS_TASK])
            narrowed.append({t for t, _, _ in owned if self._label(t) == Label.TASK})
        selected = set.intersection(*narrowed) if narrowed else set(self._of_label(Label.TASK))
        views = sorted((self._task_view(t) for t in selected), key=self._fact_sort)
        return self._page(views, limit, offset)

    @_locked
    def agencies(self, q: str | None = None, limit: int = 50, offset: int = 0) -> list[v.AgencySummary]:
        needle = text_key(q) if q and q.strip() else None
        found = []
        for agency in self._of_label(Label.AGENCY):
            p = self._props(agency)
            names = [p[Key.NAME], *p.get(Key.ALIASES, [])]
            if needle and not any(needle in text_key(n) for n in names):
                continue
            found.append(
                v.AgencySummary(
                    **self._agency_ref(agency).model_dump(),
                    aliases=list(p.get(Key.ALIASES, [])),
                    lead_tasks=len(self._tasks_with({agency}, Rel.LED_BY)),
                    responsible_tasks=len(self._tasks_with({agency}, Rel.RESPONSIBILITY_OF)),
                )
            )
        found.sort(key=lambda a: (a.name, a.id))
        return self._page(found, limit, offset)

    @_locked
    def agency_tasks(self, agency_id: str, role: v.Role | None = None) -> list[v.TaskView]:
        if agency_id in self.graph and self._label(agency_id) == Label.AGENCY:
            agency = agency_id
        else:
            name = agency_id.strip()
            exact = [a for a in self._keyed(f"a:{text_key(name)}") if self._props(a)[Key.NAME] == name]
            if not exact:
                raise NotFound(f"no agency {agency_id!r}")
            agency = exact[0]
        selected: set[str] = set()
        if role in (None, "lead"):
            selected |= self._tasks_with({agency}, Rel.LED_BY)
        if role in (None, "responsible"):
            selected |= self._tasks_with({agency}, Rel.RESPONSIBILITY_OF)
        return sorted((self._task_view(t) for t in selected), key=self._fact_sort)

    @_locked
    def targets(self, indicator: str | None = None, limit: int = 200, offset: int = 0) -> list[v.TargetView]:
        selected = list(self._of_label(Label.TARGET))
        if indicator and indicator.strip():
            key = indicator_key(indicator)
            exact = [t for t in selected if key in self._indicator_keys(t)]
            selected = exact or [t for t in selected if any(key in k for k in self._indicator_keys(t))]
        views = sorted((self._target_view(t) for t in selected), key=self._target_sort)
        return self._page(views, limit, offset)

    def _indicator_keys(self, target_id: str) -> set[str]:
        return {self._props(i)[Key.NAME] for i, _, _ in self._out(target_id, [Rel.MEASURES])}

    @_locked
    def neighborhood(self, node_id: str, depth: int = 1, limit: int = 300) -> v.Neighborhood:
        if node_id not in self.graph:
            raise NotFound(f"no node with id {node_id!r}")
        distance = {node_id: 0}
        frontier = [node_id]
        for level in range(1, depth + 1):
            nxt = []
            for node in frontier:
                around = set(self.graph.successors(node)) | set(self.graph.predecessors(node))
                for other in sorted(around - distance.keys()):
                    if len(distance) >= limit:
                        break
                    distance[other] = level
                    nxt.append(other)
            frontier = nxt
        nodes = [self._graph_node(n) for n in sorted(distance, key=lambda n: (distance[n], n))]
        edges = [
            v.GraphEdge(id=d["id"], source=src, target=dst, type=rel, properties=dict(d["props"]))
            for src, dst, rel, d in self.graph.subgraph(distance).edges(keys=True, data=True)
        ]
        edges.sort(key=lambda e: (e.type, e.source, e.target))
        return v.Neighborhood(center=node_id, nodes=nodes, edges=edges)

    def _graph_node(self, node_id: str) -> v.GraphNode:
        label = self._label(node_id)
        p = self._props(node_id)
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

    # -- inspection (tests, export) ------------------------------------------------------
    @_locked
    def terms(self) -> tuple[set[str], set[str], set[str]]:
        """(node labels, relationship types, property keys) the graph holds."""
        labels = {d["label"] for _, d in self.graph.nodes(data=True)}
        types = {rel for _, _, rel in self.graph.edges(keys=True)}
        keys = {k for _, d in self.graph.nodes(data=True) for k in d["props"]}
        keys |= {k for _, _, d in self.graph.edges(data=True) for k in d["props"]}
        return labels, types, keys

    def dump(self) -> Iterator[v.GraphNode | v.GraphEdge]:
        """Every node (by type, id), then every edge (by type, source, target)."""
        # a snapshot taken under the lock: a generator holding the lock between yields would
        # block every ingest for as long as a slow consumer (an export to disk) takes
        with self._lock:
            nodes = sorted(
                (self._graph_node(n) for n in self.graph.nodes), key=lambda node: (node.type, node.id)
            )
            for node in nodes:  # lists (aliases) copied: a caller must not edit the store's own
                node.properties = {
                    k: list(x) if isinstance(x, list) else x for k, x in node.properties.items()
                }
            edges = sorted(
                (
                    v.GraphEdge(id=d["id"], source=src, target=dst, type=rel, properties=dict(d["props"]))
                    for src, dst, rel, d in self.graph.edges(keys=True, data=True)
                ),
                key=lambda e: (e.type, e.source, e.target),
            )
        yield from nodes
        yield from edges

    def close(self) -> None:
        """Nothing to release: every ingest is already on disk."""
