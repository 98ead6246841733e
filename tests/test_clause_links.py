"""The task → clause linker (ingest/clause_links.py) on made-up texts, and its floor on the
hand-labelled set (corpus/clause-links/labels.json).

The made-up provisions and tasks are invented for the test (临江市, 《临江纲要》); none is taken
from a corpus document.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from policykg.ingest.clause_links import (
    FEATURES,
    NOT_A_MEASURE,
    THRESHOLD,
    WEIGHTS,
    ClauseText,
    TaskText,
    context_of,
    features,
    link_tasks,
)
from policykg.ingest.link_eval import LABELS, choose_threshold, evaluate, fit, held_out, load

from policykg.records import Clause

PARENT = [
    ClauseText("p1", "一", "总体要求", "一、总体要求"),
    ClauseText("p1a", "一/（一）", "发展目标", "（一）发展目标。到2030年，茶叶产量翻一番。"),
    ClauseText("p2", "二", "重点任务", "二、重点任务"),
    ClauseText(
        "p2a", "二/（二）", "壮大茶叶产业", "（二）壮大茶叶产业。建设生态茶园，培育茶叶品牌，发展茶叶深加工。"
    ),
    ClauseText(
        "p2b", "二/（三）", "完善冷链物流", "（三）完善冷链物流。建设冷库和冷藏车队，布局冷链集散中心。"
    ),
    ClauseText("p2c", "二/（四）", "加强人才培养", "（四）加强人才培养。开展农技人员培训，引进电商人才。"),
]


def links(*texts: str, **kw) -> list[tuple[str, str, str]]:
    tasks = [TaskText(f"t{i}", t) for i, t in enumerate(texts)]
    return [(x.task, x.clause, x.evidence) for x in link_tasks(PARENT, tasks, **kw)]


def test_similar_task_links_to_its_measure_only():
    assert links("新建生态茶园五千亩，打造临江茶叶品牌，扶持茶叶深加工企业。") == [
        ("t0", "p2a", "similarity")
    ]


def test_task_about_nothing_in_the_parent_is_not_linked():
    assert links("修缮县城老旧小区的供水管网。") == []


def test_numbered_reference_to_the_parent_is_evidence():
    found = link_tasks(PARENT, [TaskText("t", "按照《临江纲要》第（三）条要求，推进本县相关工作。")])
    first = found[0]
    assert (first.clause, first.evidence, first.score, first.quote) == (
        "p2b",
        "reference",
        1.0,
        "《临江纲要》第（三）条",
    )


def test_reference_to_another_document_is_not_taken_when_titles_are_given():
    task = TaskText("t", "按照《临江县财政办法》第三条规定拨付资金。")
    assert [x.evidence for x in link_tasks(PARENT, [task], titles=["临江纲要"])] == []
    assert [x.clause for x in link_tasks(PARENT, [task])] == ["p2b"]


def test_quoted_heading_is_evidence():
    found = link_tasks(PARENT, [TaskText("t", "落实“完善冷链物流”要求，本县先行试点。")])
    assert [(x.clause, x.evidence, x.quote) for x in found] == [("p2b", "reference", "完善冷链物流")]


def test_goals_and_parts_with_sub_provisions_are_no_candidates_for_similarity():
    found = links("到2030年茶叶产量翻一番，总体要求明确。", threshold=0.0)
    assert {c for _, c, _ in found} <= {"p2a", "p2b", "p2c"}


def test_context_headings_lead_a_terse_task_to_its_measure():
    terse = TaskText("t", "每年组织两期会议。")  # no word of any measure
    with_context = TaskText("t", "每年组织两期会议。", context="加强人才培养 引进电商人才")
    assert link_tasks(PARENT, [terse]) == []
    found = link_tasks(PARENT, [with_context])
    assert [x.clause for x in found] == ["p2c"]
    assert found[0].quote == "加强人才培养、引进电商人才"


def test_a_similarity_is_never_scored_as_a_reference():
    found = link_tasks(PARENT, [TaskText("t", "新建生态茶园，打造茶叶品牌，扶持茶叶深加工企业。")])
    assert [(x.clause, x.evidence) for x in found] == [("p2a", "similarity")]
    assert THRESHOLD <= found[0].score < 1.0


def test_the_page_counts_measures_by_the_linker_s_own_rule():
    config = Path(__file__).parent.parent / "api" / "static" / "js" / "config.js"
    js = re.search(r"export const NOT_A_MEASURE = /(.+)/;", config.read_text(encoding="utf-8"))
    assert js and js.group(1) == NOT_A_MEASURE.pattern


def test_context_of_takes_the_headings_that_hold_a_position():
    clauses = [Clause("一", "一", "重点任务", (0, 50)), Clause("一/（一）", "（一）", "壮大产业", (5, 30))]
    assert context_of(clauses, 10) == "重点任务 壮大产业"
    assert context_of(clauses, 40) == "重点任务"
    assert context_of(clauses, 60) == ""


def test_scores_are_between_0_and_1_and_threshold_is_kept():
    tasks = [TaskText("a", "建设冷库，布局冷链集散中心。"), TaskText("b", "培育茶叶品牌。")]
    found = link_tasks(PARENT, tasks, threshold=0.0)
    assert found and all(0.0 <= x.score <= 1.0 for x in found)
    assert all(x.score >= THRESHOLD for x in link_tasks(PARENT, tasks))


def test_no_clauses_or_no_tasks_give_no_links():
    assert link_tasks([], [TaskText("t", "培育茶叶品牌。")]) == []
    assert link_tasks(PARENT, []) == []


MIXED = [
    TaskText("a", "建设冷库，布局冷链集散中心。", "完善冷链物流"),
    TaskText("b", "培育茶叶品牌，打造临江茶叶。", "壮大茶叶产业"),
    TaskText("c", "no Chinese at all"),
    TaskText("d", "引进电商人才，开展农技人员培训。", "完善冷链物流"),
    TaskText("e", "修缮县城老旧小区的供水管网。", ""),
]


def test_a_document_s_tasks_are_scored_together_exactly_as_each_alone():
    # the linker computes all of a document's tasks in one set of arrays: no task's features
    # may depend on which others share them, to the last bit
    leaves, together = features(PARENT, MIXED)
    alone = [features(PARENT, [task])[1][0] for task in MIXED]
    assert [c.key for c in leaves] == ["p2a", "p2b", "p2c"]
    assert together == alone
    assert link_tasks(PARENT, MIXED) == [x for t in MIXED for x in link_tasks(PARENT, [t])]


def test_text_cosine_is_the_plain_sum_over_shared_n_grams():
    # the arrays against the plain dictionaries the quotes are drawn from: each cosine is the
    # sum, in the task's n-gram order, of its weights times the provision's
    from policykg.ingest.clause_links import _candidates

    candidates = _candidates(tuple(PARENT))
    _, rows = features(PARENT, MIXED)
    at = FEATURES.index("text_value")
    for task, row in zip(MIXED, rows, strict=True):
        v = candidates.words.vector(task.text)
        expected = [sum(x * w.get(g, 0.0) for g, x in v.items()) for w in candidates.whole]
        assert [f[at] for f in row] == expected
    assert any(f[at] > 0 for row in rows for f in row)


# -- the labelled set ------------------------------------------------------------------------


def test_labelled_set_is_large_enough_and_has_both_kinds_of_pairs():
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    labelled = load()
    assert labelled.documents >= 3 and len(data["documents"]) >= 3
    assert labelled.pairs >= 100
    assert 0 < len(labelled.gold) < labelled.pairs  # positives and negatives
    assert any(not item["clauses"] for doc in data["documents"] for item in doc["items"])


def test_linker_keeps_its_floor_on_the_labelled_set():
    (score,) = evaluate(load())
    # figures at THRESHOLD, reported in README ("Clause links"): the goal, precision
    # >= 0.85 at recall >= 0.6, on the set the weights and threshold were fitted on
    assert score.precision >= 0.85
    assert score.recall >= 0.60


def test_weights_and_threshold_are_the_ones_the_labelled_set_gives():
    labelled = load()
    weights = fit(labelled)
    assert len(WEIGHTS) == len(weights) == 1 + len(FEATURES)
    assert weights == pytest.approx(WEIGHTS, abs=1e-4), "refit: policykg eval --links --fit"
    links = link_tasks(labelled.clauses, labelled.tasks, threshold=0.0, titles=labelled.titles)
    assert choose_threshold(links, labelled.gold) == THRESHOLD


def test_weights_and_threshold_fitted_on_two_documents_hold_on_the_third():
    parts = held_out(load())
    assert len(parts) >= 3
    predicted = sum(s.predicted for _, s in parts)
    correct = sum(s.correct for _, s in parts)
    gold = sum(s.gold for _, s in parts)
    # README: 0.848 / 0.622 pooled (0.814 / 0.585 before the heading cosine), just below the
    # goal's precision (the in-sample figure is optimistic)
    assert correct / predicted >= 0.84 and correct / gold >= 0.60


def _eval_links(*args: str) -> str:
    """stdout of `policykg eval --links ARGS` in a process of its own."""
    command = [sys.executable, "-m", "policykg.cli", "eval", "--links", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_eval_command_prints_the_figures():
    figures = json.loads(_eval_links("--json"))
    assert figures["threshold"] == THRESHOLD and figures["precision"] >= 0.85


def test_eval_command_prints_the_fitted_weights():
    out = _eval_links("--fit")
    assert f"THRESHOLD = {THRESHOLD}" in out and out.count("  # ") == len(WEIGHTS)
    assert out.rstrip().endswith("# the same as ingest/clause_links.py")


@pytest.mark.parametrize(
    ("content", "problem"),
    [("{", "cannot read"), ('{"parent": "national_ip_power_outline_2021.txt"}', "missing or malformed")],
)
def test_bad_labelled_set_is_a_clear_error(tmp_path, content, problem):
    bad = tmp_path / "labels.json"
    bad.write_text(content, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "policykg.cli", "eval", "--links", str(bad)], capture_output=True, text=True
    )
    assert run.returncode == 1 and str(bad) in run.stderr and problem in run.stderr
    assert "Traceback" not in run.stderr
