"""The bulk path (graph/bulk.py, `policykg ingest --bulk` / `--bulk-csv`): a first load through
Neo4j's own importer gives the graph incremental ingest gives (the same answers as the embedded
store), and incremental ingest continues from it. Uses a real server of its own, on a free
port, started and stopped here (the import is offline)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from policykg.graph import bulk
from policykg.graph import neo4j_server as server
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.neo4j_store import Neo4jStore

from policykg.cli import main
from tests.conftest import SEEDS
from tests.graph_helpers import gold_records, national_outline, record
from tests.test_neo4j_store import assert_same_answers

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NEO4J_PASSWORD", "policykg-test-password")
    port = _free_port()
    url = server.start(port=port, data=tmp_path / "neo4j", timeout_s=300)
    try:
        yield url
    finally:
        server.stop(port=port)


def test_the_plan_as_csv_counts_what_the_embedded_store_holds(tmp_path: Path) -> None:
    records = gold_records()
    plan = bulk.write_csv(records, tmp_path / "csv")
    embedded = EmbeddedStore(f"embedded:{tmp_path / 'kg'}")
    reports = embedded.ingest_many(records)
    stats = embedded.stats()
    assert plan.node_count == sum(stats.nodes.values())
    assert plan.edge_count == sum(stats.edges.values())
    assert plan.reports == reports
    assert set(plan.nodes) == {label for label, n in stats.nodes.items() if n} | {"_Source"}
    header = plan.nodes["Document"][0].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id:ID(Node),") and "stub:boolean" in header and "aliases:string[]" in header
    args = bulk.import_args(plan)
    assert args[:3] == ["database", "import", "full"] and args[-1] == "neo4j"
    assert f"--report-file={tmp_path / 'csv' / 'import.report'}" in args


def test_bulk_ingest_gives_the_graph_of_incremental_ingest(
    own_server: str, tmp_path: Path, sample_records, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", "--store", own_server, "--bulk", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert f"ingested {sample_records[0].source}" in out or "ingested " in out
    embedded = EmbeddedStore(f"embedded:{tmp_path / 'kg'}")
    embedded.ingest_many(sample_records)
    neo = Neo4jStore(own_server)
    try:
        assert_same_answers(neo, embedded)
        # incremental ingest continues from the imported bookkeeping: unchanged, replaced, new
        again = [*sample_records[:2], record(sample_records[2].source, content_hash="emptied")]
        again.append(record("outline.txt", national_outline()))
        assert neo.ingest_many(again) == embedded.ingest_many(again)
        assert [r.status for r in neo.ingest_many(sample_records[:1])] == ["unchanged"]
        assert_same_answers(neo, embedded)
    finally:
        neo.close()
    # a second bulk load would replace the database: refused
    assert main(["ingest", "--store", own_server, "--bulk", str(SEEDS)]) == 1
    assert "only into an empty database" in capsys.readouterr().err


def test_bulk_csv_prints_the_importer_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "csv"
    assert main(["ingest", "--store", "bolt://elsewhere:7687", "--bulk-csv", str(folder), str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "neo4j-admin database import full" in out and f"--nodes=Document={folder}" in out
    assert (folder / "nodes-Document.header.csv").exists()
