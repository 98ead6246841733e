"""`policykg bench` runs end to end on a tiny corpus and writes its figures as JSON.

A smoke test, not a benchmark: it only checks that every figure is there and positive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from policykg.bench import corpus as synthetic


def test_bench_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    cmd = ["bench", "--docs", "20", "--requests", "50", "--json", str(out)]
    proc = subprocess.run(
        [sys.executable, "-m", "policykg.cli", *cmd],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "extraction (1 proc)" in proc.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["machine"]["cpus"] >= 1
    (run,) = report["runs"]
    assert run["docs"] == 20 and run["files"] == 20 and run["bytes"] > 0
    for section, keys in {
        "extraction": ("seconds", "mb_per_s", "docs_per_s"),
        "regex_ceiling": ("seconds", "mb_per_s", "docs_per_s", "matches"),
        "embedded_ingest": ("seconds", "docs_per_s", "entities", "entities_per_s", "end_to_end_docs_per_s"),
        "embedded_store": ("nodes", "edges", "documents", "open_s", "rss_mb", "server_peak_rss_mb"),
        "memory": ("bench_peak_rss_mb",),
    }.items():
        for key in keys:
            assert run[section][key] > 0, (section, key)
    assert run["extracted"]["documents"] >= 20 and run["extracted"]["tasks"] > 0
    exported = run["embedded_export"]
    assert exported["open_peak_rss_mb"] > 0
    for fmt in ("turtle", "ntriples", "jsonld", "graphml"):
        figures = exported[fmt]
        assert figures["seconds"] > 0 and figures["mb"] > 0 and figures["peak_rss_mb"] > 0, fmt
        assert figures["in_memory"]["peak_rss_mb"] > 0, fmt
    assert "export turtle emb" in proc.stdout
    for query in ("lineage", "implementations", "lead"):
        figures = run["embedded_rest"][query]
        assert figures["requests"] == 50 and figures["errors"] == 0
        assert 0 < figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]
    # Neo4j is measured when a server answers, and says why not otherwise
    load = run["neo4j_load"]
    if load["status"] == "ok":
        assert load["entities_per_s"] > 0 and run["neo4j_rest"]["lineage"]["errors"] == 0
    else:
        assert load["status"].startswith("skipped") and run["neo4j_rest"] is None


def test_corpus_is_deterministic_and_shaped_like_the_seeds() -> None:
    first = list(synthetic.generate(30, seed=3))
    assert first == list(synthetic.generate(30, seed=3))
    assert first != list(synthetic.generate(30, seed=4))
    text = "\n".join(t for _, t in first)
    for marker in ("印发给你们", "贯彻落实《", "牵头单位 |", "按职责分工负责)", "到20", "〔20"):
        assert marker in text, marker
    assert len({name for name, _ in first}) == 30


def test_bench_load_runs_and_reports(tmp_path: Path) -> None:
    """`policykg bench-load`, bounded to one second and two clients; two worker processes."""
    out = tmp_path / "load.json"
    cmd = ["bench-load", "--seconds", "1", "--clients", "2", "--workers", "2", "--json", str(out)]
    command = [sys.executable, "-m", "policykg.cli", *cmd]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["errors"] == 0 and figures["requests"] > 0 and figures["requests_per_s"] > 0
    for kind in ("lineage", "implementations", "lead", "search"):
        assert figures[kind]["requests"] > 0 and figures[kind]["p99_ms"] > 0, kind


@pytest.mark.neo4j
def test_bench_bulk_only_measures_rest_on_the_imported_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--bulk-only`: Neo4j figures from the importer's database of its own, no Bolt load;
    `--no-embedded`: nothing measured on the embedded store (the 100k run's options)."""
    out = tmp_path / "bench.json"
    cmd = ["bench", "--docs", "20", "--requests", "20", "--no-export", "--bulk-only", "--no-embedded"]
    cmd += ["--json", str(out)]
    env = {**os.environ, "NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", "policykg-test-password")}
    proc = subprocess.run(
        [sys.executable, "-m", "policykg.cli", *cmd], capture_output=True, text=True, timeout=900, env=env
    )
    assert proc.returncode == 0, proc.stderr
    (run,) = json.loads(out.read_text(encoding="utf-8"))["runs"]
    assert run["neo4j_load"]["status"] == "skipped (--bulk-only)"
    bulk = run["neo4j_bulk"]
    assert bulk["status"] == "ok" and bulk["entities_per_s"] > 0 and "rest" not in bulk
    for query in ("lineage", "implementations", "lead", "title", "unknown"):
        figures = run["neo4j_rest"][query]
        assert figures["requests"] == 20 and figures["errors"] == 0, query
    assert "neo4j bulk load" in proc.stdout and "skipped (--bulk-only)" in proc.stdout
    assert run["embedded_ingest"]["status"] == "skipped (--no-embedded)" and run["embedded_rest"] is None
    assert run["extraction"]["docs_per_s"] > 0
