"""Nothing lost, nothing half-written.

`policykg ingest` runs as a real subprocess over the sample corpus plus 40 generated policy
texts (seed texts under new titles), into an embedded store, and is SIGKILLed part way: twice,
at different points. After each kill the store must open and hold, for every source it has,
exactly what a clean ingest of those sources gives: no source half there. A last run then
finishes the job and the store must equal a clean ingest of the whole corpus.

Also: failures of single files (bad input, a store that cannot write) are one line each and
do not stop the run.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from policykg.graph import embedded
from policykg.graph.embedded import EmbeddedStore
from policykg.ingest.extract import extract_path

from policykg.cli import main
from policykg.records import ExtractionRecord

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
# seed file → a phrase of its title; each copy puts a sector before it, so it is a new document
TEMPLATES = {
    "001_bd8fbcfcfad85180.txt": "国家知识产权强市",
    "004_aa90943eaf40d5fd.txt": "知识产权保护和运用规划",
}
SECTORS = (
    "制造业 农业 文化 旅游 金融 医药 教育 交通 能源 环保 电子 纺织 化工 建材 食品 物流 软件 汽车 航空 海洋"
).split()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)  # the signature is what the reader goes by
RUN_TIMEOUT_S = 300
EVERYTHING = 10**9  # a page size that returns every item


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 5 seeds and 40 generated texts, one folder."""
    folder = tmp_path_factory.mktemp("corpus")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    for name, phrase in TEMPLATES.items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        assert phrase in text, f"{name} no longer holds {phrase!r}: pick another title phrase"
        for i, sector in enumerate(SECTORS):
            copy = text.replace(phrase, sector + phrase)
            (folder / f"gen_{name[:3]}_{i:02d}.txt").write_text(copy, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def records(corpus: Path) -> dict[str, ExtractionRecord]:
    """Each file's record, extracted in this process: what the subprocess should store."""
    return {path.name: extract_path(path) for path in sorted(corpus.iterdir())}


def clean_store(folder: Path, records: list[ExtractionRecord]) -> EmbeddedStore:
    store = EmbeddedStore(f"embedded:{folder}")
    for record in records:
        assert store.ingest(record).status == "ingested"
    return store


def stored_records(store_dir: Path) -> dict[str, dict]:
    """The record files of an embedded store by source (temp files of a write in flight are
    dot files, which the store ignores too). Each must parse: a torn file fails here."""
    found = {}
    for path in sorted((store_dir / "records").glob("*.json")):
        if not path.name.startswith("."):
            data = json.loads(path.read_text(encoding="utf-8"))
            digest = data.pop("record_sha256")  # the record's own digest (graph/embedded.py)
            assert digest == hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()
            found[data["source"]] = data
    return found


def start_ingest(corpus: Path, store_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "policykg.cli", "ingest", str(corpus), "--store", f"embedded:{store_dir}"],
        stdout=subprocess.DEVNULL,  # a full, unread pipe would block the child
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_after(proc: subprocess.Popen[str], store_dir: Path, at_least: int) -> None:
    """SIGKILL `proc` as soon as the store holds `at_least` sources."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    records_dir = store_dir / "records"
    while proc.poll() is None and time.monotonic() < deadline:
        if records_dir.is_dir() and sum(1 for p in records_dir.glob("[!.]*.json")) >= at_least:
            break
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"ingest ended before it was killed ({proc.returncode}): {err}"


def assert_same_graph(store: EmbeddedStore, reference: EmbeddedStore) -> None:
    assert store.stats() == reference.stats()
    assert store.find_documents(limit=EVERYTHING) == reference.find_documents(limit=EVERYTHING)
    assert store.tasks(limit=EVERYTHING) == reference.tasks(limit=EVERYTHING)
    assert store.targets(limit=EVERYTHING) == reference.targets(limit=EVERYTHING)


def assert_consistent(store_dir: Path, records: dict[str, ExtractionRecord], tmp_path: Path) -> set[str]:
    """The store opens, every source in it is whole, and it equals a clean ingest of exactly
    those sources. Answers the sources present."""
    present = stored_records(store_dir)
    for source, data in present.items():
        expected = records[source].to_dict() | {"content_hash": records[source].content_hash}
        assert data == expected, f"stored record of {source} differs from its extraction"
    store = EmbeddedStore(f"embedded:{store_dir}")  # loads without error
    reference = clean_store(tmp_path / f"reference-{len(present)}", [records[s] for s in sorted(present)])
    assert_same_graph(store, reference)
    tasks = store.tasks(limit=EVERYTHING)
    for source in present:  # each source's facts are there, not merely equal counts overall
        wanted = sum(len(d.tasks) for d in records[source].documents)
        assert sum(1 for t in tasks if t.span and t.span.source == source) == wanted, source
    return set(present)


def test_killed_ingest_leaves_a_consistent_store_and_resumes(
    corpus: Path, records: dict[str, ExtractionRecord], tmp_path: Path
) -> None:
    total = len(records)
    full = clean_store(tmp_path / "clean", list(records.values()))
    own_documents = [d for d in full.find_documents(limit=EVERYTHING) if not d.stub]
    assert total == 45 and len(own_documents) >= 40 + 5, "generated copies must be distinct documents"

    store_dir = tmp_path / "kg"
    present: set[str] = set()
    for extra in (1, 3):  # the second kill lands in a run that first skips what is stored
        kill_after(start_ingest(corpus, store_dir), store_dir, at_least=len(present) + extra)
        now = assert_consistent(store_dir, records, tmp_path)
        assert present < now < set(records), f"expected a partial store, have {len(now)} of {total}"
        present = now

    done = subprocess.run(
        [sys.executable, "-m", "policykg.cli", "ingest", str(corpus), "--store", f"embedded:{store_dir}"],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
    )
    assert done.returncode == 0, done.stderr
    assert f"ingested {total - len(present)}, unchanged {len(present)}, failed 0" in done.stdout
    assert set(stored_records(store_dir)) == set(records)
    assert_same_graph(EmbeddedStore(f"embedded:{store_dir}"), full)


def test_failures_are_one_line_each_and_do_not_stop_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("000_ffe53781bb76319d.txt", "001_bd8fbcfcfad85180.txt", "003_80cd1bba055f4166.txt"):
        shutil.copy(SEEDS / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(PNG)
    shutil.copy(SEEDS / "002_490c044983d1bc4d.txt", folder / "big.txt")  # ~100 kB
    (folder / "notes.md").write_text(
        "# PolicyKG\n\nTurns policy documents into a knowledge graph. Run `make test`.\n", encoding="utf-8"
    )
    (folder / "README.md").write_text(
        "# 说明\n\n本文件夹收录《临江市物流规划》。\n", encoding="utf-8"
    )  # skipped
    real_write = embedded._write_atomic

    def disk_full_for_003(path: Path, data: str) -> embedded.StatKey:
        if json.loads(data)["source"].startswith("003_"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(embedded, "_write_atomic", disk_full_for_003)
    url = f"embedded:{tmp_path / 'kg'}"

    code = main(["ingest", str(folder), "--store", url, "--max-bytes", "50000"])

    out, err = capsys.readouterr()
    assert code == 1
    assert "ingested 2, unchanged 0, failed 5" in out
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 5 and all(line.startswith(f"failed {folder}/") for line in lines), err
    reasons = dict(line.removeprefix(f"failed {folder}/").split(": ", 1) for line in lines)
    assert reasons["empty.txt"] == "empty file"
    assert "PNG" in reasons["image.png"]
    assert reasons["big.txt"].startswith("too large")
    assert reasons["notes.md"].startswith("not a policy document")
    assert "README.md" not in reasons  # a folder's own notes are not read as documents
    assert reasons["003_80cd1bba055f4166.txt"] == "not stored: No space left on device"
    # the refused source left nothing behind, on disk or in a freshly opened store
    assert set(stored_records(tmp_path / "kg")) == {"000_ffe53781bb76319d.txt", "001_bd8fbcfcfad85180.txt"}
    tasks = EmbeddedStore(url).tasks(limit=EVERYTHING)
    assert tasks and not any(t.span and t.span.source.startswith("003_") for t in tasks)


def test_a_damaged_record_file_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Saves are atomic, so only outside damage can tear a record; the store names the file."""
    url = f"embedded:{tmp_path / 'kg'}"
    assert main(["ingest", str(SEEDS / "003_80cd1bba055f4166.txt"), "--store", url]) == 0
    (path,) = (tmp_path / "kg" / "records").glob("*.json")
    path.write_text(path.read_text(encoding="utf-8")[:100], encoding="utf-8")
    (tmp_path / "kg" / "snapshot.bin").unlink()  # no copy to fall back on (tests/test_store_integrity.py)
    capsys.readouterr()

    assert main(["stats", "--store", url]) == 1

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"damaged record file {path}" in err
