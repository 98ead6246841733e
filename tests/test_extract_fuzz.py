"""Extraction never crashes on text and stays fast on adversarial input (no catastrophic
regex backtracking): arbitrary strings, unbalanced 《》, endless brackets, huge numbers."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from policykg.ingest.extract import extract_text

POLICY_ALPHABET = (
    "《》〈〉()（）〔〕[]、，,。；;：:|\n 0123456789.%-—~号年月日"
    "市省县区局委办牵头负责按职责分工配合达到较增长关于印发的通知根据落实规划方案意见各人民政府"
)

policy_like = st.text(alphabet=POLICY_ALPHABET, max_size=400)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text(text):
    record = extract_text(text, "fuzz.txt")
    assert record.source == "fuzz.txt"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policy_like)
def test_policy_shaped_noise(text):
    for doc in extract_text(text, "fuzz.txt").documents:
        for fact in [*doc.tasks, *doc.targets, *doc.cites]:
            assert 0 <= fact.span[0] <= fact.span[1] <= len(text)


def _bounded(text: str, seconds: float) -> None:
    start = time.perf_counter()
    extract_text(text, "big.txt")
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"{elapsed:.1f}s on {len(text)} characters"


def test_one_megabyte_inputs_finish():
    # generous bounds: they catch exponential blow-ups, not slowness (benchmarks measure speed)
    _bounded("《" * 1_000_000, 60)
    _bounded("(" * 500_000 + ")" * 500_000, 60)
    _bounded("9" * 1_000_000, 60)
    _bounded("市市场监管局牵头、" * 100_000, 120)
    _bounded("根据" + "关于印发" * 200_000, 60)
    _bounded("到2025年,每万人口达到12件(市市场监管局牵头)《关于" * 25_000, 120)
