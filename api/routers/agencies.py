from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from policykg.api import lists
from policykg.api.deps import Limit, Offset, StoreDep
from policykg.api.models import ERROR_RESPONSES
from policykg.graph.answers import page
from policykg.graph.tables import TASK_COLUMNS
from policykg.graph.views import AgencySummary, Role, TaskView

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.get("", response_model=list[AgencySummary], summary="Find agencies")
def agencies(
    request: Request,
    response: Response,
    store: StoreDep,
    q: Annotated[str | None, Query(description="part of a name")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[AgencySummary]:
    found = store.agencies(q=q, limit=limit, offset=offset)
    return lists.answer(request, response, found, limit, offset)


@router.get(
    "/{agency}/tasks",
    response_model=list[TaskView],
    responses={**ERROR_RESPONSES, **lists.CSV_RESPONSE},
    summary="Tasks of one agency (CSV when asked)",
)
def agency_tasks(
    request: Request,
    response: Response,
    store: StoreDep,
    agency: Annotated[str, Path(description="agency id or exact name")],
    role: Role | None = None,
    limit: Limit = 1000,
    offset: Offset = 0,
    format: lists.Format = None,
) -> list[TaskView]:
    # the store answers all of an agency's tasks (what the page groups by document); paged here
    found = page(store.agency_tasks(agency, role=role), limit, offset)
    return lists.answer(request, response, found, limit, offset, format, TASK_COLUMNS, "tasks.csv")
