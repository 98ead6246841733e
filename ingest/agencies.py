"""Agency names: recognising a list of units and writing each in its canonical form.

Canonical form (corpus/SCHEMA.md): the jurisdiction prefix written out (市市场监管局 in a
遵义 document → 遵义市市场监督管理局), common abbreviations expanded (data/agency_abbreviations.tsv),
a second name in brackets dropped (市市场监管局(市知识产权局) → 遵义市市场监督管理局), national
bodies kept as they are, collective units (各县(市、区)人民政府) kept with the prefix.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from policykg.ingest.places import COUNTY_RE, Place, gazetteer, place_prefix
from policykg.ingest.text import CJK, remove_bracketed, split_top_level

# What an agency name ends with (after dropping bracketed parts).
AGENCY_SUFFIX = re.compile(
    r"(局|委|委员会|办|办公室|厅|部|部门|院|会|政府|管委会|中心|支行|中支|分行|银行|分局|海关|单位|小组|集团|公司|协会"
    r"|联合会|商会|所|站|署|总队|支队|大队|团|处|各区|各县|各镇|街道|办事处|工委|党委|联社"
    r"|工商联|妇联|残联|侨联|文联|科协|社科联)$"
)
NATIONAL_PREFIX = re.compile(r"^(国家|国务院|中共中央|党中央|中央|全国|最高人民|中国|中华人民共和国)")
# Words that never occur inside a unit name but do occur in the text around lists of units.
NOT_A_UNIT = re.compile(
    r"负责|牵头|配合|参与|按照|职责|分工|实施|落实|推进|开展|加强|建立|完善|做好|以及|要|的"
)
# role words after the last unit of a list ("…各省级人民政府负责", "A、B等有关部门按职责分工负责")
_ROLE_WORD_LIST = (
    *("负责牵头", "牵头负责", "牵头", "按职责分工负责", "分工负责", "共同负责", "负责", "配合", "参与"),
    *("协同", "指导", "结合实际", "落实", "组织", "按职责"),
    *(f"等{whose}{what}" for whose in ("", "有关", "相关", "其他") for what in ("", "部门", "单位")),
)
ROLE_WORDS = re.compile(f"(?:{'|'.join(_ROLE_WORD_LIST)})+$")
# the last characters role words can end with: a piece ending otherwise has none (a fast test
# before ROLE_WORDS, which is tried at every position of every list item)
ROLE_WORD_ENDS = frozenset(word[-1] for word in _ROLE_WORD_LIST)
# one item of a list of units, without its conjunction and a trailing 等(部门)
LIST_ITEM = re.compile(r"(?:以及|及|和|与|由)?(.*?)(?:等(?:有关|相关|其他)?(?:部门|单位)?)?$")
# a kind of place after a collective, as in 各区、县级市: one collective unit, not two items
# (a zone is a unit of its own, governed by its committee: 各街镇、开发区 are two; so is a kind
# with its own bracket, 各区、县(市)人民政府: the governments of each district and each county)
PLACE_KIND = re.compile(
    r"(?:县级市|县市区|县区|市区|县|区|市|州|盟|旗|特区|乡镇|镇|乡|街道|街镇)(?:人民政府|政府)?"
)
ROUND_BRACKETS = str.maketrans("〔〕［］", "()()")
LOWER_KINDS = re.compile(r"^(?:市州|县市区|市县|县市|县区|市区)(?:人民政府|政府)")
YOUTH_LEAGUE = re.compile(r"^团([省市县区])委$")
COMPANY = re.compile(r"(?:公司|集团)$")
PBOC_BRANCH = re.compile(
    rf"^(?:中国)?(?:人民银行|人行)([{CJK}]{{2,8}}?)(市)?"
    r"(中心支行|中支|支行|分行营业管理部|分行营管部|营业管理部|营管部|分行)$"
)
# Words shaped like places that name a kind of place, not a place: never a prefix.
# Kinds of zone that govern like a place: a unit written 示范区X in the zone's own document
ZONE_WORDS = (
    "高新技术产业开发区",
    "经济技术开发区",
    "示范区",
    "经济开发区",
    "旅游度假区",
    "开发区",
    "高新区",
    "经开区",
    "新区",
    "试验区",
    "自贸区",
)
ZONE_END = re.compile("(?:" + "|".join(ZONE_WORDS) + ")$")
PSEUDO_PLACES = ("设区市", "县级市", "地级市", "各市", "本市", "全市", "我市", "本省", "全省", "我省")
OCR_FIXES = {"教肓": "教育", "监菅": "监管", "市埸": "市场"}


@lru_cache(maxsize=1)
def _abbreviations() -> list[tuple[str, str]]:
    text = resources.files("policykg.ingest").joinpath("data/agency_abbreviations.tsv").read_text("utf-8")
    pairs = [tuple(line.split("\t")[:2]) for line in text.splitlines() if line and not line.startswith("#")]
    return sorted(((a.strip(), b.strip()) for a, b in pairs), key=lambda p: len(p[0]), reverse=True)


@lru_cache(maxsize=1)
def _national_table() -> tuple[dict[str, str], frozenset[str]]:
    """{name: canonical} of national bodies and the names read as national only in a national
    document (data/national_agencies.tsv)."""
    text = resources.files("policykg.ingest").joinpath("data/national_agencies.tsv").read_text("utf-8")
    canonical: dict[str, str] = {}
    local: set[str] = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, others, scope = [*line.split("\t"), "", ""][:3]
        canonical[name.strip()] = name.strip()
        for other in filter(None, (o.strip() for o in others.split(","))):
            canonical[other] = name.strip()
            if scope.strip() == "local":
                local.add(other)
    return canonical, frozenset(local)


def national_agencies() -> frozenset[str]:
    """Every name (canonical or other) of a national body."""
    return frozenset(_national_table()[0])


def national_name(name: str, national_document: bool) -> str | None:
    """The canonical name of a national body written `name`, or None. Names that local bodies
    share (发改委, 统计局) count only in a national document."""
    canonical, local = _national_table()
    if name in local and not national_document:
        return None
    return canonical.get(name)


@lru_cache(maxsize=65536)
def is_agency(name: str) -> bool:
    """Does this look like the name of a unit (agency, government, collective of units)?"""
    core = remove_bracketed(name).strip()
    if not 2 <= len(core) <= 40 or NOT_A_UNIT.search(core):
        return False
    if not re.fullmatch(rf"[{CJK}A-Za-z0-9()（）、·]+", core):
        return False
    # (a zone named alone in a list of units stands for its committee: 各街镇、开发区)
    return (
        bool(AGENCY_SUFFIX.search(core))
        or core.startswith("各")
        or core in ZONE_WORDS
        or core in _national_table()[0]
    )


def split_units(text: str) -> list[tuple[int, int]]:
    """Spans of the units in a list such as 市发改委、市科技局,各县(市、区)人民政府等.
    和/及/与 split two units only where both sides are units (市工业和能源局 stays whole)."""
    out = []
    for s, e in split_top_level(text, "、，,;；/"):
        if e - s > 80:  # no unit name is that long; skip prose (and keep the match linear)
            continue
        m = LIST_ITEM.match(text, s, e)
        if not m or m.end(1) <= m.start(1):
            continue
        s, e = m.start(1), m.end(1)
        piece = text[s:e]
        if out and text[out[-1][0]] == "各" and PLACE_KIND.fullmatch(ROLE_WORDS.sub("", piece)):
            out[-1] = (out[-1][0], e)  # 各区、县级市: the collective goes on
            continue
        cut = next(
            (
                i
                for i in range(1, len(piece) - 1)
                if piece[i] in "和及与"
                and piece[i + 1] in "市省县区各"
                and is_agency(piece[:i].removesuffix("等"))
                and is_agency(ROLE_WORDS.sub("", piece[i + 1 :]))
            ),
            None,
        )
        if cut is None:
            out.append((s, e))
        else:
            left = s + cut - (piece[cut - 1] == "等")  # "A等和各省级人民政府"
            out += [(s, left), (s + cut + 1, e)]
    return out


@lru_cache(maxsize=8192)
@lru_cache(maxsize=65536)
def canonical_agency(name: str, jurisdiction: str | None) -> str:
    """The canonical name of a unit as written in a document of `jurisdiction` (e.g. 遵义市)."""
    canonical = _canonical(name, jurisdiction)
    if "法院" in canonical:
        place = place_prefix(canonical)
        return _court(canonical, place.level if place else None)
    return canonical


def _canonical(name: str, jurisdiction: str | None) -> str:
    raw = re.sub(r"\s+", "", name).translate(ROUND_BRACKETS)  # 各市〔州〕 is 各市(州)
    raw = re.sub(r"[(（](?:牵头|牵头单位|配合|责任单位|主办|协办)[)）]", "", raw)  # a role mark, not a name
    for wrong, right in OCR_FIXES.items():
        raw = raw.replace(wrong, right)
    # a collective keeps its wording: 各镇(街)人民政府(办事处)
    core = remove_bracketed(raw) if _bracket_is_second_name(raw) and not raw.startswith("各") else raw
    core = re.sub(r"(局)局$", r"\1", core)  # "(知识产权局)局" leaves a doubled 局
    team = YOUTH_LEAGUE.match(core)
    if team:  # 团市委: the Communist Youth League committee of the place the letter names
        place_of = _canonical(team.group(1) + "委", jurisdiction).removesuffix("委")
        return f"共青团{place_of}委员会" if len(place_of) > 1 and place_of[-1] in "省市县区州" else core
    m = PBOC_BRANCH.match(core)
    if m:
        where = m.group(1) + (m.group(2) or "")
        # a branch is named by its place as written (南京分行, 贵阳中心支行); 中支, an
        # abbreviation, by the city's full name
        if m.group(3) == "中支" and not where.endswith(("省", "市", "区", "州")):
            known = gazetteer().get(where)
            where = known.name if known else where + "市"
        branch = m.group(3).replace("中支", "中心支行").replace("营管部", "营业管理部")
        return f"中国人民银行{where}{branch}"
    place = gazetteer().get(jurisdiction) if jurisdiction else None
    national_document = place is not None and place.level == "national"
    national = national_name(core, national_document)
    if national:
        return national
    if NATIONAL_PREFIX.match(core):
        return core
    if national_document:
        # a central document names central bodies and collectives (各省级人民政府) as they are
        return core
    jur = _unit_prefix(place) if place else jurisdiction
    zone = next((w for w in ZONE_WORDS if core.startswith(w) and (jur or "").endswith(w)), None)
    if zone and jur:
        return jur + _expand(core[len(zone) :])  # 示范区商务局 in a 济源示范区 document
    city = _zone_city(jur) if place is None and jur else None
    if city is not None and core.startswith("市"):
        return _unit_prefix(city) + _expand(core[1:])  # 市科学院 in a 济源示范区 document: 济源市
    if city is not None and core in ZONE_WORDS:
        return (city.short[-1] if city.short else city.name) + core  # its 高新技术产业开发区
    prefixed = None if core.startswith(PSEUDO_PLACES) else place_prefix(core)
    if prefixed is not None and core.startswith(prefixed.name):
        listed = prefixed.name in gazetteer().by_name
        if place is not None and not listed and gazetteer().get(prefixed.name) is place:
            return place.name + _expand(core[len(prefixed.name) :])  # 黄浦区… in a 上海市黄浦区 document
        if not listed and prefixed.level == "county" and jur and jur != prefixed.name:
            named = gazetteer().prefix_re.match(core)
            if named and named.group(0) in gazetteer().by_short and ZONE_END.search(prefixed.name):
                return core  # 楚雄高新区管委会: a zone named by its city's short name
            return jur + core  # 红花岗区人民政府 in a 遵义 document
        return prefixed.name + _expand(core[len(prefixed.name) :])
    short = gazetteer().prefix_re.match(core)
    if short and short.group(0) in gazetteer().by_short and not core.startswith(("市", "省", "县", "区")):
        return core  # 遵义银保监分局, 保定海关: the place is already named
    if place is not None and any(
        core.startswith(s) for s in place.short if not s.endswith(("县", "区", "市", "旗"))
    ):
        return core  # 广昌金融监管支局 in a 广昌县 document: the county's short name is there
    if not jur:
        return core[0] + _expand(core[1:]) if core[:1] in "市省县区" else _expand(core)
    if COMPANY.search(core) and core[:1] not in "市省县区":
        return core  # 新城公司, 交能集团: a company is not a body of the place, nothing implies one
    if core.startswith("市") and jur.endswith(("市", "州", "盟")):
        return jur + _expand(core[1:])
    if core.startswith(("州", "盟")) and jur.endswith(core[0]):
        return jur + _expand(core[1:])  # 州税务局 in a 楚雄州 document
    if core.startswith("省") and jur.endswith(("省", "区")):
        return jur + _expand(core[1:])
    if core.startswith(("县", "区")) and jur.endswith(("县", "区")):
        return jur + _expand(core[1:])
    if LOWER_KINDS.match(core):
        return jur + core  # 市州人民政府 in a province's document: the governments below it
    if core.startswith(("市", "省")) and place is not None:
        # 省市场监管局 in a city document: the province the city belongs to
        for up in gazetteer().chain(place.name)[1:]:
            if core[0] == "省" and up.level == "provincial":
                return up.name + _expand(core[1:])
        return core[0] + _expand(core[1:])
    county = COUNTY_RE.match(core)
    if county and county.end() < len(core) and not core.startswith("各"):
        return jur + core  # 红花岗区人民政府 in a 遵义 document
    stem = re.sub(r"(?:省|市|县|区|州|盟|旗|示范区|新区|开发区|高新区)$", "", jur)
    if len(stem) >= 2 and core.startswith(stem):
        return _expand(core)  # 济源产城融合示范区管理委员会 in a 济源示范区 document: named already
    return jur + _expand(core)


def _zone_city(jurisdiction: str) -> Place | None:
    """The city a zone's document belongs to: 济源示范区 → 济源市 (the zone named by its city)."""
    stem = ZONE_END.sub("", jurisdiction)
    if stem == jurisdiction or len(stem) < 2:
        return None
    city = gazetteer().get(stem)
    return city if city is not None and city.name.endswith("市") else None


def _unit_prefix(place: Place) -> str:
    """The place a unit's name starts with: a county or county-level city by its own name
    (武宁县住房和城乡建设局, 仁怀市财政局), a district with its city (遵义市红花岗区财政局), as
    their units are officially named."""
    own = place.short[0] if place.short else ""
    if (
        place.level == "county"
        and own.endswith(("县", "旗", "市"))
        and gazetteer().by_short.get(own) is place
    ):
        return own
    return place.name


def _court(name: str, place_level: str | None) -> str:
    """法院 in the abbreviation table reads 中级人民法院 (a city's court); a province's court is
    the 高级人民法院 and a county's the 人民法院."""
    if name.endswith("中级人民法院") and place_level in ("provincial", "county"):
        return name[: -len("中级人民法院")] + ("高级人民法院" if place_level == "provincial" else "人民法院")
    return name


def _bracket_is_second_name(name: str) -> bool:
    """市场监管局(知识产权局) carries a second name; 遵义(国家)高新区管委会 and 各县(市、区) do not."""
    for m in re.finditer(r"[(（]([^()（）]*)[)）]", name):
        if (AGENCY_SUFFIX.search(m.group(1)) and m.end() == len(name.rstrip("局"))) or (
            AGENCY_SUFFIX.search(m.group(1)) and len(m.group(1)) >= 3
        ):
            return True
    return False


@lru_cache(maxsize=1)
def _abbreviation_index() -> tuple[dict[str, str], dict[str, str], list[int]]:
    """Exact short forms, the short forms a name may end with (3+ characters, not the tail of
    their own full form), and the lengths of the latter, longest first."""
    exact = dict(reversed(_abbreviations()))  # the first listed wins
    tails = {s: f for s, f in reversed(_abbreviations()) if len(s) >= 3 and not f.endswith(s)}
    return exact, tails, sorted({len(s) for s in tails}, reverse=True)


def _expand(rest: str) -> str:
    exact, tails, lengths = _abbreviation_index()
    if rest in exact:
        return exact[rest]
    for n in lengths:  # a dictionary probe per length, not a scan of the table
        full = tails.get(rest[-n:]) if len(rest) > n else None
        if full is not None:
            return rest[:-n] + full
    return rest
