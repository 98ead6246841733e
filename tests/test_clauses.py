"""Clauses (numbered provisions) and task sections, on made-up one-line texts.

Every heading and sentence here is invented for the test; none is taken from a corpus document.
"""

from __future__ import annotations

import pytest
from policykg.ingest.clauses import Clause, clause_at, extract_clauses, section_at, sections
from policykg.ingest.extract import extract_text

from policykg.records import ExtractionRecord


def paths(text: str) -> list[tuple[str, str, str, int]]:
    return [(c.path, c.number, c.heading, c.level) for c in extract_clauses(text)]


def test_plan_levels_nest_into_paths():
    text = (
        "一、总体要求\n（一）指导思想。坚持创新。\n二、重点任务\n（一）加强保护。\n"
        "1.严格执法。依法打击。\n2.完善调解。"
    )
    assert paths(text) == [
        ("一", "一", "总体要求", 1),
        ("一/（一）", "（一）", "指导思想", 2),
        ("二", "二", "重点任务", 1),
        ("二/（一）", "（一）", "加强保护", 2),
        ("二/（一）/1", "1", "严格执法", 3),
        ("二/（一）/2", "2", "完善调解", 3),
    ]


def test_span_holds_heading_body_and_sub_provisions():
    text = "一、甲方向\n（一）乙措施。丙丁。\n（二）戊措施。\n二、己方向"
    by_path = {c.path: c for c in extract_clauses(text)}
    assert text[by_path["一"].start : by_path["一"].end] == "一、甲方向\n（一）乙措施。丙丁。\n（二）戊措施。"
    assert text[by_path["一/（一）"].start : by_path["一/（一）"].end] == "（一）乙措施。丙丁。"
    assert text[by_path["二"].start : by_path["二"].end] == "二、己方向"


def test_articles_are_outermost_and_items_hang_under_them():
    text = (
        "## 第一章 总则\n第一条 为了测试，制定本规定。\n第二条 下列事项：\n"
        "（一）甲事项；\n（二）乙事项。\n第三条 本规定自印发之日起施行。"
    )
    assert paths(text) == [
        ("第一条", "第一条", "", 1),
        ("第二条", "第二条", "", 1),
        ("第二条/（一）", "（一）", "甲事项", 2),
        ("第二条/（二）", "（二）", "乙事项", 2),
        ("第三条", "第三条", "", 1),
    ]


def test_article_named_in_a_sentence_is_a_reference_not_a_heading():
    text = "第五条 违反本规定第三条规定的，予以纠正。"
    assert paths(text) == [("第五条", "第五条", "", 1)]


def test_bracketed_article_heading_is_kept():
    assert paths("第七条【适用范围】本办法适用于本市。") == [("第七条", "第七条", "适用范围", 1)]


def test_box_sits_beside_numbered_provisions_and_a_higher_heading_closes_it():
    text = "一、任务\n专栏1 示范工程\n1.建设示范区。\n（二）完善机制。"
    assert [c.path for c in extract_clauses(text)] == ["一", "一/专栏1", "一/专栏1/1", "一/（二）"]


def test_marker_inside_a_sentence_is_not_a_heading():
    assert paths("一、任务\n推进甲乙2.0版建设和丙（一）期工程。") == [("一", "一", "任务", 1)]


def test_long_first_sentence_is_no_heading():
    text = "（一）对在本市注册并取得发明专利授权的企业和个人按照规定给予一次性奖励并优先推荐申报有关项目。"
    assert paths(text) == [("（一）", "（一）", "", 1)]


def test_restarted_numbering_keeps_the_longest_provision():
    text = "目录\n一、甲\n二、乙\n正文\n一、甲\n这是甲的正文，较长。\n二、乙\n这是乙的正文。"
    clauses = extract_clauses(text)
    assert [c.path for c in clauses] == ["一", "二"]
    assert text[clauses[0].start : clauses[0].end] == "一、甲\n这是甲的正文，较长。"


def test_section_at_and_clause_at_agree_with_paths():
    text = "一、任务\n（一）加强保护。甲负责。\n（二）完善服务。乙负责。"
    heads = sections(text, 0, len(text))
    clauses = extract_clauses(text)
    pos = text.index("乙负责")
    assert section_at(heads, pos) == "一/（二）"
    assert clause_at(clauses, pos) == Clause(
        "一/（二）", "（二）", "完善服务", 2, text.index("（二）"), len(text)
    )
    assert section_at(heads, 0) == "一"
    assert clause_at(clauses, len(text)) is None


@pytest.mark.parametrize(
    "body",
    [
        "一、重点任务\n（一）加强执法。严厉打击侵权行为。（临江市市场监管局牵头，临江市公安局配合）",
        "第四条 临江市交通局负责本市道路的管理工作。",
    ],
)
def test_task_section_is_a_clause_path_of_its_document(body: str):
    doc = extract_text("临江市测试方案\n" + body, "made-up.txt").documents[0]
    assert doc.tasks, "the made-up task is extracted"
    clause_paths = {c.path for c in doc.clauses}
    assert all(t.section in clause_paths for t in doc.tasks)


def test_clauses_round_trip_through_the_record():
    text = "临江市测试方案\n一、任务\n（一）加强执法。"
    record = extract_text(text, "made-up.txt")
    data = record.to_dict()
    clause = data["documents"][0]["clauses"][1]
    assert (clause["path"], clause["number"], clause["heading"]) == ("一/（一）", "（一）", "加强执法")
    assert clause["span"] == [text.index("（一）"), len(text)]
    assert clause["text"] == "（一）加强执法。"  # its own words, for the linker (ingest/extract.py)
    assert ExtractionRecord.from_dict(data).to_dict() == data


def test_headings_indented_with_no_break_spaces_are_headings():
    text = "\xa0\xa0一、任务\xa0\xa0\xa0\xa0(一)加强执法。依法查处。\xa0\xa0(二)完善服务。"
    assert paths(text) == [
        ("一", "一", "任务", 1),
        ("一/(一)", "(一)", "加强执法", 2),
        ("一/(二)", "(二)", "完善服务", 2),
    ]


def test_article_between_spaces_on_a_flattened_line_is_a_heading():
    text = "第二章 管理职责        第四条  市知识产权局负责规划。        第五条  各区负责申报。"
    assert [c.path for c in extract_clauses(text)] == ["第四条", "第五条"]
