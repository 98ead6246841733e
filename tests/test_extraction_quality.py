"""Extraction quality on the sample corpus, scored by `policykg eval`'s scorer, with floors."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import GOLD, SEEDS
from policykg.ingest.evaluate import load_records, score

FLOORS = {"cites": 0.90, "task_lead": 0.90, "task_responsible": 0.90, "targets": 0.90, "documents": 1.0}


def test_seed_scores_meet_the_floors(sample_records, tmp_path):
    for record in sample_records:
        (tmp_path / (record.source.rsplit(".", 1)[0] + ".json")).write_text(
            record.to_json(), encoding="utf-8"
        )
    figures = score(load_records(GOLD), load_records(tmp_path)).as_dict()
    for relation, floor in FLOORS.items():
        assert figures[relation]["f1"] >= floor, (relation, figures[relation])
    assert all(v == 1.0 for v in figures["doc_fields"].values()), figures["doc_fields"]


def test_extract_and_eval_commands(tmp_path):
    out = tmp_path / "pred"
    run = subprocess.run(
        [sys.executable, "-m", "policykg.cli", "extract", str(SEEDS), "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "extracted 5, failed 0" in run.stdout
    assert sorted(p.name for p in out.glob("*.json")) == sorted(p.stem + ".json" for p in SEEDS.glob("*.txt"))
    run = subprocess.run(
        [sys.executable, "-m", "policykg.cli", "eval", "--pred", str(out), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(run.stdout)
    assert figures["documents"]["f1"] == 1.0
    assert figures["task_lead"]["f1"] >= 0.9


def test_every_fact_keeps_its_span(sample_records):
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for record in sample_records:
        text = texts[record.source]
        for doc in record.documents:
            assert doc.span is not None
            for fact in [*doc.cites, *doc.repeals, *doc.tasks, *doc.targets]:
                start, end = fact.span
                assert 0 <= start < end <= len(text)
                assert fact.quote is not None and text[fact.quote_start :].startswith(fact.quote[:20])
            for task in doc.tasks:
                assert text[task.span[0] : task.span[1]] == task.text
            for cite in doc.cites:
                if cite.title:
                    assert text[cite.span[0] : cite.span[1]] == cite.title
