from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from policykg.api.deps import Limit, Offset, StoreDep
from policykg.api.models import ERROR_RESPONSES
from policykg.graph.views import DocumentDetail, DocumentRef, Level

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", response_model=list[DocumentRef], summary="Find documents")
def find_documents(
    store: StoreDep,
    q: Annotated[str | None, Query(description="words of the title, or a 文号")] = None,
    level: Level | None = None,
    jurisdiction: Annotated[str | None, Query(description="area name; areas below it are included")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[DocumentRef]:
    return store.find_documents(q=q, level=level, jurisdiction=jurisdiction, limit=limit, offset=offset)


@router.get("/{doc:path}", response_model=DocumentDetail, responses=ERROR_RESPONSES, summary="One document")
def document(
    store: StoreDep, doc: Annotated[str, Path(description="document id, title or 文号")]
) -> DocumentDetail:
    return store.document(store.resolve_document(doc).id)
