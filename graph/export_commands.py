"""`policykg export`: the whole instance graph as RDF (Turtle, JSON-LD) or GraphML, or its two
tables (responsibility matrix, targets) as CSV or an Excel workbook.

policykg export [--format turtle|ntriples|jsonld|graphml|csv|xlsx] [--store URL] [--out FILE]
                [--base IRI] [--pkg-only] [--validate [--validate-limit N]] [--table tasks|targets]

The mapping is described in graph/export.py; RDF and GraphML are streamed from the store to
the file (graph/export_stream.py), so memory stays bounded however large the graph.
--validate runs graph/shapes.ttl (SHACL) over the RDF, built in memory, before it is written
and exits 1, with the report on stderr, when it does not conform; it refuses a graph larger
than --validate-limit nodes and edges.
Tables (graph/tables.py, graph/spreadsheet.py): csv writes FOLDER/responsibilities.csv and
FOLDER/targets.csv (--out FOLDER), or one table to stdout (--table); xlsx writes one workbook
with both (--out FILE.xlsx).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from policykg.cli import CommandError
from policykg.settings import get_settings

TABLE_FORMATS = ("csv", "xlsx")
RDF_FORMATS = ("turtle", "ntriples", "jsonld")
# nodes + edges up to which --validate builds the graph in memory (~10 triples an item,
# ~2 KB a triple in rdflib and pyshacl: about 4 GB at the limit)
VALIDATE_LIMIT = 200_000


def register(sub: argparse._SubParsersAction) -> None:
    from policykg.graph.export import BASE, FORMATS

    parser = sub.add_parser(
        "export",
        help="write the graph as RDF (turtle, jsonld) or GraphML (Gephi), or its task and target "
        "tables as CSV or XLSX",
    )
    parser.add_argument(
        "--format", "-f", choices=[*FORMATS, *TABLE_FORMATS], default="turtle", help="(default: %(default)s)"
    )
    parser.add_argument("--store", default=get_settings().store, help="store URL (default: %(default)s)")
    parser.add_argument(
        "--out",
        "-o",
        default="-",
        metavar="FILE",
        help="output file (default: stdout); csv: the folder for both tables",
    )
    parser.add_argument(
        "--table",
        choices=("tasks", "targets"),
        help="csv to stdout: which table (tasks = the responsibility matrix)",
    )
    parser.add_argument(
        "--base", default=BASE, metavar="IRI", help="namespace of node IRIs (default: %(default)s)"
    )
    parser.add_argument(
        "--pkg-only",
        action="store_true",
        help="RDF: write only the ontology's own pkg: terms, not the ELI/ORG/PROV/SKOS/DCTERMS "
        "classes and properties they specialize",
    )
    parser.add_argument(
        "--validate",
        action="store_true",
        help="RDF: check the graph against graph/shapes.ttl (SHACL), in memory",
    )
    parser.add_argument(
        "--validate-limit",
        type=int,
        default=VALIDATE_LIMIT,
        metavar="N",
        help="--validate refuses a graph of more than N nodes and edges (default: %(default)s)",
    )
    parser.set_defaults(func=run_export)


def _write(out: str, data: bytes) -> None:
    """Write the whole file or nothing (see _atomic)."""
    with _atomic(out) as handle:
        handle.write(data)


@contextmanager
def _atomic(out: str) -> Iterator[IO[bytes]]:
    """A binary stream to `out` ("-": stdout) that becomes the file only once it is complete:
    a failed export must not leave half a graph behind for a later import to trust. (On
    stdout what was written is gone; the command then exits 1.)"""
    if out == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_export(args: argparse.Namespace) -> int:
    from policykg.graph.store import StoreError, open_store

    if args.validate and args.format not in RDF_FORMATS:
        raise CommandError(f"--validate applies to RDF formats ({', '.join(RDF_FORMATS)}), not {args.format}")
    _check_table_args(args)
    if args.out != "-" and not Path(args.out).parent.is_dir():
        raise CommandError(f"no such folder: {Path(args.out).parent}")
    try:
        store = open_store(args.store)
    except StoreError as err:
        raise CommandError(str(err)) from None
    try:
        if args.format in TABLE_FORMATS:
            items = _read_graph(store)
            return _export_tables(args, items, store.url)
        return _export_graph(args, store)
    except StoreError as err:
        raise CommandError(str(err)) from None
    finally:
        store.close()


def _export_graph(args: argparse.Namespace, store: Any) -> int:
    """RDF or GraphML, streamed from the store to the file; with --validate the graph is
    first built in memory for pyshacl, which only a graph below --validate-limit may be."""
    from policykg.graph import export
    from policykg.graph.ontology import SchemaViolation

    stats = store.stats()
    total = sum(stats.nodes.values()) + sum(stats.edges.values())
    conforms, report = True, ""
    try:
        if args.validate:
            if total > args.validate_limit:
                raise CommandError(
                    f"--validate: the graph has {total:,} nodes and edges, more than "
                    f"--validate-limit {args.validate_limit:,}; SHACL (pyshacl) needs the whole "
                    "graph in memory (about 2 KB a triple), so a graph this large is not "
                    "validated. Export without --validate, or raise --validate-limit if the "
                    "memory is there"
                )
            items: Any = _read_graph(store)
            conforms, report = export.validate(
                export.to_rdf(items, base=args.base, vocabularies=not args.pkg_only)
            )
        else:
            items = _streamed(store, total)
        with _atomic(args.out) as handle:
            summary = export.write_export(
                items, args.format, handle, base=args.base, vocabularies=not args.pkg_only
            )
    except SchemaViolation as err:
        raise CommandError(f"the graph holds a term the ontology does not define: {err}") from None

    triples = f", {summary.triples} triples" if summary.triples is not None else ""
    where = "stdout" if args.out == "-" else args.out
    print(
        f"exported {summary.nodes} nodes, {summary.edges} edges{triples} from {store.url} "
        f"as {summary.format} to {where}",
        file=sys.stderr,
    )
    if not conforms:
        print(report, file=sys.stderr)
        print("SHACL validation failed (graph/shapes.ttl); the file was written anyway", file=sys.stderr)
        return 1
    if args.validate:
        print("SHACL validation: conforms (graph/shapes.ttl)", file=sys.stderr)
    return 0


def _streamed(store: Any, total: int) -> Iterator[Any]:
    """store.dump(ordered=False) with a progress bar on a terminal: nothing kept."""
    from policykg.progress import Progress

    with Progress("export: writing the graph", total=total, unit="items") as progress:
        count = 0
        for count, item in enumerate(store.dump(ordered=False), 1):
            yield item
            if count % 1000 == 0:  # a bar update per item would cost more than the write
                progress.update(count)
        progress.update(count)


def _read_graph(store: Any) -> list:
    """store.dump() as a list, with a progress bar over nodes and edges on a terminal."""
    from policykg.progress import Progress

    stats = store.stats()
    total = sum(stats.nodes.values()) + sum(stats.edges.values())
    items = []
    with Progress("export: reading the graph", total=total, unit="items") as progress:
        for item in store.dump():
            items.append(item)
            if len(items) % 1000 == 0:  # a bar update per item would cost more than the read
                progress.update(len(items))
        progress.update(len(items))
    return items


def _check_table_args(args: argparse.Namespace) -> None:
    if args.format not in TABLE_FORMATS:
        if args.table:
            raise CommandError("--table applies to --format csv")
        return
    if args.format == "csv" and args.out == "-" and not args.table:
        raise CommandError("csv writes two tables: give --out FOLDER, or --table tasks|targets for stdout")
    if args.format == "csv" and args.out != "-" and Path(args.out).exists() and not Path(args.out).is_dir():
        raise CommandError(f"--out {args.out} is a file; csv writes a folder of tables")
    if args.format == "xlsx" and args.out == "-":
        raise CommandError("xlsx is a binary workbook: give --out FILE.xlsx")


def _export_tables(args: argparse.Namespace, items: list, url: str) -> int:
    from policykg.graph import spreadsheet
    from policykg.graph.tables import tables_from_dump

    tasks, targets = tables_from_dump(items)
    counts = f"{len(tasks)} tasks and {len(targets)} targets from {url}"
    if args.format == "xlsx":
        spreadsheet.write_xlsx(Path(args.out), tasks, targets)
        where = args.out
    elif args.out == "-":
        _write("-", spreadsheet.csv_bytes(args.table, tasks if args.table == "tasks" else targets))
        where = "stdout"
        counts = f"{len(tasks) if args.table == 'tasks' else len(targets)} {args.table} from {url}"
    else:
        folder = Path(args.out)
        folder.mkdir(exist_ok=True)
        where = ", ".join(str(p) for p in spreadsheet.write_csv_tables(folder, tasks, targets))
    print(f"exported {counts} as {args.format} to {where}", file=sys.stderr)
    return 0
