from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from policykg.api.deps import Limit, Offset, StoreDep
from policykg.graph.views import TargetView

router = APIRouter(prefix="/targets", tags=["targets"])


@router.get("", response_model=list[TargetView], summary="Targets, by indicator across documents")
def targets(
    store: StoreDep,
    indicator: Annotated[
        str | None, Query(description="indicator; normalized so 每万人口X and 万人X are the same")
    ] = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[TargetView]:
    return store.targets(indicator=indicator, limit=limit, offset=offset)
