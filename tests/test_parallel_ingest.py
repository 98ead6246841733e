"""`policykg ingest --jobs N`: extraction in worker processes gives the same graph as one process."""

from __future__ import annotations

from pathlib import Path

import pytest
from policykg.bench import corpus as synthetic
from policykg.graph.embedded import EmbeddedStore

from policykg.cli import main


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parallel-corpus")
    synthetic.write_corpus(folder, 60, seed=7, shard=25)  # shards: nested folders are walked too
    (folder / "empty.txt").write_text("", encoding="utf-8")  # a failed file, reported in order
    return folder


def _ingest(corpus: Path, store: Path, jobs: int, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    code = main(["ingest", str(corpus), "--store", f"embedded:{store}", "--jobs", str(jobs)])
    assert code == 1  # the empty file failed; the others went in
    out, err = capsys.readouterr()
    return out.replace(str(store), "STORE"), err  # the summary names the store


def test_jobs_2_gives_the_single_process_result(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out1, err1 = _ingest(corpus, tmp_path / "one", 1, capsys)
    out2, err2 = _ingest(corpus, tmp_path / "two", 2, capsys)
    # same files, same order, same per-file reports and summary
    assert out1 == out2
    assert err1 == err2 and "empty.txt" in err1
    assert "ingested 60, unchanged 0, failed 1" in out1

    one = EmbeddedStore(f"embedded:{tmp_path / 'one'}")
    two = EmbeddedStore(f"embedded:{tmp_path / 'two'}")
    assert one.stats() == two.stats()
    assert one.stats().nodes["Document"] >= 60
    # the stored records are byte for byte the same
    files1 = {p.name: p.read_bytes() for p in (tmp_path / "one" / "records").glob("*.json")}
    files2 = {p.name: p.read_bytes() for p in (tmp_path / "two" / "records").glob("*.json")}
    assert len(files1) == 60 and files1 == files2

    # and a few answers: lineage down from the national outline, up from a county plan, lead tasks
    national = one.find_documents(level="national")[0]
    assert one.implementations(national.id) == two.implementations(national.id)
    assert len(one.implementations(national.id).entries) > 10
    county = one.find_documents(level="county")[0]
    assert one.ancestors(county.id) == two.ancestors(county.id)
    assert one.ancestors(county.id).entries
    agency = next(a for a in one.agencies(limit=1000) if a.lead_tasks)
    assert one.tasks(lead=agency.id) == two.tasks(lead=agency.id)
    assert one.agencies(limit=1000) == two.agencies(limit=1000)


def test_jobs_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(tmp_path), "--store", f"embedded:{tmp_path / 's'}", "--jobs", "0"]) == 1
    assert "--jobs must be at least 1" in capsys.readouterr().err
