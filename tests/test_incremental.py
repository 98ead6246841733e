"""Incremental ingest, on each store (`empty_store`: embedded and neo4j).

A changed file replaces its own document's facts (no stale task survives) and leaves every
other document as it was; the result equals a clean ingest of the new file set. An unchanged
file is skipped by its content hash.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TypeVar

import pytest
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.views import TargetView, TaskView
from policykg.ingest.extract import extract_path

from policykg.cli import main
from policykg.records import ExtractionRecord

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
CHANGED = "001_bd8fbcfcfad85180.txt"
# eight CJK characters with no role or target words in them, so only the wording changes
NEW_WORDS = "春夏秋冬东南西北"
EVERYTHING = 10**9
T = TypeVar("T", TaskView, TargetView)


def reworded_task(record: ExtractionRecord, text: str) -> str:
    """Eight characters of a led task that occur once in the file and in no citation's
    sentence: rewording them changes exactly one task."""
    doc = record.documents[0]
    quotes = [c.quote or "" for c in doc.cites + doc.repeals]
    for task in doc.tasks:
        if not task.lead:
            continue
        for m in re.finditer(r"(?=([\u4e00-\u9fff]{8}))", task.text):
            words = m.group(1)
            if (
                text.count(words) == 1
                and sum(words in t.text for t in doc.tasks) == 1
                and not any(words in q for q in quotes)
            ):
                return words
    raise AssertionError(f"no task of {record.source} can be reworded")


@pytest.fixture
def changed_file(tmp_path: Path, sample_records: list[ExtractionRecord]) -> tuple[Path, str]:
    """CHANGED with one task reworded, under its own name (same source, new content)."""
    text = (SEEDS / CHANGED).read_text(encoding="utf-8")
    old = reworded_task(next(r for r in sample_records if r.source == CHANGED), text)
    path = tmp_path / "changed" / CHANGED
    path.parent.mkdir()
    path.write_text(text.replace(old, NEW_WORDS), encoding="utf-8")
    return path, old


def not_from(source: str, facts: list[T]) -> list[T]:
    return [f for f in facts if f.span is None or f.span.source != source]


def own_documents(store, source: str | None = None, other_than: str | None = None) -> list[str]:
    ids = []
    for ref in store.find_documents(limit=EVERYTHING):
        if ref.stub:
            continue
        span = store.document(ref.id).span
        src = span.source if span else None
        if (source is None or src == source) and (other_than is None or src != other_than):
            ids.append(ref.id)
    return ids


def test_changed_file_replaces_its_facts_and_nothing_else(
    empty_store, sample_records: list[ExtractionRecord], changed_file: tuple[Path, str], tmp_path: Path
) -> None:
    store = empty_store
    assert {store.ingest(r).status for r in sample_records} == {"ingested"}
    others = {d: store.document(d) for d in own_documents(store, other_than=CHANGED)}
    other_tasks = not_from(CHANGED, store.tasks(limit=EVERYTHING))
    other_targets = not_from(CHANGED, store.targets(limit=EVERYTHING))
    (doc_id,) = own_documents(store, source=CHANGED)
    path, old_words = changed_file
    assert any(old_words in t.text for t in store.document(doc_id).tasks)

    new = extract_path(path)
    assert store.ingest(new).status == "replaced"

    tasks = store.document(doc_id).tasks
    assert not any(old_words in t.text for t in tasks), "a stale task survived the re-ingest"
    (reworded,) = [t for t in tasks if NEW_WORDS in t.text]
    assert reworded.quote and NEW_WORDS in reworded.quote  # provenance follows the new text
    assert len(tasks) == len(new.documents[0].tasks)
    assert {d: store.document(d) for d in others} == others
    assert not_from(CHANGED, store.tasks(limit=EVERYTHING)) == other_tasks
    assert not_from(CHANGED, store.targets(limit=EVERYTHING)) == other_targets

    # the same as building the new file set from nothing (an embedded store as the reference)
    reference = EmbeddedStore(f"embedded:{tmp_path / 'reference'}")
    for record in [r for r in sample_records if r.source != CHANGED] + [new]:
        reference.ingest(record)
    assert store.stats() == reference.stats()
    assert store.tasks(limit=EVERYTHING) == reference.tasks(limit=EVERYTHING)
    assert store.targets(limit=EVERYTHING) == reference.targets(limit=EVERYTHING)
    assert store.document(doc_id) == reference.document(doc_id)


def test_unchanged_file_is_skipped_by_content_hash(
    empty_store, sample_records: list[ExtractionRecord]
) -> None:
    store = empty_store
    for record in sample_records:
        store.ingest(record)
    stats = store.stats()
    again = [extract_path(SEEDS / r.source) for r in sample_records]  # new objects, same bytes
    assert {store.ingest(r).status for r in again} == {"unchanged"}
    assert store.stats() == stats


def test_cli_summary_counts_unchanged_and_replaced(
    tmp_path: Path, changed_file: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    url = f"embedded:{tmp_path / 'kg'}"
    assert main(["ingest", str(folder), "--store", url]) == 0
    assert "ingested 5, unchanged 0, failed 0" in capsys.readouterr().out

    assert main(["ingest", str(folder), "--store", url]) == 0
    assert "ingested 0, unchanged 5, failed 0" in capsys.readouterr().out

    shutil.copy(changed_file[0], folder / CHANGED)
    assert main(["ingest", str(folder), "--store", url]) == 0
    out = capsys.readouterr().out
    assert "ingested 1, unchanged 4, failed 0" in out
    assert f"replaced {folder / CHANGED}:" in out
