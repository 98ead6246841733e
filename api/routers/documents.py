from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from policykg.api import lists
from policykg.api.deps import Limit, Offset, StoreDep
from policykg.api.models import ERROR_RESPONSES
from policykg.graph.tables import TASK_COLUMNS
from policykg.graph.views import DocumentDetail, DocumentRef, Level, TaskView

router = APIRouter(prefix="/documents", tags=["documents"])
DocPath = Annotated[str, Path(description="document id, title or 文号")]


@router.get("", response_model=list[DocumentRef], summary="Find documents")
def find_documents(
    request: Request,
    response: Response,
    store: StoreDep,
    q: Annotated[str | None, Query(description="words of the title, or a 文号")] = None,
    level: Level | None = None,
    jurisdiction: Annotated[str | None, Query(description="area name; areas below it are included")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[DocumentRef]:
    found = store.find_documents(q=q, level=level, jurisdiction=jurisdiction, limit=limit, offset=offset)
    return lists.answer(request, response, found, limit, offset)


# before /{doc:path}, which would otherwise take ".../tasks" as part of the name
@router.get(
    "/{doc:path}/tasks",
    response_model=list[TaskView],
    responses={**ERROR_RESPONSES, **lists.CSV_RESPONSE},
    summary="The tasks of one document (the responsibility matrix; CSV when asked)",
)
def document_tasks(
    request: Request,
    response: Response,
    store: StoreDep,
    doc: DocPath,
    limit: Limit = 1000,
    offset: Offset = 0,
    format: lists.Format = None,
) -> list[TaskView]:
    found = store.tasks(document=store.resolve_document(doc).id, limit=limit, offset=offset)
    return lists.answer(request, response, found, limit, offset, format, TASK_COLUMNS, "tasks.csv")


@router.get("/{doc:path}", response_model=DocumentDetail, responses=ERROR_RESPONSES, summary="One document")
def document(store: StoreDep, doc: DocPath) -> DocumentDetail:
    return store.document(store.resolve_document(doc).id)
