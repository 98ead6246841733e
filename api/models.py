"""Response models the API adds to graph/views.py (errors and health)."""

from __future__ import annotations

from policykg.api.problems import Problem
from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str
    store: str
    documents: int
    nodes: dict[str, int]
    edges: dict[str, int]
    stale: bool = Field(
        False, description="an embedded store's files changed since the server read them (it reloads)"
    )
    warnings: list[str] = Field(
        default_factory=list, description="what opening the store found wrong (damaged or missing records)"
    )


ERROR_RESPONSES: dict[int | str, dict] = {
    404: {"model": Problem, "description": "no match; `candidates` holds the closest titles"},
    409: {"model": Problem, "description": "ambiguous; `candidates` holds every match"},
}
