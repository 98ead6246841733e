from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from policykg.api.deps import DocumentParam, StoreDep
from policykg.api.models import ERROR_RESPONSES
from policykg.graph.views import LineageResult

router = APIRouter(prefix="/lineage", tags=["lineage"])
Depth = Annotated[int, Query(ge=1, le=10, description="hops to follow (1..10)")]


@router.get(
    "/implementations",
    response_model=LineageResult,
    responses=ERROR_RESPONSES,
    summary="Documents that implement a document, transitively",
)
def implementations(store: StoreDep, document: DocumentParam, depth: Depth = 10) -> LineageResult:
    return store.implementations(store.resolve_document(document).id, depth=depth)


@router.get(
    "/ancestors",
    response_model=LineageResult,
    responses=ERROR_RESPONSES,
    summary="Documents a document implements, transitively",
)
def ancestors(store: StoreDep, document: DocumentParam, depth: Depth = 10) -> LineageResult:
    return store.ancestors(store.resolve_document(document).id, depth=depth)
