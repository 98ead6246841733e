from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from policykg.api import lists
from policykg.api.deps import Limit, Offset, StoreDep
from policykg.api.models import ERROR_RESPONSES
from policykg.graph.tables import TASK_COLUMNS
from policykg.graph.views import TaskView

router = APIRouter(prefix="/tasks", tags=["tasks"])
AgencyQuery = Annotated[str | None, Query(description="agency id, name, or part of a name")]


@router.get(
    "",
    response_model=list[TaskView],
    responses={**ERROR_RESPONSES, **lists.CSV_RESPONSE},
    summary="Tasks by agency or document (CSV when asked)",
)
def tasks(
    request: Request,
    response: Response,
    store: StoreDep,
    lead: AgencyQuery = None,
    responsible: AgencyQuery = None,
    document: Annotated[str | None, Query(description="document id, title or 文号")] = None,
    limit: Limit = 200,
    offset: Offset = 0,
    format: lists.Format = None,
) -> list[TaskView]:
    found = store.tasks(lead=lead, responsible=responsible, document=document, limit=limit, offset=offset)
    return lists.answer(request, response, found, limit, offset, format, TASK_COLUMNS, "tasks.csv")
