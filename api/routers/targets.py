from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from policykg.api import lists
from policykg.api.deps import AsOf, DocumentParam, Limit, Offset, StoreDep
from policykg.api.models import ERROR_RESPONSES
from policykg.graph.coverage import cascade as target_cascade
from policykg.graph.tables import TARGET_COLUMNS
from policykg.graph.views import CascadeResult, TargetView

router = APIRouter(prefix="/targets", tags=["targets"])


@router.get(
    "",
    response_model=list[TargetView],
    responses=lists.CSV_RESPONSE,
    summary="Targets, by indicator across documents (CSV when asked)",
)
def targets(
    request: Request,
    response: Response,
    store: StoreDep,
    indicator: Annotated[
        str | None, Query(description="indicator; normalized so 每万人口X and 万人X are the same")
    ] = None,
    limit: Limit = 200,
    offset: Offset = 0,
    format: lists.Format = None,
) -> list[TargetView]:
    found = store.targets(indicator=indicator, limit=limit, offset=offset)
    return lists.answer(request, response, found, limit, offset, format, TARGET_COLUMNS, "targets.csv")


@router.get(
    "/cascade",
    response_model=CascadeResult,
    responses=ERROR_RESPONSES,
    summary="Each target of a document beside the same indicator's targets in the documents implementing it",
)
def cascade(store: StoreDep, document: DocumentParam, as_of: AsOf = None) -> CascadeResult:
    return target_cascade(store, store.resolve_document(document).id, as_of)
