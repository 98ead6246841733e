"""Dependencies shared by every router, declared once with Annotated."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from policykg.graph.store import Store

MAX_LIMIT = 1000
# far past any real graph, well inside every store's integer range: both stores answer alike
MAX_OFFSET = 1_000_000_000


def get_store(request: Request) -> Store:
    """The one store the app opened at startup (app.state.store)."""
    return request.app.state.store


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="page size (1..1000)")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip (0..10^9)")]
DocumentParam = Annotated[
    str, Query(min_length=1, description="document id, title (normalized, aliases applied) or 文号")
]
AsOf = Annotated[
    date | None,
    Query(
        description="YYYY-MM-DD: count only documents in force that day (in effect, not expired or repealed)"
    ),
]
