"""The ontology's labels, for clients that show its terms in Chinese or English (the page)."""

from __future__ import annotations

from fastapi import APIRouter
from policykg.graph.ontology import schema
from pydantic import BaseModel

router = APIRouter(prefix="/ontology", tags=["ontology"])


class Label(BaseModel):
    zh: str
    en: str


class OntologyLabels(BaseModel):
    """rdfs:label@zh / @en of every class (by node label), relationship type and property key."""

    classes: dict[str, Label]
    relations: dict[str, Label]
    properties: dict[str, Label]


@router.get(
    "/labels",
    response_model=OntologyLabels,
    summary="Chinese and English labels of the ontology's classes, relationships and properties",
)
def labels() -> OntologyLabels:
    s = schema()
    return OntologyLabels(
        classes={k: Label(zh=v.label_zh, en=v.label_en) for k, v in s.node_types.items()},
        relations={k: Label(zh=v.label_zh, en=v.label_en) for k, v in s.relation_types.items()},
        properties={k: Label(zh=v.label_zh, en=v.label_en) for k, v in s.properties.items()},
    )
