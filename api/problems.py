"""Errors as RFC 9457 problem details: `application/problem+json` bodies with `type`, `title`,
`status` and `detail`, plus extension members where they help the caller:

    404 / 409 on a document name   `candidates`: the closest titles / every match
    422 bad parameters             `errors`: pydantic's list (loc, msg, type) per parameter

`type` is a relative URI, `/problems/<slug>`, that this API answers with a description of the
problem type (PROBLEM_TYPES); errors without a type of their own are `about:blank`, whose title
is the HTTP reason phrase. install() registers the handlers and rewrites the OpenAPI document
so every documented error response has the problem+json content.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from policykg.graph.store import Ambiguous, NotFound, StoreError
from policykg.graph.views import DocumentRef
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"

# slug → (title, what it means); the slug is the last part of the type URI
PROBLEM_TYPES: dict[str, tuple[str, str]] = {
    "not-found": ("Not found", "Nothing matched the name given; `candidates` lists the closest titles."),
    "ambiguous": ("Ambiguous name", "Several documents match the name given; `candidates` lists them all."),
    "invalid-parameters": (
        "Invalid parameters",
        "A parameter is missing, unknown or out of range; `errors` names each one (loc) and why (msg).",
    ),
    "unavailable": ("Store unavailable", "The store failed to answer; try again later."),
    "timeout": (
        "Request took too long",
        "The request ran past POLICYKG_REQUEST_TIMEOUT_S and was abandoned; narrow it or raise the limit.",
    ),
    "sparql": ("Bad SPARQL query", "The SPARQL query could not be parsed or evaluated; `detail` says why."),
}


class Problem(BaseModel):
    """RFC 9457 problem details; extension members (`candidates`, `errors`) as documented."""

    model_config = ConfigDict(extra="allow")

    type: str = Field("about:blank", description="URI reference of the problem type")
    title: str
    status: int
    detail: str | None = None
    candidates: list[DocumentRef] | None = Field(None, description="404/409 on a document name")
    errors: list[dict[str, Any]] | None = Field(None, description="422: one entry per bad parameter")


def problem_type(slug: str) -> str:
    return f"/problems/{slug}"


def problem_body(
    status: int, detail: str | None, slug: str | None = None, **extensions: Any
) -> dict[str, Any]:
    title = PROBLEM_TYPES[slug][0] if slug else HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": problem_type(slug) if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    body.update({k: v for k, v in extensions.items() if v is not None})
    return body


def problem(
    status: int,
    detail: str | None,
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, detail, slug, **extensions),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _refs(candidates: list[DocumentRef]) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in candidates]


def _validation_errors(err: RequestValidationError) -> list[dict[str, Any]]:
    # pydantic's entries may carry the exception object in ctx: keep only what JSON can say
    return [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in err.errors()
    ]


def install(app: FastAPI) -> None:
    """Problem-details handlers for every error the API answers, the /problems/<slug> pages
    and the OpenAPI rewrite."""

    @app.exception_handler(NotFound)
    async def not_found(_: Request, err: NotFound) -> JSONResponse:
        return problem(404, str(err), "not-found", candidates=_refs(err.candidates))

    @app.exception_handler(Ambiguous)
    async def ambiguous(_: Request, err: Ambiguous) -> JSONResponse:
        return problem(409, str(err), "ambiguous", candidates=_refs(err.candidates))

    @app.exception_handler(StoreError)
    async def store_error(_: Request, err: StoreError) -> JSONResponse:
        return problem(503, str(err), "unavailable")

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(err)
        named = ", ".join(".".join(str(p) for p in e["loc"][1:]) or str(e["loc"]) for e in errors)
        detail = f"invalid parameter(s): {named}" if named else "invalid request"
        return problem(422, detail, "invalid-parameters", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, err: StarletteHTTPException) -> JSONResponse:
        detail = err.detail if isinstance(err.detail, str) else str(err.detail)
        return problem(err.status_code, detail, headers=getattr(err, "headers", None))

    @app.get("/problems/{slug}", include_in_schema=False)
    def problem_description(slug: str) -> dict[str, str]:
        if slug not in PROBLEM_TYPES:
            raise HTTPException(404, f"no problem type {slug!r}; known: {', '.join(PROBLEM_TYPES)}")
        title, meaning = PROBLEM_TYPES[slug]
        return {"type": problem_type(slug), "title": title, "description": meaning}

    _problem_openapi(app)


def _problem_openapi(app: FastAPI) -> None:
    """Every 4xx/5xx response in the OpenAPI document is a Problem in application/problem+json
    (FastAPI documents its own 422 as application/json HTTPValidationError otherwise)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components["Problem"].pop("$defs", None)
        components.setdefault("DocumentRef", DocumentRef.model_json_schema())
        ref = {"$ref": "#/components/schemas/Problem"}
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for code, response in operation.get("responses", {}).items():
                    if code[0] in "45":
                        response["content"] = {PROBLEM_JSON: {"schema": ref}}
        for name in ("HTTPValidationError", "ValidationError", "CandidatesError", "Unavailable"):
            components.pop(name, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
