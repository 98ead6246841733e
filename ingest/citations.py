"""Citations and repeals: which documents a document refers to, and how.

Found four ways: a 《title》 (with a 文号 in brackets after it, if any); an unbracketed title
followed by its 文号 (…的通知(冀政字(2021)66号)); an unbracketed "<issuer>关于…的<type>";
a list of titles after a verb of reliance (根据 X、Y 等); and well-known laws by name
(data/known_titles.tsv). Each is classified by the verb governing it: 根据/依据/按照 → based_on,
贯彻落实/落实 → ensures_implementation_of, 参照 → applies, otherwise cites. Titles in a
sentence that says 废止 are repeals. Titles of documents still to be drafted (研究制定《…》)
and the document's own title are not citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise

from policykg.ingest.agencies import is_agency
from policykg.ingest.documents import DOC_TYPE_RE
from policykg.ingest.nlp import DOC_NUMBER_RE, entities
from policykg.ingest.places import gazetteer
from policykg.ingest.text import CJK, FULL_STOP, Ranges, norm_key, past_ranges, sentences, split_top_level

from policykg.records import Citation, Relation

# a sentence without one of these names no policy (a quick test before the real work)
MAY_CITE = re.compile(
    r"《|号|关于|法|条例|规定|规划|纲要|办法|意见|方案|计划|规范|指南|指引|措施|决定|细则|要点"
)
RELATION_TRIGGERS: list[tuple[re.Pattern[str], Relation]] = [
    (
        re.compile("贯彻落实|贯彻执行|深入贯彻|认真贯彻|贯彻|落实|深入实施|实施|执行|宣贯"),
        "ensures_implementation_of",
    ),
    (re.compile("根据|依据|依照|遵照|按照|按(?=[《□])|基于"), "based_on"),
    (re.compile("参照|参考|对照|比照"), "applies"),
]
TRIGGER_ANY = re.compile("贯彻落实|贯彻执行|贯彻|落实|根据|依据|依照|遵照|按照|参照|执行|结合")
FUTURE = re.compile(
    r"(?:研究制定|制定出台|制定|制订|起草|编制|研制|编写|出台|发布|研究出台|适时出台|加快出台|抓紧出台)$"
)
# "加快推进《…》立法进程", "《…》起草工作": a document still to be made
FUTURE_AFTER = re.compile(r"^(?:的)?(?:立法|起草|编制|制定|出台)(?:进程|工作|步伐)?")
SHORT_NAME = re.compile(r"(?:以下)?简称|以下称")
# a retrospective passage: 相继制定《A》, 已出台《B》 name documents that exist
RETROSPECTIVE = re.compile(r"相继|先后|陆续|已经|已|曾|此前|前期|以来|期间")
# the same, as it bears on the verb before a title (出台实施《…》 looks back, it carries nothing out)
RETROSPECTIVE_CLAUSE = re.compile(r"相继|先后|陆续|已经|此前|以来|期间|修订或出台|出台实施")
# 《》 also quotes books and papers: a cited policy ends with a kind of policy document.
CITABLE_END = re.compile(
    rf"(?:{DOC_TYPE_RE}|建议|协议|协定|安排|公约|条约|法典|目录|清单|准则|导则|守则|指引|汇报|请示)$"
)
# forms are not policies (SCHEMA: forms and standards are not cites)
# (agreements between parties are forms; 框架协议 between governments are not)
NOT_POLICY_END = re.compile(
    r"(?:申请表|登记表|承诺书|申请书|模板|(?:认购|出售|买卖|租赁|购房|转让|借款)(?:协议|合同))$"
)
# unbracketed phrases that end like a title but refer to no particular document
VAGUE = re.compile(r"有关|相关|各项|上述|本(?:办法|方案|意见|规划|计划)|等|以上|下列")
TITLE_START = re.compile(r"国家|国务院|中共|中央|党中央|全国|最高人民|中华人民共和国|关于")
LAW_LIKE = re.compile(rf"(?:{DOC_TYPE_RE}|法规|制度)$")
REPEAL = re.compile("废止|废除|停止执行|不再执行")
# "不再执行《X》中关于…的规定": one provision set aside, the document still stands
PARTIAL = re.compile(r"[》〉]?\s*(?:中|第|的(?:部分|有关|相关))")
# an unbracketed run of titles after a verb of reliance, up to the end of the clause
RUN_END = re.compile(rf"[，,；;：:]|{FULL_STOP}|等(?:文件|政策|相关|有关|规定|精神|要求)|精神|要求")
ABOUT_RE = re.compile(rf"关于[^，,。；;：:《》\n]{{2,80}}?的(?:{DOC_TYPE_RE})")


@dataclass(slots=True)
class _Found:
    title: str | None
    number: str | None
    start: int
    end: int
    sentence: tuple[int, int]


@lru_cache(maxsize=1)
def _known_titles_re() -> re.Pattern[str]:
    text = resources.files("policykg.ingest").joinpath("data/known_titles.tsv").read_text("utf-8")
    names = sorted(
        (n.strip() for n in text.splitlines() if n.strip() and not n.startswith("#")), key=len, reverse=True
    )
    # not when the name begins a longer word (专利法律, 商标法规); 条例规定 is still the 条例
    return re.compile(
        rf"(?:中华人民共和国)?(?:{'|'.join(map(re.escape, names))})(?!律|规(?!定)|院|官|庭|治|学)"
    )


def extract_citations(
    text: str, start: int, end: int, own_title: str | None, own_number: str | None
) -> tuple[list[Citation], list[Citation]]:
    """(cites, repeals) of the document text[start:end]."""
    found: list[tuple[_Found, bool]] = []
    past = Ranges(past_ranges(text, start, end))
    for s, e in sentences(text, start, end):
        sent = text[s:e]
        if not MAY_CITE.search(sent):
            continue
        if not REPEAL.search(sent):
            found += [(f, False) for f in _in_sentence(text, s, e, past)]
            continue
        # only titles in the clause that says 废止 are repealed
        clauses = [(s + a, s + b) for a, b in split_top_level(sent, "，,；;")]
        for f in _in_sentence(text, s, e, past):
            clause = next(((a, b) for a, b in clauses if a <= f.start < b), (s, e))
            partial = PARTIAL.match(text, f.end)
            found.append((f, bool(REPEAL.search(text, clause[0], clause[1])) and not partial))
    cites: list[Citation] = []
    repeals: list[Citation] = []
    seen: dict[str, Citation] = {}
    numbered: dict[str, str] = {}  # 文号 → the key of the cite that carries it
    own = {norm_key(own_title), _core(own_title)} - {""}
    own_num = norm_key(own_number) if own_number else None
    spans = [(f.start - 1, f.end + 1) for f, _r in found]  # with their 《》
    short_names = _short_names(text, start, end)
    for f, repeal in found:
        key = _core(f.title) if f.title else norm_key(f.number)
        if f.title and key in short_names:  # 《档案法》 after (以下简称《档案法》): the title it stands for
            key = short_names[key]
            if key in own:
                continue
        if not key or (
            f.title
            and (
                norm_key(f.title) in own
                or _core(f.title) in own
                or any(o and o in norm_key(f.title) for o in own)
            )
        ):
            continue
        if own_num and f.number and norm_key(f.number) == own_num and not f.title:
            continue
        if f.title and text[f.start - 1 : f.start] != "《" and any(_core(f.title) in o for o in own):
            continue  # the heading line itself (河南省实施…方案 read as "实施 …方案")
        relation = _relation(text, f, spans)
        quote_s, quote_e = f.sentence
        cite = Citation(
            title=f.title,
            doc_number=f.number,
            relation="cites" if repeal else relation,
            span=(f.start, f.end),
            quote=text[quote_s:quote_e][:400],
            quote_start=quote_s,
        )
        # one document named twice, by two titles with one 文号 (its transmittal and itself)
        prior_key = key if key in seen else numbered.get(norm_key(f.number)) if f.number else None
        if prior_key is not None:
            prior = seen[prior_key]
            if prior.relation == "cites" and cite.relation != "cites" and not repeal:
                prior.relation = cite.relation
            if not prior.doc_number and f.number:
                prior.doc_number = f.number
            continue
        seen[key] = cite
        if f.number:
            numbered.setdefault(norm_key(f.number), key)
        (repeals if repeal else cites).append(cite)
    return cites, repeals


SHORT_NAME_DECLARED = re.compile(
    r"《([^《》\n]{2,120})》\s*[(（]\s*(?:以下)?简称\s*[《“\"]([^《》“”\"\n]{1,30})[》”\"]"
)


def _short_names(text: str, start: int, end: int) -> dict[str, str]:
    """Short names the document declares for titles it names: 《中华人民共和国档案法》(以下简称
    《档案法》) → the key of 档案法 stands for that of the full title."""
    return {
        _core(m.group(2)): _core(m.group(1))
        for m in SHORT_NAME_DECLARED.finditer(text, start, end)
        if _core(m.group(2)) and _core(m.group(1))
    }


def coordinated(title: str) -> list[str]:
    """《大气、水、土壤污染防治行动计划》 names three plans: the short elements before the last
    share what follows the last element."""
    parts = title.split("、")
    if len(parts) < 2 or any(not 1 <= len(p) <= 4 for p in parts[:-1]):
        return [title]
    k = len(parts[0])
    if len(parts[-1]) < k + 4:
        return [title]
    suffix = parts[-1][k:]
    return [p + suffix for p in parts[:-1]] + [parts[-1]]


def _bare_type(title: str) -> bool:
    """《决定》, 《本规划》: a short name referring back, not a title."""
    return bool(re.fullmatch(rf"(?:本|该|此|上述)?(?:{DOC_TYPE_RE}|汇报|请示)", title))


def _strip_notes(title: str) -> str:
    """Drop trailing bracketed notes: (试行), (2021-2035年), 〈…〉 stays."""
    while True:
        new = re.sub(r"[(（][^()（）]{0,20}[)）]?$", "", title).strip()
        if new == title:
            return title
        title = new


# "国家、省关于…的规定", "国家有关部门关于…的政策规定": policies named by whom and what
# about, not by a title
LOOSE_ISSUER = re.compile(
    r"(?:国家|省上|省|市|上级)(?:[、和及与](?:国家|省上|省|市))*(?:有关|相关)?(?:部门)?关于"
)


def _plausible(title: str) -> bool:
    """An unbracketed title: long enough, not vague, and no loose 的 unless it is a 关于 title."""
    if len(title) < 6 or LOOSE_ISSUER.match(title):
        return False
    if "关于" in title:
        return True
    return not VAGUE.search(title) and "的" not in title


def _core(title: str | None) -> str:
    """A title without its trailing year range, for de-duplication."""
    key = norm_key(title)
    return re.sub(r"\(?\d{4}-\d{4}年?\)?$", "", key)


def _in_sentence(text: str, s: int, e: int, past: Ranges | None = None) -> list[_Found]:
    sent = text[s:e]
    out: list[_Found] = []
    taken: list[tuple[int, int]] = []
    ents = entities(sent, frozenset({"POLICY", "DOC_NUMBER"})) if ("《" in sent or "号" in sent) else []
    numbers = [x for x in ents if x.label == "DOC_NUMBER"]
    used_numbers: set[int] = set()
    future_run = False
    prev_end = None
    in_past = past.contains if past else (lambda _pos: False)
    for ent in ents:
        if ent.label != "POLICY":
            continue
        before = sent[max(0, ent.start - 6) : ent.start]
        # a verb governs every title joined to the one after it: 制定《A》《B》等政策
        joined = prev_end is not None and re.fullmatch(r"[、和及与\s]*", sent[prev_end : ent.start])
        prev_end = ent.end
        clause_head = sent[: ent.start].rsplit("，", 1)[-1]
        future_run = (joined and future_run) or bool(
            FUTURE.search(before) and not RETROSPECTIVE.search(clause_head) and not in_past(s)
        )
        if future_run and not sent[ent.end : ent.end + 2].startswith("实施"):
            continue
        if FUTURE_AFTER.match(sent[ent.end :]):
            continue
        if SHORT_NAME.search(before):
            continue  # (以下简称《纲要》): a short name for a title already cited
        title = re.sub(r"\s*\n\s*", "", ent.text[1:-1]).strip()
        core = _strip_notes(title)
        number = next(
            (
                n
                for n in numbers
                # 《title》(文号), or 文号《title》 as in "按照临政办〔2022〕5号《…》执行"
                if re.fullmatch(r"\s*[(（]\s*", sent[ent.end : n.start])
                or (n.end <= ent.start and not sent[n.end : ent.start].strip())
            ),
            None,
        )
        # a 文号 makes any 《…》 an official document (…人才政策待遇包(抚才发〔2022〕3号))
        if (not CITABLE_END.search(core) and not number) or NOT_POLICY_END.search(core) or _bare_type(core):
            continue
        if number:
            used_numbers.add(number.start)
            number = number.text
        for one in coordinated(title):
            out.append(_Found(one, number, s + ent.start + 1, s + ent.end - 1, (s, e)))
        taken.append((ent.start, ent.end))
    # unbracketed title followed by its 文号 in brackets
    for n in numbers:
        if n.start in used_numbers or any(a <= n.start < b for a, b in taken):
            continue
        m = re.search(r"[(（]\s*$", sent[: n.start])
        floor = max((b for a, b in taken if b <= n.start), default=0)
        title_span = _title_before(sent, m.start(), floor) if m else None
        if title_span and _plausible(sent[title_span[0] : title_span[1]]):
            ts, te = title_span
            out.append(_Found(sent[ts:te], n.text, s + ts, s + te, (s, e)))
            taken.append((ts, n.end))
        else:
            out.append(_Found(None, n.text, s + n.start, s + n.end, (s, e)))
            taken.append((n.start, n.end))
    # <issuer>关于…的<type>
    for m in ABOUT_RE.finditer(sent):
        if any(a <= m.start() < b for a, b in taken):
            continue
        issuer_start = _issuer_start(sent, m.start())
        if issuer_start is None or LOOSE_ISSUER.match(sent, issuer_start):
            continue
        num = re.match(r"\s*[(（]\s*(" + DOC_NUMBER_RE.pattern + r")", sent[m.end() :])
        out.append(
            _Found(
                sent[issuer_start : m.end()],
                num.group(1) if num else None,
                s + issuer_start,
                s + m.end(),
                (s, e),
            )
        )
        taken.append((issuer_start, m.end() + (num.end() + 1 if num else 0)))
    # titles listed after a verb of reliance: 根据国家“十四五”知识产权规划和…
    for m in TRIGGER_ANY.finditer(sent):
        run_end = RUN_END.search(sent, m.end())
        stop = run_end.start() if run_end else len(sent)
        for ts, te in _titles_in_run(sent, m.end(), stop):
            if any(a < te and ts < b for a, b in taken) or not _plausible(sent[ts:te]):
                continue
            out.append(_Found(sent[ts:te], None, s + ts, s + te, (s, e)))
            taken.append((ts, te))
    # a named plan carried out: 深入实施大气、水、土壤污染防治行动计划
    for m in IMPLEMENTED_PLAN.finditer(sent):
        ts, te = m.span("title")
        if any(a < te and ts < b for a, b in taken) or not _plausible(sent[ts:te]):
            continue
        if FUTURE.search(sent[max(0, m.start() - 6) : m.start()]):
            continue  # 出台实施…规划: a plan still to be made
        parts = _joined_titles(sent, ts, te)
        if parts is None:
            continue  # "落实…战略和…方案": where one title ends is not known without 《》
        while more := JOINED_PLAN.match(sent, parts[-1][1]):
            parts.append(more.span(1))
        for ps, pe in parts:
            for title in coordinated(sent[ps:pe]):
                out.append(_Found(title, None, s + ps, s + pe, (s, e)))
        taken.append((ts, parts[-1][1]))
    # well-known laws and regulations named without 《》
    for m in _known_titles_re().finditer(sent):
        if any(a <= m.start() < b for a, b in taken):
            continue
        out.append(_Found(m.group(0), None, s + m.start(), s + m.end(), (s, e)))
        taken.append((m.start(), m.end()))
    out.sort(key=lambda f: f.start)
    return out


def _joined_titles(sent: str, ts: int, te: int) -> list[tuple[int, int]] | None:
    """Spans of the titles in an unbracketed run: one title, or several joined by 和/及/与 when
    every part ends with a kind of document (…发展规划和…建设规划); None when that is unclear."""
    cuts = [m.start() for m in re.finditer("[和及与]", sent[ts:te])]
    if not cuts:
        return [(ts, te)]
    bounds = [ts, *(ts + c for c in cuts), te]
    parts = [(a + (i > 0), b) for i, (a, b) in enumerate(pairwise(bounds))]
    if all(pe - ps >= 4 and LAW_LIKE.search(sent[ps:pe]) for ps, pe in parts):
        return parts
    return None


def _title_before(sent: str, end: int, floor: int = 0) -> tuple[int, int] | None:
    """An unbracketed title ending at `end`: back to the clause start, then forward to where
    a title can start (a place, a national body, 关于)."""
    start = end
    while start > floor and sent[start - 1] not in "，,。；;：:《》":
        start -= 1
    chunk = sent[start:end]
    first = _title_start_in(chunk)
    if first is None:
        return None
    ts = start + first
    if end - ts < 6 or not re.search(rf"(?:{DOC_TYPE_RE})$", sent[ts:end]):
        return None
    return ts, end


def _title_start_in(chunk: str) -> int | None:
    candidates = [m.start() for m in TITLE_START.finditer(chunk)]
    candidates += [m.start() for m in gazetteer().prefix_re.finditer(chunk)]
    return min(candidates) if candidates else None


def _issuer_start(sent: str, about: int) -> int | None:
    """Where the issuer before 关于 starts: the earliest position after the clause start from
    which the text up to 关于 is a unit (or units) beginning with a place or national body."""
    start = about
    while start > 0 and sent[start - 1] not in "，,。；;：:《》()（）":
        start -= 1
    for i in range(start, about - 1):
        issuer = sent[i:about]
        if not (TITLE_START.match(issuer) or gazetteer().prefix_re.match(issuer)):
            continue
        last = re.split(r"[、\s]|等", issuer)
        parts = [p for p in last if p]
        if parts and all(
            is_agency(p) or re.fullmatch(rf"[{CJK}]{{0,3}}部门|[一二三四五六七八九十\d]+部门", p)
            for p in parts
        ):
            return i
        if re.search(r"等[一二三四五六七八九十\d]+(?:个)?部门$", issuer) and is_agency(
            re.split("等", issuer)[0]
        ):
            return i
    return None


def _titles_in_run(sent: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Titles in an unbracketed run such as 河北省…的通知(冀政字(2021)66号)、保定市…纲要保定市…的通知等."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos < stop:
        while pos < stop and sent[pos] in "、和及与 ":
            pos += 1
        if pos >= stop or sent[pos] in "《(（":
            break
        first = _title_start_in(sent[pos:stop])
        if first is None or first > 2:  # a title must start right after the verb or a separator
            break
        ts = pos + first
        te = ts + _type_end_offset(sent[ts:stop])
        if te <= ts:
            break
        if te - ts >= 6:
            out.append((ts, te))
        pos = te
        # skip a 文号 in brackets after the title
        num = re.match(r"\s*[(（][^()（）]*(?:[(（][^()（）]*[)）][^()（）]*)?[)）]", sent[pos:stop])
        if num:
            pos += num.end()
    return out


@lru_cache(maxsize=1)
def _title_end_re() -> re.Pattern[str]:
    # compiled once: the place alternation is long, and this runs for every title run
    nxt = rf"(?=[、等]|[(（]|$|[和及与]?(?:《|{TITLE_START.pattern}|{gazetteer().prefix_re.pattern}))"
    return re.compile(rf"(?:{DOC_TYPE_RE}){nxt}")


def _type_end_offset(chunk: str) -> int:
    """Length of the first title in `chunk`: up to the first document-type word that is
    followed by a separator, a bracket, the end, or the start of another title."""
    m = _title_end_re().search(chunk)
    return m.end() if m else 0


# "推进《X》实施", "做好《X》的落实工作", "为推动《X》落地": implementing X, the verb after it
# an unbracketed plan after a verb that carries it out
PLAN_END = (
    "行动计划|规划纲要|发展规划|建设规划|实施方案|工作方案|行动方案|总体方案|若干措施|若干意见|管理办法|条例"
)
IMPLEMENTED_PLAN = re.compile(
    r"(?:深入实施|全面实施|贯彻实施|组织实施|实施|深化落实|贯彻落实|落实)(?![与和及的在好])(?!中[，,。；;的要遇发出])"
    rf"(?P<title>(?:[\u4e00-\u9fff]{{1,4}}、)*[\u4e00-\u9fff“”]{{4,30}}?(?:{PLAN_END}))"
    r"(?=[，,。；;、及和与]|$)"
)
# a second plan joined to the first: …发展规划和核心区建设规划
JOINED_PLAN = re.compile(rf"[和及与]([\u4e00-\u9fff“”]{{2,30}}?(?:{PLAN_END}))(?=[，,。；;、]|$)")
GOVERNED_TOO = re.compile(
    r"(?:部署|精神|要求|决策|指示|批示)$|^(?:新修订|修订后|新出台|新颁布|新印发|最新)的$|^(?:党中央|中央)$"
)
# words that may stand between a verb and what it governs: 落实好《…》, 按照2024年9月29日《…》,
# 落实市住建局等部门印发的《…》
GAP_WORDS = re.compile(
    r"好|到位|\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?|(?:部门|单位)?(?:联合)?(?:印发|出台|发布|制定|颁布|下发)的?"
)
# a label that says what follows is the basis: "政策依据：市政府办公厅《…》"
BASIS_LABEL = re.compile(r"依据\s*[:：]\s*$")
NEGATED = re.compile(r"(?:不再|停止|暂停|不|无需|不予)$")
IMPLEMENTED_AFTER = re.compile(r"[》〉]?\s*(?:的)?(?:实施|落地|落实|贯彻落实|宣贯)(?!方案|意见|细则|办法)")


def _relation(text: str, f: _Found, spans: list[tuple[int, int]]) -> Relation:
    """The verb that governs a citation: the nearest trigger before it in the same clause,
    provided only issuers, other titles and joining words stand between the two
    (根据《A》和《B》; 根据中国银保监会、国家知识产权局《…》 — but not 根据实际及时修改专利法)."""
    s, _e = f.sentence
    before = text[s : f.start]
    clause_start = max(before.rfind(c) for c in "，,：:") + 1
    # the words of other titles (…实施意见) are not verbs: blank them before looking for one
    titles = [(a + (text[a] not in "《〈"), b - (text[b - 1] not in "》〉")) for a, b in spans]
    clause = "".join(
        "□" if any(a <= i < b for a, b in titles) else ch
        for i, ch in enumerate(before[clause_start:], s + clause_start)
    )
    if RETROSPECTIVE_CLAUSE.search(clause):
        return "cites"  # 相继出台实施《…》, "十三五"期间…: a passage about what was done
    if IMPLEMENTED_AFTER.match(text, f.end):
        return "ensures_implementation_of"
    best: tuple[int, int, Relation] | None = None
    for rx, rel in RELATION_TRIGGERS:
        for m in rx.finditer(clause):
            if NEGATED.search(clause, 0, m.start()):
                continue  # 不再执行《…》中…: set aside, not applied
            if best is None or m.start() > best[0]:
                best = (m.start(), m.end(), rel)
    if best is None and BASIS_LABEL.search(before, 0, clause_start):
        best = (0, 0, "based_on")  # "政策依据：…": the label governs what follows it
    if best is None:
        return "cites"
    gap_start = s + clause_start + best[1]
    gap = "".join(
        ch
        for i, ch in enumerate(text[gap_start : f.start], gap_start)
        if not any(a <= i < b for a, b in spans)
    )
    pieces = [p for p in re.split(r"[、和及与\s《》〈〉“”()（）]|以及|等|共同", gap) if p]
    # other titles of a list the verb governs: 落实集成电路布图设计法规、植物新品种保护条例
    # (an issuer may be named by its place alone: 根据江西省《…》、抚州市《…》)
    # (and other things carried out, 落实会议部署和省政府《…》, or a word on its version, 新修订的《…》)
    if all(
        is_agency(p)
        or gazetteer().get(p)
        or DOC_NUMBER_RE.fullmatch(p)
        or p == "号"
        or LAW_LIKE.search(p)
        or GOVERNED_TOO.search(p)
        or GAP_WORDS.fullmatch(p)
        for p in pieces
    ):
        return best[2]
    return "cites"


__all__ = ["extract_citations"]
