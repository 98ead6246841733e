"""Golden files: the full extraction record (spans included) of each source is pinned.

A change in extraction output fails here until it is looked at and accepted with
    UPDATE_GOLDEN=1 pytest tests/test_golden.py
(then review `git diff tests/golden`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import SEEDS
from policykg.ingest.extract import extract_path

GOLDEN = Path(__file__).parent / "golden"
SOURCES = sorted(SEEDS.glob("*.txt")) + sorted(GOLDEN.glob("*.txt"))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_extraction_matches_golden_record(source: Path):
    record = extract_path(source).to_dict()
    expected_file = GOLDEN / (source.stem + ".expected.json")
    if os.environ.get("UPDATE_GOLDEN") == "1" or not expected_file.exists():
        expected_file.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert record == expected
