"""Property-based API test: schemathesis generates requests from the app's own OpenAPI schema
and sends them to create_app over an embedded store holding the sample corpus.

Every answer must be free of 5xx and must conform to the schema (a documented status code, the
documented content type, a body valid against the response model). The named-query and Cypher
operations (tag "queries") need a Neo4j store and answer 501 on an embedded one by design, so
they are left out here; tests/test_queries.py covers them.

Bounded: MAX_EXAMPLES per operation, no deadline (the first calls pay for warm-up).
"""

from __future__ import annotations

from typing import cast

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from policykg.api.app import create_app
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.store import Store
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from policykg.records import ExtractionRecord

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, sample_records: list[ExtractionRecord]) -> FastAPI:
    store = EmbeddedStore(f"embedded:{tmp_path_factory.mktemp('schemathesis') / 'kg'}")
    for record in sample_records:
        store.ingest(record)
    return create_app(store=store)


# The schema is the app's own and does not depend on the store, so it is read at import from an
# app with no store at all; the requests go to the `app` fixture above (a corpus is extracted
# only when this test runs). schemathesis.pytest.from_fixture would be the lazy alternative,
# but it breaks on pytest 9 (it sets the private Function._nodeid).
OPENAPI = create_app(store=cast(Store, object())).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI).exclude(tag="queries")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same examples every run: a failure here is reproducible
    database=None,
)
def test_api_conforms_to_its_schema(case: schemathesis.Case, app: FastAPI) -> None:
    case.call_and_validate(checks=CHECKS, app=app)


def test_schema_covers_every_resource() -> None:
    """Guards the test above against silently testing nothing (a broken filter or loader)."""
    paths = {op.ok().path for op in schema.get_all_operations()}
    wanted = {
        "/documents",
        "/documents/{doc}",
        "/tasks",
        "/targets",
        "/agencies",
        "/agencies/{agency}/tasks",
        "/lineage/implementations",
        "/lineage/ancestors",
        "/graph/neighborhood",
        "/health",
        "/sparql",
        "/documents/{doc}/tasks",
    }
    assert wanted <= paths
