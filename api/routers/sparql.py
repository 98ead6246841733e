"""The SPARQL 1.1 Protocol endpoint, read-only, over a triple-store copy of the graph
(graph/sparql.py):

    GET  /sparql?query=…                       the query in the query string
    POST /sparql  query=… (form-urlencoded)    or the query as an application/sparql-query body

Answers: SELECT/ASK as SPARQL results JSON (default), XML, CSV or TSV; CONSTRUCT/DESCRIBE as
Turtle (default), N-Triples, RDF/XML or JSON-LD; chosen by the Accept header or `format`.
Limits: POLICYKG_SPARQL_TIMEOUT_S (503 past it) and POLICYKG_SPARQL_ROW_LIMIT (the answer is cut
there and says so in the `SPARQL-Truncated: true` header). SPARQL Update is refused (403), a
query that does not parse or evaluate is a 400 problem.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request, Response
from policykg.api.lists import quality
from policykg.api.problems import problem
from policykg.graph.sparql import FORMAT_NAMES, SparqlAnswer, SparqlError, SparqlIndex, SparqlTimeout
from starlette.concurrency import run_in_threadpool

from policykg.settings import get_settings

router = APIRouter(tags=["sparql"])

FormatName = Annotated[
    str | None,
    Query(
        pattern="^(" + "|".join(FORMAT_NAMES) + ")$",
        description="answer format instead of the Accept header: " + ", ".join(FORMAT_NAMES),
    ),
]
_ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT/ASK: SPARQL results (JSON, XML, CSV, TSV); CONSTRUCT/DESCRIBE: RDF",
        "content": {
            "application/sparql-results+json": {"schema": {"type": "object"}},
            "application/sparql-results+xml": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
            "text/tab-separated-values": {"schema": {"type": "string"}},
            "text/turtle": {"schema": {"type": "string"}},
            "application/n-triples": {"schema": {"type": "string"}},
            "application/rdf+xml": {"schema": {"type": "string"}},
            "application/ld+json": {"schema": {"type": "object"}},
        },
    },
    400: {"description": "the query does not parse or cannot be evaluated"},
    403: {"description": "SPARQL Update: the endpoint is read-only"},
    415: {"description": "a POST body that is neither a query nor a form"},
}


def _index(request: Request) -> SparqlIndex:
    return request.app.state.sparql


def _media_type(request: Request, answer: SparqlAnswer, fmt: str | None) -> str:
    offered = answer.media_types()
    if fmt is not None and FORMAT_NAMES[fmt] in offered:
        return FORMAT_NAMES[fmt]
    accept = request.headers.get("accept", "")
    if accept:
        ranked = sorted(offered, key=lambda m: -quality(accept, m))  # stable: our default first on ties
        if quality(accept, ranked[0]) > 0:
            return ranked[0]
    return offered[0]


async def _answer(request: Request, text: str | None, fmt: str | None) -> Response:
    if not text or not text.strip():
        return problem(400, "no SPARQL query: give it as `query` (GET or form POST) or as the body", "sparql")
    settings = getattr(request.app.state, "settings", None) or get_settings()
    index = _index(request)
    job = asyncio.ensure_future(
        run_in_threadpool(index.query, text, settings.sparql_timeout_s, settings.sparql_row_limit)
    )
    # asyncio.wait, not wait_for: a thread cannot be cancelled, and wait_for would wait for it
    done, _ = await asyncio.wait({job}, timeout=settings.sparql_timeout_s)
    if job not in done:
        job.add_done_callback(lambda task: task.exception())  # collected when the thread ends
        return problem(
            503,
            f"the SPARQL query ran past {settings.sparql_timeout_s:g} s (POLICYKG_SPARQL_TIMEOUT_S)",
            "timeout",
        )
    try:
        answer = job.result()
    except SparqlTimeout as err:
        return problem(503, str(err), "timeout")
    except SparqlError as err:
        return problem(400, str(err), "sparql")
    media = _media_type(request, answer, fmt)
    headers = {"SPARQL-Truncated": "true"} if answer.truncated else {}
    charset = "" if media.startswith("text/") else "; charset=utf-8"
    return Response(answer.serialize(media), media_type=media + charset, headers=headers)


@router.get("/sparql", responses=_ANSWERS, summary="SPARQL 1.1 query (read-only), query in the URL")
async def sparql_get(
    request: Request,
    query: Annotated[str, Query(description="the SPARQL query", examples=["ASK { ?s ?p ?o }"])],
    format: FormatName = None,
) -> Response:
    return await _answer(request, query, format)


@router.post(
    "/sparql",
    responses=_ANSWERS,
    summary="SPARQL 1.1 query (read-only), query in the body",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/sparql-query": {"schema": {"type": "string"}},
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"query": {"type": "string"}},
                        "required": ["query"],
                    }
                },
            },
        }
    },
)
async def sparql_post(request: Request, format: FormatName = None) -> Response:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if kind == "application/sparql-update":
        return problem(403, "this SPARQL endpoint is read-only: SPARQL Update is not accepted")
    if kind == "application/sparql-query":
        return await _answer(request, body.decode("utf-8", errors="replace"), format)
    if kind == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"))
        if "update" in form:
            return problem(403, "this SPARQL endpoint is read-only: SPARQL Update is not accepted")
        return await _answer(request, (form.get("query") or [None])[0], format)
    return problem(
        415,
        "send the query as application/sparql-query or as query=… in application/x-www-form-urlencoded",
    )
