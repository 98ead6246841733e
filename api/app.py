"""The FastAPI application: one store opened once, one router per resource, the graph page.

    create_app()                      store from settings (POLICYKG_STORE, else embedded:<data dir>)
    create_app("embedded:/tmp/kg")    a store URL
    create_app(store=some_store)      an already open store (tests; the caller closes it)
    create_app(..., settings=Settings(cors_origins="https://x"))   other settings (tests)

Every request has settings.request_timeout_s to start its answer, else 503 (api/middleware.py);
CORS headers are sent only for the origins listed in settings.cors_origins (none by default).

OpenAPI at /docs. The browsing page api/static/index.html is served at / and its files at
/static when they exist.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from policykg.api import problems
from policykg.api.cache import ResponseCache
from policykg.api.json import Utf8JSONResponse
from policykg.api.lists import PAGING_HEADERS
from policykg.api.middleware import RequestTimeout
from policykg.api.operation_ids import operation_id
from policykg.api.request_guard import RequestGuard
from policykg.api.routers import ROUTERS
from policykg.graph.sparql import SparqlIndex
from policykg.graph.store import Store, StoreError, open_store
from starlette.concurrency import run_in_threadpool

from policykg import __version__
from policykg.settings import Settings, get_settings

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
# routers other areas of the project own; included when present
OPTIONAL_ROUTERS = ("policykg.api.routers.queries",)


# documented on every operation, so clients (and the schemathesis test) know a 503 body
UNAVAILABLE: dict[int | str, dict] = {
    503: {"model": problems.Problem, "description": "store failed or timed out"}
}


def freeze_heap() -> None:
    """For a long-running server, once its store is loaded: the store's millions of objects
    live as long as the process, and every full garbage collection rescanning them stalls a
    request (bench: lineage p99 5.8 ms at 10k documents). gc.freeze takes them out of its sight."""
    gc.collect()
    gc.freeze()


async def _keep_fresh(store: Any, every_s: float) -> None:
    """An embedded store served while `policykg ingest` writes to it: take in the new record
    files every `every_s` seconds (GET /health says `stale` until then)."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await run_in_threadpool(store.refresh)
        except StoreError as err:  # a damaged record: keep serving what was read, say why
            log.warning("could not take in the store's changes: %s", err)


def create_app(
    store_url: str | None = None, store: Store | None = None, settings: Settings | None = None
) -> FastAPI:
    settings = settings or get_settings()
    owned = store is None
    the_store = store if store is not None else open_store(store_url or settings.store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        refresher = None
        if hasattr(the_store, "refresh") and settings.store_refresh_s > 0:
            refresher = asyncio.create_task(_keep_fresh(the_store, settings.store_refresh_s))
        yield
        if refresher is not None:
            refresher.cancel()
        if owned:
            the_store.close()

    app = FastAPI(
        title="PolicyKG",
        version=__version__,
        description="Chinese policy documents as a knowledge graph: documents, citations and "
        "lineage, agencies and their tasks, quantified targets. Every fact keeps its source span.",
        lifespan=lifespan,
        default_response_class=Utf8JSONResponse,
        generate_unique_id_function=operation_id,
    )
    app.state.store = the_store
    app.state.settings = settings
    # the SPARQL copy of the graph fills on its first query, not at startup
    app.state.sparql = SparqlIndex(the_store)
    for router in ROUTERS:
        app.include_router(router, responses=UNAVAILABLE)
    for name in OPTIONAL_ROUTERS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        app.include_router(module.router, responses=UNAVAILABLE)
    problems.install(app)
    _page(app)
    _middleware(app, settings, the_store)
    return app


def _middleware(app: FastAPI, settings: Settings, store: Store) -> None:
    # the last added runs first: CORS outside the time limit, so a 503 still carries CORS headers
    app.add_middleware(RequestTimeout, seconds=settings.request_timeout_s)
    # outside the time limit: an answer from memory needs no task of its own
    app.add_middleware(ResponseCache, store=store, max_bytes=settings.cache_bytes)
    # HEAD like GET, 413/414 for oversized requests, 400 for lone surrogates in JSON
    app.add_middleware(RequestGuard)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            expose_headers=list(PAGING_HEADERS),
        )


def _page(app: FastAPI) -> None:
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        page = STATIC / "index.html"
        if page.is_file():
            return FileResponse(page, media_type="text/html")
        return RedirectResponse("/docs")
