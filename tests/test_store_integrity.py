"""No silent data loss in ingest and in the embedded store's files: same-named files in
different folders are different sources, a replacement is said in the summary, two ingests into
one store never interleave (a writer lock), a server takes in what an ingest changed, and a
damaged or deleted record file is reported (a damaged one served from the snapshot's copy)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph.commands import source_files
from policykg.graph.embedded import EmbeddedStore

from policykg.cli import main
from policykg.settings import Settings

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
SEED = sorted(SEEDS.glob("*.txt"))
EVERYTHING = 1000


def documents(url: str) -> list[str]:
    store = EmbeddedStore(url)
    try:
        return sorted(d.title or d.id for d in store.find_documents(limit=EVERYTHING) if not d.stub)
    finally:
        store.close()


# -- names ---------------------------------------------------------------------------------


def test_same_named_files_in_different_folders_are_two_sources(tmp_path: Path, capsys) -> None:
    download = tmp_path / "download"
    for folder, seed in (("江苏", SEED[1]), ("保定", SEED[2])):
        (download / folder).mkdir(parents=True)
        shutil.copy(seed, download / folder / "index.html")
        shutil.copy(seed, download / folder / "附件.docx.txt")
    url = f"embedded:{tmp_path / 'kg'}"
    assert main(["ingest", str(download), "--store", url]) == 0
    out = capsys.readouterr().out
    assert "ingested 4, unchanged 0, failed 0" in out and "replaced" not in out
    store = EmbeddedStore(url)
    expected = ["保定/index.html", "保定/附件.docx.txt", "江苏/index.html", "江苏/附件.docx.txt"]
    assert sorted(store._sources) == expected
    store.close()
    reference = f"embedded:{tmp_path / 'ref'}"
    assert main(["ingest", str(SEED[1]), str(SEED[2]), "--store", reference]) == 0
    assert documents(url) == documents(reference)  # each folder's documents, neither replacing the other


def test_source_names() -> None:
    assert [name for _, name in source_files([str(SEEDS)])] == [p.name for p in SEED]  # as before
    named = [name for _, name in source_files([str(SEED[0]), str(SEED[0]), "/x/a.txt", "/y/a.txt"])]
    assert named == [SEED[0].name, "a.txt", "/y/a.txt"]


def test_a_replacing_run_says_so(tmp_path: Path, capsys) -> None:
    url = f"embedded:{tmp_path / 'kg'}"
    for i, seed in enumerate(SEED[1:3]):
        (tmp_path / str(i)).mkdir()
        shutil.copy(seed, tmp_path / str(i) / "index.html")
    assert main(["ingest", str(tmp_path / "0" / "index.html"), "--store", url]) == 0
    assert "replaced" not in capsys.readouterr().out
    assert main(["ingest", str(tmp_path / "1" / "index.html"), "--store", url]) == 0
    out = capsys.readouterr().out
    assert "ingested 1, unchanged 0, failed 0" in out
    assert "replaced 1 source(s) the store already held with other content: index.html" in out


# -- one writer at a time --------------------------------------------------------------------


def ingest_process(url: str, *paths: Path, wait_s: float) -> subprocess.Popen[str]:
    env = {**os.environ, "POLICYKG_STORE_LOCK_WAIT_S": str(wait_s)}
    return subprocess.Popen(
        [sys.executable, "-m", "policykg.cli", "ingest", *map(str, paths), "--store", url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_second_ingest_waits_or_fails_clearly(tmp_path: Path) -> None:
    url = f"embedded:{tmp_path / 'kg'}"
    holder = EmbeddedStore(url)
    holder.lock_for_writing()
    refused = ingest_process(url, SEED[0], wait_s=0.5)
    out, err = refused.communicate(timeout=60)
    assert refused.returncode == 1
    assert f"another process (pid {os.getpid()}) is writing to {url}" in err and "Traceback" not in err

    waiting = ingest_process(url, SEED[1], wait_s=60)
    assert waiting.stderr is not None
    assert "waiting for another process" in waiting.stderr.readline()
    time.sleep(0.5)
    assert waiting.poll() is None  # still waiting for the lock
    from policykg.ingest.extract import extract_path

    holder.ingest(extract_path(SEED[0]))
    holder.close()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "ingested 1" in out
    assert len(documents(url)) == 2


def test_two_ingests_at_once_leave_both(tmp_path: Path) -> None:
    url = f"embedded:{tmp_path / 'kg'}"
    first = ingest_process(url, *SEED[:3], wait_s=120)
    second = ingest_process(url, *SEED[3:], wait_s=120)
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    reference = f"embedded:{tmp_path / 'ref'}"
    assert main(["ingest", str(SEEDS), "--store", reference]) == 0
    assert documents(url) == documents(reference)
    a, b = EmbeddedStore(url), EmbeddedStore(reference)
    assert a.stats() == b.stats()
    a.close()
    b.close()


def test_a_server_takes_in_what_an_ingest_changed(tmp_path: Path) -> None:
    url = f"embedded:{tmp_path / 'kg'}"
    assert main(["ingest", str(SEED[0]), "--store", url]) == 0
    served = EmbeddedStore(url)
    app = create_app(store=served, settings=Settings(store_refresh_s=0.2))
    with TestClient(app) as client:
        before = client.get("/health").json()
        assert before["stale"] is False and before["warnings"] == []
        assert main(["ingest", str(SEED[1]), "--store", url]) == 0
        deadline = time.monotonic() + 10
        while client.get("/health").json()["documents"] == before["documents"]:
            assert time.monotonic() < deadline, "the server did not take in the ingest"
            time.sleep(0.1)
        after = client.get("/health").json()
        assert after["documents"] > before["documents"] and after["stale"] is False
    served.close()


def test_health_says_stale_when_not_refreshing(tmp_path: Path) -> None:
    url = f"embedded:{tmp_path / 'kg'}"
    assert main(["ingest", str(SEED[0]), "--store", url]) == 0
    served = EmbeddedStore(url)
    with TestClient(create_app(store=served, settings=Settings(store_refresh_s=0))) as client:
        assert client.get("/health").json()["stale"] is False
        assert main(["ingest", str(SEED[1]), "--store", url]) == 0
        assert client.get("/health").json()["stale"] is True
        assert served.refresh() is True
        assert client.get("/health").json()["stale"] is False
    served.close()


# -- damaged and deleted record files ----------------------------------------------------------


@pytest.fixture
def two_sources(tmp_path: Path) -> tuple[str, dict[str, Path]]:
    url = f"embedded:{tmp_path / 'kg'}"
    assert main(["ingest", str(SEED[1]), str(SEED[2]), "--store", url]) == 0
    store = EmbeddedStore(url)
    files = {source: store._record_path(source) for source in store._sources}
    store.close()
    assert (tmp_path / "kg" / "snapshot.bin").exists()
    return url, files


def _same_as_before(url: str, expected: list[str]) -> EmbeddedStore:
    store = EmbeddedStore(url)
    assert sorted(d.title or d.id for d in store.find_documents(limit=EVERYTHING) if not d.stub) == expected
    return store


@pytest.mark.parametrize("damage", ["truncate", "flip a digit", "not json"])
def test_a_damaged_record_falls_back_to_the_snapshot(two_sources, damage: str, capsys) -> None:
    url, files = two_sources
    expected = documents(url)
    path = files[SEED[1].name]
    text = path.read_text(encoding="utf-8")
    if damage == "truncate":
        text = text[: len(text) // 2]
    elif damage == "flip a digit":
        i = text.index('"span": [') + len('"span": [')
        text = text[:i] + str((int(text[i]) + 1) % 10) + text[i + 1 :]  # still valid JSON
    else:
        text = "\x00" * len(text)
    time.sleep(0.01)
    path.write_text(text, encoding="utf-8")
    store = _same_as_before(url, expected)
    assert len(store.warnings) == 1
    assert f"damaged record file {path}" in store.warnings[0] and SEED[1].name in store.warnings[0]
    with TestClient(create_app(store=store)) as client:
        assert client.get("/health").json()["warnings"] == store.warnings
    store.close()
    capsys.readouterr()
    assert main(["stats", "--store", url]) == 0  # still warns on every open until repaired
    assert f"damaged record file {path}" in capsys.readouterr().err
    assert main(["ingest", str(SEED[1]), "--store", url]) == 0  # ingesting again repairs it
    repaired = EmbeddedStore(url)
    assert repaired.warnings == [] and documents(url) == expected
    repaired.close()


def test_a_deleted_record_is_reported(two_sources, capsys) -> None:
    url, files = two_sources
    files[SEED[1].name].unlink()
    capsys.readouterr()
    assert main(["stats", "--store", url]) == 0
    err = capsys.readouterr().err
    assert f"{files[SEED[1].name]} of source {SEED[1].name} is gone" in err
    assert "ingest it again" in err


def test_extract_never_overwrites_a_record(tmp_path: Path, capsys) -> None:
    for folder, seed in (("a", SEED[1]), ("b", SEED[2])):
        (tmp_path / "in" / folder).mkdir(parents=True)
        shutil.copy(seed, tmp_path / "in" / folder / "index.txt")
    assert main(["extract", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 0
    assert "extracted 2, failed 0" in capsys.readouterr().out
    assert len(list((tmp_path / "out").glob("*.json"))) == 2
