"""The live Neo4j schema (SHOW CONSTRAINTS / SHOW INDEXES) against the ontology."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from policykg.graph.neo4j_store import connect
from policykg.graph.ontology import schema
from policykg.graph.schema import (
    FULLTEXT_INDEX,
    FULLTEXT_KEYS,
    FULLTEXT_LABELS,
    META_LABEL,
    SOURCE_LABEL,
    apply_schema,
    live_schema,
    plan,
)

from tests.conftest import require_neo4j

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def driver() -> Iterator:
    drv = connect(require_neo4j())
    apply_schema(drv)
    yield drv
    drv.close()


def test_plan_follows_the_ontology() -> None:
    s = schema()
    statements = {st.name: st for st in plan()}
    for label, node in s.node_types.items():
        for key in node.unique_keys:
            assert statements[f"pkg_{label.lower()}_{key}_unique"].labels == (label,)
        for key in set(node.indexed_keys) - set(node.unique_keys):
            assert statements[f"pkg_{label.lower()}_{key}"].keys == (key,)
    assert len(statements) == len(plan())  # no name is used twice


def test_live_constraints_are_the_ontology_unique_keys(driver) -> None:
    live = live_schema(driver)
    s = schema()
    unique = {(c["labels"], c["keys"]) for c in live.values() if c["type"] == "UNIQUENESS"}
    wanted = {((label,), (key,)) for label, node in s.node_types.items() for key in node.unique_keys}
    bookkeeping = {((SOURCE_LABEL,), ("name",)), ((META_LABEL,), ("id",))}
    assert unique == wanted | bookkeeping


def test_live_range_indexes_are_the_ontology_indexed_keys(driver) -> None:
    live = live_schema(driver)
    s = schema()
    ranges = {
        (i["labels"], i["keys"]) for i in live.values() if i["kind"] == "index" and i["type"] == "RANGE"
    }
    wanted = {
        ((label,), (key,))
        for label, node in s.node_types.items()
        for key in node.indexed_keys
        if key not in node.unique_keys
    }
    assert ranges == wanted
    assert all(i["state"] == "ONLINE" for i in live.values() if i["kind"] != "constraint")


def test_fulltext_index_uses_the_cjk_analyzer(driver) -> None:
    index = live_schema(driver)[FULLTEXT_INDEX]
    assert index["type"] == "FULLTEXT"
    assert set(index["labels"]) == set(FULLTEXT_LABELS)
    assert set(index["keys"]) == set(FULLTEXT_KEYS)
    assert index["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"


def test_apply_schema_is_idempotent(driver) -> None:
    again = apply_schema(driver)
    assert again.created == [] and len(again.existing) == len(plan())


def test_fulltext_search_finds_words_inside_cjk_titles(driver) -> None:
    from policykg.graph.neo4j_store import Neo4jStore

    from tests.graph_helpers import national_outline, record

    store = Neo4jStore(require_neo4j())
    try:
        store.wipe()
        store.ingest(record("outline.txt", national_outline()))
    finally:
        store.close()
    records, _, _ = driver.execute_query(
        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node RETURN node.title AS title",
        index=FULLTEXT_INDEX,
        q="强国 AND 纲要",
    )
    driver.execute_query("MATCH (n) DETACH DELETE n")  # leave the shared database empty
    assert any((r["title"] or "").startswith("知识产权强国建设纲要") for r in records)
