from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from policykg.api.deps import StoreDep
from policykg.api.models import ERROR_RESPONSES
from policykg.graph.views import Neighborhood

router = APIRouter(prefix="/graph", tags=["graph"])


@router.get(
    "/neighborhood",
    response_model=Neighborhood,
    responses=ERROR_RESPONSES,
    summary="Nodes and edges around a node",
)
def neighborhood(
    store: StoreDep,
    node: Annotated[str, Query(min_length=1, description="node id")],
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    limit: Annotated[int, Query(ge=1, le=1000, description="most nodes to answer")] = 300,
) -> Neighborhood:
    return store.neighborhood(node, depth=depth, limit=limit)
