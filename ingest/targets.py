"""Numeric targets: indicator, value and unit, baseline, years and responsible units.

Read from indicator tables (flattened with "|", or glued together by a PDF export, where
"1.872.21" under a baseline and a target column is 1.87 then 2.21) and from sentences that
state a goal (到2025年,…达到12件; 较2021年增长20%; 新增…3-5个). Past figures (sections on
the basis of the plan, 已达…) are not targets. The same target stated in a table and in the
text is kept once.
"""

from __future__ import annotations

import math
import re

from policykg.ingest.quantities import CN_DIGITS, DURATIONS, NUM_AR, QUANTITY, UNIT, quantity
from policykg.ingest.quantities import NUM as NUM_PATTERN
from policykg.ingest.tables import Table
from policykg.ingest.tasks import is_target_table, parse_roles
from policykg.ingest.text import CJK, Ranges, past_ranges, sentences, split_top_level

from policykg.records import Target

# one vocabulary of units for tables and sentences (quantities.py: longest first, so 万件 is
# not read as 万 + 件), and one way to read an Arabic number
UNITS = UNIT
NUM = NUM_AR
# a sentence that states goals: a bare "粮食播种面积1亿亩以上" there is one too
GOAL_SENTENCE = re.compile(
    r"到\s*20\d{2}\s*年|20\d{2}\s*年(?:前|底前|底|末)|力争|确保|争取|试点期间|规划期|目标|预期|届时|全年|年内"
)
PAST = re.compile(r"已|完成了|达到了|截至|截止|累计完成|比“十[一二三]五”|较“十[一二三]五”")
LEADING_FLUFF = re.compile(
    r"^(?:(?:到|至)?\s*20\d{2}\s*年(?:底|末|前)?|[(（]?\d{1,2}[)）.．、]|逐步|全面|加快|持续|不断|将|同比|阶段性"
    r"|全年|“?十[一二三四五]五”?(?:期间|末)?|试点期间|在试点期间|力争|确保|争取|努力|实现|推动|推进|促进|提高|提升"
    r"|增加|扩大|降低|减少|使|其中|同时|分别|各项|各类|以上|并|且|和|其(?![他余])|落实|原则上|年度内|期内|规划期内|进一步|基本|继续"
    r"|每年度|每季度|每半年|每月)+"
)
TRAILING_FLUFF = re.compile(
    r"(?:合计|累计|共计|总计|分别|(?<![人户亩日])均|各|将|要|力争|争取|确保|稳定|持续|继续|逐步|进一步|同比|年均|[(（][^()（）]*[)）]"
    # when, not what: "工业投资上半年完成1600亿元，全年完成3200亿元" are two goals for 工业投资
    r"|上半年|下半年|全年|年内|年底前|年底|(?:第?[一二三四]|前三)季度)+$"
)
# "以“品质生活”为主题的促消费活动": the theme names the activities, they are what is counted
# "A学校等各级各类学校": the kind after the example is what is counted
EXAMPLES = re.compile(r"^[^、，,]{2,20}?等(?!级|次|同|待|效)(?=[\u4e00-\u9fff]{3})")
THEMED = re.compile(r"^以[^，,；;。]{1,30}?为(?:主题|重点|核心|载体|抓手)的")
# what a counted noun phrase ends before: "新增1家上市挂牌企业进行重点培育"
COUNTED_NOUN_END = re.compile(r"(?:进行|开展|给予|予以|纳入|用于|作为|并|以(?![上下内])|通过)")
MODIFIER_START = re.compile(r"掌握|具有|拥有|具备|符合|满足|达到|实现|承担|参与|从事|开展")
# money a policy pays, lends or charges is not a goal: 贷款额度提高至30万元, 亩均投入1500元
PAID = re.compile(
    r"额度|补助|补贴|奖励|资助|(?:补助|奖补|扶持|专项|引导|配套|财政)资金|贴息|费用|价格|标准|投入|贡献|每|单笔|最高|上限|限额"
    r"|安排|拨付"  # money set aside: 安排不低于2000万元专项资金
)
SCALE = {"万": 1e4, "亿": 1e8, "千": 1e3}


def _period_end(text: str, start: int, end: int, title: str | None) -> int | None:
    """The year a plan ends: (2021-2025年) in the title or text, 十四五 → 2025, 至2025年."""
    # the document's own period (its title first), not that of a plan it cites in 《》
    body = re.sub(r"《[^《》]*》", "", text[start : min(end, start + 3000)])
    for head in (title or "", body):
        m = re.search(r"(20\d{2})\s*年?(?:\d{1,2}月)?\s*[-—–~～至到]\s*(20\d{2})\s*年?", head)
        if m:
            return int(m.group(2))
        m = re.search(r"十([一二三四五六])五", head)
        if m:
            return 2010 + 5 * "一二三四五六".index(m.group(1))  # 十一五 ends in 2010
    return None


def _number(s: str | None) -> float | None:
    if s is None or s == "":
        return None
    v = float(s)
    return int(v) if v.is_integer() else v


def _clean_indicator(ind: str) -> str:
    ind = ind.strip(" \t。；;")
    if ind.count("“") != ind.count("”"):
        ind = ind.strip('“”"')
    ind = LEADING_FLUFF.sub("", ind)
    if ind.startswith("以"):
        ind = THEMED.sub("", ind)
    if "等" in ind:
        ind = EXAMPLES.sub("", ind)
    ind = TRAILING_FLUFF.sub("", ind)
    ind = ind.strip(" ，,、")
    if ind.count("“") != ind.count("”"):  # a quote the cut left open: "“领军型浙江数商"
        ind = ind.strip("“”")
    return ind


def _base_value(value: float | None, unit: str | None) -> tuple[float | None, str | None]:
    """A value in base units with the unit's family: 0.6 亿元 and 6000 万元 are equal."""
    if value is None or not unit:
        return value, unit
    for prefix, scale in SCALE.items():
        if unit.startswith(prefix) and len(unit) > 1:
            return value * scale, unit[1:]
    return value, unit


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


COUNTS = {"个", "件", "项"}  # counted things: a table's 个 is the text's 件


def same_target(a: Target, b: Target) -> bool:
    """The same goal stated twice (table and text): equal value in comparable units and
    indicators that share their distinctive words."""
    # the same figure written with and without its scale (3300 件 / 3300 万件: a table's header
    # unit is not always its cells')
    as_written = a.value is not None and a.value == b.value and (a.unit or "")[-1:] == (b.unit or "")[-1:]
    if not as_written:
        va, ua = _base_value(a.value, a.unit)
        vb, ub = _base_value(b.value, b.unit)
        if va is None or vb is None or not math.isclose(va, vb, rel_tol=0.005):
            return False
        if ua != ub and not {ua, ub} <= COUNTS:
            return False
    x = re.sub(r"\W|知识产权|数量|人数|数$", "", a.indicator)
    y = re.sub(r"\W|知识产权|数量|人数|数$", "", b.indicator)
    if x in y or y in x:
        return True
    bx, by = _bigrams(x), _bigrams(y)
    return len(bx & by) / max(1, min(len(bx), len(by))) >= 0.3


def split_glued(digits: str) -> tuple[float, float] | None:
    """Baseline and target glued together: "1.872.21" → (1.87, 2.21), "5585" → (55, 85).
    The split keeps both numbers well formed and the target closest to the baseline."""
    best: tuple[float, tuple[float, float]] | None = None
    if len(digits) > 24:  # two table figures, not a run of digits
        return None
    for i in range(1, len(digits)):
        a, b = digits[:i], digits[i:]
        if not (_well_formed(a) and _well_formed(b)):
            continue
        x, y = float(a), float(b)
        if x <= 0 or y <= 0:
            continue
        score = abs(math.log(y / x)) + (0 if y >= x else 1.0)
        if best is None or score < best[0]:
            best = (score, (_number(a), _number(b)))
    return best[1] if best else None


def _well_formed(s: str) -> bool:
    return bool(re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?", s))


def table_targets(text: str, table: Table, jurisdiction: str | None, year: int | None) -> list[Target]:
    """Rows of an indicator table (cells separated by "|"), split at serial-number cells."""
    if not is_target_table(table):
        return []
    cells = table.cells
    header = [c.text for c in cells[:12] if len(c.text) <= 14]
    head_text = "".join(header)
    m = re.search(r"(20\d{2})\s*年[^|]{0,4}目标", head_text)
    target_year = int(m.group(1)) if m else year
    rows: list[list] = []
    serial = 0
    for c in cells:
        # a serial-number cell (1, 2, 3 … in order) starts a row; other bare numbers are values
        if c.text.replace(" ", "") == str(serial + 1):
            serial += 1
            rows.append([c])
        elif rows:
            rows[-1].append(c)
    if not rows:
        return _width_table_targets(text, cells, jurisdiction, target_year)
    out: list[Target] = []
    for row in rows:
        if len(row) < 3:
            continue
        ind = row[1]
        lead: list[str] = []
        resp: list[str] = []
        unit = None
        value = None
        for c in row[2:]:
            t = c.text
            if re.fullmatch(rf"(?:{UNITS})", t):
                unit = t
            elif re.match(rf"^{NUM}", t) and value is None:
                value = _number(re.match(NUM, t).group(0))
            else:
                roles = parse_roles(t, jurisdiction, first_leads=False, default="lead")
                lead += roles.lead
                resp += roles.responsible
        if value is None:
            continue  # a row merged with the one above (its value cell spans both)
        out.append(
            Target(
                indicator=ind.text,
                value=value,
                unit=unit,
                target_year=target_year,
                lead=lead,
                responsible=resp,
                span=(ind.start, row[-1].end),
                quote=text[ind.start : row[-1].end][:400],
                quote_start=ind.start,
            )
        )
    return out


def _width_table_targets(text: str, cells: list, jurisdiction: str | None, year: int | None) -> list[Target]:
    """An indicator table without serial numbers: rows as wide as its header, columns named by
    it (指标 | 2020年 | 2025年 | 属性, or 指标 | 单位 | 基期值 | 目标值 | 牵头单位)."""
    first_value = next((i for i, c in enumerate(cells) if re.fullmatch(rf"[≥≤>＞<]?{NUM}%?", c.text)), None)
    if first_value is None or first_value < 2:
        return []
    width = first_value - 1
    header = [c.text for c in cells[:width]]
    years = [(i, int(y)) for i, h in enumerate(header) for y in re.findall(r"(20\d{2})\s*年", h)]
    target_col = next((i for i, h in enumerate(header) if "目标" in h), None)
    base_col = next((i for i, h in enumerate(header) if re.search("基期|基数|现状|基准", h)), None)
    if target_col is None and years:
        target_col = max(years, key=lambda x: x[1])[0]
    if base_col is None and len(years) > 1:
        base_col = min(years, key=lambda x: x[1])[0]
    unit_col = next((i for i, h in enumerate(header) if h in ("单位", "计量单位")), None)
    unit_roles = {
        i: ("lead" if "牵头" in h else "responsible")
        for i, h in enumerate(header)
        if "单位" in h and i != unit_col
    }
    if target_col is None:
        return []
    t_year = next((y for i, y in years if i == target_col), year)
    b_year = next((y for i, y in years if i == base_col), None)
    out: list[Target] = []
    body = cells[width:]
    for r in range(0, len(body) - width + 1, width):
        row = body[r : r + width]
        ind = row[0].text
        unit_m = re.search(rf"[(（]({UNITS})[)）]$", ind)
        unit = row[unit_col].text if unit_col is not None else (unit_m.group(1) if unit_m else None)
        if unit_m:
            ind = ind[: unit_m.start()]
        vm = re.search(NUM, row[target_col].text)
        bm = re.search(NUM, row[base_col].text) if base_col is not None else None
        lead: list[str] = []
        resp: list[str] = []
        for i, role in unit_roles.items():
            roles = parse_roles(row[i].text, jurisdiction, first_leads=False, default=role)
            lead += roles.lead
            resp += roles.responsible
        out.append(
            Target(
                indicator=ind.strip(),
                value=_number(vm.group(0)) if vm else None,
                unit=unit if vm or unit else None,
                baseline=_number(bm.group(0)) if bm else None,
                baseline_year=b_year if bm else None,
                target_year=t_year,
                lead=lead,
                responsible=resp,
                span=(row[0].start, row[-1].end),
                quote=text[row[0].start : row[-1].end][:400],
                quote_start=row[0].start,
            )
        )
    return out


GLUED_HEADER = re.compile(r"指标名称[^。\n]{0,40}?(?:目标值|目标)[^。\n]{0,12}?(?:责任单位|牵头单位)")


def glued_table_targets(
    text: str,
    start: int,
    end: int,
    jurisdiction: str | None,
    year: int | None,
    consumed: list[tuple[int, int]],
) -> list[Target]:
    """An indicator table whose cells were glued together by a text export."""
    out: list[Target] = []
    for hm in GLUED_HEADER.finditer(text, start, end):
        header = hm.group(0)
        ym = re.search(r"(20\d{2})\s*年目标", header)
        bm = re.search(r"(20\d{2})\s*年基期|(20\d{2})\s*年(?:现状|基数)", header)
        target_year = int(ym.group(1)) if ym else year
        base_year = int(bm.group(1) or bm.group(2)) if bm else None
        stop = re.compile(r"[一二三四五六七八九十]+、|\n").search(text, hm.end(), end)
        region_end = stop.start() if stop else end
        consumed.append((hm.start(), region_end))
        pos = hm.end()
        for rm in re.finditer(r".{1,400}?(?:按职责分工负责|负责|牵头)(?=[^、，,]|$)", text[pos:region_end]):
            rs, re_ = pos + rm.start(), pos + rm.end()
            t = _glued_row(text, rs, re_, jurisdiction, target_year, base_year)
            if t:
                out.append(t)
    return out


def _glued_row(
    text: str, rs: int, re_: int, jurisdiction: str | None, year: int | None, base_year: int | None
) -> Target | None:
    row = text[rs:re_]
    # where the units start: the first position from which the rest parses as units
    cut = None
    for i in range(2, len(row) - 1):
        if row[i] in "市省县区人各" or re.match(r"[\u4e00-\u9fff]{2,4}(?:市|海关|银保监)", row[i:]):
            roles = parse_roles(row[i:], jurisdiction, first_leads=False)
            if roles.lead or roles.responsible:
                head = row[:i]
                if re.search(r"[\d%)）]$|水平$|增长$|提升$|提高$", head):
                    cut = (i, roles)
                    break
    if cut is None:
        return None
    i, roles = cut
    head = row[:i]
    m = re.match(rf"^(?P<ind>.+?)(?:[(（](?P<unit>{UNITS})[)）])?(?P<nums>[-—\d.]*)$", head)
    if not m:
        return None
    ind, unit, nums = m.group("ind"), m.group("unit"), m.group("nums")
    if not nums:
        # a goal in words (全省先进水平): the unit in brackets still ends the indicator
        wm = re.match(rf"^(?P<ind>.+?)(?:[(（](?P<unit>{UNITS})[)）])[^\d]+$", head)
        if wm:
            ind, unit = wm.group("ind"), wm.group("unit")
    baseline = value = None
    if nums.startswith(("-", "—")):
        value = _number(nums.lstrip("-—")) if nums.lstrip("-—") else None
    elif nums:
        pair = split_glued(nums) if base_year else None
        if pair:
            baseline, value = pair
        else:
            value = _number(nums) if _well_formed(nums) else None
    return Target(
        indicator=ind.strip(),
        value=value,
        unit=unit,
        baseline=baseline,
        baseline_year=base_year if baseline is not None else None,
        target_year=year,
        lead=roles.lead,
        responsible=roles.responsible,
        span=(rs, re_),
        quote=row[:400],
        quote_start=rs,
    )


# Goal verbs before a quantity ("…比重达到13%"); not 不超过 / 不达 (a ceiling in a rule)
GOAL_VERB = (
    r"(?<!不)(?:力争)?(?:达到|(?<![下到抵送传表发通直转])达|超过|突破|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增至|扩大到|扩大至"
    r"|上升到|上升至|升至|保持在|保持|稳定在|控制在|降低到|降低至|下降到|下降至|降至|减少到|减少至|缩短到|缩短至"
    r"|压缩到|压缩至|精简为|缩短为|压缩为|降低为|提高为|提升为|(?:稳居|位居|保持|进入|跻身)(?:全国|全省|全市|全球)?前|扩充到|扩充至|拓展到|拓展至|不低于|不少于|高于|低于|超过|超|至|增长|提高|下降|降低|减少|完成|占|≥)|不高于|不超过"
)
# Verbs of a count placed before what is counted ("建设30家…", "推出100项…", "遴选…20家")
COUNT_VERB = (
    r"(?:新建|改建|扩建|建设|建成|新增|培育|打造|认定|创建|推出|遴选|引进|招引|开发|布局|实施|建立|发布|选树|组建|开通"
    r"|形成|开放|培养|举办|孵化|评选|完成|开展|实现|推动|带动|吸引|储备|扶持|争创|创成|获批|推广|制定|修订"
    r"|培训|服务(?!业)|集聚|改造|新开工|开工|汇聚|提供|支持|加快|滚动发布|滚动开放|申报|新培育|新引进|新认定|累计"
    r"|组织|开办|引留|招聘|招录|吸纳|压缩|缩短|竣工|投产|推进(?=[\d一二两三四五六七八九十百千]))"
)
QTY = QUANTITY.pattern
TASK_AFTER = re.compile(r"([\u4e00-\u9fff“”]{2,16}?)任务")
TOTAL_DONE = re.compile(rf"^{COUNT_VERB}(?=\w{{2,}}(?:总数|总量|总人数)$)")
GOAL_VERB_START = re.compile(GOAL_VERB)
VERB_FIRST = re.compile(
    rf"(?P<ind>[^，,；;。：:|]{{0,60}}?)(?:[较比](?P<by>\d{{4}})年)?(?P<verb>{GOAL_VERB}){QTY}"
)
# a clause that opens with a count verb, after a time or an adverb of intent: "拟遴选…10家",
# "到2025年建成5G基站25万个", "提升完善建成12个…", "新建、改造410万亩…"
TIME_LEAD = r"(?:(?:到|至|在)?\s*20\d{2}\s*年(?:底|末|前|内)?|年底前|年内|每年|全年)"
VERB_LEAD = (
    rf"(?:{TIME_LEAD}|(?:引导|鼓励|带动)[\u4e00-\u9fff]{{1,8}}?(?={COUNT_VERB})"
    # "每个县(区)至少打造1个…": each of a kind of place does the counting
    rf"|每个[^，,；;。\d]{{1,8}}?(?:至少|均)?(?={COUNT_VERB})"
    # whom or where the count is for: "面向重点行业遴选试点10个"
    rf"|(?:面向|围绕|聚焦|针对|依托)[^，,；;。\d]{{1,20}}?(?={COUNT_VERB})"
    r"|全市|全省|全县|全区|全面|提升|完善|进一步|努力|着力|全力|力争|争取|确保|拟|计划|积极|再|共|统筹|大力|重点)"
)
COUNT_HEAD = re.compile(rf"{VERB_LEAD}*{COUNT_VERB}(?:、?{COUNT_VERB})*")
# intent before the number itself: "全年争取4家企业进入…"
INTENT_HEAD = re.compile(rf"{TIME_LEAD}?(?:力争|争取|确保|计划|拟)(?=[\d{CN_DIGITS}])")
COUNT_VERBS = re.compile(COUNT_VERB)
DOING_END = re.compile(rf"(?:{COUNT_VERB}|参加|参与)$")
KEPT_VERB = re.compile(
    r"(?:开放|修复|改造|申报|服务|培训|引进|招引|孵化|举办|储备|扶持|推广|吸引|新开工|压缩|缩短)$"
)
LEADING_BRACKET = re.compile(r"\s*[(（][^()（）]*[)）]\s*")
TIME_PREFIX = re.compile(rf"(?:{TIME_LEAD})+")
QTY_SEP = re.compile(rf"{QUANTITY.pattern}、?")
LEADING_COUNT_VERB = re.compile(rf"^{COUNT_HEAD.pattern}")
ONLY_A_VERB = re.compile(rf"{COUNT_VERB}|{GOAL_VERB}")
QTY_AT_END = re.compile(rf"{QUANTITY.pattern}\s*$")
ITEM_CLOSE = re.compile(r"\s*(?:[、，,。；;！？]|$)")
# where a counted item ends: the next item of the list, or the clause
ITEM_END = re.compile(
    rf"、(?=(?:{COUNT_VERB})?{NUM_PATTERN}|新增)|以及|[和及与](?={NUM_PATTERN}|一批|若干)|[。；;！？]"
)
# a number inside what a batch or a support is given to describes it: "培育一批20万人以上的城市",
# "加大对全市17个产业的投入"
DESCRIBED = re.compile(r"(?:一批|(?:加大|加强|强化|扩大)对)[^、，,；;]*$")
# counted agents that do something: "4家企业进入培育库" counts 进入培育库企业
AGENT_ACTING = re.compile(
    r"^(?P<agent>企业|单位|机构|学校|医院|园区)"
    r"(?P<act>(?:进入|创建|参加|参与|获得|通过|入选|纳入|上市|上云|开展|实施|建立|申报|获评)[^，,；;。]*)$"
)
ITEM_NUMBER = re.compile(r"^\s*[(（][\d一二三四五六七八九十]+[)）]")
BREAKDOWN = re.compile(r"\s*[（(](?:其中[:：]?)?(?P<body>[^()（）]*\d[^()（）]*)[)）]\s*(?:[、。；;！？]|$)")
REACHES = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:达到|符合|满足)[^，,；;。]*(?:要求|标准)$")
HOME_PLACE = re.compile(r"^(?:本|全|我)[市区县省镇]")
SLOGAN_BEFORE = re.compile(r"(?<![\d一二两三四五六七八九])[十百千万][\u4e00-\u9fff]{1,3}$")
SLOGAN_AFTER = re.compile(r"[\u4e00-\u9fff]{1,3}?[十百千万]")
# verbs that bring a thing about, which a bare noun keeps (建成公园, but 加快…高校建设: 高校)
BRINGS_ABOUT = re.compile(r"新建|建成|建设|改建|扩建|打造|创建|培育|开通|组建|新开工|开工|竣工")
WORK_END = re.compile(r"(?<=\w\w)(?:建设|工作)$")
# a duration counts when it measures a period (压缩审批周期2天), not when it sets a time frame
PERIOD_END = re.compile(r"(?:周期|时间|时限|期限|时长|天数)$")
# words before a number that say which or how many, not what: "遴选首批20个…"
QUANTIFIER_WORDS = re.compile(
    r"首批|第[一二三四五六七八九十\d]+批|新|再|共|累计|总计|合计|约|近|超过|超|至少|不少于|不低于"
)
# amounts a policy pays and thresholds it sets are not goals
PAYMENT = re.compile(
    # (每个 before a kind of place shares a count out: 每个县至少建成1个…)
    r"给予|奖励|补助|补贴|资助|奖补|贴息|最高|最低|一次性|不超过|不高于|每家|每户|每人|单笔"
    r"|每个(?!省|市|县|区|乡|镇|街道|社区|村|园区|城市|开发区)"
    r"|应当|可以|不得|调整为|奖金|提取|返还|退还|上浮|下浮|可(?=在|按|由|向)"  # a rule the document lays down
)
THRESHOLD_AFTER = re.compile(r"^(?:以上|以下|及以上)?(?:的|规模|时)")
# a grade (80亿元级项目) or a condition (超过10%时) the number names, whatever its qualifier
GRADE_AFTER = re.compile(r"^[亿万千百]?级|^时")
FLOORS = frozenset({"不低于", "不少于", "不高于", "不超过"})
# a sentence that lays down a rule: its floors and ceilings are the rule's, not goals
RULE_WORD = re.compile(r"(?<![供适响对相反效])应(?![用急])")
RULE_SENTENCE = re.compile(rf"原则上|应当|{RULE_WORD.pattern}|必须|须|的[，,]")
TREATMENT = re.compile(r"\s*对(?!标|外|接|口|照)")
PERIODIC = re.compile(r"\s*(?:每年度|每季度|每半年|每月)")
PRESENT = re.compile(r"\s*(?:目前|当前|现阶段|现有)")
STATUS_AS_OF = re.compile(r"(?:截至|截止)(?:到)?\s*(20\d{2})\s*年")
GOAL_YEAR = re.compile(r"到\s*(20\d{2})\s*年|(20\d{2})\s*年(?:底|末|前)")
DISTRIBUTE = re.compile(r"分别|(?<![人户亩日])均|都|各")
INDICATOR_STOP = re.compile(r"^[的和及与、]|^(?:其中|并|且|同时)$")


def sentence_targets(
    text: str, start: int, end: int, year: int | None, consumed: list[tuple[int, int]]
) -> list[Target]:
    """Goals with a number in running text: in 主要目标 paragraphs and inside tasks alike."""
    skip = Ranges([*consumed, *past_ranges(text, start, end)])
    out: list[Target] = []
    last_year: int | None = None
    listing = False  # a list of goals runs on over "；": 目标包括：(1)…；(2)…；(3)…
    for s, e in sentences(text, start, end):
        if skip.overlaps(s, e):
            continue
        sent = text[s:e]
        if PRESENT.match(sent) and not GOAL_SENTENCE.search(sent):
            continue  # "目前…能力提升至900吨/日": where things stand now
        ym = GOAL_YEAR.search(sent) if "20" in sent else None
        if ym:
            last_year = int(ym.group(1) or ym.group(2))
        counts = QUANTITY.search(sent)
        as_of = STATUS_AS_OF.search(sent) if "截" in sent else None
        if counts and as_of and (year is None or int(as_of.group(1)) < year):
            continue  # "截至2020年底，全区县道总里程427公里，桥梁371座": where things stand
        ends_in_list = sent[-1] in "；;：:"
        goal = bool(counts or ends_in_list) and (listing or bool(GOAL_SENTENCE.search(sent)))
        rule = not goal and "不" in sent and bool(RULE_SENTENCE.search(sent))  # (floors all say 不)
        listing = goal and ends_in_list
        if not counts:
            continue
        t_year = last_year or year
        carry: str | None = None
        verb = None  # "新增A3个，B10个": the sentence's first count verb governs later clauses
        carry_object: str | None = None
        for cs, ce in split_top_level(sent, "，,；;|"):  # a table cell is a clause too
            # a bracket that opens the clause — the units of the task before ("。(责任单位:A)新培育…")
            # or an item number — is not part of the goal
            opening = LEADING_BRACKET.match(sent, cs, ce)
            cs = opening.end() if opening else cs
            clause = sent[cs:ce]
            if PAST.search(clause) or _past_year(clause, year):
                continue
            head = COUNT_HEAD.match(clause)
            verb = head.group(0) if head else verb
            if carry_object and PERIODIC.match(clause):
                carry = carry_object  # "组织展销会、博览会，每年度不少于2次": how often, of what
            found = clause_targets(clause, verb, goal, carry, rule)
            # what the clause speaks of, even where its figure is not a goal (a rule's ceiling)
            carry = found[-1][0] if found else (_subject(clause) if rule else None)
            carry_object = None if found else _object(clause)
            for ind, value, unit, by, (ms, me) in found:
                out.append(
                    Target(
                        indicator=ind,
                        value=value,
                        unit=unit,
                        baseline_year=by,
                        target_year=t_year,
                        span=(s + cs + ms, s + cs + me),
                        quote=sent[:400],
                        quote_start=s,
                    )
                )
    return out


def _subject(clause: str) -> str | None:
    m = VERB_FIRST.search(clause)
    ind = _clean_indicator(QTY_SEP.split(m.group("ind"))[-1]) if m else ""
    return ind if _indicator_ok(ind) else None


def _object(clause: str) -> str | None:
    """What a clause with a count verb and no number speaks of, for the clause after it:
    "组织房地产展销会、博览会，每年度不少于2次"."""
    head = COUNT_HEAD.match(clause)
    if not head or QUANTITY.search(clause):
        return None
    ind = _clean_indicator(clause[head.end() :])
    return ind if _indicator_ok(ind) and len(ind) <= 30 else None


def _past_year(clause: str, year: int | None) -> bool:
    """A clause about a year before the plan's own period (2020年全省…达到…)."""
    years = [int(y) for y in re.findall(r"(20\d{2})\s*年(?!前|底|末)", clause)]
    return bool(year and years and max(years) < year - 5)


def clause_targets(
    clause: str, verb: str | None = None, goal: bool = False, carry: str | None = None, rule: bool = False
) -> list[tuple[str, float | int | None, str, int | None, tuple[int, int]]]:
    """(indicator, value, unit, baseline year, span) of each goal in one clause; `verb` is a
    count verb an earlier clause of the sentence opened with, `goal` says the sentence states
    goals (到2025年, 力争, 全年), so a bare "A 1亿亩以上" counts; `carry` is the indicator of the
    clause before, for one that opens with its verb ("…总额完成310亿元，增长3%")."""
    if TREATMENT.match(clause):
        return []  # "对…的企业，…": whom a measure treats, and how, is not a goal
    paid = PAYMENT.search(clause)
    if paid and not (paid.group() in ("不高于", "不超过") and clause[: paid.start()].endswith("率")):
        return []  # (a rate held under a ceiling, 平均担保费率不高于1%, is a goal)
    out = []
    taken: list[tuple[int, int]] = []
    prev: tuple[str, int] | None = (carry, 0) if carry else None  # the last goal's indicator, end
    for m in VERB_FIRST.finditer(clause):
        if _threshold(clause, m) or clause.startswith(("的", "比例"), m.end()):
            continue  # "…提高至40%以上的政策", "拿出不低于30%比例": the figure describes what follows
        if rule and m.group("verb") in FLOORS:
            taken.append(m.span())
            continue  # "预付款比例原则上不低于50%": a floor a rule sets
        if m.group("verb") in ("超", "超过", "不少于", "不低于") and DOING_END.search(m.group("ind")):
            continue  # "支持企业参加超150个展会": 超 says how many of what follows, counted below
        value, unit = quantity(m)
        ind = _clean_indicator(QTY_SEP.split(m.group("ind"))[-1])
        if ind.endswith(("总数", "总量", "总人数")):
            ind = TOTAL_DONE.sub("", ind)  # "培育A总数达到…": the total is of A
        if m.group("verb") == "占" and ind:
            ind += "占比"  # "其中工业项目到位资金占52%": a share
        task = TASK_AFTER.match(clause, m.end())
        if m.group("verb") == "完成" and task:
            ind = task.group(1)  # "全面完成276万亩秋覆膜任务": what is completed follows the number
        if not _indicator_ok(ind) and prev and prev[1] == m.start() and len(m.group("ind").strip("、 ")) <= 6:
            ind = prev[0]  # "总额突破3万亿元、年均增长9%": the same indicator goes on
        elif prev and prev[1] == m.start() and _names_only_whom(ind) and _indicator_ok(ind):
            ind = _same_measure(prev[0], ind)
        if (unit.endswith("元") and PAID.search(ind)) or "元/" in unit:
            taken.append(m.span())  # money paid, per head or as a ceiling: no later reading either
            continue
        if not _indicator_ok(ind):
            if ind and not ONLY_A_VERB.fullmatch(ind):
                taken.append(m.span())  # "比例达到40%": the goal's subject is not said
            continue
        prev = (ind, m.end())
        by = int(m.group("by")) if m.group("by") else None
        values = _values_after(m, clause)
        # "马铃薯种植、收获机械化率均达到45%", "…分别达到65%和55%": one goal per element
        shared = DISTRIBUTE.search(m.group("ind")[-2:])  # before _clean_indicator drops it
        parts = _distribute(ind, len(values)) if shared else None
        if parts:
            values = values * len(parts) if len(values) == 1 else values
            out += [(part, v, unit, by, m.span()) for part, v in zip(parts, values, strict=True)]
        else:
            out.append((ind, value, unit, by, m.span()))
        taken.append(m.span())
    head = COUNT_HEAD.match(clause) or INTENT_HEAD.match(clause)
    if head or verb or (goal and not taken):
        opened = (head.group(0) if head else verb) or ""
        verbs = COUNT_VERBS.findall(opened) if head else []
        prefix = _said_verb(opened) if head else ("新增" if opened.endswith("新增") else "")
        # with no verb, only "A 1亿亩以上" items: a bare number before a noun is a description
        doing = "".join(verbs)
        out += _counted_items(clause, head.end() if head else 0, taken, prefix, not (head or verb), doing)
    return out


def _slogan(clause: str, m: re.Match[str]) -> bool:
    """ "百城建百园", "千企万项": round numerals that name a campaign, not a count."""
    if not (m.group("num") and m.group("num")[0] in "十百千万"):
        return False
    return bool(SLOGAN_BEFORE.search(clause, 0, m.start()) or SLOGAN_AFTER.match(clause, m.end()))


def _parts(clause: str, parts_of: re.Match[str], whole: str) -> list:
    """The parts of a count in brackets after it: "（甲5个、乙4个）" of 项目 → 甲项目 5, 乙项目 4."""
    out = []
    start = parts_of.start("body")
    for q in QUANTITY.finditer(clause, start, parts_of.end("body")):
        name = clause[start : q.start()].strip("、，, ")
        if name and len(name) <= 12:
            value, unit = quantity(q)
            out.append((name + whole, value, unit, None, q.span()))
        start = q.end()
    return out


def _bare_noun(ind: str) -> bool:
    """One word of a thing (公园, 绿道): not a measure of something unnamed (面积) or a verb."""
    return (
        0 < len(re.sub(r"\W", "", ind)) <= 2
        and not HEAD_NOUN.fullmatch(ind)
        and not ONLY_A_VERB.fullmatch(ind)
    )


def _said_verb(opened: str) -> str:
    """The verb that is part of what is counted: 新增 (new ones), or a single verb that says
    what is done to them (开放, 修复); 建成, 培育 and the like only bring them about, and with
    two verbs (新开工改造28个老旧小区) they say when, not what."""
    if opened.endswith("新增"):
        return "新增"
    verbs = COUNT_VERBS.findall(opened)
    return verbs[0] if len(verbs) == 1 and KEPT_VERB.search(verbs[0]) else ""


def _counted_items(
    clause: str,
    pos: int,
    taken: list[tuple[int, int]],
    prefix: str = "",
    bare: bool = False,
    doing: str = "",
) -> list[tuple[str, float | int | None, str, int | None, tuple[int, int]]]:
    """The items a count verb governs, each "NUM UNIT what" (建设30家…) or "what NUM UNIT"
    (新增贯标单位1万家): "加快12个A、26个B以及C建设", "新增A1万家、B1000家". `prefix` (新增)
    is part of what each item counts; `doing` is the clause's count verbs (完成改造), which
    say what is counted when nothing else does and qualify a bare noun (建成…公园)."""
    out = []
    waiting: list[int] = []  # "A NUM" items that a noun after a later item may complete
    counted = ""  # what the last "A NUM" item counted, without its verb
    item_start = pos
    for m in QUANTITY.finditer(clause, pos):
        if m.start() < item_start:
            continue  # inside the item before: "新增50亿元工业企业1家"
        quoted = clause.count("“", 0, m.start()) > clause.count("”", 0, m.start())
        described = DESCRIBED.search(clause[pos : m.start()]) or _slogan(clause, m)
        if (
            any(a < m.end() and m.start() < b for a, b in taken)
            or _threshold(clause, m)
            or quoted
            or described
        ):
            item_start = m.end()
            continue  # a slogan ("1+N"保护格局 in quotes, 百城建百园) or a description counts nothing
        value, unit = quantity(m)
        # (after a colon, and without an item number: "目标包括：（1）A12个")
        before = clause[item_start : m.start()].rsplit("：", 1)[-1]
        if before[:1] in "(（":
            before = ITEM_NUMBER.sub("", before)
        before = re.sub(r"^(?:以及|及|和|与)", "", before.strip("、 "))
        stop = ITEM_END.search(clause, m.end())
        end = stop.start() if stop else len(clause)
        last = re.match(r"\s*(?:[、。；;！？]|$)", clause[m.end() :])  # "…A1万家、B…": number last
        # "A共计9个（甲5个、乙4个）": the number last, then its parts
        parts_of = None if last else BREAKDOWN.match(clause, m.end())
        last = last or parts_of
        # "50亿元工业企业1家、…": the count that closes this item (the next one may follow
        # after "、" without a number of its own: "…、专精特新企业2家")
        inner = next(
            (q for q in QUANTITY.finditer(clause, m.end(), end) if ITEM_CLOSE.match(clause, q.end())), None
        )
        if last and before and not QUANTIFIER_WORDS.fullmatch(before):
            # "建成智慧岛30个": the verb is not what is counted (新增 is: prefix)
            # the item's own 新增 counts new ones too: "完成培训4万人次、新增技能人才2.2万人"
            own = LEADING_COUNT_VERB.match(before)
            if own:  # the item's own verb stands for the clause's
                said = _said_verb(own.group(0))
                noun = WORK_END.sub("", _clean_indicator(before[own.end() :]))
                if noun:
                    ind = said + noun
                else:  # "新开工A项目2600个、竣工1200个": it counts what the item before counted
                    ind = COUNT_VERBS.findall(own.group(0))[-1] + counted if counted else ""
            else:
                ind = WORK_END.sub("", _clean_indicator(prefix + before))  # "实施A建设4.78平方公里": A's area
                noun = ind.removeprefix(prefix)
            counted = noun or counted
            end = m.end()
            parts = _distribute(ind, 1) if DISTRIBUTE.search(before[-2:]) else None
            if parts and unit not in DURATIONS:
                # "开工、投产项目各200个": one goal per element
                out += [(part, value, unit, None, (m.start(), end)) for part in parts]
                item_start = end
                continue
            if _indicator_ok(ind) and unit not in DURATIONS:
                waiting.append(len(out))
        elif last and not before and len(COUNT_VERBS.findall(doing)) > 1:
            ind = doing  # "完成改造1100户": the verbs say what is counted
        elif bare and REACHES.match(clause, m.end(), end):
            # "建成区40%以上面积达到…要求": how much of a thing meets a standard
            ind = _clean_indicator(HOME_PLACE.sub("", before) + clause[m.end() : end])
        elif bare:
            ind = ""
        elif inner and not before:
            # "50亿元工业企业1家": a quantity that qualifies what is counted, then the count
            ind = _clean_indicator(prefix + clause[m.start() : inner.start()])
            value, unit = quantity(inner)
            end = inner.end()
        elif clause[m.end() : end].strip() and not GOAL_VERB_START.match(clause, m.end()):
            # the number first ("建设30家…", "A、B等10个…"): what is counted runs to the next item
            # (not a change from one figure to another: "实施由3%降至1%的政策")
            ind = COUNTED_NOUN_END.split(clause[m.end() : end])[0].removeprefix("的")
            acting = AGENT_ACTING.match(ind)
            if acting:  # "4家企业进入培育库": the companies that enter it are counted
                ind = acting.group("act") + acting.group("agent")
            if MODIFIER_START.match(ind) and "的" not in ind:
                ind = ""  # "培育60家掌握…技术，…的企业": what is counted stands further on
            if "的" in ind and "、" in ind.rsplit("的", 1)[0]:
                ind = ind.rsplit("的", 1)[1]  # "20个技术先进、场景适配的数据集": what, not how
            # a kept verb right before the number leads here too (开放50个应用场景); 新增 does not:
            # "新增30家X" counts X
            between = clause[pos : m.start()]
            lead = prefix if prefix != "新增" and (not between or QUANTIFIER_WORDS.fullmatch(between)) else ""
            # "…260万亩高标准农田建设任务": the task of building it counts the fields
            ind = (
                ind.removesuffix("任务")
                if ind.endswith("建设任务")
                else re.sub(r"(?:建设|工作|等|进度)+$", "", ind)  # (…4所高校建设进度: the schools)
            )
            ind = _clean_indicator(lead + ind)
            if waiting and before and not before.endswith("等") and ind:
                # "A1ms、B3ms、C5ms低时延圈": the noun after the last number is every item's
                head = ind
                ind = _clean_indicator(prefix + before) + head
                for k in waiting:
                    out[k] = (out[k][0] + head, *out[k][1:])
            waiting = []
        else:
            ind = ""
        if doing and not prefix and _bare_noun(ind) and BRINGS_ABOUT.fullmatch(doing):
            ind = doing + ind  # "建成230座公园": a bare noun says too little without its verb
        if (unit not in DURATIONS or PERIOD_END.search(ind)) and _indicator_ok(ind):
            out.append((ind, value, unit, None, (m.start(), end)))
            if parts_of:
                out += _parts(clause, parts_of, ind.removeprefix(prefix))
                end = parts_of.end("body")
        item_start = end
    return out


def _values_after(m: re.Match[str], clause: str) -> list:
    """The values of "分别达到65%和55%": this match's and those joined to it by 、/和."""
    vals = [quantity(m)[0]]
    pos = m.end()
    while True:
        x = re.compile(rf"[、和及]{QTY}").match(clause, pos)
        if not x:
            return vals
        vals.append(quantity(x)[0])
        pos = x.end()


HEAD_NOUN = re.compile(
    r"(?:比重|占比|比例|增速|增幅|幅度|增长率|覆盖率|普及率|总额|总量|规模|数量|面积|产值|增加值|收入)$"
)


def _distribute(ind: str, n_values: int) -> list[str] | None:
    """ "花生种植、收获机械化率" with 分别/均 → 花生种植机械化率, 花生收获机械化率: coordinated
    elements share what stands before the first and after the last."""
    ind = re.sub(r"(?:分别|均|都|各)$", "", ind)
    parts = [ind[a:b] for a, b in split_top_level(ind, "、和及")]
    if len(parts) < 2 or (n_values > 1 and n_values != len(parts)):
        return _distribute_subjects(ind, n_values)
    first, last = parts[0], parts[-1]
    # elements that end alike share what follows them (制造业、服务业增加值…)
    same_end = [k for k in range(2, min(len(first), len(last) - 2) + 1) if last[k - 1] == first[-1]]
    head = HEAD_NOUN.search(last)
    if not same_end and head and len(last) - len(head.group(0)) >= 2 and not HEAD_NOUN.search(first):
        # "占地方生产总值和服务业比重": only the head noun is shared
        # …and the whole before 占 (金融业增加值占地方生产总值和服务业比重)
        share = first[: first.index("占") + 1] if "占" in first and "占" not in last else ""
        return [p + head.group(0) for p in parts[:-1]] + [share + last]
    # else elements alike in length: two characters (花生种植、收获机械化率)
    k = len(parts[1]) if len(parts) > 2 else (same_end[0] if same_end else 2)
    if len(first) < k or len(last) <= k + 1:
        return None
    # a time word before the first element is all the elements share: 每年新签约、开工…
    when = TIME_PREFIX.match(first)
    cut = when.end() if when and len(parts) > 2 and when.end() < len(first) else len(first) - k
    prefix, suffix = first[:cut], last[k:]
    elements = [first[cut:], *parts[1:-1], last[:k]]
    return [prefix + el + suffix for el in elements]


def _distribute_subjects(ind: str, n_values: int) -> list[str] | None:
    """ "A和B在新建、改建绿地的应用比例分别达到80%、50%": subjects joined by 和 share what is
    said of them (from 在/占/的 on), though that says more in lists of its own."""
    parts = [ind[a:b] for a, b in split_top_level(ind, "和及与")]
    if len(parts) < 2 or (n_values > 1 and n_values != len(parts)):
        return None
    said = SAID_OF.search(parts[-1])
    if not said or said.start() < 2 or any(SAID_OF.search(p) for p in parts[:-1]):
        return None
    shared = parts[-1][said.start() :]
    return [p + shared for p in parts[:-1]] + [parts[-1]]


SAID_OF = re.compile(r"[在占的]")


def _names_only_whom(ind: str) -> bool:
    """At most four word characters ("乡道"): whom a measure is for, not a measure."""
    return len(re.sub(r"\W", "", ind)) <= 4


def _same_measure(before: str, ind: str) -> str:
    """ "养护比例县道不低于13%、乡道不低于8%": the second (`_names_only_whom`, as the caller
    checks) names only whom the measure of the first is for, so it is the same measure (比例)
    for them."""
    measure = None if HEAD_NOUN.search(ind) else _last_measure(before)
    return before[: measure.end()] + ind if measure else ind


def _last_measure(ind: str) -> re.Match[str] | None:
    found = [m for m in MEASURE_IN.finditer(ind) if 0 < len(ind) - m.end() <= 4]
    return found[-1] if found else None


MEASURE_IN = re.compile(HEAD_NOUN.pattern.removesuffix("$") + r"|率")


def _threshold(clause: str, m: re.Match[str]) -> bool:
    """ "投资额1亿元以上的项目": a bar a policy sets, not a goal."""
    after = clause[m.end() :]
    return bool(GRADE_AFTER.match(after)) or (bool(THRESHOLD_AFTER.match(after)) and not m.group("qual"))


def _indicator_ok(ind: str) -> bool:
    words = re.sub(rf"[^{CJK}A-Za-z]", "", ind)
    return (
        len(words) >= 2
        and not HEAD_NOUN.fullmatch(words)  # "比例达到40%": a share of what is not said
        # a value a rule sets (报销比例为85%, 不低于评估价的20%), what a policy does for whom
        # (对…项目), and what someone shall do (路长应组织巡查) are not goals
        and not ind.endswith(("为", "的", *FLOORS))  # "比例不低于30%": whose share is not said
        and not ind.startswith("对")
        and not RULE_WORD.search(ind)
        and not INDICATOR_STOP.search(ind)
        and not ONLY_A_VERB.fullmatch(words)
        and not QTY_AT_END.search(ind)  # "产值20亿元": what is counted is missing
    )


def extract_targets(
    text: str, start: int, end: int, title: str | None, jurisdiction: str | None, tables: list[Table]
) -> list[Target]:
    year = _period_end(text, start, end, title)
    found: list[Target] = []
    consumed: list[tuple[int, int]] = [(t.start, t.end) for t in tables]
    for table in tables:
        found += table_targets(text, table, jurisdiction, year)
    found += glued_table_targets(text, start, end, jurisdiction, year, consumed)
    kept: list[Target] = []
    for t in found:
        if not any(same_target(t, k) for k in kept):
            kept.append(t)
    tabled = len(kept)
    # a goal of the text that a table already states is one goal; two goals of the text are
    # one only when they say the same
    for t in sentence_targets(text, start, end, year, consumed):
        if any(same_target(t, k) for k in kept[:tabled]) or any(
            (t.indicator, t.value, t.unit) == (k.indicator, k.value, k.unit) for k in kept[tabled:]
        ):
            continue
        kept.append(t)
    return kept
