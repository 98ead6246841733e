"""`policykg serve`: the REST API and the graph page under uvicorn."""

from __future__ import annotations

import argparse
import os
import sys

from policykg.cli import CommandError
from policykg.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    settings = get_settings()
    parser = sub.add_parser("serve", help="serve the REST API and the graph page")
    parser.add_argument("--store", default=None, help=f"store URL (default: {settings.store})")
    parser.add_argument("--host", default=settings.host, help="interface (default: %(default)s)")
    parser.add_argument("--port", type=int, default=settings.port, help="port (default: %(default)s)")
    parser.add_argument(
        "--workers",
        type=int,
        default=settings.workers,
        help="server processes, each with its own copy of the store opened from its snapshot "
        "(default: %(default)s; POLICYKG_WORKERS)",
    )
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
    url = app.state.store.url
    print(f"policykg: serving {url} at http://{args.host}:{args.port}/ (API docs at /docs)")
    if args.workers > 1:
        from uvicorn.supervisors import Multiprocess

        app.state.store.close()  # opened once to check it and show its warnings; each worker opens its own
        os.environ["POLICYKG_STORE"] = url  # read by worker_app in each (spawned) worker
        config = server_config(
            "policykg.api.commands:worker_app",
            args.host,
            args.port,
            factory=True,
            workers=args.workers,
            log_level="info",
        )
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return 0
    freeze_heap()
    uvicorn.Server(server_config(app, args.host, args.port, log_level="info")).run()
    return 0


def worker_app() -> object:
    """The app of one `serve --workers N` process: the store of POLICYKG_STORE, heap frozen."""
    from policykg.api.app import create_app, freeze_heap

    app = create_app()
    freeze_heap()
    return app
