"""Named Cypher queries (queries/*.cypher) and analyst Cypher over the REST API.

    GET  /queries            every named query: purpose, parameters (type, default), example
    GET  /queries/{name}?k=v run one; 404 unknown name, 422 missing/unknown/bad parameter
    POST /cypher             {"query": "...", "params": {...}}: off unless POLICYKG_ENABLE_CYPHER;
                             READ access mode, settings.cypher_timeout_s, settings.cypher_row_limit;
                             a write → 403, too slow → 408, bad Cypher → 400

All of it needs a Neo4j store: the embedded store answers 501 (it speaks no Cypher).
"""

from __future__ import annotations

from typing import Any, NoReturn

from fastapi import APIRouter, HTTPException, Request, Response
from policykg.api import lists
from policykg.api.deps import Limit, Offset, StoreDep
from policykg.graph.answers import page
from policykg.graph.store import Store
from policykg.queries import QueryError, get_query, list_queries
from pydantic import BaseModel, Field

from policykg.settings import get_settings

router = APIRouter(tags=["queries"])


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
    from policykg.graph.neo4j_store import CypherAccessError, CypherError, CypherTimeout

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
    responses={404: {"description": "no such query"}, 422: {"description": "missing or unknown parameter"}},
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
    try:
        result = _cypher_store(store).run_read(
            query.cypher, params, timeout_s=settings.request_timeout_s, row_limit=settings.cypher_row_limit
        )
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
        403: {"description": "disabled, or the query tries to write"},
        408: {"description": "ran past POLICYKG_CYPHER_TIMEOUT_S"},
        501: {"description": "the store is not Neo4j"},
    },
)
def cypher(body: CypherRequest, store: StoreDep) -> Rows:
    settings = get_settings()
    if not settings.enable_cypher:
        raise HTTPException(403, "POST /cypher is disabled; start the API with POLICYKG_ENABLE_CYPHER=true")
    target = _cypher_store(store)
    try:
        result = target.run_read(
            body.query, body.params, timeout_s=settings.cypher_timeout_s, row_limit=settings.cypher_row_limit
        )
    except Exception as err:  # mapped to HTTP statuses; anything else is re-raised
        _cypher_error(err)
    return Rows(columns=result.columns, rows=result.rows, truncated=result.truncated)
