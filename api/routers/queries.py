"""Named Cypher queries (queries/*.cypher) and analyst Cypher over the REST API.

    GET  /queries            every named query: purpose, parameters (type, default), example
    GET  /queries/{name}?k=v run one; 404 unknown name, 422 missing/unknown/bad parameter
    POST /cypher             {"query": "...", "params": {...}}: off unless POLICYKG_ENABLE_CYPHER;
                             read-only as Neo4j's own plan says (graph/cypher.py), READ access
                             mode, settings.cypher_timeout_s, cypher_row_limit, cypher_byte_limit;
                             more than reading → 403, too slow → 408, bad Cypher → 400

All of it needs a Neo4j store: the embedded store answers 501 (it speaks no Cypher). At most
settings.cypher_concurrency Cypher requests run at once; one more is answered 429 at once (a
slow query holds a worker thread until the server stops it, and the other endpoints need them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from fastapi import APIRouter, HTTPException, Request, Response
from policykg.api import lists
from policykg.api.deps import Limit, Offset, StoreDep
from policykg.graph.answers import page
from policykg.graph.store import Store
from policykg.queries import QueryError, get_query, list_queries
from pydantic import BaseModel, Field

from policykg.settings import get_settings

router = APIRouter(tags=["queries"])
T = TypeVar("T")
_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _bounded(run: Callable[[], T]) -> T:
    """Run one Cypher request in one of settings.cypher_concurrency slots, or answer 429."""
    size = max(1, get_settings().cypher_concurrency)
    with _slots_lock:
        slots = _slots.setdefault(size, threading.BoundedSemaphore(size))
    if not slots.acquire(blocking=False):
        raise HTTPException(
            429,
            f"{size} Cypher queries are already running (POLICYKG_CYPHER_CONCURRENCY); retry shortly",
            headers={"Retry-After": "1"},
        )
    try:
        return run()
    finally:
        slots.release()


class ParamInfo(BaseModel):
    name: str
    type: str
    required: bool
    default: Any = None
    description: str = ""


class QueryInfo(BaseModel):
    name: str
    purpose: str
    parameters: list[ParamInfo]
    example: str


class Rows(BaseModel):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(False, description="more rows existed than the row limit")


class QueryResult(Rows):
    name: str
    params: dict[str, Any]


class CypherRequest(BaseModel):
    query: str = Field(
        min_length=1, max_length=20_000, examples=["MATCH (d:Document) RETURN d.title LIMIT 5"]
    )
    params: dict[str, Any] = Field(default_factory=dict)


def _cypher_store(store: Store) -> Any:
    if not hasattr(store, "run_read"):
        raise HTTPException(501, f"{store.url} is not a Neo4j store; Cypher needs bolt://… (POLICYKG_STORE)")
    return store


def _cypher_error(err: Exception) -> NoReturn:
    from policykg.graph.cypher import CypherAccessError, CypherError, CypherTimeout

    if isinstance(err, CypherAccessError):
        raise HTTPException(403, str(err)) from None
    if isinstance(err, CypherTimeout):
        raise HTTPException(408, str(err)) from None
    if isinstance(err, CypherError):
        raise HTTPException(400, str(err)) from None
    raise err


@router.get("/queries", response_model=list[QueryInfo], summary="The named Cypher queries")
def queries(
    request: Request, response: Response, limit: Limit = 100, offset: Offset = 0
) -> list[dict[str, Any]]:
    # a list like the others: paged, with X-Total-Count and Link (api/lists.py)
    found = page([q.describe() for q in list_queries()], limit, offset)
    return lists.answer(request, response, found, limit, offset)


@router.get(
    "/queries/{name}",
    response_model=QueryResult,
    summary="Run a named query; its parameters are query-string parameters",
    responses={
        404: {"description": "no such query"},
        422: {"description": "missing or unknown parameter"},
        429: {"description": "POLICYKG_CYPHER_CONCURRENCY queries already running"},
    },
)
def run_query(name: str, request: Request, store: StoreDep) -> QueryResult:
    try:
        query = get_query(name)
    except QueryError as err:
        raise HTTPException(404, str(err)) from None
    try:
        params = query.bind(dict(request.query_params))
    except QueryError as err:
        raise HTTPException(422, str(err)) from None
    settings = get_settings()
    target = _cypher_store(store)
    try:
        result = _bounded(
            lambda: target.run_read(
                query.cypher,
                params,
                timeout_s=settings.request_timeout_s,
                row_limit=settings.cypher_row_limit,
                byte_limit=settings.cypher_byte_limit,
            )
        )
    except HTTPException:
        raise
    except Exception as err:  # mapped to HTTP statuses; anything else is re-raised
        _cypher_error(err)
    return QueryResult(
        name=name, params=params, columns=result.columns, rows=result.rows, truncated=result.truncated
    )


@router.post(
    "/cypher",
    response_model=Rows,
    summary="Run read-only analyst Cypher (off unless POLICYKG_ENABLE_CYPHER=true)",
    responses={
        403: {"description": "disabled, or the query does more than read the graph"},
        408: {"description": "ran past POLICYKG_CYPHER_TIMEOUT_S"},
        429: {"description": "POLICYKG_CYPHER_CONCURRENCY queries already running"},
        501: {"description": "the store is not Neo4j"},
    },
)
def cypher(body: CypherRequest, store: StoreDep) -> Rows:
    settings = get_settings()
    if not settings.enable_cypher:
        raise HTTPException(403, "POST /cypher is disabled; start the API with POLICYKG_ENABLE_CYPHER=true")
    target = _cypher_store(store)
    try:
        result = _bounded(
            lambda: target.run_read(
                body.query,
                body.params,
                timeout_s=settings.cypher_timeout_s,
                row_limit=settings.cypher_row_limit,
                byte_limit=settings.cypher_byte_limit,
            )
        )
    except HTTPException:
        raise
    except Exception as err:  # mapped to HTTP statuses; anything else is re-raised
        _cypher_error(err)
    return Rows(columns=result.columns, rows=result.rows, truncated=result.truncated)
