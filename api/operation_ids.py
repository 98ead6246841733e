"""Stable, readable OpenAPI operation ids (listTasks, getLineageImplementations, …), so client
generators and people name the same operation the same way across releases. FastAPI's default
ids are derived from the function name, path and method (tasks_tasks_get) and change when any
of them does.

`operation_id(route)` is FastAPI's generate_unique_id_function: the id from OPERATION_IDS, else
(a route added without one) the function name in lowerCamelCase; tests/test_api_problems.py
checks every id is camelCase and unique and that the documented ones are kept.
"""

from __future__ import annotations

from fastapi.routing import APIRoute

OPERATION_IDS: dict[tuple[str, str], str] = {
    ("GET", "/health"): "getHealth",
    ("GET", "/documents"): "listDocuments",
    ("GET", "/documents/{doc}"): "getDocument",
    ("GET", "/documents/{doc}/tasks"): "listDocumentTasks",
    ("GET", "/lineage/implementations"): "getLineageImplementations",
    ("GET", "/lineage/ancestors"): "getLineageAncestors",
    ("GET", "/lineage/coverage"): "getLineageCoverage",
    ("GET", "/targets/cascade"): "getTargetCascade",
    ("GET", "/tasks"): "listTasks",
    ("GET", "/agencies"): "listAgencies",
    ("GET", "/agencies/{agency}/tasks"): "listAgencyTasks",
    ("GET", "/targets"): "listTargets",
    ("GET", "/graph/neighborhood"): "getNeighborhood",
    ("GET", "/queries"): "listQueries",
    ("GET", "/queries/{name}"): "runQuery",
    ("POST", "/cypher"): "runCypher",
    ("GET", "/sparql"): "querySparql",
    ("POST", "/sparql"): "querySparqlPost",
}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def operation_id(route: APIRoute) -> str:
    path = route.path_format.replace("{doc:path}", "{doc}")
    method = sorted(route.methods or {"GET"})[0]
    return OPERATION_IDS.get((method, path)) or _camel(route.name)
