"""The `policykg` command. Each area of the project registers its own subcommands:

ingest/commands.py          extract, eval
graph/commands.py           ingest, stats
graph/export_commands.py    export
graph/neo4j_commands.py     neo4j start|stop|status, schema, query
api/commands.py             serve
bench/commands.py           bench
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "policykg.ingest.commands",
    "policykg.graph.commands",
    "policykg.graph.export_commands",
    "policykg.graph.neo4j_commands",
    "policykg.api.commands",
    "policykg.bench.commands",
    "policykg.bench.load",
)


class CommandError(Exception):
    """An expected failure: printed as one line, exit status 1 (or `code`)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policykg", description="Chinese policy documents → knowledge graph → lineage answers."
    )
    from policykg import __version__

    parser.add_argument("--version", action="version", version=f"policykg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:  # a missing dependency inside a module is a real error
                raise
            continue  # an optional area that is not installed
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as err:
        print(f"policykg {args.command}: {err}", file=sys.stderr)
        return err.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    # `python -m policykg.cli`: run the imported module's main, so that the CommandError the
    # commands raise (policykg.cli's) is the one caught, not this __main__ copy's
    from policykg.cli import main as cli_main

    sys.exit(cli_main())
