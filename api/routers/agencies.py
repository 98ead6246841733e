from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from policykg.api.deps import Limit, Offset, StoreDep
from policykg.api.models import ERROR_RESPONSES
from policykg.graph.views import AgencySummary, Role, TaskView

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.get("", response_model=list[AgencySummary], summary="Find agencies")
def agencies(
    store: StoreDep,
    q: Annotated[str | None, Query(description="part of a name")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[AgencySummary]:
    return store.agencies(q=q, limit=limit, offset=offset)


@router.get(
    "/{agency}/tasks", response_model=list[TaskView], responses=ERROR_RESPONSES, summary="Tasks of one agency"
)
def agency_tasks(
    store: StoreDep,
    agency: Annotated[str, Path(description="agency id or exact name")],
    role: Role | None = None,
) -> list[TaskView]:
    return store.agency_tasks(agency, role=role)
