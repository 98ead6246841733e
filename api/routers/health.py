from __future__ import annotations

from fastapi import APIRouter
from policykg.api.deps import StoreDep
from policykg.api.models import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Store URL and graph counts")
def health(store: StoreDep) -> Health:
    stats = store.stats()
    return Health(
        status="ok",
        store=store.url,
        documents=stats.nodes.get("Document", 0),
        nodes=stats.nodes,
        edges=stats.edges,
        stale=bool(getattr(store, "stale", False)),
        warnings=list(getattr(store, "warnings", [])),
    )
