"""`policykg neo4j start|stop|status`, `policykg schema` and `policykg query`.

policykg neo4j start [--port N] [--host H] [--data DIR] [--log FILE] [--timeout S]
                                                             (password from NEO4J_PASSWORD)
policykg neo4j stop [--port N] [--host H] [--timeout S]
policykg neo4j status [--port N] [--host H]                  exit 0 running, 3 stopped
policykg schema --store bolt://127.0.0.1:7687                constraints + indexes (idempotent)
policykg query --list
policykg query NAME [--param k=v ...] [--store URL] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from policykg.cli import CommandError
from policykg.settings import get_settings

DEFAULT_BOLT = "bolt://127.0.0.1:7687"


def register(sub: argparse._SubParsersAction) -> None:
    neo4j = sub.add_parser("neo4j", help="run the project's own Neo4j server (Bolt, auth on)")
    actions = neo4j.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    for name, help_text in (
        ("start", "build on first use, start in the background, wait until the password works"),
        ("stop", "stop cleanly (SIGTERM); succeeds when already stopped"),
        ("status", "print running/stopped; exit 0 when running, 3 when stopped"),
    ):
        action = actions.add_parser(name, help=help_text)
        # the same options as start wherever they make sense: a server is known by host and port
        action.add_argument("--port", type=int, default=7687, help="Bolt port (default: %(default)s)")
        action.add_argument("--host", default="127.0.0.1", help="listen address (default: %(default)s)")
        if name == "start":
            action.add_argument("--data", help="database folder (default: graph/neo4j-server/run/data)")
            action.add_argument("--log", help="log file (default: graph/neo4j-server/run/neo4j-PORT.log)")
        if name in ("start", "stop"):
            action.add_argument(
                "--timeout",
                type=int,
                default=120 if name == "start" else 60,
                help="seconds to wait for readiness / a clean stop (default: %(default)s)",
            )
        action.set_defaults(func=run_neo4j, action=name)

    settings_store = get_settings().store
    default_bolt = settings_store if "://" in settings_store else DEFAULT_BOLT
    schema = sub.add_parser("schema", help="create the Neo4j constraints and indexes the ontology implies")
    schema.add_argument("--store", default=default_bolt, help="bolt:// URL (default: %(default)s)")
    schema.set_defaults(func=run_schema)

    query = sub.add_parser("query", help="run a named Cypher query from queries/ and print a table")
    query.add_argument("name", nargs="?", help="query name (see --list)")
    query.add_argument("--list", action="store_true", help="list the named queries with their parameters")
    query.add_argument(
        "--param", "-p", action="append", default=[], metavar="K=V", help="a parameter (repeatable)"
    )
    query.add_argument("--store", default=default_bolt, help="bolt:// URL (default: %(default)s)")
    query.add_argument("--json", action="store_true", help="print rows as JSON lines instead of a table")
    query.set_defaults(func=run_query)


# -- neo4j start/stop/status --------------------------------------------------------------


def run_neo4j(args: argparse.Namespace) -> int:
    from policykg.graph import neo4j_server as server

    try:
        if args.action == "start":
            print(
                server.start(
                    port=args.port, data=args.data, log=args.log, timeout_s=args.timeout, host=args.host
                )
            )
            return 0
        if args.action == "stop":
            print(server.stop(port=args.port, timeout_s=args.timeout, host=args.host))
            return 0
        state = server.status(port=args.port, host=args.host)
        print(state.message)
        return 0 if state.running else 3
    except server.Neo4jServerError as err:
        raise CommandError(str(err)) from None


# -- schema --------------------------------------------------------------------------------


def run_schema(args: argparse.Namespace) -> int:
    from policykg.graph.neo4j_store import connect
    from policykg.graph.schema import apply_schema

    driver = _connect(connect, args.store)
    try:
        report = apply_schema(driver)
    finally:
        driver.close()
    for line in report.lines():
        print(line)
    return 0


def _connect(connect: Any, url: str) -> Any:
    from policykg.graph.store import StoreError

    if "://" not in url:
        raise CommandError(f"{url!r} is not a Neo4j URL (bolt://HOST:PORT)")
    try:
        return connect(url)
    except StoreError as err:
        raise CommandError(str(err)) from None


# -- query ---------------------------------------------------------------------------------


def run_query(args: argparse.Namespace) -> int:
    from policykg.queries import QueryError, get_query, list_queries

    if args.list or not args.name:
        for q in list_queries():
            params = ", ".join(p.signature() for p in q.parameters) or "-"
            print(f"{q.name:40} {params}\n    {q.purpose}")
        return 0 if args.list else 2
    try:
        query = get_query(args.name)
        params = query.bind(_pairs(args.param))
    except QueryError as err:
        raise CommandError(str(err)) from None

    from policykg.graph.neo4j_store import connect

    driver = _connect(connect, args.store)
    try:
        columns, rows = query.run(driver, params)
    finally:
        driver.close()
    if args.json:
        for row in rows:
            print(json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False, default=str))
    else:
        print_table(columns, rows)
    print(f"({len(rows)} rows)", file=sys.stderr)
    return 0


def _pairs(items: list[str]) -> dict[str, str]:
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"--param wants K=V, got {item!r}")
        pairs[key.strip()] = value
    return pairs


def _cell(value: Any) -> str:
    if isinstance(value, list) and not value:
        return ""
    if isinstance(value, list):
        return (
            " → ".join(_cell(v) for v in value)
            if value and isinstance(value[0], str)
            else json.dumps(value, ensure_ascii=False, default=str)
        )
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _width(text: str) -> int:
    # CJK characters take two terminal columns; count them so the columns line up
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _clip(text: str, width: int = 60) -> str:
    """At most `width` terminal columns, an ellipsis marking a cut (long task texts)."""
    text = " ".join(text.split())
    if _width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        used += _width(ch)
        if used > width - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def print_table(columns: list[str], rows: list[list[Any]], out: Any = None) -> None:
    out = out or sys.stdout
    cells = [[_clip(_cell(v)) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(
            v + " " * max(0, w - _width(v)) for v, w in zip(values, widths, strict=True)
        ).rstrip()

    print(line(columns), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in cells:
        print(line(row), file=out)
