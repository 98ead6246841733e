from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from policykg.api.deps import AsOf, DocumentParam, StoreDep
from policykg.api.models import ERROR_RESPONSES
from policykg.graph.coverage import coverage as clause_coverage
from policykg.graph.coverage import filter_lineage
from policykg.graph.views import CoverageResult, LineageResult

router = APIRouter(prefix="/lineage", tags=["lineage"])
Depth = Annotated[int, Query(ge=1, le=10, description="hops to follow (1..10)")]


@router.get(
    "/implementations",
    response_model=LineageResult,
    responses=ERROR_RESPONSES,
    summary="Documents that implement a document, transitively",
)
def implementations(
    store: StoreDep, document: DocumentParam, depth: Depth = 10, as_of: AsOf = None
) -> LineageResult:
    found = store.implementations(store.resolve_document(document).id, depth=depth)
    return filter_lineage(store, found, as_of)


@router.get(
    "/ancestors",
    response_model=LineageResult,
    responses=ERROR_RESPONSES,
    summary="Documents a document implements, transitively",
)
def ancestors(
    store: StoreDep, document: DocumentParam, depth: Depth = 10, as_of: AsOf = None
) -> LineageResult:
    return filter_lineage(store, store.ancestors(store.resolve_document(document).id, depth=depth), as_of)


@router.get(
    "/coverage",
    response_model=CoverageResult,
    responses=ERROR_RESPONSES,
    summary="For each clause of a document: the implementing tasks by jurisdiction, and the gaps",
)
def coverage(store: StoreDep, document: DocumentParam, as_of: AsOf = None) -> CoverageResult:
    return clause_coverage(store, store.resolve_document(document).id, as_of)
