"""EmbeddedStore: the Store protocol on a compact in-memory graph, persisted in a directory.

Layout of `embedded:PATH`:

    PATH/records/<sha256(source)[:16]>.json   one ExtractionRecord per source (with content_hash)
    PATH/snapshot.bin                         the in-memory state at some moment (a cache)

The records are the truth: the graph is a pure function of them (graph/model.py). Ingesting a
source writes its record file atomically (temp file, fsync, os.replace, fsync of the folder): a
crash leaves the old record or the new one, never a partial file.

The snapshot spares an open the replay of every record. It is a pickle (loaded with only this
store's own types allowed) behind a CRC, written atomically, with a manifest: each source's
record digest and the (inode, size, mtime) of the record file it was built from. Open loads it,
then reads only the record files whose stat differs (or whose mtime is too close to the snapshot
to tell), applies new and changed ones and forgets sources whose file is gone. Without a usable
snapshot (none, damaged, another format, other model code) that is a full replay. close() writes
it when what the next open would redo is worth it, and so does a long ingest, each time its
unsaved work reaches half the store, so writing snapshots stays linear in the ingest.

In memory nodes are numbered in the order they joined (the graph's node order). Per node: id,
label code, properties as a tuple (a shared key tuple, then the values; short strings and ints
interned) and adjacency as packed ints, an int for a single edge. A node or edge shows the
contribution of its first source by name (a Document merges them all, model.merge_nodes). With a
single source, the usual case, only that source's number is kept; per-source contributions are
kept where there are several. Each source keeps the node numbers and edge keys it placed, so a
changed record removes exactly its own facts. Which contributions leave and which arrive (文号
resolution, stubs a document absorbs, sources placed again from their record files) is the
store-neutral graph plan's answer (graph/plan.py); this store only applies it.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import struct
import sys
import tempfile
import threading
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, wraps
from pathlib import Path
from typing import IO, Any, ClassVar, TypeVar

from policykg.graph import answers, jurisdictions, model, normalize, ontology, plan, resolve
from policykg.graph import views as v
from policykg.graph.lineage import walk
from policykg.graph.model import (
    CITATION_TYPES,
    LINEAGE_TYPES,
    Fragment,
    build_fragment,
    check_fragment,
    edge_id,
    merge_nodes,
)
from policykg.graph.normalize import doc_number_key, indicator_key, text_key
from policykg.graph.ontology import Key, Label, Rel, schema
from policykg.graph.plan import LINK_TYPES, Placement, plan_change
from policykg.graph.resolve import NumberIndex, TitleIndex, resolve_title, title_keys
from policykg.graph.store import Ambiguous, NotFound, StoreError

from policykg.records import ExtractionRecord
from policykg.settings import get_settings

__all__ = ["EmbeddedStore"]

T = TypeVar("T")
_MAX_CANDIDATES = 20

_LABELS: tuple[str, ...] = tuple(str(label) for label in Label)
_LABEL_CODE = {label: code for code, label in enumerate(_LABELS)}
_DOCUMENT = _LABEL_CODE[Label.DOCUMENT]
_KEYED = {Label.DOCUMENT, Label.AGENCY}  # the labels _index_keys gives lookup keys
_RELS: tuple[str, ...] = tuple(str(rel) for rel in Rel)
_REL_CODE = {rel: code for code, rel in enumerate(_RELS)}
# bit layout of the packed ints: an adjacency entry (node, type, source number) and an edge key
# (source node, target node, type) each fit a signed 64-bit array item
_REL_BITS = (len(_RELS) - 1).bit_length()
_REL_MASK = (1 << _REL_BITS) - 1
_NODE_BITS = 29
_NODE_MASK = (1 << _NODE_BITS) - 1
_SRC_BITS = 27
_SRC_MASK = (1 << _SRC_BITS) - 1
_LINK_CACHE = 64  # fragments of linked-to sources kept between changes (a national outline)
_INTERN_LEN = 16  # shorter strings (sections, units, places, levels) repeat across nodes: shared

_ID = str(Key.ID)
_SNAPSHOT = "snapshot.bin"
_LOCK = "writer.lock"
_MAGIC = b"policykg-embedded-snapshot-1\n"
_HEADER = struct.Struct("<IQ")  # CRC-32 and length of the pickle that follows
# a record file whose mtime is this close to the snapshot may have been rewritten within one
# tick of the file system clock unseen by stat: it is read rather than trusted
_RACY_NS = 2_000_000_000
_SNAPSHOT_MIN = 1000  # sources an ingest leaves unsaved before it writes a snapshot itself
_CLOSE_SHARE = 64  # close() writes one when at least 1/64 of the sources are unsaved

Adjacency = int | array | None  # no edge, one packed entry, or several


def _locked(method: Callable[..., T]) -> Callable[..., T]:
    @wraps(method)
    def wrapper(self: EmbeddedStore, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper


def record_hash(record: ExtractionRecord) -> str:
    return record.content_hash or hashlib.sha256(record.to_json().encode("utf-8")).hexdigest()


StatKey = tuple[int, int, int]  # (inode, size, mtime_ns): a record file rewritten gets a new one


def _stat_key(stat: os.stat_result) -> StatKey:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _replace_atomically(path: Path, fill: Callable[[IO[bytes]], None]) -> StatKey:
    """Write a temp file with `fill`, fsync it, put it in place, fsync the folder; answers the
    stat key of the file written (the inode and mtime survive the rename)."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
            stat = _stat_key(os.fstat(handle.fileno()))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return stat


def _write_atomic(path: Path, data: str) -> StatKey:
    return _replace_atomically(path, lambda handle: handle.write(data.encode("utf-8")))


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


_DIGEST_KEY = "record_sha256"  # first key of a record file: the digest of the rest (_record_json)


def _record_json(data: dict[str, Any]) -> tuple[str, str]:
    """(file text, digest) of a record: the digest covers the JSON of `data`, so a record
    damaged where it still parses (a flipped digit, a cut list) is told from a good one."""
    body = json.dumps(data, ensure_ascii=False)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return f'{{"{_DIGEST_KEY}": "{digest}", {body[1:]}' if len(data) else body, digest


def _read_record(path: Path) -> tuple[ExtractionRecord, StatKey, str]:
    """(record, stat key, digest) of a record file; StoreError naming the file when it cannot
    be read, does not parse or does not match its digest (files of older stores have none)."""
    try:
        with path.open("rb") as handle:
            stat = _stat_key(os.fstat(handle.fileno()))  # of the very file read, whatever replaces it
            data = json.loads(handle.read().decode("utf-8"))
        written = data.pop(_DIGEST_KEY, None) if isinstance(data, dict) else None
        digest = hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()
        if written is not None and written != digest:
            raise ValueError("its content does not match its digest")
        record = ExtractionRecord.from_dict(data)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as err:
        # saves are atomic, so this is damage from outside (an edit, a bad disk): say which file,
        # rather than a traceback from deep inside the JSON parser
        raise StoreError(
            f"damaged record file {path}: {err}; delete it and ingest that source again"
        ) from None
    return record, stat, digest


def _lock_holder(path: Path) -> str:
    """' (pid N)' from a store's lock file, for messages."""
    try:
        pid = path.read_text().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


@cache
def _model_fingerprint() -> str:
    """What a snapshot depends on besides the records: the code and tables turning records into
    the graph, and this module's layout. A change makes old snapshots unusable (a replay)."""
    from policykg.ingest import clause_links  # the linker decides which CARRIES_OUT edges exist

    modules = (model, plan, clause_links, resolve, normalize, jurisdictions, ontology, sys.modules[__name__])
    paths = [Path(m.__file__ or "") for m in modules]
    paths += [Path(sys.modules[ExtractionRecord.__module__].__file__ or "")]
    paths += [resolve.DATA, jurisdictions.DATA, ontology.ONTOLOGY_PATH]
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _same(a: tuple[Any, ...] | None, b: tuple[Any, ...] | None) -> bool:
    """Equal and of the same types (1 == 1.0 == True): then one copy serves both."""
    if a is None or b is None:
        return a is b
    return a == b and all(type(x) is type(y) for x, y in zip(a, b, strict=True))


def _entries(slot: Adjacency) -> Iterable[int]:
    if slot is None:
        return ()
    if type(slot) is int:
        return (slot,)
    return slot  # type: ignore[return-value]


def _adj_add(slots: list[Adjacency], i: int, entry: int) -> None:
    slot = slots[i]
    if slot is None:
        slots[i] = entry
    elif type(slot) is int:
        slots[i] = array("q", (slot, entry))
    else:
        slot.append(entry)  # type: ignore[union-attr]


def _adj_remove(slots: list[Adjacency], i: int, entry: int) -> None:
    slot = slots[i]
    if type(slot) is int:
        slots[i] = None
    else:
        slot.remove(entry)  # type: ignore[union-attr]
        if len(slot) == 1:  # type: ignore[arg-type]
            slots[i] = slot[0]  # type: ignore[index]


def _adj_replace(slots: list[Adjacency], i: int, old: int, new: int) -> None:
    slot = slots[i]
    if type(slot) is int:
        slots[i] = new
    else:
        slot[slot.index(old)] = new  # type: ignore[union-attr]


@dataclass(slots=True)
class _Source:
    """What the store keeps of one source instead of its record."""

    number: int  # its index in EmbeddedStore._src_names
    digest: str
    nodes: int  # the size of its fragment (the ingest report)
    edges: int
    numbers: tuple[str, ...]  # the 文号 keys its documents carry (resolve.NumberIndex)
    stat: StatKey  # of the record file it was built from
    placed_nodes: array  # node numbers it contributes to
    placed_edges: array  # edge keys it contributes to
    record_digest: str = ""  # of its record file's content (_record_json), checked when read


class _SnapshotUnpickler(pickle.Unpickler):
    """A snapshot holds builtins, arrays and these classes: nothing else may be loaded, so a
    planted file cannot run code."""

    ALLOWED: ClassVar[set[tuple[str, str]]] = {
        ("array", "array"),
        ("array", "_array_reconstructor"),
        (__name__, "_Source"),
        (resolve.__name__, "NumberIndex"),
        (resolve.__name__, "_Entry"),
    }

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a snapshot")
        return super().find_class(module, name)


class _CrcWriter:
    def __init__(self, handle: IO[bytes]):
        self.handle = handle
        self.crc = 0
        self.size = 0

    def write(self, data: bytes) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        return self.handle.write(data)


# the attributes a snapshot holds (EmbeddedStore._reset describes them)
_STATE = (
    "_ids",
    "_labels",
    "_values",
    "_shown",
    "_multi",
    "_succ",
    "_pred",
    "_eprops",
    "_emulti",
    "_rel_count",
    "_src_names",
    "_sources",
    "_numbers",
    "_by_label",
    "_by_key",
    "_keys_of",
    "_keysets",
    "_strs",
    "_ints",
)


class _PlanState:
    """graph/plan.PlanState over an EmbeddedStore: the whole NumberIndex is in memory; stored
    sources are rebuilt from their record files (what was read is kept, to notice a record
    another writer replaced meanwhile)."""

    def __init__(self, store: EmbeddedStore):
        self.store = store
        self.index = store._numbers
        self.read: dict[str, tuple[str, StatKey]] = {}  # source → digest, stat of the file read
        self.fragments: dict[str, Fragment] = {}

    def numbers_of(self, source: str) -> set[str]:
        info = self.store._sources.get(source)
        return set(info.numbers) if info else set()

    def stored(self, sources: Iterable[str]) -> set[str]:
        return {s for s in sources if s in self.store._sources}

    def need_numbers(self, numbers: set[str]) -> None:
        pass  # the whole index is in memory

    def fragments_of(self, sources: list[str]) -> dict[str, Fragment]:
        # every record read before anything is changed: a damaged one stops the change whole
        stored = [_read_record(self.store._record_path(s))[:2] for s in sources]
        for s, (record, stat) in zip(sources, stored, strict=True):
            self.read[s] = (record_hash(record), stat)
            self.fragments[s] = build_fragment(record)
        return {s: self.fragments[s] for s in sources}

    def fragment_for_links(self, source: str) -> Fragment:
        digest = self.store._sources[source].digest
        cached = self.store._link_fragments.get(source)
        if cached is None or cached[0] != digest:
            if len(self.store._link_fragments) >= _LINK_CACHE:
                self.store._link_fragments.clear()
            record, _ = _read_record(self.store._record_path(source))[:2]
            cached = self.store._link_fragments[source] = (digest, build_fragment(record))
        return cached[1]

    def clause_sources(self, doc_ids: set[str]) -> dict[str, set[str]]:
        st = self.store
        code = _REL_CODE[Rel.HAS_CLAUSE]
        found: dict[str, set[str]] = {}
        for doc_id in doc_ids:
            u = st._index.get(doc_id)
            if u is None:
                continue
            for entry in _entries(st._succ[u]):
                if entry >> _SRC_BITS & _REL_MASK != code:
                    continue
                w = entry >> (_SRC_BITS + _REL_BITS)
                multi = st._emulti.get((u << _NODE_BITS | w) << _REL_BITS | code)
                names = set(multi) if multi is not None else {st._src_names[entry & _SRC_MASK]}
                found.setdefault(doc_id, set()).update(names)
        return found

    def citing_sources(self, doc_ids: set[str]) -> set[str]:
        st = self.store
        codes = {_REL_CODE[t] for t in LINK_TYPES}
        found: set[str] = set()
        for doc_id in doc_ids:
            w = st._index.get(doc_id)
            if w is None:
                continue
            for entry in _entries(st._pred[w]):
                rel = entry & _REL_MASK
                if rel not in codes:
                    continue
                u = entry >> _REL_BITS
                multi = st._emulti.get((u << _NODE_BITS | w) << _REL_BITS | rel)
                if multi is not None:
                    found |= set(multi)
                else:
                    out = st._out_entry(u, w << _REL_BITS | rel)
                    if out is not None:
                        found.add(st._src_names[out & _SRC_MASK])
        return found

    def clause_documents_of(self, source: str) -> set[str]:
        st = self.store
        info = st._sources.get(source)
        if info is None:
            return set()
        code = _REL_CODE[Rel.HAS_CLAUSE]
        return {
            st._ids[key >> (_REL_BITS + _NODE_BITS)]  # type: ignore[misc]
            for key in info.placed_edges
            if key & _REL_MASK == code
        }


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
        self.snapshot_path = self.path / _SNAPSHOT
        try:
            self.records_dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create store folder {self.path}: {err.strerror or err}") from None
        self._lock = threading.RLock()
        self._writer: IO[str] | None = None  # the open lock file while this store is the writer
        self.warnings: list[str] = []  # what opening found wrong (damaged or missing records)
        self._damaged: set[str] = set()  # sources served from the snapshot: their file is damaged
        self._marker = 0
        self._synced_at = 0
        # counts changes of the graph held in memory: answers cached under one (api/cache.py)
        # and the SPARQL copy (revision()) stay valid while it is unchanged
        self.generation = 0
        self._reset()
        collecting = gc.isenabled()
        gc.disable()  # millions of long-lived objects: collections during the load only cost time
        try:
            self._load()
        finally:
            if collecting:
                gc.enable()

    # -- state ---------------------------------------------------------------------------
    def _reset(self) -> None:
        # nodes, by number (None: gone; numbers are not reused, so they keep the graph's order)
        self._ids: list[str | None] = []
        self._index: dict[str, int] = {}  # id → number (not in the snapshot: rebuilt from _ids)
        self._labels = bytearray()  # number → code in _LABELS
        self._values: list[tuple[Any, ...] | None] = []  # number → packed properties (_pack)
        self._shown = array("i")  # number → the source whose contribution it shows
        self._multi: dict[int, dict[str, tuple[Any, ...]]] = {}  # number → contributions, if several
        # edges: entries (target << _REL_BITS | type) << _SRC_BITS | source shown, and back
        # entries source node << _REL_BITS | type; properties and contributions by edge key
        self._succ: list[Adjacency] = []
        self._pred: list[Adjacency] = []
        self._eprops: dict[int, tuple[Any, ...]] = {}  # only edges that have properties
        self._emulti: dict[int, dict[str, tuple[Any, ...] | None]] = {}
        self._rel_count = [0] * len(_RELS)
        self._src_names: list[str] = []
        self._sources: dict[str, _Source] = {}
        self._numbers = NumberIndex()
        # read-path indexes: queries used to scan every node per request (all tasks for one
        # agency's tasks), which grows with the corpus. Sorted by node number when read.
        self._by_label: dict[str, set[int]] = {}
        # "a:"/"n:"/"t:" + name/文号/title key → node number, or a set when several share it
        self._by_key: dict[str, int | set[int]] = {}
        self._keys_of: dict[int, tuple[str, ...]] = {}
        # shared copies of repeated values
        self._keysets: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._strs: dict[str, str] = {}
        self._ints: dict[int, int] = {}
        self._dirty = 0  # sources applied since the snapshot on disk (what an open would redo)
        self.generation += 1  # a graph emptied is a change too (api/cache.py)
        self._titles: TitleIndex | None = None  # "did you mean" table, until the graph changes
        self._link_fragments: dict[str, tuple[str, Fragment]] = {}  # source → (digest, fragment)

    def _record_path(self, source: str) -> Path:
        return self.records_dir / f"{hashlib.sha256(source.encode('utf-8')).hexdigest()[:16]}.json"

    # -- snapshot ------------------------------------------------------------------------
    def _load(self) -> None:
        self._sync(self._read_snapshot())

    def _sync(self, captured: int) -> None:
        """Bring the state in line with the record files: read those whose stat differs from
        the manifest (or is too close to `captured` to tell), forget sources whose file is gone.
        A damaged file of a source the state already holds keeps that source as it is (with a
        warning); without such a copy it is an error naming the file."""
        marker = self._disk_marker()  # first: a change made during the scan shows next time
        on_disk = {
            entry.name: entry
            for entry in os.scandir(self.records_dir)
            if entry.name.endswith(".json") and not entry.name.startswith(".")
        }
        by_file = {self._record_path(source).name: source for source in self._sources}
        to_read = set(on_disk) - set(by_file)
        for name, source in by_file.items():
            entry = on_disk.get(name)
            if entry is None:  # its record is gone
                self._warn(
                    f"the record file {self.records_dir / name} of source {source} is gone: "
                    f"{source} is no longer in the graph; ingest it again to restore it"
                )
                self._apply(source, None)
                self._dirty += 1
            elif _stat_key(entry.stat()) != self._sources[source].stat:
                to_read.add(name)
            elif self._sources[source].stat[2] >= captured - _RACY_NS:
                to_read.add(name)
        for name in sorted(to_read):
            known = by_file.get(name)
            try:
                record, stat, record_digest = _read_record(self.records_dir / name)
            except StoreError as err:
                if known is None or known not in self._sources:
                    raise
                self._warn(f"{err}; meanwhile {known} is served as the snapshot holds it")
                self._damaged.add(known)
                continue
            if known is not None and known != record.source and known in self._sources:
                self._apply(known, None)  # the file now holds another source
                self._dirty += 1
            digest = record_hash(record)
            info = self._sources.get(record.source)
            if info is not None and info.digest == digest:
                info.stat, info.record_digest = stat, record_digest
                continue
            self._apply(record.source, build_fragment(record), digest, stat)
            self._sources[record.source].record_digest = record_digest
            self._dirty += 1
        self._marker = marker
        self._synced_at = time.time_ns()
        self.generation += 1

    def _warn(self, message: str) -> None:
        """Kept for whoever opened the store to show: the CLI prints them, /health lists them."""
        self.warnings.append(message)

    def _disk_marker(self) -> int:
        """Changes whenever a record file is written, replaced or deleted (the folder's mtime)."""
        try:
            return os.stat(self.records_dir).st_mtime_ns
        except OSError:
            return 0

    @property
    def stale(self) -> bool:
        """True when record files changed on disk since this store last read them."""
        return self._disk_marker() != self._marker

    @_locked
    def refresh(self) -> bool:
        """Take in what another process (an ingest) changed in the record files since this
        store read them; answers whether anything was read. Cheap when nothing changed."""
        if self._disk_marker() == self._marker:
            return False
        self._sync(self._synced_at)
        return True

    # -- one writer at a time -------------------------------------------------------------
    def lock_for_writing(self, wait_s: float | None = None) -> None:
        """Become the store's only writer (until close): a lock file in the store folder, so
        two ingests never interleave. Waits up to `wait_s` (settings.store_lock_wait_s) for
        another writer to finish, then StoreError naming it. Then reads what it changed."""
        if self._writer is not None:
            return
        import fcntl

        wait = get_settings().store_lock_wait_s if wait_s is None else wait_s
        handle = open(self.path / _LOCK, "a+")  # held open until close
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                holder = _lock_holder(self.path / _LOCK)
                if time.monotonic() >= deadline:
                    handle.close()
                    raise StoreError(
                        f"another process{holder} is writing to {self.url}; wait for it to finish "
                        "(or raise POLICYKG_STORE_LOCK_WAIT_S)"
                    ) from None
                if not told:  # the one line a waiting ingest prints
                    message = f"waiting for another process{holder} writing to {self.url}"
                    print(message, file=sys.stderr, flush=True)
                    told = True
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._writer = handle
        with self._lock:
            self.refresh()

    def _unlock(self) -> None:
        if self._writer is not None:
            self._writer.close()  # closing the descriptor releases the lock
            self._writer = None

    def _read_snapshot(self) -> int:
        """Take the state from the snapshot; answers when it was captured (0: no usable
        snapshot, the state stays empty and every record is read)."""
        try:
            with self.snapshot_path.open("rb") as handle:
                if handle.read(len(_MAGIC)) != _MAGIC:
                    return 0
                crc, size = _HEADER.unpack(handle.read(_HEADER.size))
                start, found = handle.tell(), 0
                while chunk := handle.read(1 << 20):
                    found = zlib.crc32(chunk, found)
                if found != crc or handle.tell() - start != size:
                    return 0
                handle.seek(start)
                unpickler = _SnapshotUnpickler(handle)
                fingerprint, captured = unpickler.load()
                if fingerprint != _model_fingerprint():
                    return 0
                state = unpickler.load()
        except (
            OSError,
            EOFError,
            ValueError,
            TypeError,
            AttributeError,
            pickle.UnpicklingError,
            struct.error,
        ):
            return 0
        if not isinstance(state, dict) or set(state) != set(_STATE):
            return 0
        for name in _STATE:
            setattr(self, name, state[name])
        self._index = {node_id: i for i, node_id in enumerate(self._ids) if node_id is not None}
        return int(captured)

    def _save_snapshot(self) -> None:
        """Write the state and its manifest. A failure (a read-only folder, a full disk) only
        leaves the next open more records to read."""
        state = {name: getattr(self, name) for name in _STATE}

        def fill(handle: IO[bytes]) -> None:
            handle.write(_MAGIC + bytes(_HEADER.size))
            writer = _CrcWriter(handle)
            pickler = pickle.Pickler(writer, protocol=5)
            pickler.dump((_model_fingerprint(), time.time_ns()))  # read first: another model, no load
            pickler.dump(state)
            handle.seek(len(_MAGIC))
            handle.write(_HEADER.pack(writer.crc, writer.size))

        try:
            _replace_atomically(self.snapshot_path, fill)
        except OSError:
            return
        self._dirty = 0

    # -- writing -------------------------------------------------------------------------
    @_locked
    def ingest(self, record: ExtractionRecord) -> v.IngestReport:
        self.lock_for_writing()
        digest = record_hash(record)
        known = record.source in self._sources
        repair = record.source in self._damaged  # same content, but its record file is damaged
        if known and self._sources[record.source].digest == digest and not repair:
            return self._report(record, "unchanged")
        fragment = build_fragment(record)
        check_fragment(fragment)
        text, record_digest = _record_json(record.to_dict() | {"content_hash": digest})
        stat = _write_atomic(self._record_path(record.source), text)
        self._apply(record.source, fragment, digest, stat)
        self._sources[record.source].record_digest = record_digest
        self._damaged.discard(record.source)
        self._marker = self._disk_marker()  # this store's own write: nothing to take in
        self.generation += 1
        self._dirty += 1
        if self._dirty >= max(_SNAPSHOT_MIN, len(self._sources) // 2):
            self._save_snapshot()
        return self._report(record, "replaced" if known and not repair else "ingested")

    def ingest_many(self, records: Iterable[ExtractionRecord]) -> list[v.IngestReport]:
        """ingest() on each record in turn (each is its own atomic write here)."""
        from policykg.graph.store import IngestStopped

        reports: list[v.IngestReport] = []
        for record in records:
            try:
                reports.append(self.ingest(record))
            except (OSError, StoreError, ontology.SchemaViolation) as err:
                raise IngestStopped(reports, err) from err
        return reports

    def _report(self, record: ExtractionRecord, status: str) -> v.IngestReport:
        info = self._sources.get(record.source)
        return v.IngestReport(
            source=record.source,
            status=status,  # type: ignore[arg-type]
            documents=len(record.documents),
            nodes=info.nodes if info else 0,
            edges=info.edges if info else 0,
        )

    @_locked
    def wipe(self) -> None:
        """Forget every source: delete the record files and the snapshot, empty the graph."""
        self.lock_for_writing()
        self.snapshot_path.unlink(missing_ok=True)  # first: it must never outlive the records
        for path in self.records_dir.glob("*.json"):
            path.unlink(missing_ok=True)
        _fsync_dir(self.records_dir)
        _fsync_dir(self.path)
        self._reset()
        self._marker = self._disk_marker()

    def _apply(
        self, source: str, fragment: Fragment | None, digest: str = "", stat: StatKey = (0, 0, 0)
    ) -> None:
        """Replace `source`'s contributions by `fragment` (None: forget the source) as the graph
        plan says (graph/plan.py), re-placing the sources it names."""
        state = _PlanState(self)
        self._titles = None
        try:
            change = plan_change(state, source, fragment)
        except StoreError:
            # the 文号 index has moved on already: an empty store (the next open reads the
            # records) rather than one answering half-updated
            self._reset()
            raise
        for name in change.retract:
            self._unplace(name)
        if fragment is None:
            self._sources.pop(source, None)
        else:
            info = self._sources.get(source)
            if info is None:
                self._src_names.append(source)
                info = self._sources[source] = _Source(
                    len(self._src_names) - 1, "", 0, 0, (), stat, array("i"), array("q")
                )
            info.digest, info.stat = digest, stat
            info.numbers = tuple(sorted({e.number for e in change.entries}))
            info.nodes, info.edges = len(fragment.nodes), len(fragment.edges)
        for name, placement in change.placements.items():
            self._place(name, placement)
        for s in change.redo:
            s_digest, s_stat = state.read[s]
            if s_digest != self._sources[s].digest:
                # another writer replaced its record since this store read it: take it in whole
                self._apply(s, state.fragments[s], s_digest, s_stat)
                self._dirty += 1

    def _place(self, source: str, placement: Placement) -> None:
        info = self._sources[source]
        numbered = {
            node_id: self._add_node(source, info.number, label, node_id, props)
            for node_id, (label, props) in placement.nodes.items()
        }
        info.placed_nodes = array("i", dict.fromkeys(numbered.values()))
        info.placed_edges = array(
            "q",
            [
                self._add_edge(source, info.number, numbered[u], numbered[w], _REL_CODE[rel], props)
                for (u, w, rel), (_, props) in placement.edges.items()
            ],
        )

    def _unplace(self, source: str) -> None:
        info = self._sources[source]
        for key in info.placed_edges:
            self._drop_edge_contribution(source, key)
        for i in info.placed_nodes:
            self._drop_node_contribution(source, i)
        info.placed_nodes, info.placed_edges = array("i"), array("q")

    # -- packed values -------------------------------------------------------------------
    def _pack(self, props: dict[str, Any]) -> tuple[Any, ...]:
        """(key tuple, *values): the key tuple shared by every node alike, the id left out (it
        is the node's own), short strings and ints shared."""
        raw = tuple(props)
        keys = self._keysets.get(raw)
        if keys is None:  # str(): merge_nodes may add ontology.Key members, a snapshot holds str
            keys = tuple(str(k) for k in raw if k != _ID)
            self._keysets[tuple(map(str, raw))] = keys
        strs, ints = self._strs, self._ints
        values = []
        for key in keys:
            value = props[key]
            if type(value) is int:
                value = ints.setdefault(value, value)
            elif type(value) is str and len(value) <= _INTERN_LEN:
                value = strs.setdefault(value, value)
            values.append(value)
        return (keys, *values)

    @staticmethod
    def _unpack(packed: tuple[Any, ...], node_id: str | None = None) -> dict[str, Any]:
        values = iter(packed)
        props = {_ID: node_id} if node_id is not None else {}
        props.update(zip(next(values), values, strict=False))
        return props

    # -- contributions -------------------------------------------------------------------
    def _add_node(self, source: str, number: int, label: str, node_id: str, props: dict[str, Any]) -> int:
        packed = self._pack(props)
        i = self._index.get(node_id)
        if i is None:
            i = len(self._ids)
            if i > _NODE_MASK:
                raise StoreError("the embedded store is full (2**29 nodes)")
            self._ids.append(node_id)
            self._index[node_id] = i
            self._labels.append(_LABEL_CODE[label])
            self._values.append(packed)
            self._shown.append(number)
            self._succ.append(None)
            self._pred.append(None)
            self._by_label.setdefault(label, set()).add(i)
            self._set_keys(i, label, props)
            return i
        contributions = self._multi.get(i)
        shown = self._src_names[self._shown[i]]
        if contributions is None:
            if shown == source:  # its second reference landing here
                self._show(i, packed, number)
                return i
            contributions = self._multi[i] = {shown: self._values[i]}  # type: ignore[dict-item]
        current = self._values[i]
        contributions[source] = current if _same(packed, current) else packed  # type: ignore[assignment]
        if self._labels[i] == _DOCUMENT:
            self._merge_document(i)
        elif source <= shown:
            self._show(i, contributions[source], number)
        return i

    def _drop_node_contribution(self, source: str, i: int) -> None:
        contributions = self._multi.get(i)
        if contributions is None:
            self._drop_node(i)
            return
        del contributions[source]
        if len(contributions) == 1:
            ((last, packed),) = contributions.items()
            del self._multi[i]
            self._show(i, packed, self._sources[last].number)
        elif self._labels[i] == _DOCUMENT:
            self._merge_document(i)
        elif source == self._src_names[self._shown[i]]:
            first = min(contributions)
            self._show(i, contributions[first], self._sources[first].number)

    def _merge_document(self, i: int) -> None:
        contributions = self._multi[i]
        order = sorted(contributions)
        node_id = self._ids[i]
        merged = merge_nodes(Label.DOCUMENT, [self._unpack(contributions[s], node_id) for s in order])
        self._show(i, self._pack(merged), self._sources[order[0]].number)

    def _show(self, i: int, packed: tuple[Any, ...], number: int) -> None:
        self._values[i] = packed
        self._shown[i] = number
        label = _LABELS[self._labels[i]]
        if label in _KEYED:
            self._set_keys(i, label, self._unpack(packed, self._ids[i]))

    def _drop_node(self, i: int) -> None:
        self._set_keys(i, "", {})
        self._by_label[_LABELS[self._labels[i]]].discard(i)
        del self._index[self._ids[i]]  # type: ignore[arg-type]
        self._ids[i] = self._values[i] = self._succ[i] = self._pred[i] = None

    def _out_entry(self, u: int, pair: int) -> int | None:
        for entry in _entries(self._succ[u]):
            if entry >> _SRC_BITS == pair:
                return entry
        return None

    def _add_edge(self, source: str, number: int, u: int, w: int, rel: int, props: dict[str, Any]) -> int:
        """Add `source`'s contribution to the edge u -rel-> w; answers the edge key."""
        pair = w << _REL_BITS | rel
        key = (u << _NODE_BITS | w) << _REL_BITS | rel
        packed = self._pack(props) if props else None
        entry = self._out_entry(u, pair)
        if entry is None:
            _adj_add(self._succ, u, pair << _SRC_BITS | number)
            _adj_add(self._pred, w, u << _REL_BITS | rel)
            if packed:
                self._eprops[key] = packed
            self._rel_count[rel] += 1
            return key
        shown = self._src_names[entry & _SRC_MASK]
        contributions = self._emulti.get(key)
        current = self._eprops.get(key)
        if contributions is None:
            if shown == source:  # its second reference landing here
                self._show_edge(u, entry, key, packed, number)
                return key
            contributions = self._emulti[key] = {shown: current}
        contributions[source] = current if _same(packed, current) else packed
        if source <= shown:
            self._show_edge(u, entry, key, contributions[source], number)
        return key

    def _drop_edge_contribution(self, source: str, key: int) -> None:
        rel, w, u = key & _REL_MASK, key >> _REL_BITS & _NODE_MASK, key >> (_REL_BITS + _NODE_BITS)
        entry = self._out_entry(u, w << _REL_BITS | rel)
        assert entry is not None
        contributions = self._emulti.get(key)
        if contributions is None:
            _adj_remove(self._succ, u, entry)
            _adj_remove(self._pred, w, u << _REL_BITS | rel)
            self._eprops.pop(key, None)
            self._rel_count[rel] -= 1
            return
        del contributions[source]
        if len(contributions) == 1:
            ((last, packed),) = contributions.items()
            del self._emulti[key]
            self._show_edge(u, entry, key, packed, self._sources[last].number)
        elif source == self._src_names[entry & _SRC_MASK]:
            first = min(contributions)
            self._show_edge(u, entry, key, contributions[first], self._sources[first].number)

    def _show_edge(self, u: int, entry: int, key: int, packed: tuple[Any, ...] | None, number: int) -> None:
        _adj_replace(self._succ, u, entry, entry >> _SRC_BITS << _SRC_BITS | number)
        if packed:
            self._eprops[key] = packed
        else:
            self._eprops.pop(key, None)

    # -- read-path indexes ---------------------------------------------------------------
    @staticmethod
    def _index_keys(label: str, props: dict[str, Any]) -> tuple[str, ...]:
        """The lookup keys of a node: an agency's normalized name, a document's 文号 key and
        title keys (its own and its aliases'), exactly as the readers compare them."""
        if label == Label.AGENCY:
            return (f"a:{text_key(props[Key.NAME])}",)
        if label == Label.DOCUMENT:
            keys = {f"t:{key}" for key in title_keys(props)}
            if props.get(Key.DOC_NUMBER_KEY):
                keys.add(f"n:{props[Key.DOC_NUMBER_KEY]}")
            return tuple(sorted(keys))
        return ()

    def _set_keys(self, i: int, label: str, props: dict[str, Any]) -> None:
        old = self._keys_of.pop(i, ())
        keys = self._index_keys(label, props) if label in _KEYED else ()
        if keys:
            self._keys_of[i] = keys
        if keys == old:
            return
        for key in old:
            bucket = self._by_key[key]
            if type(bucket) is int:
                del self._by_key[key]
            else:
                bucket.discard(i)  # type: ignore[union-attr]
                if len(bucket) == 1:  # type: ignore[arg-type]
                    self._by_key[key] = next(iter(bucket))  # type: ignore[call-overload]
        for key in keys:
            bucket = self._by_key.get(key)
            if bucket is None:
                self._by_key[key] = i
            elif type(bucket) is int:
                self._by_key[key] = {bucket, i}
            else:
                bucket.add(i)  # type: ignore[union-attr]

    def _keyed(self, key: str) -> list[str]:
        """Nodes under an index key, in the graph's node order."""
        bucket = self._by_key.get(key, ())
        return [self._ids[i] for i in sorted((bucket,) if type(bucket) is int else bucket)]  # type: ignore[misc]

    # -- small readers -------------------------------------------------------------------
    def _props(self, node_id: str) -> dict[str, Any]:
        return self._unpack(self._values[self._index[node_id]], node_id)  # type: ignore[arg-type]

    def _label(self, node_id: str) -> str:
        return _LABELS[self._labels[self._index[node_id]]]

    def _has(self, node_id: str, label: str) -> bool:
        i = self._index.get(node_id)
        return i is not None and _LABELS[self._labels[i]] == label

    def _of_label(self, label: str) -> Iterable[str]:
        # sorted: the order a scan of the graph's nodes would give
        return [self._ids[i] for i in sorted(self._by_label.get(label, ()))]  # type: ignore[misc]

    def _edge_props(self, u: int, w: int, rel: int) -> dict[str, Any]:
        packed = self._eprops.get((u << _NODE_BITS | w) << _REL_BITS | rel)
        return self._unpack(packed) if packed else {}

    def _out(self, node_id: str, types: Iterable[str]) -> list[tuple[str, str, dict[str, Any]]]:
        wanted = {_REL_CODE[t] for t in types}
        u = self._index[node_id]
        found = []
        for entry in _entries(self._succ[u]):
            rel = entry >> _SRC_BITS & _REL_MASK
            if rel in wanted:
                w = entry >> (_SRC_BITS + _REL_BITS)
                found.append((self._ids[w], _RELS[rel], self._edge_props(u, w, rel)))
        return found  # type: ignore[return-value]

    def _in(self, node_id: str, types: Iterable[str]) -> list[tuple[str, str, dict[str, Any]]]:
        wanted = {_REL_CODE[t] for t in types}
        w = self._index[node_id]
        found = []
        for entry in _entries(self._pred[w]):
            rel = entry & _REL_MASK
            if rel in wanted:
                u = entry >> _REL_BITS
                found.append((self._ids[u], _RELS[rel], self._edge_props(u, w, rel)))
        return found  # type: ignore[return-value]

    def _edges_from(self, u: int) -> Iterator[tuple[int, int]]:
        """(target node, type code) of each edge leaving node number u."""
        for entry in _entries(self._succ[u]):
            yield entry >> (_SRC_BITS + _REL_BITS), entry >> _SRC_BITS & _REL_MASK

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
    def revision(self) -> str:
        # this object is the only writer the answers see (another process's ingest shows after
        # a reopen), so a counter of its own changes is exact
        return f"embedded:{self.generation}"  # bumped by every change of the graph

    @_locked
    def stats(self) -> v.StoreStats:
        """Counts per label and relationship type; every ontology term is listed (0 if absent)."""
        nodes = dict.fromkeys(sorted(schema().node_types), 0)
        edges = dict.fromkeys(sorted(schema().relation_types), 0)
        for label, members in self._by_label.items():
            if members:
                nodes[label] = len(members)
        for code, count in enumerate(self._rel_count):
            if count:
                edges[_RELS[code]] = count
        return v.StoreStats(nodes=nodes, edges=edges)

    @_locked
    def find_documents(
        self,
        q: str | None = None,
        level: str | None = None,
        jurisdiction: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> answers.Page[v.DocumentRef]:
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
        if self._has(query, Label.DOCUMENT):
            return self._doc_ref(query)
        by_number = self._keyed(f"n:{doc_number_key(query)}")
        if by_number:
            return self._one(query, by_number)
        _, key = resolve_title(query)
        by_title = self._keyed(f"t:{key}")
        if by_title:
            return self._one(query, by_title)
        # part of a title: over the title keys already in the lookup index ("t:" + key), so no
        # Document's titles are normalized again
        partial: set[int] = set()
        if key:
            for index_key, bucket in self._by_key.items():
                if index_key.startswith("t:") and key in index_key[2:]:
                    partial.update((bucket,) if type(bucket) is int else bucket)  # type: ignore[arg-type]
        if partial:
            return self._one(query, [self._ids[i] for i in sorted(partial)])  # type: ignore[misc]
        if self._titles is None:  # prepared once per state of the graph: a 404 reads no document
            pairs = ((self._props(d).get(Key.TITLE), d) for d in self._of_label(Label.DOCUMENT))
            self._titles = TitleIndex(sorted((t, d) for t, d in pairs if t))
        best = self._titles.closest(query)
        raise NotFound(f"no document matches {query!r}", [self._doc_ref(d) for _, d in best])

    def _one(self, query: str, doc_ids: list[str]) -> v.DocumentRef:
        unique = sorted(set(doc_ids), key=self._doc_sort)
        if len(unique) == 1:
            return self._doc_ref(unique[0])
        refs = [self._doc_ref(d) for d in unique[:_MAX_CANDIDATES]]
        raise Ambiguous(f"{query!r} matches {len(unique)} documents", refs)

    def _require(self, node_id: str, label: str) -> None:
        if not self._has(node_id, label):
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
            effective_from=p.get(Key.EFFECTIVE_FROM),
            valid_until=p.get(Key.VALID_UNTIL),
            issuers=self._agencies_of(doc_id, Rel.PASSED_BY),
            cites=citations(self._out(doc_id, cite_types)),
            cited_by=citations(self._in(doc_id, cite_types)),
            repeals=citations(self._out(doc_id, [Rel.REPEALS])),
            repealed_by=citations(self._in(doc_id, [Rel.REPEALS])),
            tasks=sorted(tasks, key=self._fact_sort),
            targets=sorted(targets, key=self._fact_sort),
            span=self._span(p),
        )

    # -- clause-level lineage ----------------------------------------------------------------
    @_locked
    def clauses(self, doc_id: str) -> list[v.ClauseView]:
        self._require(doc_id, Label.DOCUMENT)
        views = []
        for cid, _, _ in self._out(doc_id, [Rel.HAS_CLAUSE]):
            p = self._props(cid)
            parents = sorted(other for other, _, _ in self._out(cid, [Rel.PART_OF_CLAUSE]))
            views.append(answers.clause_view(p, parents[0] if parents else None))
        return sorted(views, key=answers.clause_sort)

    @_locked
    def clause_links(self, doc_id: str) -> list[v.ClauseLinkView]:
        self._require(doc_id, Label.DOCUMENT)
        links = []
        for cid, _, _ in self._out(doc_id, [Rel.HAS_CLAUSE]):
            for task, _, props in self._in(cid, [Rel.CARRIES_OUT]):
                links.append(answers.link_view(cid, self._task_view(task), props))
        return sorted(links, key=answers.link_sort)

    @_locked
    def statuses(self, doc_ids: Iterable[str]) -> dict[str, v.DocumentStatus]:
        found = {}
        for doc_id in doc_ids:
            if not self._has(doc_id, Label.DOCUMENT):
                continue
            repealers = [self._props(other) for other, _, _ in self._in(doc_id, [Rel.REPEALS])]
            found[doc_id] = answers.status_view(self._props(doc_id), repealers)
        return found

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
        if self._has(ref, Label.AGENCY):
            return {ref}
        needle = text_key(ref)
        exact = set(self._keyed(f"a:{needle}"))
        if exact:
            return exact
        agencies = self._of_label(Label.AGENCY)
        return {a for a in agencies if needle and needle in self._props(a)[Key.NAME_KEY]}

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
    ) -> answers.Page[v.TaskView]:
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
        # views only for the page: an agency may lead thousands of tasks
        shown = self._page(sorted(selected, key=self._task_key), limit, offset)
        return answers.Page([self._task_view(t) for t in shown], total=shown.total)

    def _task_key(self, task_id: str) -> tuple[Any, ...]:
        doc_id = self._owner(task_id, Rel.HAS_TASK)
        span = self._span(self._props(task_id))
        title = self._props(doc_id).get(Key.TITLE)
        return answers.fact_key(title, doc_id, span.start if span else None, task_id)

    @_locked
    def agencies(
        self, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> answers.Page[v.AgencySummary]:
        needle = text_key(q) if q and q.strip() else ""
        found = [
            (p[Key.NAME], agency)
            for agency in self._of_label(Label.AGENCY)
            if needle in (p := self._props(agency))[Key.NAME_KEY]
        ]
        found.sort()
        # task counts only for the page shown: they cost an edge walk per agency
        shown = self._page(found, limit, offset)
        return answers.Page([self._agency_summary(agency) for _, agency in shown], total=shown.total)

    def _agency_summary(self, agency: str) -> v.AgencySummary:
        return v.AgencySummary(
            **self._agency_ref(agency).model_dump(),
            aliases=list(self._props(agency).get(Key.ALIASES, [])),
            lead_tasks=len(self._tasks_with({agency}, Rel.LED_BY)),
            responsible_tasks=len(self._tasks_with({agency}, Rel.RESPONSIBILITY_OF)),
        )

    @_locked
    def agency_tasks(self, agency_id: str, role: v.Role | None = None) -> list[v.TaskView]:
        if self._has(agency_id, Label.AGENCY):
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
    def targets(
        self, indicator: str | None = None, limit: int = 200, offset: int = 0
    ) -> answers.Page[v.TargetView]:
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
        if node_id not in self._index:
            raise NotFound(f"no node with id {node_id!r}")
        distance = {node_id: 0}
        frontier = [node_id]
        for level in range(1, depth + 1):
            nxt = []
            for node in frontier:
                i = self._index[node]
                around = {self._ids[w] for w, _ in self._edges_from(i)}
                around |= {self._ids[entry >> _REL_BITS] for entry in _entries(self._pred[i])}
                for other in sorted(around - distance.keys()):
                    if len(distance) >= limit:
                        break
                    distance[other] = level
                    nxt.append(other)
            frontier = nxt
        nodes = [self._graph_node(n) for n in sorted(distance, key=lambda n: (distance[n], n))]
        inside = {self._index[n] for n in distance}
        edges = [self._graph_edge(u, w, rel) for u in inside for w, rel in self._edges_from(u) if w in inside]
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
        elif label == Label.CLAUSE:
            shown = f"{p[Key.PATH]} {p.get(Key.HEADING) or ''}".strip()[:40]
        else:
            shown = p.get(Key.NAME) or node_id
        return v.GraphNode(id=node_id, type=label, label=shown, properties=dict(p))

    def _graph_edge(self, u: int, w: int, rel: int) -> v.GraphEdge:
        src, dst, rel_type = self._ids[u], self._ids[w], _RELS[rel]
        return v.GraphEdge(
            id=edge_id(rel_type, src, dst),  # type: ignore[arg-type]
            source=src,  # type: ignore[arg-type]
            target=dst,  # type: ignore[arg-type]
            type=rel_type,
            properties=self._edge_props(u, w, rel),
        )

    # -- inspection (tests, export) ------------------------------------------------------
    @_locked
    def terms(self) -> tuple[set[str], set[str], set[str]]:
        """(node labels, relationship types, property keys) the graph holds."""
        labels = {label for label, members in self._by_label.items() if members}
        types = {_RELS[code] for code, count in enumerate(self._rel_count) if count}
        keys = {_ID} if self._index else set()
        for packed in [*self._values, *self._eprops.values()]:
            if packed is not None:
                keys.update(packed[0])
        return labels, types, keys

    def dump(self, ordered: bool = True) -> Iterator[v.GraphNode | v.GraphEdge]:
        """Every node (by type, id), then every edge (by type, source, target); unordered:
        the same items streamed in chunks (bounded memory beside the store, for export)."""
        if not ordered:
            yield from self._dump_streamed()
            return
        # a snapshot taken under the lock: a generator holding the lock between yields would
        # block every ingest for as long as a slow consumer (an export to disk) takes
        with self._lock:
            nodes = sorted((self._graph_node(n) for n in self._index), key=lambda node: (node.type, node.id))
            for node in nodes:  # lists (aliases) copied: a caller must not edit the store's own
                node.properties = {
                    k: list(x) if isinstance(x, list) else x for k, x in node.properties.items()
                }
            edges = sorted(
                (self._graph_edge(u, w, rel) for u in self._index.values() for w, rel in self._edges_from(u)),
                key=lambda e: (e.type, e.source, e.target),
            )
        yield from nodes
        yield from edges

    def _dump_streamed(self, chunk: int = 5_000) -> Iterator[v.GraphNode | v.GraphEdge]:
        # the lock is held per chunk, not across yields (see dump); a node removed meanwhile
        # is skipped, so every edge still meets two yielded nodes only without a writer
        with self._lock:
            ids = list(self._index)
        for start in range(0, len(ids), chunk):
            with self._lock:
                nodes = [self._graph_node(n) for n in ids[start : start + chunk] if n in self._index]
                for node in nodes:
                    node.properties = {
                        k: list(x) if isinstance(x, list) else x for k, x in node.properties.items()
                    }
            yield from nodes
        for start in range(0, len(ids), chunk):
            with self._lock:
                edges = [
                    self._graph_edge(u, w, rel)
                    for n in ids[start : start + chunk]
                    if (u := self._index.get(n)) is not None
                    for w, rel in self._edges_from(u)
                ]
            yield from edges

    @_locked
    def close(self) -> None:
        """Every ingest is already on disk; write a snapshot when the records the next open
        would read (those newer than the snapshot) have become worth it. A reader (a server)
        writes none while another process is writing: that one's is newer."""
        try:
            if self._dirty and (
                self._dirty * _CLOSE_SHARE >= len(self._sources) or not self.snapshot_path.exists()
            ):
                if self._writer is None:
                    try:
                        self.lock_for_writing(wait_s=0)
                    except StoreError:
                        return
                self._save_snapshot()
        finally:
            self._unlock()
