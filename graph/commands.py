"""`policykg ingest PATH...` and `policykg stats`."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from policykg.ingest.read import folder_files

from policykg.cli import CommandError
from policykg.settings import get_settings

if TYPE_CHECKING:
    from policykg.graph.store import Store
    from policykg.graph.views import IngestReport

    from policykg.records import ExtractionRecord


# files per ingest_many call: a Neo4j transaction's worth, and a progress line at least that often
INGEST_BATCH = 500


def register(sub: argparse._SubParsersAction) -> None:
    default = get_settings().store
    ingest = sub.add_parser("ingest", help="extract files and store them in the graph")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (searched recursively)")
    ingest.add_argument("--store", default=default, help="store URL (default: %(default)s)")
    ingest.add_argument(
        "--max-bytes",
        type=int,
        default=None,
        help=f"refuse files larger than this many bytes (default: {get_settings().max_file_bytes})",
    )
    ingest.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=1,
        metavar="N",
        help="extract in N processes (default: 1), and with --bulk/--bulk-csv place and link "
        "in N processes; the store is still written by this process, in file order (in "
        "batches), so the result is the same as with 1",
    )
    bulk = ingest.add_mutually_exclusive_group()
    bulk.add_argument(
        "--bulk",
        action="store_true",
        help="first load into an EMPTY database of the project's own Neo4j server (--store "
        "bolt://127.0.0.1:PORT): plan the whole graph, stop the server, load it with Neo4j's bulk "
        "importer, start the server again",
    )
    bulk.add_argument(
        "--bulk-csv",
        metavar="DIR",
        help="write the graph as CSV files for `neo4j-admin database import full` into DIR and "
        "print the command (a first load into your own, stopped, Neo4j server)",
    )
    ingest.set_defaults(func=run_ingest)

    stats = sub.add_parser("stats", help="count the graph's nodes and edges")
    stats.add_argument("--store", default=default, help="store URL (default: %(default)s)")
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    stats.set_defaults(func=run_stats)


def source_files(paths: list[str]) -> Iterator[tuple[Path, str]]:
    """(file, source name) for each file named and every non-hidden file below each folder
    named, in sorted order. Formats are told from content by the extractor, so no extension is
    filtered out. The source name is the file's path below the folder named (a file at its top
    keeps its bare name), or the bare name of a file named: index.html in two subfolders are two
    sources. A name met twice in one run takes the path as given instead; a file met twice is
    taken once."""
    names: set[str] = set()
    files: set[Path] = set()

    def named(path: Path, name: str) -> Iterator[tuple[Path, str]]:
        real = path.resolve()
        if real in files:
            return
        files.add(real)
        if name in names:
            name = path.as_posix()
        while name in names:
            name = f"{name}#{len(names)}"
        names.add(name)
        yield path, name

    for given in paths:
        path = Path(given)
        if path.is_dir():
            # hidden files and a folder's own notes (README.md, SOURCES.md) are not documents
            for found in folder_files(path):
                yield from named(found, "/".join(found.relative_to(path).parts))
        else:
            yield from named(path, path.name)  # a missing file is reported by the extractor


def _open(url: str) -> Store:
    from policykg.graph.store import StoreError, open_store

    try:
        store = open_store(url)
    except StoreError as err:
        raise CommandError(str(err)) from None
    for warning in getattr(store, "warnings", ()):  # damaged or missing record files
        print(f"policykg: warning: {warning}", file=sys.stderr)
    return store


def run_ingest(args: argparse.Namespace) -> int:
    """Each file is extracted and stored on its own: a failure is one line on stderr naming the
    file and the reason, and the next file goes on. Exit status 1 when anything failed."""
    if args.jobs < 1:
        raise CommandError("--jobs must be at least 1")
    if args.bulk or args.bulk_csv:
        from policykg.graph.bulk_commands import run_bulk

        return run_bulk(args, _extracted(source_files(args.paths), args.max_bytes, args.jobs))
    from policykg.progress import Progress

    store = _open(args.store)
    lock = getattr(store, "lock_for_writing", None)
    if lock is not None:  # an embedded store: one writer at a time (waits for another ingest)
        from policykg.graph.store import StoreError

        try:
            lock()
        except StoreError as err:
            store.close()
            raise CommandError(str(err)) from None
    if getattr(store, "is_empty", None) and store.is_empty():  # type: ignore[attr-defined]
        print(
            "policykg ingest: the Neo4j database is empty: for a first load of many files, "
            "--bulk (the project's own server) or --bulk-csv DIR (any server) is much faster",
            file=sys.stderr,
        )
    counts: Counter[str] = Counter()
    replaced: list[str] = []
    paths = list(source_files(args.paths))  # counted first: the bar's total and time left
    files = _extracted(paths, args.max_bytes, args.jobs)
    try:
        with Progress("ingest", total=len(paths), unit="files") as progress:
            for (path, source), status, message in _stored(store, files, args.max_bytes):
                # "replaced" counts as ingested: the summary tells work done from work skipped
                counts["ingested" if status == "replaced" else status] += 1
                if status == "replaced":
                    replaced.append(source)
                # flushed: progress shows as it happens even through a pipe (tee, a supervising
                # test); on a terminal the bar stands for the per-file lines, failures still print
                failed = status == "failed"
                line = f"{status} {path}: {message}"
                progress.log(line, sys.stderr if failed else sys.stdout, step=not failed)
                progress.advance()
        stats = store.stats()
    finally:
        store.close()
    print(f"ingested {counts['ingested']}, unchanged {counts['unchanged']}, failed {counts['failed']}")
    if replaced:
        shown = ", ".join(replaced[:10]) + (f" and {len(replaced) - 10} more" if len(replaced) > 10 else "")
        print(f"replaced {len(replaced)} source(s) the store already held with other content: {shown}")
    print(
        f"store {store.url}: {stats.nodes.get('Document', 0)} documents, "
        f"{sum(stats.nodes.values())} nodes, {sum(stats.edges.values())} edges"
    )
    return 1 if counts["failed"] else 0


Extracted = tuple["ExtractionRecord | None", "str | None"]  # (record, or why the file failed)


SourceFile = tuple[Path, str]  # (file, source name): see source_files


def _extract(file: SourceFile, max_bytes: int | None) -> Extracted:
    """Extract one file; an expected input failure becomes its reason (a plain, picklable value,
    so this also runs in a worker process)."""
    from policykg.ingest.errors import InputError
    from policykg.ingest.extract import extract_path

    path, source = file
    try:
        # no max_bytes: the reader applies settings.max_file_bytes itself
        record = extract_path(path, max_bytes=max_bytes, source=source)
    except InputError as err:
        return None, err.reason
    return record, None


def _extracted(
    paths: Iterable[SourceFile], max_bytes: int | None, jobs: int
) -> Iterator[tuple[SourceFile, Extracted | None]]:
    """Each path with its extraction, in the order given. With one job nothing is done ahead
    (None: _ingest_one extracts). With more, extraction (the CPU work) runs in a process pool
    a bounded window ahead of the writer, so memory stays flat however many files there are,
    and results come back in file order, so the store sees exactly the single-process sequence."""
    if jobs == 1:
        for path in paths:
            yield path, None
        return
    from concurrent.futures import Future, ProcessPoolExecutor

    window = jobs * 4
    pending: deque[tuple[SourceFile, Future[Extracted]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for path in paths:
            pending.append((path, pool.submit(_extract, path, max_bytes)))
            if len(pending) >= window:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def _stored(
    store: Store, files: Iterable[tuple[SourceFile, Extracted | None]], max_bytes: int | None
) -> Iterator[tuple[SourceFile, str, str]]:
    """(path, status, what to print) for each file, in order. Records go to the store in
    batches through ingest_many (Neo4j writes a batch in a few transactions instead of one per
    file); when it stops at a record, the rest of that batch is stored one record at a time,
    so a failure is reported for its own file and the next file goes on."""
    from policykg.graph.store import IngestStopped

    pending = iter(files)
    while batch := list(islice(pending, INGEST_BATCH)):
        extracted = [(path, got if got is not None else _extract(path, max_bytes)) for path, got in batch]
        try:
            reports = store.ingest_many(record for _, (record, _) in extracted if record is not None)
        except IngestStopped as stop:
            reports = stop.reports
        done = iter(reports)
        for path, (record, reason) in extracted:
            if record is None:
                yield path, "failed", reason or "not extracted"
                continue
            report = next(done, None)
            if report is None:
                yield path, *_ingest_one(store, record)
            else:
                yield path, report.status, _summary(report)


def _summary(report: IngestReport) -> str:
    return f"{report.documents} documents, {report.nodes} nodes, {report.edges} edges"


def _ingest_one(store: Store, record: ExtractionRecord) -> tuple[str, str]:
    """(status, what to print) for one record; expected failures become ("failed", reason)."""
    from policykg.graph.ontology import SchemaViolation
    from policykg.graph.store import StoreError

    try:
        report = store.ingest(record)
    except OSError as err:  # disk full, read-only store folder: the old record stays as it was
        return "failed", f"not stored: {err.strerror or err}"
    except (StoreError, SchemaViolation) as err:
        # the store refused this record (nothing of it was written); the others still go in
        return "failed", f"not stored: {err}"
    return report.status, _summary(report)


def run_stats(args: argparse.Namespace) -> int:
    store = _open(args.store)
    try:
        stats = store.stats()
    finally:
        store.close()
    if args.json:
        print(json.dumps({"store": store.url, **stats.model_dump()}, ensure_ascii=False, indent=2))
        return 0
    print(f"store {store.url}")
    print(f"nodes {sum(stats.nodes.values())}")
    for label, count in stats.nodes.items():
        print(f"  {label:<28}{count:>8}")
    print(f"edges {sum(stats.edges.values())}")
    for rel, count in stats.edges.items():
        print(f"  {rel:<28}{count:>8}")
    return 0
