"""Analyst Cypher (queries/, POST /cypher): read-only by what Neo4j says about the query.

A READ access-mode session stops writes, but Community Neo4j has no read-only role: its one
user is an admin, so administration that counts as "reading" (SHOW USERS, SHOW/TERMINATE
TRANSACTIONS, dbms.* procedures, SHOW SETTINGS) and LOAD CSV (a file or URL fetched by the
server) pass it. A text filter can be talked around (`//` inside a string, a `CYPHER 5` or
`EXPLAIN` prefix), so the decision is taken from Neo4j's own plan of the exact text and
parameters that will run (`check_plan`, after `EXPLAIN`):

- the query type must be "r" (read only: no write, schema or administration statement);
- no operator outside what reading the graph needs: no LoadCSV, no administration or
  SHOW/TERMINATE command (SHOW INDEXES / CONSTRAINTS excepted), no procedure call outside
  READ_PROCEDURES;
- no access to the store's bookkeeping (labels and properties starting with "_": `_Meta`,
  `_Source`, `_contrib`): no operator names one, and since a node reached without a label
  could be one, no scan of all nodes and no lookup by internal id (name a label instead:
  MATCH (n:Document) …); a returned node carrying such a label is refused as well.

Limits: the query's transaction has a timeout (the server terminates it), at most
`row_limit` rows and about `byte_limit` bytes of JSON come back (`truncated` says more existed).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable
from policykg.graph.ontology import Key
from policykg.graph.store import StoreError

__all__ = [
    "READ_PROCEDURES",
    "CypherAccessError",
    "CypherError",
    "CypherTimeout",
    "ReadResult",
    "check_params",
    "check_plan",
    "plain",
    "run_read",
]


class CypherError(StoreError):
    """The query is wrong (syntax, unknown function, bad parameter): HTTP 400."""


class CypherAccessError(CypherError):
    """The query would do more than read the graph: HTTP 403."""


class CypherTimeout(CypherError):
    """The query ran past its time limit and the server stopped it: HTTP 408."""


@dataclass
class ReadResult:
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False  # more rows existed than the row or byte limit let through


READ_PROCEDURES = frozenset(
    {
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
    }
)
# SHOW commands that only describe the graph's schema
_SHOW_ALLOWED = frozenset({"ShowIndexes", "ShowConstraints"})
# operators that would let a query reach a node without naming its label (see module doc)
_UNLABELLED = ("AllNodesScan", "NodeByIdSeek", "NodeByElementIdSeek")
_DENIED_PREFIXES = (
    "Show",
    "Terminate",
    "Administration",
    "Create",
    "Drop",
    "Alter",
    "Grant",
    "Deny",
    "Revoke",
    "Enable",
    "Rename",
    "Start",
    "Stop",
    "Assert",
    "System",
    "Log",
)
# an identifier of the bookkeeping in an operator's details: n:_Meta, n._src, `_Source`
_INTERNAL_NAME = re.compile(r"[:.]\s*`?_[A-Za-z]|`_[A-Za-z]")
_PROCEDURE_NAME = re.compile(r"^\s*`?([A-Za-z_][\w.]*)`?\s*\(")
_INT64 = (-(2**63), 2**63 - 1)


def _operators(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(operator type without its "@database" suffix, details) of every operator of a plan."""
    found = []
    stack = [plan]
    while stack:
        node = stack.pop()
        operator = str(node.get("operatorType", "")).split("@")[0]
        found.append((operator, str(node.get("args", {}).get("Details", ""))))
        stack.extend(node.get("children", []))
    return found


def check_plan(query_type: str | None, plan: dict[str, Any] | None) -> None:
    """Refuse (CypherAccessError) what the module doc says, from an EXPLAIN's summary."""
    if query_type != "r":
        kinds = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or administers the server"}
        kind = kinds.get(query_type or "", "is not a read")
        raise CypherAccessError(f"this endpoint only reads the graph; Neo4j says this query {kind}")
    for operator, details in _operators(plan or {}):
        if operator == "LoadCSV":
            raise CypherAccessError("LOAD CSV is not allowed here: this endpoint only reads the graph")
        if operator == "ProcedureCall":
            match = _PROCEDURE_NAME.match(details)
            name = match.group(1) if match else details
            if name.lower() not in READ_PROCEDURES:
                raise CypherAccessError(
                    f"procedure {name} is not allowed here; allowed: {', '.join(sorted(READ_PROCEDURES))}"
                )
        elif operator.startswith(_DENIED_PREFIXES) and operator not in _SHOW_ALLOWED:
            raise CypherAccessError(
                f"{operator} is not allowed here: this endpoint only reads the graph (no administration)"
            )
        if operator.startswith(_UNLABELLED) or operator in _UNLABELLED:
            raise CypherAccessError(
                f"{operator} is not allowed here: it would reach the store's internal nodes too; name "
                "the label of every node you match (MATCH (n:Document) …, see CALL db.labels())"
            )
        if _INTERNAL_NAME.search(details):
            raise CypherAccessError(
                "labels and properties starting with '_' are the store's bookkeeping, not readable here"
            )


def check_params(params: dict[str, Any], path: str = "") -> None:
    """Parameters Bolt can carry: integers within 64 bits, string keys (CypherError)."""
    for key, value in params.items():
        _check_value(value, f"{path}{key}")


def _check_value(value: Any, where: str) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
        return
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise CypherError(f"parameter {where}: integer {value} is outside Neo4j's 64-bit range")
    elif isinstance(value, dict):
        check_params(value, f"{where}.")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_value(item, f"{where}[{i}]")
    else:
        raise CypherError(f"parameter {where}: {type(value).__name__} is not a Cypher value")


def plain(value: Any) -> Any:
    """A driver value as JSON-ready data: nodes, relationships and paths become dicts
    (bookkeeping properties left out), temporal values ISO strings, points dicts, non-finite
    floats strings ("NaN", "Infinity": JSON has no such numbers)."""
    if isinstance(value, neo4j.graph.Node):
        if any(label.startswith("_") for label in value.labels):
            raise CypherAccessError("the store's internal nodes are not readable here")
        return {"labels": sorted(value.labels), "properties": plain(_public(dict(value)))}
    if isinstance(value, neo4j.graph.Relationship):
        return {
            "type": value.type,
            "start": value.start_node.get(Key.ID) if value.start_node else None,
            "end": value.end_node.get(Key.ID) if value.end_node else None,
            "properties": plain(_public(dict(value))),
        }
    if isinstance(value, neo4j.graph.Path):
        return {
            "nodes": [plain(n) for n in value.nodes],
            "relationships": [plain(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if hasattr(value, "iso_format"):  # before tuples: a Duration is one
        return value.iso_format()
    if isinstance(value, (list, tuple)):
        if isinstance(value, neo4j.spatial.Point):
            return {"srid": value.srid, "coordinates": list(value)}
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value).replace("inf", "Infinity").replace("nan", "NaN")
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


class _TooBig(Exception):
    """A row would take the answer past its byte limit."""


def _bounded_row(values: list[Any], budget: int) -> tuple[list[Any], int]:
    """(the row as plain(), its size in JSON bytes, roughly), or _TooBig as soon as the size
    passes `budget`: a row of 6 M values is given up after the first few hundred thousand
    instead of being converted and encoded whole."""
    used = 0

    def spend(n: int) -> None:
        nonlocal used
        used += n
        if used > budget:
            raise _TooBig

    def walk(value: Any) -> None:
        if isinstance(value, (list, tuple)) and not isinstance(value, neo4j.spatial.Point):
            spend(2 + len(value))
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            spend(2 + len(value))
            for key, item in value.items():
                spend(len(str(key)) + 3)
                walk(item)
        elif isinstance(value, str):
            spend(len(value.encode("utf-8")) + 2)
        elif isinstance(value, (int, float)):
            spend(len(repr(value)))
        else:  # nodes, relationships, paths, temporal values: their converted form
            spend(len(json.dumps(plain(value), ensure_ascii=False, default=str)))

    for value in values:
        walk(value)
    return [plain(v) for v in values], used


def _public(props: dict[str, Any]) -> dict[str, Any]:
    return {k: val for k, val in props.items() if not k.startswith("_") and val is not None}


def run_read(
    driver: neo4j.Driver,
    cypher: str,
    params: dict[str, Any] | None = None,
    *,
    database: str | None = None,
    timeout_s: float = 30.0,
    row_limit: int = 10_000,
    byte_limit: int = 10_000_000,
) -> ReadResult:
    """Run analyst Cypher in a READ access-mode session once Neo4j's plan of it passed
    check_plan; the server stops it after `timeout_s` (CypherTimeout); at most `row_limit` rows
    and about `byte_limit` bytes of JSON come back (`truncated` says more existed)."""
    params = params or {}
    check_params(params)
    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            explained = session.run(neo4j.Query("EXPLAIN " + cypher, timeout=timeout_s), params).consume()  # type: ignore[arg-type]
            check_plan(explained.query_type, explained.plan)
            result = session.run(neo4j.Query(cypher, timeout=timeout_s), params)  # type: ignore[arg-type]
            columns = list(result.keys())
            rows: list[list[Any]] = []
            size = 0
            truncated = False
            for record in result:
                if len(rows) >= row_limit:
                    truncated = True
                    break
                try:
                    row, used = _bounded_row(record.values(), byte_limit - size)
                except _TooBig:
                    truncated = True
                    break
                size += used
                rows.append(row)
            result.consume()
    except Neo4jError as err:
        raise _mapped(err, timeout_s) from None
    except (ServiceUnavailable, DriverError) as err:
        raise StoreError(f"Neo4j is not available: {err}") from None
    except (ValueError, TypeError, OverflowError) as err:  # the driver refused a parameter
        raise CypherError(f"bad parameter: {err}") from None
    return ReadResult(columns=columns, rows=rows, truncated=truncated)


def _mapped(err: Neo4jError, timeout_s: float) -> StoreError:
    code = err.code or ""
    message = err.message or str(err)
    if "AccessMode" in code or "Forbidden" in code or "read access mode" in message.lower():
        return CypherAccessError(
            f"this endpoint is read-only: the query tried to change the graph ({message})"
        )
    if "TransactionTimedOut" in code or "Terminated" in code:
        return CypherTimeout(f"the query ran longer than {timeout_s:g} s and was stopped")
    if "MemoryPoolOutOfMemory" in code or "TransactionOutOfMemory" in code:
        return CypherError(f"the query needs more memory than the server allows a transaction ({message})")
    if code.startswith("Neo.ClientError"):
        return CypherError(f"{code}: {message}")
    return StoreError(f"Neo4j error {code}: {message}")
