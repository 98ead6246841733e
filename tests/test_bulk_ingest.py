"""ingest_many: the same graph and the same reports as ingesting record by record.

Neo4jStore writes a chunk of records per transaction and keeps what it read between chunks
while no other writer commits; these tests hold it to the reference (EmbeddedStore, one record
at a time) on a synthetic corpus, through re-ingest, changes in the middle of a batch, a
source given twice, a second writer in between and a failing record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from policykg.bench import corpus as synthetic
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.neo4j_store import Neo4jStore
from policykg.graph.ontology import SchemaViolation
from policykg.graph.store import IngestStopped
from policykg.ingest.extract import extract_path

from policykg.records import ExtractionRecord
from tests.conftest import require_neo4j
from tests.graph_helpers import gold_records

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[ExtractionRecord]:
    folder = tmp_path_factory.mktemp("bulk-corpus")
    synthetic.write_corpus(folder, 60, seed=11, shard=25)
    # the gold files add 文号-only citations, so stubs get re-placed when their document arrives
    return [extract_path(p) for p in sorted(folder.rglob("*.txt"))] + gold_records()


@pytest.fixture
def neo() -> Iterator[Neo4jStore]:
    st = Neo4jStore(require_neo4j())
    st.wipe()
    st.chunk_size = 7  # many chunks, so state carries from one transaction to the next
    yield st
    st.wipe()  # the shared `store` fixture re-ingests the sample corpus into an empty database
    st.close()


def changed(record: ExtractionRecord, tag: str) -> ExtractionRecord:
    """The record with its first document's tasks halved and its citations dropped."""
    copy = ExtractionRecord.from_dict(record.to_dict())
    doc = copy.documents[0]
    doc.tasks = doc.tasks[: len(doc.tasks) // 2]
    doc.cites = []
    copy.content_hash = f"{record.content_hash}-{tag}"
    return copy


def reference(tmp_path: Path, *batches: list[ExtractionRecord]) -> tuple[list, list]:
    """Reports and dump of EmbeddedStore ingesting every batch one record at a time."""
    st = EmbeddedStore(f"embedded:{tmp_path / 'reference'}")
    reports = [[st.ingest(r) for r in batch] for batch in batches]
    return reports, list(st.dump())


def test_bulk_equals_record_by_record(
    neo: Neo4jStore, corpus: list[ExtractionRecord], tmp_path: Path
) -> None:
    bulk = neo.ingest_many(corpus)
    bulk_dump = list(neo.dump())
    neo.wipe()
    single = [neo.ingest(r) for r in corpus]
    assert bulk == single
    assert bulk_dump == list(neo.dump())
    assert [r.status for r in bulk] == ["ingested"] * len(corpus)

    # again: every record unchanged, same counts
    again = neo.ingest_many(corpus)
    assert [r.status for r in again] == ["unchanged"] * len(corpus)
    assert [(r.nodes, r.edges) for r in again] == [(r.nodes, r.edges) for r in bulk]

    expected_reports, expected_dump = reference(tmp_path, corpus, corpus)
    assert [bulk, again] == expected_reports
    assert bulk_dump == expected_dump


def test_changes_in_the_middle_of_a_batch(
    neo: Neo4jStore, corpus: list[ExtractionRecord], tmp_path: Path
) -> None:
    neo.ingest_many(corpus)
    middle = len(corpus) // 2
    # a changed record between unchanged ones, a source given twice (changed, then back), a
    # record that empties its source, and unchanged records after them
    batch = [
        *corpus[middle - 3 : middle],
        changed(corpus[middle], "a"),
        corpus[middle + 1],
        changed(corpus[middle + 2], "b"),
        corpus[middle + 2],
        ExtractionRecord(source=corpus[middle + 3].source, content_hash="emptied"),
        *corpus[middle + 4 : middle + 12],
        *(changed(r, "c") for r in corpus[-5:]),  # the gold files: stubs re-placed
    ]
    reports = neo.ingest_many(batch)
    expected_reports, expected_dump = reference(tmp_path, corpus, batch)
    assert reports == expected_reports[1]
    assert [r.status for r in reports[:3]] == ["unchanged"] * 3
    assert reports[3].status == reports[5].status == reports[6].status == "replaced"
    assert list(neo.dump()) == expected_dump


def test_state_read_back_and_other_writers(
    neo: Neo4jStore, corpus: list[ExtractionRecord], tmp_path: Path
) -> None:
    """A new store object reads what an earlier one wrote (no state kept in memory), and a
    store whose kept state went stale because another writer committed reads afresh."""
    half = len(corpus) // 2
    first, second = corpus[:half], corpus[half:]
    neo.ingest_many(first)
    other = Neo4jStore(require_neo4j())
    try:
        other.chunk_size = 5
        step = [changed(r, "other") for r in first[::4]] + second[:10]
        assert other.ingest_many(step) == reference(tmp_path / "a", first, step)[0][1]
    finally:
        other.close()
    later = second[10:] + [changed(r, "later") for r in first[1::4]] + first[::4]
    reports = neo.ingest_many(later)
    expected_reports, expected_dump = reference(tmp_path / "b", first, step, later)
    assert reports == expected_reports[2]
    assert list(neo.dump()) == expected_dump


def test_a_failing_record_stops_after_the_chunks_before_it(
    neo: Neo4jStore, corpus: list[ExtractionRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    from policykg.graph import stored

    bad = corpus[10].source
    original = stored.check_fragment

    def refuse(fragment: stored.Fragment) -> None:
        if fragment.source == bad:
            raise SchemaViolation("refused for the test")
        original(fragment)

    monkeypatch.setattr(stored, "check_fragment", refuse)
    with pytest.raises(IngestStopped) as stopped:
        neo.ingest_many(corpus[:20])
    # chunks of 7: the first is stored, the chunk holding record 10 is not
    assert [r.source for r in stopped.value.reports] == [r.source for r in corpus[:7]]
    assert isinstance(stopped.value.error, SchemaViolation)
    monkeypatch.undo()
    assert [r.status for r in neo.ingest_many(corpus[:20])] == ["unchanged"] * 7 + ["ingested"] * 13


def test_a_chunk_too_large_for_the_server_is_written_in_halves(
    neo: Neo4jStore,
    corpus: list[ExtractionRecord],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from policykg.graph import neo4j_store

    limit = neo._read("SHOW SETTINGS YIELD name, value WHERE name = 'db.memory.transaction.max' RETURN value")
    if not limit or limit[0]["value"] in ("0", "0B", "0.00B"):
        pytest.skip("this Neo4j server has no transaction memory limit (the project's server sets one)")
    # a transaction of more than 3 records first allocates past the server's transaction
    # memory limit, for real: the server refuses it as it refuses a chunk too large
    sizes: list[int] = []
    apply, write = neo4j_store._Ingest.apply_records, neo4j_store._Ingest.write

    def counted(job: neo4j_store._Ingest, prepared: neo4j_store.Prepared) -> list[str]:
        sizes.append(len(prepared.records))
        return apply(job, prepared)

    def heavy(job: neo4j_store._Ingest) -> None:
        if sizes[-1] > 3:
            assert job.tx is not None
            job.tx.run("UNWIND range(1, 200000000) AS x WITH collect(x) AS xs RETURN size(xs)").consume()
        write(job)

    monkeypatch.setattr(neo4j_store._Ingest, "apply_records", counted)
    monkeypatch.setattr(neo4j_store._Ingest, "write", heavy)
    batch = corpus[:20]
    neo.chunk_size = 8
    reports = neo.ingest_many(batch)
    # 8 refused, 4 refused, 2 written; every later chunk starts at 2 and is written
    assert sizes[:3] == [8, 4, 2] and max(sizes[3:]) == 2 and neo.chunk_size == 2
    assert "MemoryPoolOutOfMemoryError" in capsys.readouterr().err
    expected_reports, expected_dump = reference(tmp_path, batch)
    assert reports == expected_reports[0]
    assert list(neo.dump()) == expected_dump


def test_chunks_are_planned_while_the_one_before_is_written(
    neo: Neo4jStore, corpus: list[ExtractionRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Into an empty database every chunk after the first is planned ahead (the state is all in
    memory) and written by the writer thread, and the graph is the reference's."""
    from policykg.graph import neo4j_store

    written: list[int] = []
    write_ahead = neo4j_store.Neo4jStore._write_ahead

    def counted(store: Neo4jStore, rows: Any, expected: Any, after: Any, records: int) -> None:
        written.append(records)
        write_ahead(store, rows, expected, after, records)

    monkeypatch.setattr(neo4j_store.Neo4jStore, "_write_ahead", counted)
    reports = neo.ingest_many(corpus)
    chunks = -(-len(corpus) // neo.chunk_size)
    assert len(written) == chunks - 1 and sum(written) == len(corpus) - neo.chunk_size
    expected_reports, expected_dump = reference(tmp_path, corpus)
    assert reports == expected_reports[0]
    assert list(neo.dump()) == expected_dump


def test_a_writer_coming_between_planned_chunks_is_seen(
    neo: Neo4jStore, corpus: list[ExtractionRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer commits after a chunk was planned ahead, before it is written: the lock's
    nonce is not the one the plan assumed, so that chunk and the one planned after it are
    written again from what the database holds, the other writer's change included."""
    from policykg.graph import neo4j_store

    other_step = [changed(corpus[0], "between")]
    calls: list[str] = []
    write_ahead = neo4j_store.Neo4jStore._write_ahead

    def interrupted(store: Neo4jStore, rows: Any, expected: Any, after: Any, records: int) -> None:
        calls.append("ahead")
        if len(calls) == 2:
            other = Neo4jStore(require_neo4j())
            try:
                assert [r.status for r in other.ingest_many(other_step)] == ["replaced"]
            finally:
                other.close()
        try:
            write_ahead(store, rows, expected, after, records)
        except neo4j_store._Stale:
            calls.append("stale")
            raise

    monkeypatch.setattr(neo4j_store.Neo4jStore, "_write_ahead", interrupted)
    first, rest = corpus[:14], corpus[14:]
    neo.ingest_many(first[:7])  # the chunk written before the other writer comes
    reports = neo.ingest_many(first[7:] + rest)
    assert "stale" in calls
    expected_reports, expected_dump = reference(tmp_path, first[:7], other_step, first[7:] + rest)
    assert reports == expected_reports[2]
    assert list(neo.dump()) == expected_dump
