"""Neo4j constraints and indexes, derived from the ontology (graph/ontology.py).

    plan()                  the statements, in order: uniqueness constraints, range indexes,
                            the full-text index, the store's own bookkeeping constraints and
                            its title-key text index
    apply_schema(driver)    runs them (all IF NOT EXISTS: running twice changes nothing),
                            waits until the indexes are online and reports what it created

Nothing here names a label or key by hand except the full-text index's choice of fields and
the store's bookkeeping label: every other name comes from ontology.ttl (pkg:uniqueKey,
pkg:indexedKey), so adding a key there and re-running `policykg schema` is the migration.
Names are pasted into Cypher only after `_check_name` (schema DDL takes no parameters), and
they come from the ontology file, never from user input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from policykg.graph.ontology import Key, Label, Schema, schema

__all__ = [
    "FULLTEXT_INDEX",
    "FULLTEXT_KEYS",
    "FULLTEXT_LABELS",
    "META_LABEL",
    "SOURCE_LABEL",
    "TASK_ORDER",
    "TITLE_KEYS",
    "TITLE_KEYS_SEP",
    "SchemaReport",
    "Statement",
    "apply_schema",
    "live_schema",
    "plan",
]

# One full-text index over the texts people search by words: document titles, task texts and
# agency names. The cjk analyzer indexes CJK bigrams, so 强国 finds 知识产权强国建设纲要 (the
# standard analyzer would keep each Han character apart and rank poorly).
FULLTEXT_INDEX = "pkg_fulltext"
FULLTEXT_LABELS: tuple[str, ...] = (Label.DOCUMENT, Label.TASK, Label.AGENCY)
FULLTEXT_KEYS: tuple[str, ...] = (Key.TITLE, Key.TEXT, Key.NAME)
FULLTEXT_ANALYZER = "cjk"

# The Neo4j store's bookkeeping node (one per ingested source file: its content hash, record
# and what it placed). Not an ontology class: store.terms() and stats() leave it out.
SOURCE_LABEL = "_Source"
SOURCE_KEY = "name"
# the writer lock of the Neo4j store (one node)
META_LABEL = "_Meta"
META_KEY = "id"
# bookkeeping on each Document: every title key it answers to (its own, its aliases'), each
# between two TITLE_KEYS_SEP, so one text index serves both the exact lookup of a title
# (CONTAINS SEP key SEP) and the part-of-a-title one (CONTAINS key) without reading every Document
TITLE_KEYS = "_title_keys"
TITLE_KEYS_SEP = "\x1f"
# bookkeeping on each Task: where it stands in the tasks' order (answers.fact_key: its document's
# title, nulls last, the document's id, its span start, nulls last, its id) as one string, so a
# page of an agency's thousands of tasks is ordered by one property instead of reading each
# task's document (graph/neo4j_store.py keeps it when a document or its tasks are written)
TASK_ORDER = "_order"

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"{name!r} is not a plain identifier; refusing to put it into Cypher")
    return name


@dataclass(frozen=True, slots=True)
class Statement:
    kind: str  # constraint | index | fulltext
    name: str
    cypher: str
    labels: tuple[str, ...]
    keys: tuple[str, ...]


def _unique(label: str, key: str) -> Statement:
    name = f"pkg_{label.lower()}_{key}_unique"
    return Statement(
        "constraint",
        name,
        f"CREATE CONSTRAINT {_check_name(name)} IF NOT EXISTS "
        f"FOR (n:{_check_name(label)}) REQUIRE n.{_check_name(key)} IS UNIQUE",
        (label,),
        (key,),
    )


def _index(label: str, key: str, kind: str = "") -> Statement:
    """A range index, or with kind="TEXT" a text index (CONTAINS and ENDS WITH use it)."""
    name = f"pkg_{label.lower()}_{key}"
    return Statement(
        "index",
        name,
        f"CREATE {kind + ' ' if kind else ''}INDEX {_check_name(name)} IF NOT EXISTS "
        f"FOR (n:{_check_name(label)}) ON (n.{_check_name(key)})",
        (label,),
        (key,),
    )


def _fulltext(s: Schema) -> Statement:
    labels = tuple(label for label in FULLTEXT_LABELS if label in s.node_types)
    keys = tuple(k for k in FULLTEXT_KEYS if any(k in s.node_keys(label) for label in labels))
    on = ", ".join(f"n.{_check_name(k)}" for k in keys)
    return Statement(
        "fulltext",
        FULLTEXT_INDEX,
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS "
        f"FOR (n:{'|'.join(_check_name(label) for label in labels)}) ON EACH [{on}] "
        f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{FULLTEXT_ANALYZER}'}}}}",
        labels,
        keys,
    )


def plan(s: Schema | None = None) -> list[Statement]:
    """Every statement the ontology implies, constraints first (they bring their own index,
    so a key that is unique gets no second range index)."""
    s = s or schema()
    statements: list[Statement] = []
    for label in sorted(s.node_types):
        for key in s.node_types[label].unique_keys:
            statements.append(_unique(label, key))
    for label in sorted(s.node_types):
        node = s.node_types[label]
        for key in node.indexed_keys:
            if key not in node.unique_keys:
                statements.append(_index(label, key))
        for key in node.text_indexed_keys:
            statements.append(_index(label, key, "TEXT"))
    statements.append(_fulltext(s))
    statements.append(_unique(SOURCE_LABEL, SOURCE_KEY))
    statements.append(_unique(META_LABEL, META_KEY))
    statements.append(_index(Label.DOCUMENT, TITLE_KEYS, "TEXT"))
    return statements


@dataclass
class SchemaReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"created {name}" for name in self.created]
        out.append(f"{len(self.created)} created, {len(self.existing)} already present")
        return out


def live_schema(driver: Any, database: str | None = None) -> dict[str, dict[str, Any]]:
    """Constraints and indexes the database has, by name: {name: {kind, type, labels, keys, options}}."""
    found: dict[str, dict[str, Any]] = {}
    records, _, _ = driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN *", database_=database
    )
    for r in records:
        found[r["name"]] = {
            "kind": "constraint",
            "type": r["type"],
            "labels": tuple(r["labelsOrTypes"] or ()),
            "keys": tuple(r["properties"] or ()),
            "options": {},
        }
    records, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, options, owningConstraint, state RETURN *",
        database_=database,
    )
    for r in records:
        if r["owningConstraint"] or r["name"] in found:
            continue  # a constraint's backing index is reported with the constraint
        found[r["name"]] = {
            "kind": "fulltext" if r["type"] == "FULLTEXT" else "index",
            "type": r["type"],
            "labels": tuple(r["labelsOrTypes"] or ()),
            "keys": tuple(r["properties"] or ()),
            "options": dict(r["options"] or {}),
            "state": r["state"],
        }
    return found


def apply_schema(driver: Any, database: str | None = None, timeout_s: int = 300) -> SchemaReport:
    """Create what is missing (IF NOT EXISTS), wait for the indexes to be online, report."""
    before = set(live_schema(driver, database))
    report = SchemaReport()
    for statement in plan():
        driver.execute_query(statement.cypher, database_=database)
        (report.existing if statement.name in before else report.created).append(statement.name)
    driver.execute_query("CALL db.awaitIndexes($timeout)", timeout=timeout_s, database_=database)
    return report
