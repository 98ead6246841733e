"""`policykg serve`: the REST API and the graph page under uvicorn."""

from __future__ import annotations

import argparse
import sys

from policykg.cli import CommandError
from policykg.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    settings = get_settings()
    parser = sub.add_parser("serve", help="serve the REST API and the graph page")
    parser.add_argument("--store", default=None, help=f"store URL (default: {settings.store})")
    parser.add_argument("--host", default=settings.host, help="interface (default: %(default)s)")
    parser.add_argument("--port", type=int, default=settings.port, help="port (default: %(default)s)")
    parser.set_defaults(func=serve)


def serve(args: argparse.Namespace) -> int:
    import uvicorn
    from policykg.api.app import create_app, freeze_heap
    from policykg.api.server import server_config
    from policykg.graph.store import StoreError

    try:
        app = create_app(args.store)
    except StoreError as err:
        raise CommandError(str(err)) from None
    for warning in getattr(app.state.store, "warnings", ()):  # also listed by GET /health
        print(f"policykg: warning: {warning}", file=sys.stderr)
    freeze_heap()
    url = app.state.store.url
    print(f"policykg: serving {url} at http://{args.host}:{args.port}/ (API docs at /docs)")
    uvicorn.Server(server_config(app, args.host, args.port, log_level="info")).run()
    return 0
