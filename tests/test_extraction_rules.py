"""One test per extraction rule, each on a made-up sentence of its own (issue 10).

Every agency, place and plan title here is invented for the test (临江市, 市交通局,
《临江市乡村振兴三年行动方案》); no sentence is taken from a corpus document. A rule the
extractor does not yet follow would be marked xfail(strict=True), so fixing it turns the mark red.
"""

from __future__ import annotations

import openpyxl
import pytest
from policykg.ingest.agencies import canonical_agency
from policykg.ingest.citations import coordinated, extract_citations
from policykg.ingest.documents import find_title, header_fields, segment
from policykg.ingest.extract import extract_path, extract_text
from policykg.ingest.quantities import QUANTITY, quantity
from policykg.ingest.tables import find_paragraph_tables, find_row_tables
from policykg.ingest.targets import extract_targets, same_target
from policykg.ingest.tasks import parse_roles, row_table_tasks

from policykg.records import Target

CITY = "临江市"
TITLE = "临江市城乡交通提升行动方案"


def city(*units: str) -> list[str]:
    """Canonical names of 临江市 bureaus: city("交通局") == ["临江市交通局"]."""
    return [CITY + u for u in units]


def roles(phrase: str, jurisdiction: str = CITY, first_leads: bool = False) -> tuple[list[str], list[str]]:
    r = parse_roles(phrase, jurisdiction, first_leads)
    return r.lead, r.responsible


def doc_tasks(body: str) -> list[tuple[str, list[str], list[str]]]:
    doc = extract_text(f"{TITLE}\n{body}", "made-up.txt").documents[0]
    return [(t.text, t.lead, t.responsible) for t in doc.tasks]


# -- units and their roles -----------------------------------------------------------------

ROLE_PHRASES = [
    ("市交通局负责", city("交通局"), []),
    ("牵头单位：市交通局，配合单位：市财政局、市水利局", city("交通局"), city("财政局", "水利局")),
    ("市交通局、市财政局负责", [], city("交通局", "财政局")),
    ("市交通局、市财政局按职责分工负责", [], city("交通局", "财政局")),
    ("市交通局牵头，市财政局、市水利局按职责分工负责", city("交通局"), city("财政局", "水利局")),
    ("市交通局牵头，市财政局参与", city("交通局"), city("财政局")),
    ("责任单位：市交通局、市财政局，各县区人民政府", [], city("交通局", "财政局", "各县区人民政府")),
    (
        "市交通局、市财政局等和各镇(街)人民政府(办事处)负责",
        [],
        city("交通局", "财政局", "各镇(街)人民政府(办事处)"),
    ),
    pytest.param(
        "牵头单位：市交通局，配合单位：市财政局、市水利局，各区、县级市",
        city("交通局"),
        city("财政局", "水利局", "各区、县级市"),
        id="collective-kept-whole",
    ),
    pytest.param(
        "市交通局指导", city("交通局"), [], id="lone-guides-leads",
    ),
    pytest.param(
        "市交通局、市财政局指导", [], city("交通局", "财政局"), id="several-guide",
    ),
    pytest.param(
        "市交通局指导，市财政局负责落实", city("交通局"), city("财政局"), id="guide-carry",
    ),
    pytest.param(
        "市交通局、市财政局等有关部门按职责分工负责", [], city("交通局", "财政局"), id="and-others",
    ),
    pytest.param(
        "责任单位：市交通局、市工商联、团市委，各区、县(市)人民政府",
        [],
        [*city("交通局", "工商业联合会"), "共青团临江市委员会", *city("各区人民政府", "各县(市)人民政府")],
        id="people's-organisations-and-a-bracketed-collective",
    ),
    pytest.param(
        "责任单位：市交通局，各市、州、县人民政府",
        [],
        city("交通局", "各市、州、县人民政府"),
        id="各-over-a-list-of-kinds-is-one-collective",
    ),
    pytest.param(
        "责任单位：市交通局，各市〔州〕、各县〔市、区〕人民政府",
        [],
        city("交通局", "各市(州)人民政府", "各县(市、区)人民政府"),
        id="square-brackets-and-two-collectives-sharing-a-government",
    ),
    pytest.param(
        "牵头部门：市交通局；配合部门：市财政局；落实单位：各物流企业",
        city("交通局"),
        city("财政局", "各物流企业"),
        id="落实单位",
    ),
    pytest.param(
        "市交通局、市财政局牵头负责、市水利局、市商务局按职责牵头负责，各区政府组织落实",
        city("交通局", "财政局", "水利局", "商务局"),
        city("各区政府"),
        id="two-groups-lead-and-组织落实",
    ),
    pytest.param(
        "配合单位：市交通局、各街镇、开发区",
        [],
        city("交通局", "各街镇", "开发区"),
        id="a-zone-is-its-own-unit",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("phrase", "lead", "responsible"), ROLE_PHRASES)
def test_roles_of_a_unit_phrase(phrase, lead, responsible):
    assert roles(phrase) == (lead, responsible)


def test_two_kinds_of_place_share_one_government():
    assert roles("责任单位：省交通运输厅，市州、县市区人民政府负责落实", "湖南省") == (
        [],
        ["湖南省交通运输厅", "湖南省市州人民政府", "湖南省县市区人民政府"],
    )


def test_and_other_departments_adds_no_unit():
    assert roles("市交通局等有关部门牵头") == (city("交通局"), [])


def test_declared_first_unit_leads():
    assert roles("市交通局、市财政局按职责分工负责", first_leads=True) == (city("交通局"), city("财政局"))


def test_units_and_provincial_governments_split_in_a_national_document():
    assert roles("发展改革委、科技部等和各省级人民政府负责", "中国") == (
        [],
        ["国家发展和改革委员会", "科学技术部", "各省级人民政府"],
    )


@pytest.mark.parametrize(
    ("written", "jurisdiction", "canonical"),
    [
        ("发展改革委", "中国", "国家发展和改革委员会"),
        ("人力资源社会保障部", "中国", "人力资源和社会保障部"),
        ("科技部", "中国", "科学技术部"),
        ("市发改委", CITY, "临江市发展和改革委员会"),
        ("发改委", CITY, "临江市发展和改革委员会"),
        ("人行临江中支", CITY, "中国人民银行临江市中心支行"),
        ("示范区财政局", "青溪示范区", "青溪示范区财政局"),
        ("市科学院", "济源示范区", "济源市科学院"),  # a zone named by its city (a real place)
        ("高新技术产业开发区", "济源示范区", "济源高新技术产业开发区"),
        ("常德经开区管委会", "常德市", "常德经开区管委会"),  # a zone named by its city (real places)
        ("各镇(街)人民政府(办事处)", CITY, "临江市各镇(街)人民政府(办事处)"),
        ("滨江新城公司", CITY, "滨江新城公司"),
        ("人民银行临江中心支行", CITY, "中国人民银行临江中心支行"),
        ("市精神文明办", CITY, "临江市精神文明建设委员会办公室"),
        ("人行临江营管部", CITY, "中国人民银行临江营业管理部"),
        ("州交通运输局", "楚雄州", "楚雄州交通运输局"),
        ("县交通运输局", "武宁县", "武宁县交通运输局"),
        ("区交通运输局", "红花岗区", "遵义市红花岗区交通运输局"),
    ],
)
def test_canonical_agency_names(written, jurisdiction, canonical):
    assert canonical_agency(written, jurisdiction) == canonical


def test_several_parentheticals_each_cover_the_sentences_before():
    body = (
        "一、重点任务\n（一）改造农村公路。完成路面硬化。（市交通局负责）"
        "推广公交进村。（市财政局牵头，市农业农村局配合）\n"
    )
    assert doc_tasks(body) == [
        ("（一）改造农村公路。完成路面硬化。", city("交通局"), []),
        ("推广公交进村。", city("财政局"), city("农业农村局")),
    ]


def test_units_in_square_and_lenticular_brackets():
    body = (
        "一、重点任务\n（一）改造农村公路。完成路面硬化。〔市交通局牵头〕\n"
        "（二）修缮站场。更新候车亭。【市住建局牵头，市财政局配合】\n"
    )
    assert [(lead, resp) for _, lead, resp in doc_tasks(body)] == [
        (city("交通局"), []),
        (city("住房和城乡建设局"), city("财政局")),
    ]


def test_unit_bracket_on_its_own_line_covers_the_paragraph_above():
    body = "一、重点任务\n（一）改造农村公路。完成路面硬化，推广公交进村。\n（市交通局牵头，市财政局配合）\n"
    assert doc_tasks(body) == [
        ("（一）改造农村公路。完成路面硬化，推广公交进村。", city("交通局"), city("财政局"))
    ]


def test_labelled_unit_lines_with_a_blank_line_between():
    body = (
        "一、重点任务\n（一）改造农村公路。完成路面硬化。\n牵头单位：市交通局\n\n"
        "责任单位：市财政局、市住建局\n"
    )
    assert [(lead, resp) for _, lead, resp in doc_tasks(body)] == [
        (city("交通局"), city("财政局", "住房和城乡建设局"))
    ]


def test_a_unit_leads_and_others_share_in_a_sentence():
    body = "一、重点任务\n（一）改造农村公路。市交通局牵头，市财政局、市住建局按职责分工负责。\n"
    assert [(lead, resp) for _, lead, resp in doc_tasks(body)] == [
        (city("交通局"), city("财政局", "住房和城乡建设局"))
    ]


@pytest.mark.parametrize("rule", ["列第一位者为牵头单位", "排序第一的责任单位为牵头单位"])
def test_document_rule_first_unit_leads(rule):
    body = f"{rule}。\n一、重点任务\n（一）改造农村公路。完成路面硬化。（市交通局、市财政局按职责分工负责）\n"
    assert [(lead, resp) for _, lead, resp in doc_tasks(body)] == [(city("交通局"), city("财政局"))]


def test_units_declared_for_every_later_task():
    body = (
        "一、重点任务\n以下均需各县区人民政府落实，不再列出。\n"
        "（一）改造农村公路。完成路面硬化。（市交通局负责）\n（二）修缮站场。更新候车亭。（市住建局负责）\n"
    )
    assert [(lead, resp) for _, lead, resp in doc_tasks(body)] == [
        (city("交通局"), city("各县区人民政府")),
        (city("住房和城乡建设局"), city("各县区人民政府")),
    ]


# -- task tables ---------------------------------------------------------------------------


def table_tasks(text: str) -> list[tuple[str, list[str], list[str]]]:
    return [
        (t.text, t.lead, t.responsible)
        for table in find_row_tables(text)
        for t in row_table_tasks(text, table, CITY, first_leads=False)
    ]


TWO_ROWS = [
    ("改造农村公路危桥", city("交通局"), city("财政局")),
    ("建设乡镇客运站", city("水利局"), city("交通局")),
]


@pytest.mark.parametrize(
    "text",
    [
        "序号 | 工作任务 | 牵头单位 | 配合单位\n"
        "1 | 改造农村公路危桥 | 市交通局 | 市财政局\n"
        "2 | 建设乡镇客运站 | 市水利局 | 市交通局\n",
        "| 重点任务 | 牵头部门 | 协办单位 |\n|---|---|---|\n"
        "| 改造农村公路危桥 | 市交通局 | 市财政局 |\n"
        "| 建设乡镇客运站 | 市水利局 | 市交通局 |\n",
        "工作任务\t牵头单位\t配合单位\n改造农村公路危桥\t市交通局\t市财政局\n建设乡镇客运站\t市水利局\t市交通局\n",
    ],
    ids=["pipes", "markdown", "tabs"],
)
def test_task_table_shapes(text):
    assert table_tasks(text) == TWO_ROWS


def test_a_table_written_one_cell_a_paragraph():
    # cells wrapped over lines, the header again on a new page, the table ends at a heading
    text = (
        "附件：重点任务分解表\n\n序号\n\n任务类型\n\n工作任务\n\n牵头单位\n\n配合单位\n\n"
        "1\n\n道路\n养护\n\n改造农村公路危桥，\n更新护栏。\n\n市交通局\n\n市财政局、\n市水利局\n\n"
        "序号\n\n任务类型\n\n工作任务\n\n牵头单位\n\n配合单位\n\n"
        "2\n\n客运\n\n建设乡镇客运站。\n\n市水利局\n\n市交通局\n\n"
        "二、保障措施\n\n加强组织领导。\n"
    )
    (table,) = find_paragraph_tables(text)
    assert [c.text for c in table.header] == ["序号", "任务类型", "工作任务", "牵头单位", "配合单位"]
    assert [[c.text for c in row] for row in table.rows] == [
        ["1", "道路养护", "改造农村公路危桥，更新护栏。", "市交通局", "市财政局、市水利局"],
        ["2", "客运", "建设乡镇客运站。", "市水利局", "市交通局"],
    ]
    assert text[table.rows[0][2].start : table.rows[0][2].end] == "改造农村公路危桥，\n更新护栏。"
    assert [
        (t.text, t.lead, t.responsible, t.section) for t in row_table_tasks(text, table, CITY, False)
    ] == [
        ("改造农村公路危桥，更新护栏。", city("交通局"), city("财政局", "水利局"), "道路养护"),
        ("建设乡镇客运站。", city("水利局"), city("交通局"), "客运"),
    ]


def test_a_column_of_task_kinds_is_not_the_task_and_the_unit_exercising_a_power_leads():
    text = "序号 | 事项类别 | 权力事项 | 行使主体\n1 | 管理 | 负责农村公路的具体管理 | 市交通局\n"
    assert table_tasks(text) == [("负责农村公路的具体管理", city("交通局"), [])]


def test_csv_table_with_quoted_commas_and_a_responsible_column():
    text = '序号,工作任务,责任部门\n1,"改造危桥,更新护栏",市交通局\n2,建设乡镇客运站,"市水利局,市财政局"\n'
    assert table_tasks(text) == [
        ("改造危桥,更新护栏", [], city("交通局")),
        ("建设乡镇客运站", [], city("水利局", "财政局")),
    ]


def test_a_responsible_department_column_counts_like_a_lone_responsible():
    text = "序号\t工作任务\t负责部门\n1\t改造农村公路危桥\t市交通局\n2\t建设乡镇客运站\t市水利局、市财政局\n"
    assert table_tasks(text) == [
        ("改造农村公路危桥", city("交通局"), []),
        ("建设乡镇客运站", [], city("水利局", "财政局")),
    ]


def test_an_empty_unit_cell_continues_the_cell_above():
    text = (
        "序号 | 工作任务 | 牵头单位 | 配合单位\n"
        "1 | 改造农村公路危桥 | 市交通局 | 市财政局\n"
        "2 | 建设乡镇客运站 |  | 市水利局\n"
    )
    assert table_tasks(text)[1] == ("建设乡镇客运站", city("交通局"), city("水利局"))


def test_xlsx_task_table_with_a_merged_cell(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([f"{TITLE}任务分解表"])
    sheet.append(["序号", "工作任务", "牵头单位", "配合单位"])
    sheet.append([1, "改造农村公路危桥", "市交通局", "市财政局"])
    sheet.append([2, "建设乡镇客运站", None, "市水利局"])
    sheet.merge_cells("C3:C4")  # one 牵头单位 cell for both tasks
    book.save(tmp_path / "临江市任务表.xlsx")
    (doc,) = extract_path(tmp_path / "临江市任务表.xlsx").documents
    assert [(t.text, t.lead, t.responsible) for t in doc.tasks] == [
        ("改造农村公路危桥", city("交通局"), city("财政局")),
        ("建设乡镇客运站", city("交通局"), city("水利局")),
    ]


# -- targets -------------------------------------------------------------------------------


def targets(sentence: str) -> list[tuple[str, float | None, str | None]]:
    return [
        (t.indicator, t.value, t.unit) for t in extract_targets(sentence, 0, len(sentence), None, None, [])
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("到2025年，每万户家庭宽带接入量达到12件。", [("每万户家庭宽带接入量", 12, "件")]),
        ("到2026年，乡镇客运站覆盖率达到95%以上。", [("乡镇客运站覆盖率", 95, "%")]),
        ("到2026年，农村物流网点不少于200个。", [("农村物流网点", 200, "个")]),
        ("到2026年，城乡公交线路里程达到300公里左右。", [("城乡公交线路里程", 300, "公里")]),
        ("到2026年，新增3-5个县级物流园区。", [("县级物流园区", 3, "个")]),
        ("到2026年，建成一万家乡村便民驿站。", [("乡村便民驿站", 10000, "家")]),
        ("到2026年，客运周转量增长百分之十三。", [("客运周转量", 13, "%")]),
        ("到2026年，全市交通投资达到两千万元。", [("全市交通投资", 2000, "万元")]),
        ("到2026年，建设30家创新中心。", [("创新中心", 30, "家")]),
        (
            "到2026年，新增示范企业1000家、试点单位20个。",
            [("新增示范企业", 1000, "家"), ("新增试点单位", 20, "个")],
        ),
        ("到2026年，县道、乡道覆盖率分别达到60%和70%。", [("县道覆盖率", 60, "%"), ("乡道覆盖率", 70, "%")]),
        ("到2026年，县道、乡道覆盖率均达到80%。", [("县道覆盖率", 80, "%"), ("乡道覆盖率", 80, "%")]),
        ("全年粮食产量500万吨以上。", [("粮食产量", 500, "万吨")]),
    ],
)
def test_targets_of_a_goal_sentence(sentence, expected):
    assert targets(sentence) == expected


def test_target_year_comes_from_the_sentence():
    (target,) = extract_targets(s := "到2027年，农村公路优良路率达到85%。", 0, len(s), None, None, [])
    assert target.target_year == 2027


@pytest.mark.parametrize(
    "sentence",
    [
        "截至2023年，全市农村公路里程已达5000公里。",
        "对认定的示范企业给予最高500万元补助。",
        "对投资额1亿元以上的项目优先保障用地。",
        "项目资本金比例应当不低于20%。",
        "3年内完成全部危桥改造。",
    ],
    ids=["past", "paid", "threshold", "rule", "duration"],
)
def test_not_a_target(sentence):
    assert targets(sentence) == []


def test_chinese_numeral_quantity():
    assert quantity(QUANTITY.search("筹集两千万元")) == (2000, "万元")


# -- citations -----------------------------------------------------------------------------


def cites(sentence: str) -> list[tuple[str | None, str | None, str]]:
    found, _repeals = extract_citations(sentence, 0, len(sentence), None, None)
    return [(c.title, c.doc_number, c.relation) for c in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "根据《临江市农村公路管理办法》（临政发〔2021〕7号），制定本方案。",
            [("临江市农村公路管理办法", "临政发〔2021〕7号", "based_on")],
        ),
        ("推动修改专利法，强化侵权惩处。", [("专利法", None, "cites")]),
        (
            "贯彻落实《临江市乡村振兴三年行动方案》《临江市数字乡村建设方案》，制定本方案。",
            [
                ("临江市乡村振兴三年行动方案", None, "ensures_implementation_of"),
                ("临江市数字乡村建设方案", None, "ensures_implementation_of"),
            ],
        ),
        ("推进《临江市综合交通规划》实施。", [("临江市综合交通规划", None, "ensures_implementation_of")]),
        ("参照《临江市政府投资项目管理办法》执行。", [("临江市政府投资项目管理办法", None, "applies")]),
        (
            "按《临江市财政专项资金管理办法》规定拨付资金。",
            [("临江市财政专项资金管理办法", None, "based_on")],
        ),
        (
            "自即日起不再执行《临江市客运补贴办法》中关于燃油补贴的规定。",
            [("临江市客运补贴办法", None, "cites")],
        ),
        (
            "近年来，我市相继出台《临江市公交优先发展意见》，成效明显。",
            [("临江市公交优先发展意见", None, "cites")],
        ),
    ],
)
def test_citations(sentence, expected):
    assert cites(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "relation"),
    [
        ("政策依据：市政府办公厅《临江市物流补贴办法》(临府办发〔2022〕3号)", "based_on"),
        ("落实好《临江市物流补贴办法》，做好资金拨付。", "ensures_implementation_of"),
        ("按照2024年9月29日《临江市物流补贴办法》要求，调整补贴标准。", "based_on"),
        ("深入贯彻落实市交通局等部门印发的《临江市物流补贴办法》。", "ensures_implementation_of"),
    ],
    ids=["a-basis-label", "落实好", "a-date-between", "issued-by-between"],
)
def test_what_may_stand_between_a_verb_and_its_title(sentence, relation):
    assert [r for _t, _n, r in cites(sentence)] == [relation]


@pytest.mark.parametrize(
    "sentence",
    [
        "深入落实国家和省上关于促进物流发展的若干措施，激发市场活力。",
        "按照国家、省关于物流园区建设有关规定，完善配套设施。",
        "换房人与企业签订《临江市商品住房认购协议》。",
    ],
    ids=["named-by-issuer-and-topic", "named-loosely", "an-agreement-form"],
)
def test_not_a_cite(sentence):
    assert cites(sentence) == []


def test_own_doc_number_in_brackets_under_the_title():
    text = "临江市人民政府办公室关于印发临江市物流补贴办法的通知\n(临府办发〔2024〕7号)\n\n各区人民政府：\n"
    assert extract_text(text, "x.txt").documents[0].doc_number == "临府办发〔2024〕7号"


def test_a_bare_doc_number_is_a_cite():
    assert [n for _t, n, _r in cites("按照临政办〔2022〕15号文件要求，做好衔接。")] == ["临政办〔2022〕15号"]


def test_a_declared_short_name_is_the_title_it_stands_for():
    text = (
        "根据《临江市档案管理条例》（以下简称《条例》），制定本办法。"
        "各单位落实《条例》规定的职责。《临江市档案工作规划》（以下简称《规划》）同步实施。"
    )
    assert [(t, r) for t, _n, r in cites(text)] == [
        ("临江市档案管理条例", "based_on"),
        ("临江市档案工作规划", "cites"),
    ]


def test_a_plan_named_without_brackets_is_a_cite():
    assert [t for t, _n, _r in cites("深入实施乡村道路畅通行动计划，提升通达水平。")] == [
        "乡村道路畅通行动计划"
    ]


def test_coordinated_titles_are_several_cites():
    assert coordinated("甲、乙、丙污染防治行动计划") == [
        "甲污染防治行动计划",
        "乙污染防治行动计划",
        "丙污染防治行动计划",
    ]
    assert [t for t, _n, _r in cites("落实《城区、镇区、村庄环境整治行动计划》。")] == [
        "城区环境整治行动计划",
        "镇区环境整治行动计划",
        "村庄环境整治行动计划",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "研究制定《临江市客运站场管理办法》。",
        "加快推进《临江市乡村道路条例》立法进程。",
        "制定《临江市物流补贴办法》《临江市站场用地办法》等政策。",
    ],
)
def test_a_document_yet_to_be_written_is_not_a_cite(sentence):
    assert cites(sentence) == []


def test_a_short_name_is_not_a_second_cite():
    text = "为实施《临江市交通强市建设规划》（以下简称《规划》），提出如下意见。各地要对照《规划》推进工作。"
    assert [t for t, _n, _r in cites(text)] == ["临江市交通强市建设规划"]


# -- titles and header fields --------------------------------------------------------------


def title(text: str) -> str | None:
    return find_title(text, segment(text)[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("临江市乡村振兴三年行动方案\n为推进乡村全面振兴，制定本方案。\n", "临江市乡村振兴三年行动方案"),
        (
            "临江市人民政府办公室关于印发《临江市乡村振兴三年行动方案》的通知\n各区人民政府：\n现将方案印发给你们。\n",
            "临江市乡村振兴三年行动方案",
        ),
        (
            "临江市人民政府印发《临江市乡村振兴三年行动方案》\n日前，市政府印发方案。\n",
            "临江市乡村振兴三年行动方案",
        ),
        ("# 临江市乡村振兴三年行动方案\n\n为推进乡村全面振兴，制定本方案。\n", "临江市乡村振兴三年行动方案"),
        ("标题：临江市乡村振兴三年行动方案\n发布日期：2024-03-15\n\n正文。\n", "临江市乡村振兴三年行动方案"),
        ("二、实施六大工程\n（一）道路畅通工程。加快改造农村公路。\n", None),
        ("三、年度重点工作计划\n加快改造农村公路。\n", None),
        ("加快改造农村公路，提升通达水平。\n", None),
    ],
    ids=["heading", "transmittal", "news", "markdown", "field", "section", "section-doc-type", "none"],
)
def test_title(text, expected):
    assert title(text) == expected


def test_labelled_header_fields_fill_the_document():
    text = (
        "标题：临江市乡村振兴三年行动方案\n文号：临政发〔2024〕9号\n"
        "发布单位：临江市人民政府\n发布日期：2024-03-15\n\n正文。\n"
    )
    assert header_fields(text, segment(text)[0])["文号"] == "临政发〔2024〕9号"
    doc = extract_text(text, "made-up.txt").documents[0]
    assert (doc.title, doc.doc_number, doc.issuers, doc.issued_on) == (
        "临江市乡村振兴三年行动方案",
        "临政发〔2024〕9号",
        ["临江市人民政府"],
        "2024-03-15",
    )


@pytest.mark.parametrize(
    "line, issuer, day",
    [
        ("2021年6月7日 临江市市场监督管理局发布", "临江市市场监督管理局", "2021-06-07"),
        ("2019年3月2日临江市人民政府令第14号公布", "临江市人民政府", "2019-03-02"),
    ],
)
def test_a_dated_promulgation_line_under_the_heading(line, issuer, day):
    text = f"临江市档案管理办法\n\n2021年5月5日 临江市人民政府批准\n\n{line}\n\n"
    text += "第一条 为了加强档案管理，制定本办法。\n"
    doc = extract_text(text, "made-up.txt").documents[0]
    assert (doc.issuers, doc.issued_on) == ([issuer], day)


def test_a_dated_line_without_a_unit_issues_nothing():
    text = "临江市档案管理办法\n\n2021年6月7日 修订后发布\n\n第一条 为了加强档案管理，制定本办法。\n"
    assert extract_text(text, "made-up.txt").documents[0].issuers == []


def test_duties_written_unit_by_unit_under_headings():
    text = (
        "临江市乡村振兴三年行动方案\n"
        "四、职责分工\n"
        "（一）市交通局\n"
        "负责农村公路建设计划的编制和组织实施。\n"
        "（二）市财政局：负责落实农村公路养护资金。\n"
    )
    tasks = extract_text(text, "x.txt").documents[0].tasks
    assert [(t.text[:6], t.lead) for t in tasks] == [
        ("负责农村公路", ["临江市交通局"]),
        ("负责落实农村", ["临江市财政局"]),
    ]


def test_a_section_heading_is_not_a_unit():
    text = "临江市乡村振兴三年行动方案\n二、重点任务\n1.构建乡村治理新格局\n推进村级事务公开。\n"
    assert extract_text(text, "x.txt").documents[0].tasks == []


def test_a_named_plan_carried_out_without_brackets_is_a_cite():
    text = "临江市乡村振兴三年行动方案\n深化落实“绿水”提升行动计划，推进河道整治。\n"
    cites = extract_text(text, "x.txt").documents[0].cites
    assert [(c.title, c.relation) for c in cites] == [("“绿水”提升行动计划", "ensures_implementation_of")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "到2025年，全市客运总量完成800万人次以上，增长5%以上。",
            [("全市客运总量", 800, "万人次"), ("全市客运总量", 5, "%")],
        ),
        ("力争社会物流费用率不高于12%。", [("社会物流费用率", 12, "%")]),
        ("新培育认定30家以上市级物流示范企业。", [("市级物流示范企业", 30, "家")]),
    ],
    ids=["indicator-carried", "rate-ceiling", "two-verbs"],
)
def test_more_goal_shapes(sentence, expected):
    found = extract_targets(sentence, 0, len(sentence), "临江市物流发展三年行动方案", "临江市", [])
    assert [(t.indicator, t.value, t.unit) for t in found] == expected


def test_a_unit_named_as_subject_before_a_later_clause_of_duty():
    text = "临江市乡村振兴三年行动方案\n市交通局按照其职责权限，负责农村公路的日常养护。\n"
    tasks = extract_text(text, "x.txt").documents[0].tasks
    assert [t.lead for t in tasks] == [["临江市交通局"]]


def test_a_department_named_by_its_kind_in_a_regulation():
    text = "临江市农村公路条例\n第四条 市交通主管部门负责本行政区域内的农村公路工作。\n"
    tasks = extract_text(text, "x.txt").documents[0].tasks
    assert [t.lead for t in tasks] == [["临江市交通主管部门"]]


# -- rules added in the second round ------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param(
            "区交通委，各街镇\n\n《临江新城“十四五”交通\n建设行动方案》\n\n6\n",
            [("临江新城“十四五”交通建设行动方案", None, "cites")],
            id="title-wrapped-in-a-cell",
        ),
        pytest.param(
            "区交通委\n\n《关于推进临江市道路设\n施养护的行动方案》\n（临府发〔2023〕9号）\n\n序号",
            [("关于推进临江市道路设施养护的行动方案", "临府发〔2023〕9号", "cites")],
            id="number-on-the-next-line",
        ),
        pytest.param(
            "严格按照临交办〔2022〕4号《临江市物流园区准入实施方案》文件执行。",
            [("临江市物流园区准入实施方案", "临交办〔2022〕4号", "based_on")],
            id="number-before-title",
        ),
        pytest.param(
            "落实《关于支持临江市物流集群建设的若干政策(试行)》中“仓储升级”奖补条款。",
            [("关于支持临江市物流集群建设的若干政策(试行)", None, "ensures_implementation_of")],
            id="若干政策",
        ),
        pytest.param(
            "结合《临江市街道设计导则》，提升街道品质。",
            [("临江市街道设计导则", None, "cites")],
            id="导则",
        ),
        pytest.param(
            "扩能增效。实施临江港区发展规划和物流区建设规划，完善平台。",
            [
                ("临江港区发展规划", None, "ensures_implementation_of"),
                ("物流区建设规划", None, "ensures_implementation_of"),
            ],
            id="two-plans-joined",
        ),
        pytest.param(
            "认真落实冷链物流“一码通行”总体方案，做好衔接。",
            [("冷链物流“一码通行”总体方案", None, "ensures_implementation_of")],
            id="总体方案",
        ),
        pytest.param("推进建设。出台实施临江港城发展规划，推进融合。", [], id="plan-still-to-issue"),
        pytest.param(
            "为贯彻党的精神,落实中央和省委、市委经济工作会议部署和省政府《关于推动临江经济好转的若干政策措施》,坚持稳进。",
            [("关于推动临江经济好转的若干政策措施", None, "ensures_implementation_of")],
            id="other-things-carried-out-in-the-list",
        ),
        pytest.param(
            "贯彻落实新修订的《临江市商品房预售资金监管办法》，强化监管。",
            [("临江市商品房预售资金监管办法", None, "ensures_implementation_of")],
            id="新修订的",
        ),
        pytest.param(
            "稳产增产。实施中江新区发展规划，完善平台。",
            [("中江新区发展规划", None, "ensures_implementation_of")],
            id="实施-before-a-name-starting-中",
        ),
        pytest.param(
            "根据吉林省《关于临江市物流发展的指导意见》（吉交联〔2024〕3号）文件精神，制定本措施。",
            [("关于临江市物流发展的指导意见", "吉交联〔2024〕3号", "based_on")],
            id="issuer-named-by-its-place",
        ),
        pytest.param(
            "落实《临江市人才分类目录》《临江市人才待遇包》（临才发〔2022〕3号）文件精神。",
            [
                ("临江市人才分类目录", None, "ensures_implementation_of"),
                ("临江市人才待遇包", "临才发〔2022〕3号", "ensures_implementation_of"),
            ],
            id="a-numbered-title-of-any-kind",
        ),
    ],
)
def test_citation_shapes_second_round(sentence, expected):
    assert cites(sentence) == expected


def test_the_heading_line_is_not_a_cite_of_itself():
    text = "临江市实施扩大内需三年行动方案\n一、总体要求\n为扩大内需，制定本方案。\n"
    assert extract_text(text, "x.txt").documents[0].cites == []


def test_a_gazette_publication_line_gives_number_and_issuer():
    text = (
        "关于推动临江市经济运行好转的若干政策措施\n"
        "（2022年6月8日临江市人民政府临政规〔2022〕5号文发布）\n"
        "一、加大财政支持。市财政局负责。\n"
    )
    doc = extract_text(text, "x.txt").documents[0]
    assert (doc.doc_number, doc.issuers) == ("临政规〔2022〕5号", ["临江市人民政府"])


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("到2026年，物流园区规模超90亿元。", [("物流园区规模", 90, "亿元")], id="超"),
        pytest.param(
            "到2026年，物流业增加值占比比2021年提高1.8个百分点。",
            [("物流业增加值占比", 1.8, "个百分点")],
            id="比-baseline",
        ),
        pytest.param("到2026年，人均绿地面积达到12平方米。", [("人均绿地面积", 12, "平方米")], id="人均"),
        pytest.param(
            "到2026年，其他类型站点覆盖率达到30%。", [("其他类型站点覆盖率", 30, "%")], id="其他-kept"
        ),
        pytest.param(
            "到2026年，县级、乡级物流站点各200个。",
            [("县级物流站点", 200, "个"), ("乡级物流站点", 200, "个")],
            id="各-distributes",
        ),
        pytest.param(
            "力争新增30亿元物流企业2家、5亿元以上物流企业4家、国家级示范物流企业3家。",
            [
                ("新增30亿元物流企业", 2, "家"),
                ("新增5亿元以上物流企业", 4, "家"),
                ("新增国家级示范物流企业", 3, "家"),
            ],
            id="qualified-items",
        ),
        pytest.param(
            "到2025年，物流目标包括：（1）冷链仓库面积达40公顷；（2）配送站点共计7个；（3）冷链专线5条。",
            [("冷链仓库面积", 40, "公顷"), ("配送站点", 7, "个"), ("冷链专线", 5, "条")],
            id="goal-list-over-semicolons",
        ),
        pytest.param("临江港综合实力稳居全国前20位。", [("临江港综合实力", 20, "位")], id="稳居前"),
        pytest.param(
            "到2026年，物流业增加值占地区生产总值和服务业比重分别达到7%和16%。",
            [("物流业增加值占地区生产总值比重", 7, "%"), ("物流业增加值占服务业比重", 16, "%")],
            id="占-shared",
        ),
        pytest.param("至2025年，建成85座以上的口袋公园。", [("口袋公园", 85, "座")], id="以上的-counted"),
        pytest.param(
            "到2026年，建设40个物流示范网点、培育25家冷链试点企业。",
            [("物流示范网点", 40, "个"), ("冷链试点企业", 25, "家")],
            id="next-item-opens-with-a-verb",
        ),
        pytest.param(
            "到2026年，每年新招引、开工、竣工物流项目各150个。",
            [
                ("每年新招引物流项目", 150, "个"),
                ("每年开工物流项目", 150, "个"),
                ("每年竣工物流项目", 150, "个"),
            ],
            id="time-word-shared",
        ),
        pytest.param("到2026年，乡道养护覆盖率保持100%。", [("乡道养护覆盖率", 100, "%")], id="保持"),
        pytest.param(
            "到2026年，培育6个产值30亿元以上的物流园区。",
            [("产值30亿元以上的物流园区", 6, "个")],
            id="以上-inside-what-is-counted",
        ),
        pytest.param("到2026年，争取建成1所物流学院。", [("物流学院", 1, "所")], id="争取"),
        pytest.param(
            "全年完成物流培训3万人次、新增物流人才1.5万人。",
            [("物流培训", 3, "万人次"), ("新增物流人才", 1.5, "万人")],
            id="an-item's-own-新增",
        ),
        pytest.param("到2026年，建成各类充电桩25万个。", [("充电桩", 25, "万个")], id="各类"),
        pytest.param(
            "到2026年，开放滨江绿地40公顷以上。",
            [("开放滨江绿地", 40, "公顷")],
            id="a-verb-that-says-what-is-done",
        ),
        pytest.param(
            "鼓励园区聚焦冷链、仓储等，滚动开放不低于40个物流场景。",
            [("滚动开放物流场景", 40, "个")],
            id="a-kept-verb-before-the-number",
        ),
        pytest.param(
            "到2026年，新开工改造16个老旧仓库。", [("老旧仓库", 16, "个")], id="two-verbs-say-when-not-what"
        ),
        pytest.param(
            "支持企业参加超90个境外物流展会。", [("境外物流展会", 90, "个")], id="超-before-what-is-counted"
        ),
        pytest.param(
            "21.培育物流园区,引导骨干企业建立省级物流平台4家以上、市级物流平台12家以上,构建体系。",
            [("省级物流平台", 4, "家"), ("市级物流平台", 12, "家")],
            id="引导-someone-to-build",
        ),
        pytest.param(
            "到2026年，物流项目审批流程精简为3个工作日。",
            [("物流项目审批流程", 3, "个工作日")],
            id="精简为",
        ),
        pytest.param(
            "到2026年，提升完善建成8个物流示范街区。",
            [("物流示范街区", 8, "个")],
            id="verbs-before-the-count",
        ),
        pytest.param(
            "到2028年底，完成12座以上广场拆除围栏。", [("广场拆除围栏", 12, "座")], id="完成-counts"
        ),
        pytest.param(
            "奖补80万元。(责任单位:市交通局)新培育认定40家以上市级物流企业。",
            [("市级物流企业", 40, "家")],
            id="units-of-the-task-before",
        ),
    ],
)
def test_goal_shapes_second_round(sentence, expected):
    assert targets(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "对新引进的物流工程师给予4万元/人安家补贴。",
        "支持提高物流贷款标准，个人物流贷款额度提升至20万元。",
        "到2026年，比例达到40%。",
        "到2026年，市级报销比例为75%。",
        "到2026年，出让价款不低于基准价的15%。",
        "到2026年，对年销售额200万元以上的物流企业给予支持。",
        "到2026年，镇级站长应组织检查每周2次。",
        "到2026年，已收取的保证金退付50%。",
        "(二)截至2019年底，全市乡道总长315公里，渡口42处。",
    ],
    ids=["per-head-payment", "loan-ceiling", "bare-head-noun", "为", "的", "对", "应", "已", "as-of"],
)
def test_not_a_target_second_round(sentence):
    assert targets(sentence) == []


def test_a_county_document_calling_itself_我县_belongs_to_the_county_it_names():
    # made-up text: only the places are real (江西省抚州市广昌县, as the place table has it)
    text = (
        "为促进我县物流业发展，根据抚州市有关文件精神，制定如下措施：\n"
        "一、推行物流补贴。（责任单位：县交通局、广昌物流协会按职责分工负责）\n"
    )
    doc = extract_text(text, "x.txt").documents[0]
    assert (doc.jurisdiction, doc.level) == ("抚州市广昌县", "county")
    # a county's units go by the county's own name, as they are officially named (a district's
    # by its city's: 遵义市红花岗区…); a unit that starts with the county's short name names it
    assert doc.tasks[0].responsible == ["广昌县交通局", "广昌物流协会"]


def test_units_listed_after_a_description_and_before_等_lead():
    text = (
        "临江市人民政府办公室关于开展自查的通知\n一、自查内容\n"
        "各方面整改事项，由相关的市政府办公室、市交通局、市财政局等市级主管部门（单位）牵头完成整改报告。\n"
    )
    (task,) = extract_text(text, "x.txt").documents[0].tasks
    assert task.lead == city("人民政府办公室", "交通局", "财政局")


def test_a_peoples_bank_branch_written_中支():
    assert roles("市财政局、人行临江中支按职责分工负责") == (
        [],
        ["临江市财政局", "中国人民银行临江市中心支行"],
    )


def test_a_file_of_two_printed_documents_is_two_documents():
    text = (
        "各区人民政府：\n《临江市物流补贴办法》已经市人民政府同意，现印发给你们。\n临江市人民政府办公室\n"
        "临江市物流补贴办法\n一、补贴对象。（责任单位：市交通局）\n临江市人民政府办公室2024年3月1日印发\n\n"
        "各区人民政府：\n《临江市客运站管理办法》已经市人民政府同意，现印发给你们。\n临江市人民政府办公室\n"
        "临江市客运站管理办法\n一、站点布局。（责任单位：市规划局）\n临江市人民政府办公室2024年3月1日印发\n"
    )
    docs = extract_text(text, "x.txt").documents
    assert [d.title for d in docs] == ["临江市物流补贴办法", "临江市客运站管理办法"]
    assert [[t.responsible for t in d.tasks] for d in docs] == [[city("交通局")], [city("规划局")]]


def test_a_unit_acting_by_its_duties_is_the_subject():
    text = "第四条 县级以上人民政府物流行政部门按照规定职责负责本行政区域内的物流工作。\n"
    (task,) = doc_tasks(text)
    assert task[1:] == (city("县级以上人民政府物流行政部门"), [])


def test_a_unit_line_closing_a_chapter_covers_each_of_its_items():
    text = (
        "一、畅通物流\n（一）改造农村公路危桥。更新护栏。\n（二）建设乡镇客运站。\n"
        "牵头单位：市交通局，责任单位：各县区人民政府\n"
        "二、保障措施\n（三）加强资金保障。\n牵头单位：市财政局\n"
    )
    assert [(t[:7], lead, resp) for t, lead, resp in doc_tasks(text)] == [
        ("（一）改造农村", city("交通局"), city("各县区人民政府")),
        ("（二）建设乡镇", city("交通局"), city("各县区人民政府")),
        ("（三）加强资金", city("财政局"), []),
    ]


def test_units_every_later_task_includes():
    text = (
        "一、改造农村公路危桥。（责任单位：市交通局，各区县人民政府。各项措施责任单位均包括各区县人民政府，"
        "以下不再列出）\n二、建设乡镇客运站。（责任单位：市水利局）\n"
    )
    assert [(lead, sorted(resp)) for _t, lead, resp in doc_tasks(text)] == [
        ([], sorted(city("交通局", "各区县人民政府"))),
        ([], sorted(city("水利局", "各区县人民政府"))),
    ]


def test_departments_named_by_their_kinds_each_become_a_unit():
    text = (
        "临江市物流条例\n"
        "第三条 县级以上人民政府交通运输、商务部门按照各自职责负责物流的管理工作。\n"
        "第四条 发展改革、财政、公安等负责物流管理的相关部门，按照各自职责做好物流相关工作。\n"
    )
    assert [(lead, resp) for _t, lead, resp in doc_tasks(text.split("\n", 1)[1])] == [
        ([], city("县级以上人民政府交通运输部门", "县级以上人民政府商务部门")),
        ([], city("发展改革部门", "财政部门", "公安部门")),
    ]


def test_one_figure_under_units_of_one_family_is_one_goal():
    table = Target(indicator="物流年登记量", value=3300, unit="万件", target_year=2025)
    text = Target(indicator="物流年登记量", value=3300, unit="件", target_year=2025)
    assert same_target(table, text)
    assert not same_target(table, Target(indicator="物流年登记量", value=3300, unit="万元", target_year=2025))


def test_the_whole_place_before_a_count_verb_is_not_what_is_counted():
    assert targets("力争试点期间，全市建成物流交易平台3个以上。") == [("物流交易平台", 3, "个")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("全年组织20场以上物流对接活动。", [("物流对接活动", 20, "场")], id="组织-counts"),
        pytest.param(
            "到2026年每个乡镇至少建成1个物流服务站。",
            [("物流服务站", 1, "个")],
            id="每个-place-shares-a-count",
        ),
        pytest.param(
            "全年争取3家企业进入省级物流示范库。",
            [("进入省级物流示范库企业", 3, "家")],
            id="counted-agents-that-act",
        ),
        pytest.param(
            "组织超40家(次)企业参加境外物流展会。",
            [("参加境外物流展会企业", 40, "家(次)")],
            id="家(次)",
        ),
        pytest.param(
            "压缩物流项目审批周期3天以上。", [("压缩物流项目审批周期", 3, "天")], id="a-period-shortened"
        ),
        pytest.param(
            "到2026年，建成80座以上的驿站。", [("建成驿站", 80, "座")], id="a-bare-noun-keeps-its-verb"
        ),
        pytest.param(
            "实施滨江物流园建设（一期、二期）2.5平方公里。",
            [("滨江物流园", 2.5, "平方公里")],
            id="A建设-area",
        ),
        pytest.param("年底前完成改造900户。", [("完成改造", 900, "户")], id="only-verbs-say-what"),
        pytest.param(
            "全年新开工物流项目300个以上、竣工120个以上。",
            [("新开工物流项目", 300, "个"), ("竣工物流项目", 120, "个")],
            id="an-item's-own-verb-counts-the-same-things",
        ),
        pytest.param(
            "开展以“畅通临江”为主题的物流宣传活动200场以上。", [("物流宣传活动", 200, "场")], id="以…为主题的"
        ),
        pytest.param(
            "到2028年，电动货车和氢能货车在新增城市配送车辆中的占比分别达到60%、20%。",
            [
                ("电动货车在新增城市配送车辆中的占比", 60, "%"),
                ("氢能货车在新增城市配送车辆中的占比", 20, "%"),
            ],
            id="subjects-share-what-is-said-of-them",
        ),
        pytest.param("面向冷链行业遴选物流试点8个左右。", [("物流试点", 8, "个")], id="面向-whom"),
        pytest.param(
            "确保物流投资上半年完成60亿元，全年完成120亿元。",
            [("物流投资", 60, "亿元"), ("物流投资", 120, "亿元")],
            id="when-is-not-what",
        ),
        pytest.param(
            "加快完成国家下达30万亩高标准农田建设任务。",
            [("高标准农田建设", 30, "万亩")],
            id="下达-is-not-达",
        ),
        pytest.param("其中冷链物流投资占35%以上。", [("冷链物流投资占比", 35, "%")], id="占"),
        pytest.param(
            "确保在入冬之前全面完成120万亩秋覆膜任务。", [("秋覆膜", 120, "万亩")], id="the-task-completed"
        ),
        pytest.param(
            "全力加快临江一中、临江二中等3所学校建设进度。", [("学校", 3, "所")], id="建设进度-of-what"
        ),
        pytest.param("积极推进20所公办幼儿园建设。", [("公办幼儿园", 20, "所")], id="推进-a-number"),
        pytest.param(
            "改造提升15所养老院、新增护理型床位800张。",
            [("养老院", 15, "所"), ("新增护理型床位", 800, "张")],
            id="、新增-starts-an-item",
        ),
        pytest.param(
            "积极组织物流展销会、物流博览会，每年度不少于3次。",
            [("物流展销会、物流博览会", 3, "次")],
            id="how-often-of-what",
        ),
        pytest.param(
            "到2026年，建设保障性租赁住房2万套(间)。", [("保障性租赁住房", 2, "万套(间)")], id="套(间)"
        ),
        pytest.param(
            "到2027年底，本区建成区45%以上面积达到物流用地集约标准。",
            [("建成区面积达到物流用地集约标准", 45, "%")],
            id="how-much-meets-a-standard",
        ),
        pytest.param(
            "目标包括：（1）物流站点共计12个（城区7个、镇区5个）；（2）冷库4座。",
            [("物流站点", 12, "个"), ("城区物流站点", 7, "个"), ("镇区物流站点", 5, "个"), ("冷库", 4, "座")],
            id="a-count-and-its-parts-in-brackets",
        ),
        pytest.param(
            "到2026年，建成临江一中等各级各类示范学校30所。",
            [("各级各类示范学校", 30, "所")],
            id="the-kind-after-等",
        ),
        pytest.param(
            "货运通道养护比例国道不低于12%、县、乡道不低于6%。",
            [("货运通道养护比例国道", 12, "%"), ("货运通道养护比例县、乡道", 6, "%")],
            id="the-same-measure-for-others",
        ),
        pytest.param(
            "到2026年培训物流从业人员总数达到5万人(次)以上。",
            [("物流从业人员总数", 5, "万人(次)")],
            id="the-total-of-those-trained",
        ),
        pytest.param(
            "降低物流担保费率，原则上担保费率不超过1.2%，并逐步降至0.8%以下。",
            [("担保费率", 0.8, "%")],
            id="a-rule's-ceiling-is-not-a-goal-but-names-the-next",
        ),
    ],
)
def test_goal_shapes_third_round(sentence, expected):
    assert targets(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "激励各区新开工一批50亿元级物流项目。",
        "当物流价格连续下降超过10%时，及时启动调控。",
        "对合同额500万美元以上且符合条件的物流项目，优先保障用地。",
        "延续实施物流用地保障比例提高至30%以上的政策。",
        "培育一批年吞吐量10万吨以上的物流枢纽。",
        "推动银行加大对全市8个物流园区信贷投入。",
        "目前全市物流分拣能力提升至500吨/日。",
        "开展百镇建百站活动。",
        "实施物流企业增值税征收率由3%降至1%的政策。",
        "委托物流企业代理运输的，预付款比例不低于40%。",
        "岗位出现空缺原则上优先招录物流专业毕业生，比例不低于20%。",
        "对参保的物流企业，大型企业返还30%。",
        "安排不低于500万元专项资金支持物流企业。",
        "大力推进15分钟便民服务圈建设。",
        "物流用地出让价格可在基准价基础上下浮10%。",
        "预售资金额度可在原规定基础上提高5个百分点。",
    ],
    ids=[
        "grade",
        "condition",
        "对-treatment",
        "describes-a-policy",
        "一批",
        "加大对",
        "目前",
        "slogan",
        "由…降至",
        "a-rule's-floor",
        "whose-share-is-not-said",
        "a-refund",
        "money-set-aside",
        "minutes",
        "may-float",
        "may-be-raised",
    ],
)
def test_not_a_target_third_round(sentence):
    assert targets(sentence) == []
