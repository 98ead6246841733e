"""`policykg export`: the whole instance graph as RDF (Turtle, JSON-LD) or GraphML.

policykg export [--format turtle|jsonld|graphml] [--store URL] [--out FILE]
                [--base IRI] [--pkg-only] [--validate]

The mapping is described in graph/export.py; --validate runs graph/shapes.ttl (SHACL) over the
RDF before it is written and exits 1, with the report on stderr, when it does not conform.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from pathlib import Path

from policykg.cli import CommandError
from policykg.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    from policykg.graph.export import BASE, FORMATS

    parser = sub.add_parser("export", help="write the graph as RDF (turtle, jsonld) or GraphML (Gephi)")
    parser.add_argument("--format", "-f", choices=FORMATS, default="turtle", help="(default: %(default)s)")
    parser.add_argument("--store", default=get_settings().store, help="store URL (default: %(default)s)")
    parser.add_argument("--out", "-o", default="-", metavar="FILE", help="output file (default: stdout)")
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
        "--validate", action="store_true", help="RDF: check the graph against graph/shapes.ttl (SHACL)"
    )
    parser.set_defaults(func=run_export)


def _write(out: str, data: bytes) -> None:
    """Write the whole file or nothing: a failed export must not leave half a graph behind
    for a later import to trust."""
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run_export(args: argparse.Namespace) -> int:
    from policykg.graph import export
    from policykg.graph.ontology import SchemaViolation
    from policykg.graph.store import StoreError, open_store
    from policykg.graph.views import GraphNode

    if args.validate and args.format == "graphml":
        raise CommandError("--validate applies to RDF formats (turtle, jsonld), not graphml")
    if args.out != "-" and not Path(args.out).parent.is_dir():
        raise CommandError(f"no such folder: {Path(args.out).parent}")
    try:
        store = open_store(args.store)
    except StoreError as err:
        raise CommandError(str(err)) from None
    try:
        items = list(store.dump())
    except StoreError as err:
        raise CommandError(str(err)) from None
    finally:
        store.close()

    conforms, report = True, ""
    buffer = io.BytesIO()
    try:
        if args.validate:
            rdf = export.to_rdf(items, base=args.base, vocabularies=not args.pkg_only)
            conforms, report = export.validate(rdf)
            buffer.write(export.serialize(rdf, args.format, args.base))
            nodes = sum(isinstance(i, GraphNode) for i in items)
            summary = export.ExportSummary(args.format, nodes, len(items) - nodes, len(rdf))
        else:
            summary = export.write_export(
                items, args.format, buffer, base=args.base, vocabularies=not args.pkg_only
            )
    except SchemaViolation as err:
        raise CommandError(f"the graph holds a term the ontology does not define: {err}") from None
    _write(args.out, buffer.getvalue())

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
