"""`policykg ingest` and `policykg stats` (graph/commands.py), `policykg serve` arguments."""

from __future__ import annotations

import argparse
import json
import sys
import types
from pathlib import Path

import pytest
from policykg.api import commands as api_commands
from policykg.graph import commands
from policykg.graph.embedded import EmbeddedStore
from policykg.ingest.errors import InputError

from tests.graph_helpers import record, zunyi_plan

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="policykg")
    sub = parser.add_subparsers(dest="command", required=True)
    commands.register(sub)
    api_commands.register(sub)
    return parser.parse_args(argv)


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """An extractor that refuses empty files and makes one record per file otherwise."""

    def extract_path(path: Path, max_bytes: int | None = None, source: str | None = None):
        text = Path(path).read_text(encoding="utf-8") if Path(path).exists() else None
        if not text:
            raise InputError(path, "empty file" if text == "" else "cannot read: no such file")
        return record(source or Path(path).name, zunyi_plan(title=text.strip()))

    module = types.ModuleType("policykg.ingest.extract")
    module.extract_path = extract_path  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "policykg.ingest.extract", module)


def test_ingest_reports_each_file_and_a_summary(tmp_path: Path, fake_extractor, capsys) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("甲市方案", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("乙市方案", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / ".hidden").write_text("x", encoding="utf-8")
    url = f"embedded:{tmp_path / 'kg'}"
    args = parse(["ingest", str(folder), str(tmp_path / "missing.txt"), "--store", url])
    assert args.func(args) == 1
    out, err = capsys.readouterr()
    assert "ingested 2, unchanged 0, failed 2" in out
    assert f"failed {folder / 'empty.txt'}: empty file" in err
    assert "missing.txt: cannot read" in err
    assert len(err.strip().splitlines()) == 2
    assert len(EmbeddedStore(url).find_documents(q="市方案")) == 2

    args = parse(["ingest", str(folder / "a.txt"), "--store", url])
    assert args.func(args) == 0
    assert "ingested 0, unchanged 1, failed 0" in capsys.readouterr().out


def test_stats(tmp_path: Path, fake_extractor, capsys) -> None:
    url = f"embedded:{tmp_path / 'kg'}"
    (tmp_path / "a.txt").write_text("甲市方案", encoding="utf-8")
    args = parse(["ingest", str(tmp_path / "a.txt"), "--store", url])
    args.func(args)
    capsys.readouterr()
    args = parse(["stats", "--store", url, "--json"])
    assert args.func(args) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["store"] == url and body["nodes"]["Document"] >= 1 and body["nodes"]["Task"] == 2
    args = parse(["stats", "--store", url])
    args.func(args)
    assert "Document" in capsys.readouterr().out


def test_ingest_the_sample_corpus(tmp_path: Path, capsys) -> None:
    pytest.importorskip("policykg.ingest.extract")
    url = f"embedded:{tmp_path / 'kg'}"
    args = parse(["ingest", str(SEEDS), "--store", url])
    assert args.func(args) == 0
    assert "ingested 5, unchanged 0, failed 0" in capsys.readouterr().out


def test_serve_arguments() -> None:
    args = parse(["serve", "--store", "embedded:/tmp/x", "--port", "9000"])
    assert (args.store, args.host, args.port) == ("embedded:/tmp/x", "127.0.0.1", 9000)
    assert args.func is api_commands.serve


def test_a_folders_own_notes_are_not_documents(tmp_path: Path, fake_extractor, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text("甲市方案", encoding="utf-8")
    (folder / "SOURCES.md").write_text("来源：《甲市方案》", encoding="utf-8")
    (folder / "README.txt").write_text("说明：《乙市方案》", encoding="utf-8")
    url = f"embedded:{tmp_path / 'kg'}"
    args = parse(["ingest", str(folder), "--store", url])
    assert args.func(args) == 0
    assert "ingested 1, unchanged 0, failed 0" in capsys.readouterr().out
    # named on the command line, a note is read like any file
    args = parse(["ingest", str(folder / "SOURCES.md"), "--store", url])
    assert args.func(args) == 0
    assert "ingested 1, unchanged 0, failed 0" in capsys.readouterr().out
