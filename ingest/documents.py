"""Documents in a file and their metadata: title, type, 文号, issuers, date, jurisdiction, level.

A file usually holds one document. A search-result page lists several, each introduced by a
line such as "• 【苏州市级】苏州市知识产权金融奖励补贴实施办法(试行)"; `segment` splits those.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from policykg.ingest.agencies import canonical_agency, is_agency
from policykg.ingest.nlp import DOC_NUMBER_RE, title_spans
from policykg.ingest.places import LEVEL_RANK, Place, gazetteer, place_prefix
from policykg.ingest.text import CN_DIGITS, cn_number, norm_key

# Kinds of policy document, longest first so 实施办法 wins over 办法.
DOC_TYPES = sorted(
    """实施办法 实施意见 实施方案 实施细则 工作方案 行动方案 行动计划 推进计划 工作要点
    指导意见 若干意见 若干措施 若干政策 若干规定 管理规定 纲要 规划 方案 意见 办法 计划 通知 决定
    规定 细则 措施 举措 条例 要点 复函 函 通报 报告 公报 章程 制度 守则
    指南 标准 规范 规则 公告 通告 批复 决议 法""".split(),
    key=len,
    reverse=True,
)
DOC_TYPE_RE = "|".join(DOC_TYPES)
TRAILING_NOTE = re.compile(r"[(（][^()（）]{1,20}[)）]$")  # (试行) (暂行) (2021-2025年)

LISTING_ITEM = re.compile(r"^[ \t]*[•·●◆▪■*-]\s*【([^】\n]{1,20})】[ \t]*(\S[^\n]*?)[ \t]*$", re.M)
TRANSMITTAL = re.compile(
    r"(?:现将|印发|转发|关于(?:印发|转发)[^《》\n]{0,30}?)《([^《》\n]{4,120})》"
    r"(?:印发给你们|已经|,|，|的通知|[ \t]*(?=\n|$))"
    r"|《([^《》\n]{4,120})》已经[^。\n]{0,20}同意[,，]?现(?:予)?印发"
)
# the line that ends a printed document: "<office>2022年4月20日印发"
COLOPHON = re.compile(r"^[ \t]*\S[^\n]{1,40}?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发[ \t]*$", re.M)
FILENAME_LINE = re.compile(r"^[ \t]*(\S[^\n]{3,120}?)\.(?:docx?|pdf|wps|txt|html?|ofd)[ \t]*$", re.I)
SECTION_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十]+[章节条部分])"
)
# a date in Arabic or Chinese numerals: 2021年8月25日, 二〇〇四年十月十五日
_CN = "〇○零一二三四五六七八九十"
_DAY = rf"(\d{{1,2}}|[{_CN}]{{1,3}})"
DATE_RE = rf"((?:19|20)\d{{2}}|[{_CN}]{{4}})\s*年\s*{_DAY}\s*月\s*{_DAY}\s*日"
DATE_LINE = re.compile(rf"^[ \t]*{DATE_RE}[ \t]*$")
# a law's adoption line: "2022年3月29日 广东省第十三届人民代表大会常务委员会第四十一次会议通过"
ADOPTION = re.compile(
    rf"^[ \t]*{DATE_RE}\s*(?P<body>[^\n]{{2,30}}?人民代表大会(?:常务委员会)?)第[{_CN}百\d]+次会议通过", re.M
)
# a promulgation line under the heading: "1999年6月7日 国家档案局发布", "2019年3月2日国务院令第714号公布"
PROMULGATION = re.compile(
    rf"^[ \t]*{DATE_RE}[ \t]*(?P<who>[^\n《》，,。\d]{{2,30}}?)(?:令第[{_CN}百\d]+号)?(?:发布|公布)"
    r"[ \t\u3000]*$",
    re.M,
)
# a news release: "中共中央 国务院印发《…》"
RELEASE = re.compile(r"^[ \t]*(?P<who>[^\n《》，,。]{2,40}?)(?:联合)?印发(?:了)?《[^《》\n]+》[ \t]*$", re.M)
SELF_TYPE = re.compile(rf"(?:制定|特制定|制订|编制)(?:如下|本)?({DOC_TYPE_RE})")
ADDRESSEE_LEVEL = [
    (re.compile(r"各省、自治区、直辖市"), "national"),
    (re.compile(r"各(?:设区的?)?市、县(?:\(市、区\)|（市、区）)?人民政府|各市、县"), "provincial"),
    (
        re.compile(r"各区、县|各县、区|各县(?:\(市、区\)|（市、区）)|各区(?:\(县、市\)|（县、市）)"),
        "municipal",
    ),
]


@dataclass(slots=True)
class Segment:
    start: int
    end: int
    title: str | None = None  # given by a listing line
    tag: str | None = None  # 【苏州市级】
    # what the file's format states besides the text (HTML meta tags: "title", "date",
    # "issuer"); used only where the text itself yields nothing
    hints: dict[str, str] | None = None


@dataclass(slots=True)
class DocumentMeta:
    title: str | None
    doc_type: str | None
    doc_number: str | None
    issuers: list[str]
    issued_on: str | None
    jurisdiction: str | None
    level: str | None


def segment(text: str) -> list[Segment]:
    """Split a file into documents: one per listing item when the file is a result list."""
    items = list(LISTING_ITEM.finditer(text))
    if len(items) < 2:
        return _gazette_segments(text)
    out = []
    for i, m in enumerate(items):
        end = items[i + 1].start() if i + 1 < len(items) else len(text)
        out.append(Segment(m.start(), end, title=m.group(2).strip(), tag=m.group(1).strip()))
    return out


def _gazette_segments(text: str) -> list[Segment]:
    """A file of several documents one after the other, as a gazette or a page of notices
    prints them: each ends with its colophon ("常德市人民政府办公室2022年4月20日印发"), and a
    new transmittal notice follows."""
    if "印发" not in text:
        return [Segment(0, len(text))]  # no colophon (it ends 印发): one document
    ends = [m.end() for m in COLOPHON.finditer(text)]
    cuts = [e for e in ends if TRANSMITTAL.search(text, e, min(len(text), e + 1500))]
    if not cuts:
        return [Segment(0, len(text))]
    bounds = [0, *cuts, len(text)]
    return [Segment(a, b) for a, b in pairwise(bounds) if text[a:b].strip()]


def doc_type_of(title: str | None) -> str | None:
    if not title:
        return None
    core = title
    while TRAILING_NOTE.search(core):
        core = TRAILING_NOTE.sub("", core)
    m = re.search(rf"({DOC_TYPE_RE})$", core)
    return m.group(1) if m else None


# Labelled fields a page or a knowledge-base note puts above the text (gov.cn: "标　　题：…",
# "发文字号：…"; Markdown front matter: "标题: …").
HEADER_FIELD = re.compile(
    r"^[ \t>*-]*(?P<label>标\s*题|名\s*称|文\s*号|发文字号|发文机关|发文单位|发布单位|发布机构|制发机关"
    r"|成文日期|发布日期|印发日期)"
    r"\s*[:：]\s*(?P<value>\S[^\n]*?)[ \t]*$",
    re.M,
)
ISO_OR_CN_DATE = re.compile(r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")


def header_fields(text: str, seg: Segment) -> dict[str, str]:
    """{label: value} of the labelled fields at the top of a document (first one of each)."""
    fields: dict[str, str] = {}
    for m in HEADER_FIELD.finditer(text, seg.start, min(seg.end, seg.start + 1500)):
        label = re.sub(r"\s", "", m.group("label"))
        fields.setdefault(label, m.group("value").strip())
    return fields


def _field_title(value: str) -> str:
    """The title a 标题 field names: the 《…》 of a transmittal notice, else the field as is."""
    m = TRANSMITTAL.search(value)
    return (m.group(1) or m.group(2)).strip() if m else value


def find_title(text: str, seg: Segment, fields: dict[str, str] | None = None) -> str | None:
    if seg.title:
        return seg.title
    fields = header_fields(text, seg) if fields is None else fields
    named = fields.get("标题") or fields.get("名称")
    if named:
        return _field_title(named)
    head = text[seg.start : min(seg.end, seg.start + 1500)]
    m = TRANSMITTAL.search(head)
    if m:
        return (m.group(1) or m.group(2)).strip()
    first = head.lstrip().split("\n", 1)[0]
    m = FILENAME_LINE.match(first)
    if m:
        return m.group(1).strip()
    return _heading_title(head) or _hinted_title(seg)


def _hinted_title(seg: Segment) -> str | None:
    """The page's ArticleTitle; of a transmittal notice (X关于印发《T》的通知), the T it issues."""
    title = (seg.hints or {}).get("title")
    if not title:
        return None
    m = TRANSMITTAL_TITLE.match(title)
    return m.group(2).strip() if m else title


def _heading_title(head: str) -> str | None:
    """Consecutive short heading lines whose text ends with a document type (a title set on
    two lines, optionally followed by a year-range line)."""
    lines = head.split("\n")[:40]
    for i in range(len(lines)):
        parts: list[str] = []
        # a title set on two lines may have a blank line between them
        for k, line in enumerate(lines[i : i + 4]):
            line = line.strip().lstrip("#").strip()  # a Markdown heading marker is not the title
            if not line and parts and k == 1:
                continue
            if not parts and SECTION_MARK.match(line):
                break  # 三、年度重点工作计划 is a section heading, never the title
            if not line or len(line) > 45 or re.search(r"[。，,：:；;|]$|[。；;]", line):
                break
            if DATE_LINE.match(line) or (is_agency(line) and not re.search(rf"({DOC_TYPE_RE})$", line)):
                break  # a signature block, not a title
            parts.append(line)
            joined = "".join(parts)
            if (
                len(joined) >= 6
                and re.search(rf"({DOC_TYPE_RE})$", joined)
                and not joined.startswith(("附件", "关于印发", "关于转发"))
            ):
                nxt = lines[i + len(parts)].strip() if i + len(parts) < len(lines) else ""
                if re.fullmatch(r"[(（]\s*\d{4}\s*[-—–~～至]\s*\d{4}\s*年?\s*[)）]", nxt):
                    joined += nxt
                return joined
    return None


def body_start(text: str, seg: Segment, title: str | None) -> int:
    """Where the document itself begins: the line that states its title, when labelled fields
    or an editor's note stand above it (a page header, a note file's front matter); else the
    segment start. What stands above is about the file, not the policy."""
    if not title:
        return seg.start
    limit = min(seg.end, seg.start + 3000)
    at = text.find(title, seg.start, limit)
    if at != -1:  # the common case: the title as written, no need to normalise every line
        line_start = text.rfind("\n", seg.start, at) + 1 if at > seg.start else seg.start
        line_end = text.find("\n", at, limit)
        if not HEADER_FIELD.match(text[line_start : line_end if line_end != -1 else limit]):
            return max(line_start, seg.start)
    want = norm_key(title)
    pos = seg.start
    while pos < limit:
        nl = text.find("\n", pos, limit)
        line_end = limit if nl == -1 else nl
        line = text[pos:line_end]
        if want and want in norm_key(line) and not HEADER_FIELD.match(line):
            return pos if pos > seg.start else seg.start
        pos = line_end + 1
    return seg.start


def find_signature(text: str, seg: Segment) -> tuple[list[str], str | None]:
    """(issuers as written, ISO date) from a signature block: unit lines (several for a joint
    issue) right above a date line."""
    lines = text[seg.start : seg.end].split("\n")
    for i, line in enumerate(lines):
        m = DATE_LINE.match(line)
        if not m:
            continue
        names: list[str] = []
        for back in range(1, 5):
            cand = lines[i - back].strip() if i - back >= 0 else ""
            if not cand:
                if names:
                    break
                continue
            if is_agency(cand) and len(cand) <= 30:
                names.insert(0, cand)
            else:
                break
        if names:
            return names, iso_date(*m.groups())
    return [], None


def iso_date(year: str, month: str, day: str) -> str | None:
    """YYYY-MM-DD of a date written in Arabic or Chinese numerals."""
    y = int("".join(str(CN_DIGITS.get(c, c)) for c in year)) if not year.isdigit() else int(year)
    mo, d = cn_number(month), cn_number(day)
    if not (mo and d and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def find_adoption(text: str, seg: Segment) -> tuple[list[str], str | None]:
    """(issuer, date) of a law from its adoption line: the standing committee that passed it."""
    m = ADOPTION.search(text, seg.start, min(seg.end, seg.start + 1500))
    if not m:
        return [], None
    body = re.sub(rf"第[{_CN}]+届", "", m.group("body"))
    return [body], iso_date(m.group(1), m.group(2), m.group(3))


def find_promulgation(text: str, seg: Segment) -> tuple[list[str], str | None]:
    """(issuer, date) of a text from a dated line under its heading saying who issued it."""
    m = PROMULGATION.search(text, seg.start, min(seg.end, seg.start + 600))
    if not m or not is_agency(m.group("who").strip()):
        return [], None
    return [m.group("who").strip()], iso_date(m.group(1), m.group(2), m.group(3))


def find_release(text: str, seg: Segment) -> list[str]:
    """The bodies of a news release line "中共中央 国务院印发《…》"."""
    m = RELEASE.search(text, seg.start, min(seg.end, seg.start + 600))
    if not m:
        return []
    names = [n for n in re.split(r"[\s、]+", m.group("who").strip()) if n]
    return names if names and all(is_agency(n) or n in ("中共中央", "国务院") for n in names) else []


TRANSMITTAL_TITLE = re.compile(
    r"^[ \t]*([^\s《》]{2,40}?)关于印发《?([^《》\n]{4,120}?)》?的通知[ \t]*$", re.M
)


def find_transmittal_issuer(text: str, seg: Segment, title: str | None) -> str | None:
    """The unit of a heading line "X关于印发<title>的通知" at the top of the document."""
    if not title:
        return None
    for m in TRANSMITTAL_TITLE.finditer(text, seg.start, min(seg.end, seg.start + 600)):
        if _title_core(title) and _title_core(title) in _title_core(m.group(2)) and is_agency(m.group(1)):
            return m.group(1)
    return None


# a gazette's publication line under the heading: (2023年1月30日苏州市人民政府苏府规字〔2023〕1号文发布)
PUBLICATION_LINE = re.compile(
    rf"[(（]\s*{DATE_RE}[^()（）]*?{DOC_NUMBER_RE.pattern}\s*文?(?:发布|印发|公布)[)）]"
)


def find_doc_number(text: str, seg: Segment, title: str | None) -> tuple[str | None, str | None]:
    """The document's own 文号 and the unit that issued it, from a header line or from a
    reference to its own transmittal notice (…关于印发<title>的通知(苏府〔2021〕81号))."""
    body = text[seg.start : seg.end]
    for line in body.split("\n")[:12]:
        # (a number in brackets on the line under the title: "(黔府办发〔2022〕17号)")
        bare = line.strip()
        if bare[:1] in "(（" and bare[-1:] in ")）":
            bare = bare[1:-1].strip()
        if DOC_NUMBER_RE.fullmatch(bare):
            return bare, None
        # the number's own issuer code starts where the issuer's name ends
        number = PUBLICATION_LINE.fullmatch(line.strip()) and next(
            (e for e in title_spans(line) if e.label == "DOC_NUMBER"), None
        )
        if number:
            issuer = re.sub(rf"^.*?{DATE_RE}", "", line[: number.start]).strip(" \t(（")
            return number.text, issuer if is_agency(issuer) else None
    if not title:
        return None, None
    core = _title_core(title)
    if "关于印发" not in body:  # the pattern below tries 30 characters at every position
        return None, None
    for m in re.finditer(
        r"([^\s,，。;；:：《》]{2,30}?)关于印发《?([^《》。\n]{4,120}?)》?的通知[(（]([^()（）]*?号)[)）]",
        body,
    ):
        if core and core in _title_core(m.group(2)) and DOC_NUMBER_RE.fullmatch(m.group(3)):
            return m.group(3), m.group(1)
    return None, None


def _title_core(title: str) -> str:
    core = norm_key(title)
    return re.sub(r"\([^()]*\d{4}[^()]*\)?$", "", core)


def find_jurisdiction(
    text: str, seg: Segment, title: str | None, issuers: list[str]
) -> tuple[str | None, str | None]:
    gaz = gazetteer()
    if seg.tag:
        tag = seg.tag.removesuffix("级")
        if tag in ("国家", "中央", "国务院"):
            return "中国", "national"
        place = gaz.get(tag) or place_prefix(tag)
        if place:
            return place.name, place.level
    for name in [title, *issuers]:
        if not name:
            continue
        if re.match(r"^(国家|国务院|中共中央|中央|全国|中华人民共和国)", name):
            return "中国", "national"
        place = place_prefix(name)
        if place:
            return place.name, place.level
    return _jurisdiction_by_mentions(text[seg.start : seg.end])


SELF_COUNTY = re.compile("我县|本县|全县")


def _county_named(body: str, cities: list[str]) -> Place | None:
    """The county of one of `cities` the text names most often, by full or short name."""
    gaz = gazetteer()
    best, most = None, 0
    for place in gaz.by_name.values():
        if place.level == "county" and place.parent in cities:
            n = sum(body.count(form) for form in {place.name.removeprefix(place.parent), *place.short})
            if n > most:
                best, most = place, n
    return best


def _jurisdiction_by_mentions(body: str) -> tuple[str | None, str | None]:
    """No title or issuer names a place: the place the text mentions most, at the level its
    addressees imply (各区、县… → a city)."""
    gaz = gazetteer()
    head = body[:300]
    level = next((lv for rx, lv in ADDRESSEE_LEVEL if rx.search(head)), None)
    if level == "national":
        return "中国", "national"
    counts: Counter[str] = Counter()
    national = len(re.findall("我国|党中央|国务院|全国", body))
    for m in gaz.prefix_re.finditer(body):
        place = gaz.get(m.group(0))
        if place and place.level != "national":
            counts[place.name] += 1
    if level is None and national > max(counts.values(), default=0):
        return "中国", "national"
    if level is None and SELF_COUNTY.search(body):
        # "推动我县…": a county of a city the text names, called by its short name (广昌金融监管支局)
        county = _county_named(body, [n for n in counts if gaz.by_name[n].level == "municipal"])
        if county:
            return county.name, county.level
    for name, _n in counts.most_common():
        place = gaz.by_name[name]
        if level is None or place.level == level:
            return place.name, place.level
    if re.search("我市|全市|本市", body):
        return None, "municipal"
    if re.search("我省|全省|本省", body):
        return None, "provincial"
    return None, None


def document_meta(text: str, seg: Segment) -> DocumentMeta:
    fields = header_fields(text, seg)  # read once: the title and the number, date, issuer
    title = find_title(text, seg, fields)
    doc_type = doc_type_of(title)
    if doc_type is None:
        m = SELF_TYPE.search(text, seg.start, seg.end)
        doc_type = m.group(1) if m else None
    signed, issued_on = find_signature(text, seg)
    if not signed:
        signed, adopted_on = find_adoption(text, seg)
        if not signed:
            signed, adopted_on = find_promulgation(text, seg)
        signed = signed or find_release(text, seg)
        issued_on = issued_on or adopted_on
    doc_number, number_issuer = find_doc_number(text, seg, title)
    field_number = fields.get("文号") or fields.get("发文字号") or ""
    if DOC_NUMBER_RE.fullmatch(field_number):
        doc_number = doc_number or field_number
    field_date = ISO_OR_CN_DATE.search(
        fields.get("成文日期") or fields.get("印发日期") or fields.get("发布日期") or ""
    )
    if field_date and not issued_on:
        y, mo, d = field_date.groups()
        issued_on = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    field_issuer = next(
        (
            v
            for k in ("发文机关", "发文单位", "发布单位", "发布机构", "制发机关")
            if is_agency(v := fields.get(k, ""))
        ),
        None,
    )
    raw_issuers = (
        signed
        or [x for x in (number_issuer, find_transmittal_issuer(text, seg, title), field_issuer) if x][:1]
    )
    # a page's meta tags (ArticleTitle, PubDate, ContentSource) fill only what the text left open
    hints = seg.hints or {}
    issued_on = issued_on or hints.get("date")
    if not raw_issuers and is_agency(hints.get("issuer", "")):
        raw_issuers = [hints["issuer"]]
    jurisdiction, level = find_jurisdiction(text, seg, title, raw_issuers)
    issuers: list[str] = []
    for raw in raw_issuers:
        name = canonical_agency(raw, jurisdiction)
        if name not in issuers:
            issuers.append(name)
    if jurisdiction and not level:
        place = gazetteer().get(jurisdiction)
        level = place.level if place else None
    if level not in LEVEL_RANK:
        level = None
    return DocumentMeta(title, doc_type, doc_number, issuers, issued_on, jurisdiction, level)
