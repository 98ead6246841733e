"""How every list endpoint answers: the body is the page (a JSON array, or CSV when asked), and
the headers say how many items matched and where the other pages are:

    X-Total-Count: 137
    Link: <http://host/tasks?lead=X&limit=50&offset=50>; rel="next",
          <http://host/tasks?lead=X&limit=50&offset=0>; rel="first",
          <http://host/tasks?lead=X&limit=50&offset=100>; rel="last"
          (rel="prev" too when offset > 0)

CSV (`Accept: text/csv` or `?format=csv`) is for GET /tasks, GET /targets and a document's
tasks: UTF-8 with a BOM so Excel opens the Chinese correctly (graph/tables.py has the columns).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Query, Request, Response
from policykg.graph import tables
from policykg.graph.answers import Page

Format = Annotated[
    Literal["json", "csv"] | None,
    Query(description="answer format; default from the Accept header (JSON unless text/csv is preferred)"),
]
CSV_MEDIA = "text/csv; charset=utf-8"
# OpenAPI: the 200 answer of a list that can also be CSV
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the page; CSV (UTF-8 with BOM) with Accept: text/csv or format=csv",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
PAGING_HEADERS = ("X-Total-Count", "Link")  # exposed to CORS clients


def quality(accept: str, wanted: str) -> float:
    """The q-value the Accept header gives `wanted` (exact type, type/*, */*; the most
    specific wins); 0 when it is not acceptable."""
    main = wanted.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        rank = {wanted: 2, f"{main}/*": 1, "*/*": 0}.get(media.lower(), -1)
        if rank > best[0]:
            best = (rank, q)
    return best[1]


def wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    if "text/csv" not in accept.lower():
        return False
    return quality(accept, "text/csv") > quality(accept, "application/json")


def page_headers(request: Request, response: Response, total: int, limit: int, offset: int) -> None:
    response.headers["X-Total-Count"] = str(total)
    links: list[tuple[str, int]] = []
    if offset + limit < total:
        links.append(("next", offset + limit))
    if offset > 0:
        links.append(("prev", max(0, offset - limit)))
    links.append(("first", 0))
    links.append(("last", max(0, (total - 1) // limit * limit) if total else 0))
    response.headers["Link"] = ", ".join(f'<{_url(request, limit, at)}>; rel="{rel}"' for rel, at in links)


def _url(request: Request, limit: int, offset: int) -> str:
    """The request's URL at another offset, percent-encoded: a header is Latin-1, and a path
    may hold a Chinese title (/documents/遵义市…/tasks)."""
    url = str(request.url.include_query_params(limit=limit, offset=offset))
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def answer(
    request: Request,
    response: Response,
    items: Sequence[Any],
    limit: int,
    offset: int,
    fmt: str | None = None,
    csv_columns: tuple[str, ...] | None = None,
    filename: str = "answer.csv",
) -> Any:
    """The items as the client asked (JSON through the route's response model, or CSV when the
    route has columns for it), with the paging headers."""
    total = items.total if isinstance(items, Page) else offset + len(items)
    if csv_columns is not None and wants_csv(request, fmt):
        body = tables.to_csv(csv_columns, tables.rows(csv_columns, items))
        csv_response = Response(
            body.encode("utf-8"),
            media_type=CSV_MEDIA,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
        page_headers(request, csv_response, total, limit, offset)
        return csv_response
    page_headers(request, response, total, limit, offset)
    return list(items)
