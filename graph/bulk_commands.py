"""`policykg ingest --bulk` and `--bulk-csv DIR`: a first load through Neo4j's bulk importer
(graph/bulk.py). Extraction failures and refused records are reported per file, as by plain
ingest; the load itself is all or nothing."""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlparse

from policykg.graph.commands import Extracted, _extract, _summary

from policykg.cli import CommandError
from policykg.records import ExtractionRecord


def _records(
    files: Iterable[tuple[Path, Extracted | None]], max_bytes: int | None
) -> Iterator[ExtractionRecord]:
    """The records as extracted, one at a time (the plan reads them once and keeps none)."""
    for path, got in files:
        record, reason = got if got is not None else _extract(path, max_bytes)
        if record is None:
            print(f"failed {path}: {reason or 'not extracted'}", file=sys.stderr, flush=True)
        else:
            yield record


def run_bulk(args: argparse.Namespace, files: Iterable[tuple[Path, Extracted | None]]) -> int:
    from policykg.graph import bulk
    from policykg.graph import neo4j_server as server
    from policykg.graph.store import StoreError, open_store

    own = None
    if args.bulk:
        url = urlparse(args.store)
        if url.scheme not in ("bolt", "neo4j") or url.hostname not in ("127.0.0.1", "localhost"):
            raise CommandError(
                "--bulk needs the project's own Neo4j server on this machine (--store "
                "bolt://127.0.0.1:PORT); for another server use --bulk-csv DIR and neo4j-admin"
            )
        own = server.running(url.port or 7687)
        if own is None:
            raise CommandError(
                f"no project Neo4j server runs on port {url.port or 7687} (policykg neo4j start); "
                "for another server use --bulk-csv DIR and neo4j-admin"
            )
        try:
            store = open_store(args.store)
        except StoreError as err:
            raise CommandError(str(err)) from None
        try:
            empty = store.is_empty()  # type: ignore[attr-defined]
        finally:
            store.close()
        if not empty:
            raise CommandError(
                "--bulk loads only into an empty database (the import replaces it); "
                "add to this one with plain `policykg ingest`"
            )

    started = time.perf_counter()
    records = _records(files, args.max_bytes)
    folder = Path(args.bulk_csv) if args.bulk_csv else Path(tempfile.mkdtemp(prefix="policykg-bulk-"))
    try:
        try:
            plan = bulk.write_csv(records, folder, jobs=args.jobs)
        except StoreError as err:
            raise CommandError(str(err)) from None
        for source, why in plan.failed:
            print(f"failed {source}: not stored: {why}", file=sys.stderr, flush=True)
        planned = time.perf_counter() - started
        print(
            f"planned {plan.node_count} nodes, {plan.edge_count} edges from {len(plan.reports)} records "
            f"in {planned:.1f} s ({folder})",
            file=sys.stderr,
        )
        if own is None:
            for report in plan.reports:
                print(f"planned {report.source}: {_summary(report)}", flush=True)
            command = " ".join(shlex.quote(a) for a in ["neo4j-admin", *bulk.import_args(plan)])
            print("next, with the server stopped:", file=sys.stderr)
            print(command)
            print("then start the server and run: policykg schema --store bolt://HOST:PORT", file=sys.stderr)
            return 1 if plan.failed else 0
        port = urlparse(args.store).port or 7687
        print(f"stopping the server on port {port} for the import", file=sys.stderr, flush=True)
        failure: Exception | None = None
        try:
            server.stop(port=port, timeout_s=120)
            summary = bulk.run_import(plan, own.data, heap=own.heap or "2g")
        except (server.Neo4jServerError, StoreError) as err:
            failure = err
        try:  # the server comes back whatever happened, as it was started
            server.start(port=port, data=own.data, heap=own.heap, pagecache=own.pagecache)
        except server.Neo4jServerError as err:
            raise CommandError(f"the server did not start again after the import: {err}") from None
        if failure is not None:
            raise CommandError(str(failure))
        print(summary.splitlines()[0] if summary else "imported", file=sys.stderr)
        for report in plan.reports:
            print(f"{report.status} {report.source}: {_summary(report)}", flush=True)
        store = open_store(args.store)  # applies the schema from the ontology to the new data
        try:
            stats = store.stats()
        finally:
            store.close()
    finally:
        if not args.bulk_csv:
            shutil.rmtree(folder, ignore_errors=True)
    total = plan.node_count + plan.edge_count
    seconds = time.perf_counter() - started
    print(
        f"store {args.store}: {stats.nodes.get('Document', 0)} documents, {sum(stats.nodes.values())} "
        f"nodes, {sum(stats.edges.values())} edges; {total / seconds:,.0f} entities/s end to end"
    )
    return 1 if plan.failed else 0
