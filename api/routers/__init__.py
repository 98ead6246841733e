"""One router per resource; app.py includes them all."""

from __future__ import annotations

from policykg.api.routers import agencies, documents, graph, health, lineage, ontology, sparql, targets, tasks

ROUTERS = [
    health.router,
    documents.router,
    lineage.router,
    tasks.router,
    agencies.router,
    targets.router,
    graph.router,
    ontology.router,
    sparql.router,
]
