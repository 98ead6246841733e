"""First load into an empty Neo4j database: the graph plan as CSV for Neo4j's bulk importer.

Bolt writes cost a round of Cypher per batch and a transaction log; for a first load of many
files into an EMPTY database, `neo4j-admin database import full` writes the store files
directly. The graph is exactly what incremental ingest would have written, bookkeeping
included (each node's `_src`/`_contrib`, the documents' title keys, one `_Source` node per
file with its record and 文号 entries), so later incremental ingests continue from it:

    write_csv(records, folder)      the graph plan (graph/plan.py, applied by the Neo4j store's
                                    own _Ingest over an empty database) as one CSV file per
                                    label and per relationship type, plus the importer's options
    import_command(folder, home)    the importer's command line: the project's own server's
                                    Maven artifacts (graph/neo4j-server/target/lib) run
                                    org.neo4j.cli.AdminTool, which is what neo4j-admin runs
    run_import(folder, home)        runs it (the server must be stopped: the import is offline)

After the import the server is started on that home and Neo4jStore applies the schema from the
ontology (constraints, indexes) when it connects. For a user's own server: write the CSV with
`policykg ingest --store bolt://… --bulk-csv DIR PATH` and run the printed `neo4j-admin` line
(README, "Neo4j").
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykg.graph import views as v
from policykg.graph.embedded import record_hash
from policykg.graph.gcpause import paused_gc
from policykg.graph.neo4j_store import _Ingest, _Prepared
from policykg.graph.ontology import SchemaViolation
from policykg.graph.schema import SOURCE_KEY, SOURCE_LABEL
from policykg.graph.store import StoreError

from policykg.records import ExtractionRecord

__all__ = ["BulkPlan", "import_command", "run_import", "write_csv"]

SERVER_LIB = Path(__file__).resolve().parent / "neo4j-server" / "target" / "lib"
# between the elements of a list value (a task's aliases, a node's sources): a character the
# extracted text does not hold (write_csv refuses a value that contains it)
ARRAY_DELIMITER = "\x1e"
_NODES = "Node"  # the importer's id space of the graph's nodes (ids are unique across labels)


@dataclass
class BulkPlan:
    folder: Path
    nodes: dict[str, Path] = field(default_factory=dict)  # label → CSV file
    edges: dict[str, list[Path]] = field(default_factory=dict)  # relationship type → CSV files
    reports: list[v.IngestReport] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, why it was refused)
    node_count: int = 0
    edge_count: int = 0


def _kind(values: Iterable[Any]) -> str:
    """The importer's type for a column, from the values present."""
    kinds = {type(x) for x in values if x is not None}
    if kinds <= {bool}:
        return "boolean"
    if kinds <= {int}:
        return "long"
    if kinds <= {int, float}:
        return "double"
    if kinds <= {list}:
        return "string[]"
    return "string"


def _cell(value: Any, kind: str, where: str) -> str:
    if value is None:
        return ""  # an empty unquoted field: no property
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("long", "double"):
        return repr(float(value)) if kind == "double" else str(value)
    if kind == "string[]":
        items = [str(x) for x in value]
        if any(ARRAY_DELIMITER in x for x in items):
            raise StoreError(f"{where}: a list value holds the character U+001E; load it with plain ingest")
        value = ARRAY_DELIMITER.join(items)
    return '"' + str(value).replace('"', '""') + '"'


def _write_table(path: Path, head: list[str], rows: list[list[Any]], where: str) -> None:
    """One CSV file: `head` are the fixed leading columns (id or start/end), then a column per
    property key present in the rows' property dicts (their last element)."""
    keys = sorted({k for row in rows for k in row[-1]})
    kinds = {k: _kind(row[-1].get(k) for row in rows) for k in keys}
    header = head + [f"{k}:{kinds[k]}" for k in keys]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\n")
        for row in rows:
            fixed = [_cell(x, "string", where) for x in row[:-1]]
            props = row[-1]
            out.write(",".join(fixed + [_cell(props.get(k), kinds[k], where) for k in keys]) + "\n")


def write_csv(records: Iterable[ExtractionRecord], folder: Path) -> BulkPlan:
    """Plan the whole load (an empty database: nothing is read) and write it as CSV files."""
    with paused_gc():
        return _write_csv(records, folder)


def _write_csv(records: Iterable[ExtractionRecord], folder: Path) -> BulkPlan:
    plan = BulkPlan(folder)
    prepared = _Prepared([], [])
    for record in records:
        trial = _Prepared([record], [record_hash(record)])
        try:
            built = trial.build(0)
        except SchemaViolation as err:  # refused as plain ingest refuses it; the others go in
            plan.failed.append((record.source, str(err)))
            continue
        prepared.built[len(prepared.records)] = built
        prepared.records.append(record)
        prepared.digests.append(trial.digests[0])
    records = prepared.records
    job = _Ingest(complete=True)
    statuses = job.apply_records(prepared)
    node_rows, edge_rows, source_rows = job.rows()
    folder.mkdir(parents=True, exist_ok=True)
    for (kind, label), rows in sorted(node_rows.items()):
        assert kind == "create", kind  # an empty database: every node is new
        path = folder / f"nodes-{label}.csv"
        table = [[r["id"], {k: x for k, x in r.items() if k != "id"}] for r in rows]
        _write_table(path, [f"id:ID({_NODES})"], table, label)
        plan.nodes[label] = path
        plan.node_count += len(rows)
    for (kind, (rel, src, dst)), rows in sorted(edge_rows.items()):
        assert kind == "create", kind
        path = folder / f"edges-{rel}-{src}-{dst}.csv"
        _write_table(path, [f":START_ID({_NODES})", f":END_ID({_NODES})"], rows, rel)
        plan.edges.setdefault(rel, []).append(path)
        plan.edge_count += len(rows)
    sources = [
        [r[SOURCE_KEY], {k: x for k, x in r.items() if k != SOURCE_KEY}] for r in source_rows["create"]
    ]
    path = folder / f"nodes-{SOURCE_LABEL}.csv"
    _write_table(path, [f"{SOURCE_KEY}:ID({SOURCE_LABEL})"], sources, SOURCE_LABEL)
    plan.nodes[SOURCE_LABEL] = path
    for record, status in zip(records, statuses, strict=True):
        nodes, edges = job.sources[record.source].counts
        plan.reports.append(
            v.IngestReport(
                source=record.source,
                status=status,  # type: ignore[arg-type]
                documents=len(record.documents),
                nodes=nodes,
                edges=edges,
            )
        )
    return plan


def import_args(plan: BulkPlan, database: str = "neo4j") -> list[str]:
    """The arguments of `neo4j-admin database import full` for these files."""
    args = ["database", "import", "full"]
    args += [f"--nodes={label}={path}" for label, path in sorted(plan.nodes.items())]
    args += [f"--relationships={rel}={path}" for rel, paths in sorted(plan.edges.items()) for path in paths]
    args += ["--multiline-fields=true", f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}"]
    args += ["--overwrite-destination=true"]
    return [*args, database]


def import_command(plan: BulkPlan, java: str = "java", heap: str = "2g") -> list[str]:
    """The importer run from the project's own server's Maven artifacts."""
    if not SERVER_LIB.is_dir():
        raise StoreError(f"{SERVER_LIB} not found: build the server first (policykg neo4j start builds it)")
    return [java, f"-Xmx{heap}", "-cp", f"{SERVER_LIB}/*", "org.neo4j.cli.AdminTool", *import_args(plan)]


def run_import(plan: BulkPlan, home: Path, heap: str = "2g") -> str:
    """Import into the database home a stopped server uses (its --data folder); answers the
    importer's summary. Raises StoreError with its output when it fails."""
    conf = plan.folder / "conf"
    conf.mkdir(exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    (conf / "neo4j.conf").touch()
    env = os.environ | {"NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}
    proc = subprocess.run(
        import_command(plan, heap=heap), env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise StoreError(f"the bulk import failed (exit {proc.returncode}):\n{tail}")
    summary = proc.stdout[proc.stdout.find("IMPORT DONE") :].strip()
    return summary or json.dumps(proc.stdout[-500:])
