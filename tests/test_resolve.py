"""Resolution: normalized titles, year ranges, wrappers, aliases, 文号 forms, stub merging."""

from __future__ import annotations

import pytest
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.jurisdictions import table
from policykg.graph.normalize import clean_title, doc_number_key, indicator_key, title_key
from policykg.graph.resolve import closest, resolve_title

from policykg.records import Citation, Document
from tests.graph_helpers import national_outline, record, zunyi_plan


@pytest.mark.parametrize(
    "variant",
    [
        "知识产权强国建设纲要",
        "知识产权强国建设纲要(2021-2035年)",
        "《知识产权强国建设纲要（2021—2035年）》",
        "知识产权强国建设纲要（2021－2035年）",
        "知识产权强国建设纲要 (2021~2035年)",
        "〈知识产权强国建设纲要〉",
    ],
)
def test_title_variants_share_a_key(variant: str) -> None:
    assert title_key(variant) == "知识产权强国建设纲要"


def test_quotes_dashes_and_spaces_do_not_matter() -> None:
    assert title_key("“十四五”国家知识产权保护和运用规划") == title_key('"十四五" 国家知识产权保护和运用规划')
    assert (
        title_key("苏州市知识产权高质量发展三年行动计划(2021~2023年")
        == "苏州市知识产权高质量发展三年行动计划"
    )


def test_publishing_wrapper_is_removed() -> None:
    wrapped = "河北省人民政府关于印发河北省“十四五”知识产权保护和运用规划的通知"
    assert title_key(wrapped) == title_key("河北省“十四五”知识产权保护和运用规划")
    assert clean_title(wrapped) == "河北省“十四五”知识产权保护和运用规划"
    assert title_key("关于印发〈2015年度区县(市)创新发展专项考评实施细则〉的通知") == title_key(
        "2015年度区县(市)创新发展专项考评实施细则"
    )


def test_issuer_prefix_becomes_the_jurisdiction() -> None:
    national = title_key("中共中央办公厅 国务院办公厅关于强化知识产权保护的意见")
    assert national == title_key("关于强化知识产权保护的意见")
    provincial = title_key("中共广东省委 广东省人民政府关于强化知识产权保护的若干措施")
    assert provincial == title_key("广东省关于强化知识产权保护的若干措施")
    assert provincial != national
    # an ordinary title that merely contains 关于 keeps its words
    assert title_key("2015年度关于创新考评的实施细则") == "2015年度关于创新考评的实施细则"


def test_trial_marker_is_kept() -> None:
    assert title_key("办法(试行)") != title_key("办法")
    assert title_key("办法（试行）") == title_key("办法(试行)")


@pytest.mark.parametrize(
    "number",
    [
        "冀政字(2021)66号",
        "冀政字〔2021〕66号",
        "冀政字（2021）66号",
        "冀政字[2021]66号",
        "冀政字［2021］66号",
        "冀政字 〔2021〕 66号",
        "冀政字2021)66号",
    ],
)
def test_document_number_forms(number: str) -> None:
    assert doc_number_key(number) == "冀政字〔2021〕66号"


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("专利法", "中华人民共和国专利法"),
        ("《商标法》", "中华人民共和国商标法"),
        ("国家“十四五”知识产权规划", "“十四五”国家知识产权保护和运用规划"),
        ("知识产权强国建设纲要", "知识产权强国建设纲要(2021-2035年)"),
    ],
)
def test_alias_table(short: str, full: str) -> None:
    shown, key = resolve_title(short)
    assert shown == full
    assert key == resolve_title(full)[1]


@pytest.mark.parametrize(
    "variant",
    [
        "每万人口高价值发明专利拥有量",
        "万人高价值发明专利拥有量",
        "每万人高价值发明专利拥有量",
        "遵义市万人高价值发明专利拥有量",
        "全省每万人口高价值发明专利拥有量",
    ],
)
def test_indicator_variants_meet(variant: str) -> None:
    assert indicator_key(variant) == "万人高价值发明专利拥有量"


def test_indicator_rules_are_careful() -> None:
    assert indicator_key("万人次培训量") == "万人次培训量"
    assert indicator_key("每万人口发明专利拥有量") != indicator_key("每万人口高价值发明专利拥有量")
    assert indicator_key("专利代理师人数") == "专利代理师人数"
    assert indicator_key("知识产权服务机构数量") == "知识产权服务机构"


def test_jurisdiction_prefixes() -> None:
    t = table()
    assert t.prefix_of("遵义市市场监督管理局").name == "遵义市"
    assert t.prefix_of("中共保定市委宣传部").name == "保定市"
    assert t.prefix_of("遵义高新技术产业开发区管理委员会").name == "遵义市"
    assert t.prefix_of("国家知识产权局").name == "中国"
    assert t.prefix_of("财政部").name == "中国"
    assert t.prefix_of("吉林大学") is None  # 吉林 is shared by 吉林省 and 吉林市
    assert [j.name for j in t.ancestors("遵义市")] == ["遵义市", "贵州省", "中国"]
    assert {"苏州市", "江苏省"} <= t.descendants("江苏省")


def test_closest_titles() -> None:
    titles = ["知识产权强国建设纲要(2021-2035年)", "江苏省“十四五”知识产权发展规划", "中华人民共和国专利法"]
    assert closest("知识产权强国纲要", titles)[0] == "知识产权强国建设纲要(2021-2035年)"


# -- stubs merging in a store, in either order ---------------------------------------------


def _docs(st: EmbeddedStore) -> dict[str | None, object]:
    return {d.title: d for d in st.find_documents(limit=1000)}


@pytest.mark.parametrize("citing_first", [True, False])
def test_stub_and_document_meet_in_either_order(tmp_path, citing_first: bool) -> None:
    st = EmbeddedStore(f"embedded:{tmp_path}")
    citing, cited = record("zunyi.txt", zunyi_plan()), record("outline.txt", national_outline())
    for rec in (citing, cited) if citing_first else (cited, citing):
        st.ingest(rec)
    matches = [d for d in st.find_documents(q="知识产权强国建设纲要") if d.title and "纲要" in d.title]
    assert len(matches) == 1
    outline = matches[0]
    assert outline.stub is False and outline.title == "知识产权强国建设纲要（2021-2035年）"
    detail = st.document(outline.id)
    assert [c.document.title for c in detail.cited_by] == ["遵义市知识产权试点工作方案"]
    assert detail.cited_by[0].relation == "ensures_implementation_of"


@pytest.mark.parametrize("citing_first", [True, False])
def test_citation_by_number_only_meets_the_document(tmp_path, citing_first: bool) -> None:
    st = EmbeddedStore(f"embedded:{tmp_path}")
    citing = record("a.txt", zunyi_plan(cites=[Citation(None, "黔府发(2021)12号", span=(1, 9))]))
    cited = record(
        "b.txt",
        Document(title="贵州省知识产权“十四五”规划", doc_number="黔府发〔2021〕12号", jurisdiction="贵州省"),
    )
    for rec in (citing, cited) if citing_first else (cited, citing):
        st.ingest(rec)
    docs = st.find_documents(limit=1000)
    assert len(docs) == 2
    target = st.resolve_document("黔府发〔2021〕12号")
    assert target.title == "贵州省知识产权“十四五”规划" and not target.stub
    assert [c.document.id for c in st.document(target.id).cited_by] == [
        st.resolve_document("遵义市知识产权试点工作方案").id
    ]


def test_number_only_stub_returns_when_the_document_leaves(tmp_path) -> None:
    st = EmbeddedStore(f"embedded:{tmp_path}")
    st.ingest(record("a.txt", zunyi_plan(cites=[Citation(None, "黔府发〔2021〕12号")])))
    st.ingest(record("b.txt", Document(title="贵州省规划", doc_number="黔府发〔2021〕12号")))
    st.ingest(record("b.txt", Document(title="另一个文件")))
    stub = st.resolve_document("黔府发〔2021〕12号")
    assert stub.stub and stub.title is None
    assert len(st.document(stub.id).cited_by) == 1


def test_store_resolves_aliases_and_short_titles(tmp_path) -> None:
    st = EmbeddedStore(f"embedded:{tmp_path}")
    st.ingest(record("a.txt", zunyi_plan()))
    law = st.resolve_document("专利法")
    assert law.title == "中华人民共和国专利法" and law.jurisdiction == "中国"
    assert st.resolve_document("《中华人民共和国专利法》").id == law.id


def test_display_title_closes_a_bracket_left_open() -> None:
    assert (
        clean_title("苏州市知识产权高质量发展三年行动计划(2021~2023年")
        == "苏州市知识产权高质量发展三年行动计划(2021~2023年)"
    )
    assert clean_title("《办法（试行）》") == "办法（试行）"


def test_jurisdiction_table_is_consistent() -> None:
    t = table()
    levels = {"national", "provincial", "municipal", "county"}
    for row in t.by_name.values():
        assert row.level in levels, row
        assert row.parent is None or row.parent in t.by_name, row
        assert t.ancestors(row.name)[-1].name == "中国"
    provinces = [r for r in t.by_name.values() if r.level == "provincial"]
    assert len(provinces) == 34
    for city, province in [
        ("遵义市", "贵州省"),
        ("中山市", "广东省"),
        ("苏州市", "江苏省"),
        ("杭州市", "浙江省"),
        ("保定市", "河北省"),
    ]:
        assert t.get(city).parent == province
