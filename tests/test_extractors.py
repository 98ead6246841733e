"""One-line tests of the pure extraction functions."""

from __future__ import annotations

import pytest
from policykg.ingest.agencies import canonical_agency
from policykg.ingest.extract import extract_text
from policykg.ingest.targets import split_glued
from policykg.ingest.tasks import parse_roles


@pytest.mark.parametrize(
    ("written", "jurisdiction", "canonical"),
    [
        ("市市场监管局(市知识产权局)", "遵义市", "遵义市市场监督管理局"),
        ("市发改委", "保定市", "保定市发展和改革委员会"),
        ("各县(市、区)人民政府", "遵义市", "遵义市各县(市、区)人民政府"),
        ("人行保定中心支行", "保定市", "中国人民银行保定中心支行"),  # named as written
        ("国家知识产权局", "遵义市", "国家知识产权局"),
        ("省市场监管局", "南京市", "江苏省市场监督管理局"),
        ("红花岗区人民政府", "遵义市", "遵义市红花岗区人民政府"),
        ("市委宣传部", "保定市", "保定市委宣传部"),
    ],
)
def test_canonical_agency(written, jurisdiction, canonical):
    assert canonical_agency(written, jurisdiction) == canonical


def test_roles_lead_and_responsible():
    roles = parse_roles("市市场监管局牵头,市发改委、市科技局等按职责分工负责", "保定市", first_leads=False)
    assert roles.lead == ["保定市市场监督管理局"]
    assert roles.responsible == ["保定市发展和改革委员会", "保定市科学技术局"]


def test_roles_without_lead_are_responsible_unless_the_document_declares_first_leads():
    phrase = "市教育局、市科技局等按职责分工负责"
    assert parse_roles(phrase, "保定市", first_leads=False).lead == []
    declared = parse_roles(phrase, "保定市", first_leads=True)
    assert declared.lead == ["保定市教育局"] and declared.responsible == ["保定市科学技术局"]


@pytest.mark.parametrize(
    ("glued", "pair"),
    [
        ("1.872.21", (1.87, 2.21)),
        ("5.749.5", (5.74, 9.5)),
        ("5585", (55, 85)),
        ("20343300", (2034, 3300)),
        ("15", (1, 5)),
    ],
)
def test_split_glued_baseline_and_target(glued, pair):
    assert split_glued(glued) == pair


def test_parenthetical_task_and_citation_relations():
    text = (
        "遵义市人民政府\n2022年10月21日\n遵义市知识产权示范工作方案\n"
        "为深入贯彻落实《知识产权强国建设纲要(2021-2035年)》,根据《贵州省知识产权保护条例》,制定本方案。\n"
        "一、主要任务\n(一)加强保护。严厉打击侵权假冒行为。(市市场监管局牵头,市公安局、市商务局等按职责分工负责)\n"
        "到2025年,每万人口高价值发明专利拥有量达到3件。\n"
    )
    doc = extract_text(text, "x.txt").documents[0]
    assert doc.title == "遵义市知识产权示范工作方案"
    assert doc.jurisdiction == "遵义市" and doc.level == "municipal"
    assert doc.issuers == ["遵义市人民政府"] and doc.issued_on == "2022-10-21"
    relations = {c.title: c.relation for c in doc.cites}
    assert relations == {
        "知识产权强国建设纲要(2021-2035年)": "ensures_implementation_of",
        "贵州省知识产权保护条例": "based_on",
    }
    (task,) = doc.tasks
    assert "严厉打击侵权假冒行为" in task.text
    assert task.lead == ["遵义市市场监督管理局"]
    assert task.responsible == ["遵义市公安局", "遵义市商务局"]
    (target,) = doc.targets
    assert (target.indicator, target.value, target.unit, target.target_year) == (
        "每万人口高价值发明专利拥有量",
        3,
        "件",
        2025,
    )


def test_repeals_are_not_cites():
    text = "苏州市某办法\n第十条 本办法自2021年起实施。《苏州市旧办法》(苏财科字〔2009〕88号)同时废止。"
    doc = extract_text(text, "x.txt").documents[0]
    assert [(r.title, r.doc_number) for r in doc.repeals] == [("苏州市旧办法", "苏财科字〔2009〕88号")]
    assert doc.cites == []


def test_listing_page_splits_documents():
    text = (
        "我们为您找到2条结果\n  • 【国家级】甲纲要\n\n  正文一。\n"
        "  • 【江苏省级】江苏省乙办法\n\n  正文二。\n"
    )
    docs = extract_text(text, "x.txt").documents
    assert [(d.title, d.jurisdiction, d.level) for d in docs] == [
        ("甲纲要", "中国", "national"),
        ("江苏省乙办法", "江苏省", "provincial"),
    ]


def test_labelled_unit_lines_and_sentence_roles():
    text = (
        "南京市知识产权保护工作方案\n一、重点任务\n（一）加强保护\n1.严格行政执法。开展专项行动，打击侵权假冒。\n"
        "牵头单位：市市场监管局\n配合单位：市公安局、市商务局\n"
        "2.推进司法保护。由市中级人民法院牵头，市检察院、市公安局配合，完善审判机制。\n"
    )
    tasks = extract_text(text, "x.txt").documents[0].tasks
    assert [(t.lead, t.responsible) for t in tasks] == [
        (["南京市市场监督管理局"], ["南京市公安局", "南京市商务局"]),
        (["南京市中级人民法院"], ["南京市人民检察院", "南京市公安局"]),
    ]
    assert tasks[0].text.startswith("1.严格行政执法") and tasks[0].section == "一/（一）/1"


def test_indicator_table_without_serial_numbers():
    text = (
        "南京市知识产权发展规划(2021-2025年)\n主要指标\n指标 |\n2020年 |\n2025年 |\n属性 |\n"
        "每万人口高价值发明专利拥有量（件） |\n10.5 |\n20 |\n预期性 |\n"
    )
    (target,) = extract_text(text, "x.txt").documents[0].targets
    assert (
        target.indicator,
        target.value,
        target.unit,
        target.baseline,
        target.baseline_year,
        target.target_year,
    ) == ("每万人口高价值发明专利拥有量", 20, "件", 10.5, 2020, 2025)


def test_transmittal_header_number_joint_signature_and_short_name():
    text = (
        "南京市人民政府办公厅关于印发南京市知识产权强市建设实施方案的通知\n宁政办发〔2022〕12号\n"
        "现将《南京市知识产权强市建设实施方案》印发给你们，请认真贯彻执行。\n中共南京市委办公厅\n南京市人民政府办公厅\n"
        "2022年3月1日\n南京市知识产权强市建设实施方案\n"
        "为贯彻落实《知识产权强国建设纲要（2021－2035年）》（以下简称《纲要》），制定本方案。\n"
    )
    doc = extract_text(text, "x.txt").documents[0]
    assert doc.doc_number == "宁政办发〔2022〕12号"
    assert doc.issuers == ["中共南京市委办公厅", "南京市人民政府办公厅"] and doc.issued_on == "2022-03-01"
    assert [c.title for c in doc.cites] == ["知识产权强国建设纲要（2021－2035年）"]


def test_a_verb_governs_only_titles_it_stands_before():
    text = (
        "某纲要\n根据实际及时修改专利法、商标法。根据国家“十四五”知识产权规划和《江苏省某条例》,制定本规划。"
    )
    relations = {c.title: c.relation for c in extract_text(text, "x.txt").documents[0].cites}
    assert relations == {
        "专利法": "cites",
        "商标法": "cites",
        "国家“十四五”知识产权规划": "based_on",
        "江苏省某条例": "based_on",
    }
