"""The place table (ingest/data/places.tsv, built by ingest/data/build_places.py) and its readers."""

import re
import sys
from pathlib import Path

from policykg.graph.jurisdictions import table
from policykg.ingest.places import gazetteer, parse_places, place_prefix

DATA = Path(__file__).resolve().parents[1] / "ingest" / "data"


def names(chain):
    return [p.name for p in chain]


def test_district_chain() -> None:
    assert names(gazetteer().chain("红花岗区")) == ["遵义市红花岗区", "遵义市", "贵州省", "中国"]


def test_county_level_city_is_county() -> None:
    assert gazetteer().get("仁怀市").level == "county" and gazetteer().get("仁怀市").parent == "遵义市"


def test_municipality_district() -> None:
    g = gazetteer()
    assert g.get("上海市奉贤区") is g.get("奉贤区") is g.get("奉贤")
    assert names(g.chain("奉贤区")) == ["上海市奉贤区", "上海市", "中国"] and g.get("奉贤区").code == "310120"


def test_ambiguous_bare_name_needs_context() -> None:
    g = gazetteer()
    assert g.get("鼓楼区") is None and g.resolve("鼓楼区") is None and g.resolve("鼓楼区", "江苏省") is None
    assert g.resolve("鼓楼区", "南京市").name == "南京市鼓楼区"
    assert g.resolve("南京鼓楼区").name == "南京市鼓楼区"
    assert place_prefix("鼓楼区人民政府").parent is None  # a shape only, no county picked


def test_place_prefix_reads_written_forms() -> None:
    assert place_prefix("上海市奉贤区人民政府办公室").name == "上海市奉贤区"
    assert place_prefix("福建省福清市人民政府").level == "county"
    assert place_prefix("红花岗区财政局").code == "520302"


def test_table_is_well_formed() -> None:
    places = parse_places((DATA / "places.tsv").read_text(encoding="utf-8"), "places.tsv")
    by_name = {p.name: p for p in places}
    assert len(by_name) == len(places) and len({p.code for p in places if p.code}) == len(places) - 1
    assert all(re.fullmatch(r"\d{6}", p.code) for p in places if p.level != "national")
    assert all(p.parent in by_name for p in places if p.level != "national")
    assert sum(p.level == "county" for p in places) > 2800


def test_graph_table_reads_counties() -> None:
    assert [j.name for j in table().ancestors("仁怀市")] == ["仁怀市", "遵义市", "贵州省", "中国"]
    assert table().prefix_of("公安厅关于") is None  # 公安 (公安县) is not taken as a place


def test_build_script_on_a_sample() -> None:
    sys.path.insert(0, str(DATA))
    try:
        import build_places
    finally:
        sys.path.remove(str(DATA))
    sample = (
        "上海市\t310000\t上海\n\t上海市\t310000\t上海\n\t\t奉贤区\t310120\t奉贤\n\t\t\t某街道\n"
        "贵州省\t520000\t贵州\n\t遵义市\t520300\t遵义\n\t\t红花岗区\t520302\t红花岗\n\t\t仁怀市\t520382\t仁怀\n"
        "\t\t遵义经济技术开发区\t520371\t经开区\n"
        "江苏省\t320000\t江苏\n\t南京市\t320100\t南京\n\t\t鼓楼区\t320106\t鼓楼\n"
        "\t徐州市\t320300\t徐州\n\t\t鼓楼区\t320302\t鼓楼\n"
    )
    rows = {r.name: r for r in build_places.build(sample)}
    assert rows["上海市奉贤区"].parent == "上海市" and rows["上海市奉贤区"].short == ["奉贤区", "奉贤"]
    assert rows["仁怀市"].level == "county" and "遵义经济技术开发区" not in str(rows)
    assert rows["南京市鼓楼区"].short == [] and rows["徐州市鼓楼区"].code == "320302"
