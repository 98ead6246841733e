"""The bulk plan (graph/bulk.write_csv) streams: two passes over the records, rows written as
each source is placed, in worker processes. Its CSV must hold exactly the rows the incremental
planner (neo4j_store._Ingest, which keeps the whole load in memory) gives for an empty database:
every node, edge and _Source row, property for property, whatever the order of the records
and however many processes place them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from policykg.graph import bulk
from policykg.graph.embedded import record_hash
from policykg.graph.neo4j_store import _Ingest
from policykg.graph.schema import SOURCE_LABEL
from policykg.graph.store import StoreError
from policykg.graph.stored import Prepared
from policykg.ingest.extract import extract_path

from policykg.records import Citation, ExtractionRecord
from tests.conftest import SEEDS
from tests.graph_helpers import gold_records, national_outline, record, zunyi_plan

OUTLINE_FILE = Path(__file__).resolve().parents[1] / "corpus" / "dev" / "national_ip_power_outline_2021.txt"


def _typed(column: str, cell: str) -> tuple[str, Any]:
    if column.startswith(":"):  # :START_ID(Node), :END_ID(Node)
        return column[1:].split("_")[0].lower(), cell
    name, _, kind = column.partition(":")
    if kind == "string[]":
        return name, cell.split(bulk.ARRAY_DELIMITER)
    if kind == "long":
        return name, int(cell)
    if kind == "double":
        return name, float(cell)
    if kind == "boolean":
        return name, cell == "true"
    return name, cell


def _canonical(rows: list[dict[str, Any]]) -> list[str]:
    # an empty CSV cell stands for no value, an empty string and an empty list alike
    return sorted(
        json.dumps(
            {k: x for k, x in r.items() if x not in (None, "", [])}, ensure_ascii=False, sort_keys=True
        )
        for r in rows
    )


def _csv_rows(plan: bulk.BulkPlan) -> dict[str, list[str]]:
    """Each CSV file's rows (its header file, then its parts), typed by its header (empty
    cells: no property), by the file's name; the plan's folder holds those files and no other."""
    groups = [*plan.nodes.values(), *(files for groups in plan.edges.values() for files in groups)]
    assert sorted(plan.folder.iterdir()) == sorted(path for files in groups for path in files)
    found: dict[str, list[str]] = {}
    for header, *parts in groups:
        head = header.read_text(encoding="utf-8").rstrip("\n").split(",")
        rows = []
        for part in parts:
            with part.open(encoding="utf-8", newline="") as handle:
                rows += [
                    dict(_typed(col, cell) for col, cell in zip(head, row, strict=True) if cell)
                    for row in csv.reader(handle)
                ]
        found[header.name.removesuffix(".header.csv") + ".csv"] = _canonical(rows)
    return found


def _incremental_rows(records: list[ExtractionRecord]) -> dict[str, list[str]]:
    """The same files' rows from the incremental planner over an empty database."""
    prepared = Prepared(records, [record_hash(r) for r in records])
    job = _Ingest(complete=True)
    job.apply_records(prepared)
    node_rows, edge_rows, source_rows = job.rows()
    found: dict[str, list[dict[str, Any]]] = {f"nodes-{SOURCE_LABEL}.csv": source_rows["create"]}
    for (_, label), rows in node_rows.items():
        found[f"nodes-{label}.csv"] = rows
    for (_, (rel, src, dst)), rows in edge_rows.items():
        found[f"edges-{rel}-{src}-{dst}.csv"] = [{"start": a, "end": b} | p for a, b, p in rows]
    return {name: _canonical(rows) for name, rows in found.items()}


@pytest.fixture(scope="module")
def load() -> list[ExtractionRecord]:
    """The sample corpus and the outline (clause links), the gold records, a 文号-only cite
    whose document comes later (a stub it absorbs), and one source twice: changed, then again."""
    records = [extract_path(p) for p in sorted(SEEDS.glob("*.txt"))] + [extract_path(OUTLINE_FILE)]
    records += gold_records()
    citing = zunyi_plan(title="临江市知识产权工作方案", doc_number="临府办〔2024〕1号")
    citing.cites = [Citation(title=None, doc_number="临府〔2023〕9号", relation="based_on")]
    cited = national_outline()
    cited.title, cited.doc_number = "临江市知识产权发展规划", "临府〔2023〕9号"
    records += [record("linjiang-plan.txt", citing), record("linjiang-outline.txt", cited)]
    changed = zunyi_plan(title="遵义市知识产权试点工作方案（修订）")
    records += [record("twice.txt", zunyi_plan()), record("twice.txt", changed), record("twice.txt", changed)]
    return records


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("order", ["as given", "reversed"])
def test_the_streamed_plan_writes_the_rows_of_the_incremental_planner(
    load: list[ExtractionRecord], tmp_path: Path, jobs: int, order: str
) -> None:
    records = load if order == "as given" else list(reversed(load))
    plan = bulk.write_csv(iter(records), tmp_path / "csv", jobs=jobs)  # an iterator: read once
    expected = _incremental_rows(records)
    written = _csv_rows(plan)
    assert set(written) == set(expected)
    for name, rows in expected.items():
        assert written[name] == rows, name
    # what the streaming must get right is there: clause links, and a stub absorbed by its document
    assert expected["edges-CARRIES_OUT-Task-Clause.csv"]
    numbered = [json.loads(r) for r in expected["nodes-Document.csv"] if "临府〔2023〕9号" in r]
    assert [d["stub"] for d in numbered] == [False]
    count = {
        kind: sum(len(r) for n, r in expected.items() if n.startswith(kind)) for kind in ("nodes-", "edges-")
    }
    sources = len(expected[f"nodes-{SOURCE_LABEL}.csv"])
    assert (plan.node_count, plan.edge_count) == (count["nodes-"] - sources, count["edges-"])
    twice = (
        ["ingested", "replaced", "unchanged"]
        if order == "as given"
        else ["ingested", "unchanged", "replaced"]
    )
    assert [r.status for r in plan.reports if r.source == "twice.txt"] == twice
    assert list(plan.seconds) == ["build", "place", "merge", "write"]
    # a header, then one part per placing process, the merged rows appended to one: not a part
    # per chunk placed (the importer slows with the number of files)
    groups = [*plan.nodes.values(), *(files for groups in plan.edges.values() for files in groups)]
    assert max(len(files) for files in groups) == 1 + jobs
    assert all(seconds >= 0 for seconds in plan.seconds.values())


def test_a_value_the_csv_cannot_hold_fails_naming_it_and_leaves_no_spill(tmp_path: Path) -> None:
    cited = zunyi_plan(title="临江市知识产权规划", doc_number="临府〔2023〕9号")
    citing = zunyi_plan(title="临江市知识产权工作方案", doc_number="临府办〔2024〕1号")
    # cited under another title holding the list delimiter: the document's aliases would hold it
    citing.cites = [
        Citation(title="临江市\x1e知识产权规划", doc_number="临府〔2023〕9号", relation="based_on")
    ]
    records = [record("a.txt", cited), record("b.txt", citing)]
    folder = tmp_path / "csv"
    with pytest.raises(StoreError, match="Document: a list value holds the character U\\+001E"):
        bulk.write_csv(records, folder, jobs=2)
    assert list(folder.iterdir()) == []  # no spill, and no part of a plan to import


@pytest.mark.parametrize("jobs", [1, 2])
def test_records_given_as_json_lines_plan_as_the_records_do(
    load: list[ExtractionRecord], tmp_path: Path, jobs: int
) -> None:
    # a records file's lines, decoded by the first pass's workers
    lines = [json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in load]
    from_lines = bulk.write_csv(iter(lines), tmp_path / "lines", jobs=jobs)
    assert _csv_rows(from_lines) == _incremental_rows(load)
    assert from_lines.reports == bulk.write_csv(load, tmp_path / "records").reports
    with pytest.raises(StoreError, match="a record's JSON is not an extraction record"):
        bulk.write_csv([*lines[:3], '{"documents": []}\n'], tmp_path / "bad", jobs=jobs)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_value_of_another_type_than_the_ontology_gives_fails_naming_it(tmp_path: Path, jobs: int) -> None:
    # the CSV header's types come from the ontology: a year that is not an integer would be
    # refused by the importer far from its cause, so the plan refuses it
    odd = zunyi_plan()
    odd.targets[0].target_year = 2025.0  # type: ignore[assignment]
    records = [record(f"ok-{i}.txt", zunyi_plan(title=f"临江市知识产权工作方案{i}")) for i in range(5)]
    folder = tmp_path / "csv"
    refused = r"Target: target_year = 2025\.0 is not of the ontology's type \(long\)"
    with pytest.raises(StoreError, match=refused):
        bulk.write_csv([*records, record("odd.txt", odd)], folder, jobs=jobs)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_record_the_ontology_refuses_is_reported_and_the_others_planned(
    tmp_path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policykg.graph import stored
    from policykg.graph.ontology import SchemaViolation

    checked = stored.check_fragment

    def refusing(fragment: Any) -> None:  # forked workers inherit the patch
        if fragment.source == "bad.txt":
            raise SchemaViolation("Document: property 'x' is not in the ontology")
        checked(fragment)

    monkeypatch.setattr(stored, "check_fragment", refusing)
    records = [record(f"ok-{i}.txt", zunyi_plan(title=f"临江市知识产权工作方案{i}")) for i in range(40)]
    records.insert(17, record("bad.txt", zunyi_plan(title="临江市知识产权试点方案")))
    plan = bulk.write_csv(iter(records), tmp_path / "csv", jobs=jobs)
    assert plan.failed == [("bad.txt", "Document: property 'x' is not in the ontology")]
    # the others in the records' order, each planned
    assert [r.source for r in plan.reports] == [f"ok-{i}.txt" for i in range(40)]
    sources = _csv_rows(plan)[f"nodes-{SOURCE_LABEL}.csv"]
    assert len(sources) == 40 and not any("bad.txt" in row for row in sources)
