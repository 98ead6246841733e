"""A seeded synthetic corpus of Chinese policy documents, for `policykg bench` and ingest tests.

The documents copy the *structure* of the sample corpus (corpus/seeds/), not its wording: a
transmittal notice, the title, an opening sentence citing the parent document (贯彻落实《…》 /
根据《…》, sometimes with its 文号), goals with quantified targets (到2025年,…达到12件), tasks
with parenthetical units ((市市场监管局牵头,市发改委…等按职责分工负责)), an annexed task table
with 牵头单位/责任单位 columns and a target table in the "cell |" layout of the seeds, and now
and then a repeal (…同时废止). All template text is written for this module.

The hierarchy: a few national outlines; provincial plans implementing one of them; municipal
plans citing a plan of their province; county plans citing a plan of their city. Places come
from ingest/data/places.tsv; counties (not listed there) get generated names under their city.

Determinism: the layout (level, place, parent of every document) is drawn from one seeded RNG
up front, and each document's text from its own RNG seeded by (seed, index): the same seed and
N always give the same bytes, and documents can be rendered in any order.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

# -- vocabulary (written for this generator) ----------------------------------------------

TOPICS: tuple[tuple[str, str], ...] = (
    # (topic phrase in titles, short phrase in prose)
    ("知识产权强国建设", "知识产权"),
    ("数字经济发展", "数字经济"),
    ("科技创新能力提升", "科技创新"),
    ("质量强国建设", "质量提升"),
    ("营商环境优化", "营商环境"),
    ("制造业高质量发展", "先进制造业"),
    ("乡村振兴", "乡村振兴"),
    ("生态环境保护", "生态环境"),
    ("标准化发展", "标准化"),
    ("人才发展", "人才工作"),
    ("中小企业发展", "中小企业"),
    ("知识产权保护和运用", "知识产权保护"),
)

NATIONAL_KINDS = ("纲要(2021-2035年)", "“十四五”规划", "行动纲要", "中长期规划(2021-2035年)")
LOCAL_KINDS = (
    "实施方案",
    "“十四五”规划",
    "三年行动计划(2023-2025年)",
    "工作方案",
    "若干措施",
    "实施意见",
    "行动计划",
    "工作要点",
)
DOC_TYPE_OF_KIND = {"若干措施": "措施", "实施意见": "意见", "工作要点": "要点"}

# agency short names after the jurisdiction prefix (省/市/县/区); the first one usually leads
AGENCIES = (
    "市场监管局",
    "发改委",
    "科技局",
    "工业和信息化局",
    "财政局",
    "商务局",
    "农业农村局",
    "教育局",
    "司法局",
    "公安局",
    "人力资源社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "文化广电和旅游局",
    "卫健委",
    "统计局",
    "地方金融监管局",
    "住房城乡建设局",
    "交通运输局",
    "税务局",
)
# national bodies keep their own names (no prefix)
NATIONAL_AGENCIES = (
    "国家知识产权局",
    "国家发展改革委",
    "科技部",
    "工业和信息化部",
    "财政部",
    "商务部",
    "农业农村部",
    "教育部",
    "司法部",
    "公安部",
    "人力资源社会保障部",
    "市场监管总局",
    "国家统计局",
    "中国人民银行",
)
SECOND_NAME = {"市场监管局": "知识产权局", "科技局": "外国专家局", "文化广电和旅游局": "版权局"}

INDICATORS: tuple[tuple[str, str, float, float], ...] = (
    # (indicator, unit, low, high)
    ("每万人口高价值发明专利拥有量", "件", 2, 40),
    ("商标有效注册量", "万件", 1, 60),
    ("地理标志数量", "件", 5, 120),
    ("知识产权质押融资金额", "亿元", 1, 300),
    ("技术合同成交额", "亿元", 10, 900),
    ("高新技术企业数量", "家", 50, 9000),
    ("规模以上工业企业研发机构覆盖率", "%", 20, 80),
    ("数字经济核心产业增加值占地区生产总值比重", "%", 5, 15),
    ("专利代理机构数量", "家", 3, 200),
    ("国家级专精特新“小巨人”企业数量", "家", 2, 150),
    ("标准制修订数量", "项", 5, 400),
    ("知识产权服务业从业人员", "人", 100, 20000),
)

FILLER: tuple[str, ...] = (
    "坚持以习近平新时代中国特色社会主义思想为指导,完整准确全面贯彻新发展理念,服务和融入新发展格局",
    "以推动高质量发展为主题,统筹发展和安全,强化{t}对经济社会发展的支撑作用",
    "坚持政府引导、市场主导、企业主体、社会参与,形成上下联动、部门协同的工作格局",
    "聚焦重点产业链和创新链,补短板、锻长板、强弱项,持续提升{t}工作的系统化水平",
    "加强统筹协调,完善工作机制,压实工作责任,确保各项任务落地见效",
    "健全政策体系,优化资源配置,推动{t}治理能力和治理水平现代化",
    "强化数字赋能,推进数据共享和业务协同,提升公共服务的便利化水平",
    "加大宣传培训力度,营造全社会关心支持{t}工作的良好氛围",
    "建立健全监测评估机制,定期开展评估,及时研究解决实施中遇到的问题",
    "鼓励有条件的地区先行先试,及时总结推广可复制的经验做法",
)

TASK_HEADS: tuple[str, ...] = (
    "完善{t}政策体系",
    "提升{t}创造质量",
    "促进{t}转化运用",
    "强化{t}保护力度",
    "优化{t}公共服务",
    "加强{t}人才队伍建设",
    "深化{t}开放合作",
    "夯实{t}工作基础",
)

TASK_SENTENCES: tuple[str, ...] = (
    "围绕重点产业需求,组织实施一批{t}重点项目,引导企业加大研发投入,培育具有竞争力的市场主体",
    "建立{t}工作联席会议制度,定期研究解决重大问题,推动形成部门协同、上下联动的工作机制",
    "支持高校、科研院所与企业共建创新平台,推动科技成果在本地转化落地",
    "开展{t}专项行动,加大对违法违规行为的查处力度,维护公平竞争的市场秩序",
    "完善财政资金支持方式,落实税收优惠政策,引导社会资本参与{t}相关领域建设",
    "建设{t}公共服务平台,为中小企业提供咨询、培训、检索等一站式服务",
    "实施人才引进培养计划,建立专家库,开展业务培训,提升从业人员专业能力",
    "推进{t}领域数据归集与共享,建立统计监测制度,定期发布发展报告",
    "加强区域交流合作,参与跨区域协作机制,推动资源共享和优势互补",
    "培育一批示范企业和示范园区,发挥示范带动作用,形成可推广的经验",
)

COUNTY_STEMS = (
    "东城",
    "西湖",
    "南山",
    "北塘",
    "青云",
    "白沙",
    "长宁",
    "永安",
    "新华",
    "金水",
    "安平",
    "宁远",
    "清河",
    "凤凰",
    "龙泉",
    "桃源",
    "石门",
    "云溪",
    "平江",
    "丰泽",
)
COUNTY_SUFFIXES = ("县", "区")


# -- places -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # 江苏省, 苏州市, 苏州市东城区 is written 东城区 with parent 苏州市
    level: str  # national | provincial | municipal | county
    parent: str | None
    short: str  # the name without its suffix, used in 文号 prefixes


def _places() -> tuple[list[Place], dict[str, list[Place]]]:
    """Provinces and the cities of each (ingest/data/places.tsv)."""
    text = resources.files("policykg.ingest").joinpath("data/places.tsv").read_text(encoding="utf-8")
    provinces: list[Place] = []
    cities: dict[str, list[Place]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, level, parent, short = [*line.split("\t"), "", "", ""][:4]
        first_short = short.split(",")[0] if short else name[:2]
        if level == "provincial" and name not in {"香港特别行政区", "澳门特别行政区", "台湾省"}:
            provinces.append(Place(name, level, parent or None, first_short))
        elif level == "municipal":
            cities.setdefault(parent, []).append(Place(name, level, parent, first_short))
    return provinces, cities


def _counties(city: Place) -> list[Place]:
    """Generated county-level names under a city (stable per city). The city's first character
    leads, so names rarely repeat across cities (a shared name would merge two counties'
    agencies); documents name the county alone, as a county government writes."""
    rng = random.Random(f"county:{city.name}")
    stems = rng.sample(COUNTY_STEMS, 8)
    return [Place(city.short[0] + s + rng.choice(COUNTY_SUFFIXES), "county", city.name, s) for s in stems]


# -- layout -------------------------------------------------------------------------------


@dataclass(slots=True)
class Planned:
    index: int
    level: str
    place: Place
    topic: int
    parent: int | None  # index of the cited document
    title: str = ""
    doc_number: str = ""
    year: int = 2022


def level_counts(n: int) -> dict[str, int]:
    """How many documents each level gets: roughly 0.2 % national (at least 1), 4 %
    provincial, 30 % municipal, the rest county, as a real collection skews to the bottom."""
    national = max(1, min(len(TOPICS) * len(NATIONAL_KINDS), n // 500))
    provincial = max(1 if n > 1 else 0, n * 4 // 100)
    municipal = n * 30 // 100 if n >= 4 else max(0, n - national - provincial)
    county = max(0, n - national - provincial - municipal)
    return {"national": national, "provincial": provincial, "municipal": municipal, "county": county}


_AGENCY_PREFIX = {"provincial": "省", "municipal": "市"}


def _unit_prefix(place: Place) -> str:
    if place.level == "county":
        return place.name[-1]  # 县 / 区
    return _AGENCY_PREFIX.get(place.level, "")


def _number(place: Place, level: str, year: int, seq: int) -> str:
    if level == "national":
        return f"国发〔{year}〕{seq}号"
    office = "政发" if seq % 3 else "政办发"
    return f"{place.short}{office}〔{year}〕{seq}号"


def plan(n: int, seed: int = 0) -> list[Planned]:
    """Level, place, topic, parent, unique title and 文号 of every document."""
    rng = random.Random(seed)
    provinces, cities = _places()
    counts = level_counts(n)
    china = Place("中国", "national", None, "国")
    out: list[Planned] = []
    used_titles: set[str] = set()
    by_level: dict[str, list[int]] = {"national": [], "provincial": [], "municipal": [], "county": []}
    seq_of: dict[tuple[str, int], int] = {}

    def add(level: str, place: Place, topic: int, parent: int | None) -> None:
        index = len(out)
        kinds = NATIONAL_KINDS if level == "national" else LOCAL_KINDS
        prefix = "" if level == "national" else place.name
        topic_words = TOPICS[topic][0]
        title = ""
        for attempt in range(200):
            kind = kinds[(index + attempt) % len(kinds)]
            year_tag = "" if attempt < len(kinds) else f"{2020 + attempt // len(kinds) % 6}年"
            serial = "" if attempt < len(kinds) * 6 else f"(第{attempt}批)"
            title = f"{prefix}{year_tag}{topic_words}{kind}{serial}"
            if title not in used_titles:
                break
        used_titles.add(title)
        year = 2021 + rng.randrange(4)
        key = (place.name, year)
        seq_of[key] = seq_of.get(key, 0) + 1 + rng.randrange(5)
        out.append(
            Planned(index, level, place, topic, parent, title, _number(place, level, year, seq_of[key]), year)
        )
        by_level[level].append(index)

    for i in range(counts["national"]):
        add("national", china, i % len(TOPICS), None)
    for _ in range(counts["provincial"]):
        parent = rng.choice(by_level["national"])
        add("provincial", rng.choice(provinces), out[parent].topic, parent)
    for _ in range(counts["municipal"]):
        parent = rng.choice(by_level["provincial"])
        pool = cities.get(out[parent].place.name)
        if not pool:  # 直辖市 have no prefecture-level cities listed: pick another plan
            parent = rng.choice(by_level["provincial"])
            pool = cities.get(out[parent].place.name) or [c for cs in cities.values() for c in cs]
        add("municipal", rng.choice(pool), out[parent].topic, parent)
    for _ in range(counts["county"]):
        parent = rng.choice(by_level["municipal"] or by_level["provincial"] or by_level["national"])
        city = out[parent].place
        pool = (
            _counties(city)
            if city.level == "municipal"
            else _counties(Place("某市", "municipal", None, "某"))
        )
        add("county", rng.choice(pool), out[parent].topic, parent)
    return out


# -- text ---------------------------------------------------------------------------------


def _units(place: Place, rng: random.Random, k: int) -> list[str]:
    if place.level == "national":
        return rng.sample(NATIONAL_AGENCIES, k)
    prefix = _unit_prefix(place)
    names = [AGENCIES[0], *rng.sample(AGENCIES[1:], k - 1)] if rng.random() < 0.6 else rng.sample(AGENCIES, k)
    out = []
    for name in names:
        unit = prefix + name
        if name in SECOND_NAME and rng.random() < 0.3:
            unit += f"({prefix}{SECOND_NAME[name]})"
        out.append(unit)
    return out


def _issuer(doc: Planned) -> str:
    if doc.level == "national":
        return "国务院"
    return doc.place.name + (
        "人民政府" if doc.index % 4 else "人民政府办公室" if doc.level != "provincial" else "人民政府办公厅"
    )


def _addressees(doc: Planned) -> str:
    return {
        "national": "各省、自治区、直辖市人民政府,国务院各部委、各直属机构:",
        "provincial": "各市人民政府,省政府各部门、各直属机构:",
        "municipal": "各县(市、区)人民政府,市政府各部门、各直属单位:",
        "county": "各乡镇人民政府、街道办事处,县政府各部门:",
    }[doc.level]


def _value(rng: random.Random, low: float, high: float, unit: str) -> str:
    value = rng.uniform(low, high)
    if unit in {"万件", "亿元", "%"}:
        return f"{value:.1f}"
    return str(int(value))


def render(doc: Planned, docs: list[Planned], seed: int = 0) -> str:
    """The text of one planned document."""
    rng = random.Random(seed * 1_000_003 + doc.index)
    t = TOPICS[doc.topic][1]
    lines: list[str] = []
    month, day = 1 + rng.randrange(12), 1 + rng.randrange(28)
    if rng.random() < 0.5:  # the 文号 header line of a printed notice
        lines.append(doc.doc_number)
    lines.append(_addressees(doc))
    lines.append(f"现将《{doc.title}》印发给你们,请结合实际认真贯彻落实。")
    lines.append(_issuer(doc))
    lines.append(f"{doc.year}年{month}月{day}日")
    lines.append(doc.title)

    # the opening sentence: how this document relates to its parent (and maybe a sibling)
    opening = "为"
    if doc.parent is not None:
        parent = docs[doc.parent]
        cited = f"《{parent.title}》"
        if rng.random() < 0.3:
            cited += f"({parent.doc_number})"
        if rng.random() < 0.55:
            opening += f"深入贯彻落实{cited}精神,"
            opening += f"{rng.choice(FILLER).format(t=t)},"
        else:
            opening += f"{rng.choice(FILLER).format(t=t)},根据{cited},"
        if doc.parent > 0 and rng.random() < 0.25:
            other = docs[rng.randrange(doc.parent)]
            opening += f"参照《{other.title}》有关要求,"
    else:
        opening += f"{rng.choice(FILLER).format(t=t)},"
    opening += "结合本地实际,制定本方案。" if doc.level != "national" else "制定本纲要。"
    lines.append(opening)

    # goals with targets in sentences
    lines.append("一、总体要求")
    lines.append("(一)指导思想")
    lines.append(";".join(f.format(t=t) for f in rng.sample(FILLER, 3)) + "。")
    lines.append("(二)主要目标")
    indicators = rng.sample(INDICATORS, 5)
    goals = []
    for name, unit, low, high in indicators[:3]:
        if rng.random() < 0.25:
            goals.append(f"{name}较2020年增长{rng.randrange(10, 60)}%")
        else:
            goals.append(f"{name}达到{_value(rng, low, high, unit)}{unit}")
    lines.append(f"到{2025 if rng.random() < 0.7 else 2027}年,{','.join(goals)},{t}工作整体水平明显提升。")

    # tasks with parenthetical units
    lines.append("二、重点任务")
    table_rows: list[tuple[str, list[str], list[str]]] = []
    numerals = "一二三四五六七八"
    for h, head in enumerate(rng.sample(TASK_HEADS, 3 + rng.randrange(3))):
        lines.append(f"({numerals[h]}){head.format(t=t)}")
        for k in range(1 + rng.randrange(3)):
            sentence = rng.choice(TASK_SENTENCES).format(t=t)
            units = _units(doc.place, rng, 2 + rng.randrange(4))
            if rng.random() < 0.75:
                tail = f"({units[0]}牵头,{'、'.join(units[1:])}等按职责分工负责)"
                table_rows.append((sentence, units[:1], units[1:]))
            else:
                tail = f"({'、'.join(units)}等按职责分工负责)"
                table_rows.append((sentence, [], units))
            lines.append(f"{k + 1}.{sentence}。{tail}")

    lines.append("三、保障措施")
    lines.append("(一)加强组织领导")
    lines.append(";".join(f.format(t=t) for f in rng.sample(FILLER, 2)) + "。")
    lines.append("(二)强化监督考核")
    lines.append(";".join(f.format(t=t) for f in rng.sample(FILLER, 2)) + "。")
    if rng.random() < 0.12 and doc.level != "national":
        old = f"{doc.place.name}{t}管理暂行办法"
        number = f"{doc.place.short}政发〔{doc.year - 6}〕{1 + rng.randrange(80)}号"
        lines.append(f"本方案自印发之日起施行,《{old}》({number})同时废止。")
    else:
        lines.append("本方案自印发之日起施行。")

    # annex 1: the task table ("cell |" per line, rows end with "| |" as in the seeds)
    if table_rows:
        lines.append("附件1")
        lines.append(f"{doc.title}重点任务分解表")
        lines += ["序号 |", "重点任务 |", "牵头单位 |", "责任单位 | |"]
        for r, (text, lead, resp) in enumerate(table_rows, start=1):
            lines += [f"{r} |", f"{text} |", f"{'、'.join(lead)} |".lstrip(), f"{'、'.join(resp)} | |"]
    # annex 2: the target table
    lines.append("附件2")
    lines.append(f"{doc.title}主要指标")
    lines += ["序号 |", "指标名称 |", "牵头单位 |", "单位 |", "目标值 | |"]
    for r, (name, unit, low, high) in enumerate(indicators[3:], start=1):
        lead = _units(doc.place, rng, 1)[0]
        lines += [f"{r} |", f"{name} |", f"{lead} |", f"{unit} |", f"{_value(rng, low, high, unit)} | |"]
    return "\n".join(lines) + "\n"


def file_name(doc: Planned) -> str:
    return f"{doc.index:06d}_{doc.level}.txt"


def generate(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """(file name, text) of each of the n documents, in index order."""
    docs = plan(n, seed)
    for doc in docs:
        yield file_name(doc), render(doc, docs, seed)


def write_corpus(folder: str | Path, n: int, seed: int = 0, shard: int = 1000) -> dict[str, int]:
    """Write n documents under `folder` (subfolders of `shard` files each, so no folder gets
    huge) and a manifest.json with the counts; returns the manifest."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    total_bytes = 0
    for i, (name, text) in enumerate(generate(n, seed)):
        sub = root / f"{i // shard:04d}"
        if i % shard == 0:
            sub.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        (sub / name).write_bytes(data)
        total_bytes += len(data)
    manifest = {"documents": n, "bytes": total_bytes, "seed": seed, **level_counts(n)}
    # a dot file: `policykg ingest FOLDER` skips hidden files, so the manifest is not ingested
    (root / ".manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest
