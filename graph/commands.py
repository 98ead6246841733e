"""`policykg ingest PATH...` and `policykg stats`."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from policykg.cli import CommandError
from policykg.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    default = get_settings().store
    ingest = sub.add_parser("ingest", help="extract files and store them in the graph")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (searched recursively)")
    ingest.add_argument("--store", default=default, help="store URL (default: %(default)s)")
    ingest.set_defaults(func=run_ingest)

    stats = sub.add_parser("stats", help="count the graph's nodes and edges")
    stats.add_argument("--store", default=default, help="store URL (default: %(default)s)")
    stats.add_argument("--json", action="store_true", help="print the counts as JSON")
    stats.set_defaults(func=run_stats)


def source_files(paths: list[str]) -> Iterator[Path]:
    """Each file named, and every non-hidden file below each folder named, in sorted order.
    Formats are told from content by the extractor, so no extension is filtered out."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                parts = found.relative_to(path).parts
                if found.is_file() and not any(p.startswith(".") for p in parts):
                    yield found
        else:
            yield path  # a missing file is reported by the extractor as a failed file


def _open(url: str):
    from policykg.graph.store import StoreError, open_store

    try:
        return open_store(url)
    except StoreError as err:
        raise CommandError(str(err)) from None


def run_ingest(args: argparse.Namespace) -> int:
    from policykg.ingest.errors import InputError
    from policykg.ingest.extract import extract_path

    store = _open(args.store)
    counts: Counter[str] = Counter()
    try:
        for path in source_files(args.paths):
            try:
                record = extract_path(path)
            except InputError as err:
                counts["failed"] += 1
                print(f"failed {err.path}: {err.reason}", file=sys.stderr)
                continue
            report = store.ingest(record)
            counts["unchanged" if report.status == "unchanged" else "ingested"] += 1
            print(
                f"{report.status} {path}: {report.documents} documents, "
                f"{report.nodes} nodes, {report.edges} edges"
            )
        stats = store.stats()
    finally:
        store.close()
    print(f"ingested {counts['ingested']}, unchanged {counts['unchanged']}, failed {counts['failed']}")
    print(
        f"store {store.url}: {stats.nodes.get('Document', 0)} documents, "
        f"{sum(stats.nodes.values())} nodes, {sum(stats.edges.values())} edges"
    )
    return 1 if counts["failed"] else 0


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
