"""Tasks and the units that carry them out.

Four shapes of text carry a task's units:
  * a task table whose header names 牵头单位 / 责任单位 columns (one row a task);
  * a parenthetical after the task text: "…。(市市场监管局牵头,市发改委、市科技局等按职责分工负责)";
  * labelled lines after the task text: "牵头单位：市市场监管局" / "配合单位：市公安局";
  * a sentence whose subject is a unit: "市财政局负责资金的预算…", "由市科委负责牵头组织实施".
Roles follow corpus/SCHEMA.md: 牵头 / a lone "A负责" → lead; 配合 / 按职责分工负责 → responsible;
a document rule "列第一位者为牵头单位" makes the first unit of each list the lead.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from policykg.ingest.agencies import canonical_agency, is_agency
from policykg.ingest.nlp import agencies_in
from policykg.ingest.tables import Cell, Table
from policykg.ingest.text import OPEN, Ranges, sentences, split_top_level

from policykg.records import Task

FIRST_LEADS = re.compile(
    r"(?:列|排)(?:在)?(?:第一|首)(?:位|个)(?:的|者)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)"
)
RESPONSIBLE_END = re.compile(r"(?:按职责分工负责|按职责负责|分工负责|共同负责|配合|参与|协助|协同|等负责)$")
LEAD_WORD = re.compile(r"负责牵头|牵头负责|牵头")
# "牵头单位：A；配合单位：B、C" — a label names the role of the units after it
ROLE_LABEL = re.compile(
    r"^(?P<role>牵头单位|牵头部门|主办单位|主责单位|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位)\s*[:：]?\s*"
)
LABEL_ROLE = {"牵头单位": "lead", "牵头部门": "lead", "主办单位": "lead", "主责单位": "lead"}
HEADING = re.compile(
    r"(?P<l1>[一二三四五六七八九十]{1,3}、)|(?P<l2>[(（][一二三四五六七八九十]{1,3}[)）])"
    r"|(?P<l3>(?<![\d.．])\d{1,2}\s*[.．、](?![\d]))|(?P<box>专栏\s*\d{1,2})"
)
PAREN = re.compile(r"[(（]((?:[^()（）]|[(（][^()（）]*[)）])*)[)）]")
SUBJECT_VERB = re.compile(r"(负责牵头|牵头负责|牵头|负责)(?!人|制|任|同志|解释)")
CLAUSE_LEAD_IN = re.compile(
    r"^(?:.*第[一二三四五六七八九十百]+条)?\s*(?:[(（][一二三四五六七八九十\d]+[)）]\s*|\d+[.．、]\s*)*(?:由)?"
)
# a unit named as a subject starts with its jurisdiction, 各, or a national body
LOCAL_OR_NATIONAL = re.compile(
    r"^(?:市|省|县|区|州|各|本|国家|国务院|中共|中央|全国|最高人民|中国|[\u4e00-\u9fff]{2,7}?(?:省|市|州|县|区|盟))"
)


@dataclass(slots=True)
class Roles:
    lead: list[str]
    responsible: list[str]


def declared_first_leads(body: str) -> bool:
    return bool(FIRST_LEADS.search(body))


def parse_roles(phrase: str, jurisdiction: str | None, first_leads: bool, default: str = "lead") -> Roles:
    """Units of a phrase with their roles. `default` is the role of a bare list of units
    (a table column, a lone "A负责")."""
    lead, resp = _roles(phrase, jurisdiction, first_leads, default)
    return Roles(list(lead), list(resp))


@lru_cache(maxsize=16384)
def _roles(
    phrase: str, jurisdiction: str | None, first_leads: bool, default: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # unit lists repeat across tasks and documents of one jurisdiction: parse each once
    lead: list[str] = []
    resp: list[str] = []
    for cs, ce in split_top_level(phrase, "，,；;"):
        clause = phrase[cs:ce].strip()
        label = ROLE_LABEL.match(clause)
        if label:
            clause = clause[label.end() :]
        ents = agencies_in(clause)
        if not ents:
            continue
        lw = LEAD_WORD.search(clause)
        if label:
            role = LABEL_ROLE.get(label.group("role"), "responsible")
            (lead if role == "lead" else resp).extend(e.text for e in ents)
        elif lw:
            lead += [e.text for e in ents if e.start < lw.start()]
            resp += [e.text for e in ents if e.start >= lw.end()]
        elif RESPONSIBLE_END.search(clause) or re.search(r"等[^、]*负责$", clause):
            resp += [e.text for e in ents]
        elif clause.endswith("负责") and len(ents) == 1:
            lead += [e.text for e in ents]
        elif default == "responsible" or (clause.endswith("负责") and len(ents) > 1):
            resp += [e.text for e in ents]
        else:
            lead += [e.text for e in ents]
    if first_leads and not lead and resp:
        lead, resp = resp[:1], resp[1:]
    return tuple(_canon(lead, jurisdiction)), tuple(_canon(resp, jurisdiction))


def _canon(names: list[str], jurisdiction: str | None) -> list[str]:
    out: list[str] = []
    for n in names:
        c = canonical_agency(n, jurisdiction)
        if c not in out:
            out.append(c)
    return out


Sections = list[tuple[int, str, str]]  # (position, level, marker) of each heading


def _sections(text: str, start: int, end: int) -> Sections:
    """(position, level, marker) of headings in the body."""
    out = []
    for m in HEADING.finditer(text, start, end):
        before = text[max(start, m.start() - 1) : m.start()]
        spaced = m.lastgroup == "l3" and re.match(r"\d+\s+[.．]", m.group(0))
        if before and before not in "\n。)）；;: \t|" and m.lastgroup != "box" and not spaced:
            continue
        out.append((m.start(), m.lastgroup or "", re.sub(r"\s", "", m.group(0)).rstrip("、.．")))
    return out


def _position(heading: tuple[int, str, str]) -> int:
    return heading[0]


def _section_at(sections: Sections, pos: int) -> str | None:
    path: dict[str, str] = {}
    for p, level, marker in sections:
        if p > pos:
            break
        if level == "box":
            path = {"l1": path.get("l1", ""), "box": marker}
            continue
        path[level] = marker
        for deeper in ("l2", "l3", "box") if level == "l1" else ("l3",) if level == "l2" else ():
            path.pop(deeper, None)
    parts = [path[k] for k in ("l1", "l2", "box", "l3") if path.get(k)]
    return "/".join(parts) or None


def table_tasks(text: str, table: Table, jurisdiction: str | None, first_leads: bool) -> list[Task]:
    """Rows of a task table: a task text cell followed by its unit cells, in header order."""
    header_end = next(
        (i for i, c in enumerate(table.cells) if re.search("牵头单位|责任单位|配合单位", c.text)), None
    )
    if header_end is None or is_target_table(table):
        return []
    header = table.cells[: header_end + 3]
    roles_order = [
        "lead" if "牵头" in c.text else "responsible"
        for c in header
        if re.search("牵头单位|责任单位|配合单位|参与单位|协办单位", c.text)
    ]
    if "lead" not in roles_order and not first_leads:
        roles_order = ["responsible"] * len(roles_order)
    i = max(i for i, c in enumerate(header) if re.search("单位", c.text)) + 1
    cells = table.cells
    tasks: list[Task] = []
    section: list[str] = []
    while i < len(cells):
        cell = cells[i]
        if _is_unit_cell(cell.text):
            i += 1
            continue
        if _is_heading_cell(cell.text):
            # (一) starts a new section path; 1. goes under the current (一)
            section = (
                [cell.text[:30]] if cell.text.startswith(("(", "（")) else [*section[:1], cell.text[:30]]
            )
            i += 1
            continue
        unit_cells: list[Cell] = []
        j = i + 1
        while j < len(cells) and _is_unit_cell(cells[j].text) and len(unit_cells) < len(roles_order):
            unit_cells.append(cells[j])
            j += 1
        if unit_cells and len(cell.text) >= 6:
            lead: list[str] = []
            resp: list[str] = []
            for role, uc in zip(roles_order, unit_cells, strict=False):
                r = parse_roles(uc.text, jurisdiction, first_leads=False, default=role)
                lead += [x for x in r.lead if x not in lead]
                resp += [x for x in r.responsible if x not in resp]
            if first_leads and not lead and resp:
                lead, resp = resp[:1], resp[1:]
            tasks.append(
                Task(
                    text=cell.text,
                    section="/".join(section) or None,
                    lead=lead,
                    responsible=resp,
                    span=(cell.start, cell.end),
                    quote=cell.text[:600],
                    quote_start=cell.start,
                )
            )
        i = j
    return tasks


def is_target_table(table: Table) -> bool:
    """A table of indicators (指标名称 … 目标值), not of tasks."""
    head = "".join(c.text for c in table.cells[:12] if len(c.text) <= 12)
    return bool(re.search("指标", head) and re.search("目标|预期|基期|\\d{4}年", head))


@lru_cache(maxsize=16384)
def _is_unit_cell(text: str) -> bool:
    if len(text) > 120 or text.endswith("。"):
        return False
    ents = agencies_in(text)
    if not ents:
        return False
    covered = sum(e.end - e.start for e in ents)
    return covered >= 0.6 * len(re.sub(r"[、，,；;\s等]", "", text))


def _is_heading_cell(text: str) -> bool:
    return (
        len(text) <= 40
        and bool(
            re.match(
                r"^(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d{1,2}\s*[.．、])", text
            )
        )
        and not text.endswith("。")
    )


def _task_before(
    text: str,
    sections: Sections,
    floor: int,
    units_start: int,
    units_end: int,
    roles: Roles,
) -> Task | None:
    """The task whose units stand at [units_start, units_end): its text runs back to the last
    heading after `floor` (the end of the previous task's units), or to `floor` itself."""
    i = bisect.bisect_left(sections, units_start, key=_position) - 1
    ts = sections[i][0] if i >= 0 and sections[i][0] >= floor else floor
    te = units_start
    while te > ts and text[te - 1].isspace():
        te -= 1
    while ts < te and text[ts].isspace():
        ts += 1
    if te - ts < 6:
        return None
    return Task(
        text=text[ts:te],
        section=_section_at(sections, ts),
        lead=roles.lead,
        responsible=roles.responsible,
        span=(ts, te),
        quote=text[ts:units_end][:600],
        quote_start=ts,
    )


def paren_tasks(
    text: str,
    start: int,
    end: int,
    jurisdiction: str | None,
    first_leads: bool,
    skip: Ranges,
    sections: Sections,
) -> list[Task]:
    """Tasks whose units follow them in brackets. The brackets used are added to `skip`."""
    tasks: list[Task] = []
    boundary = start
    for m in PAREN.finditer(text, start, end):
        inner = m.group(1)
        if skip.contains(m.start()) or not re.search("牵头|负责|配合|参与|责任单位|责任部门", inner):
            continue
        if not agencies_in(inner):
            continue
        roles = parse_roles(inner, jurisdiction, first_leads, default="lead")
        if not roles.lead and not roles.responsible:
            continue
        skip.add(m.start(), m.end())
        floor = max(boundary, text.rfind("\n", start, m.start()) + 1)
        task = _task_before(text, sections, floor, m.start(), m.end(), roles)
        if task:
            tasks.append(task)
        boundary = m.end()
    return tasks


LABEL_RUN = re.compile(
    r"(?:^|(?<=。))[ \t]*(?:牵头单位|牵头部门|主办单位|主责单位|责任单位|责任部门)\s*[:：][^\n。]{1,300}"
    r"(?:[\n；;。]?[ \t]*(?:配合单位|配合部门|协办单位|参与单位|责任单位|责任部门)\s*[:：][^\n。]{1,300})*",
    re.M,
)


def label_tasks(
    text: str,
    start: int,
    end: int,
    jurisdiction: str | None,
    first_leads: bool,
    skip: Ranges,
    sections: Sections,
) -> list[Task]:
    """Tasks followed by labelled unit lines: "…。\n牵头单位：市市场监管局\n配合单位：市公安局"."""
    tasks: list[Task] = []
    boundary = start
    for m in LABEL_RUN.finditer(text, start, end):
        if skip.contains(m.start()):
            continue
        phrase = re.sub(r"[\n。]", "；", m.group(0).strip())
        roles = parse_roles(phrase, jurisdiction, first_leads)
        skip.add(m.start(), m.end())
        if not roles.lead and not roles.responsible:
            continue
        task = _task_before(text, sections, boundary, m.start(), m.end(), roles)
        if task:
            tasks.append(task)
        boundary = m.end()
    return tasks


def sentence_tasks(
    text: str, start: int, end: int, jurisdiction: str | None, skip: Ranges, sections: Sections
) -> list[Task]:
    """Sentences whose subject is a unit followed by 负责/牵头 (and clauses that begin with 负责
    after the unit was named earlier in the sentence)."""
    tasks: list[Task] = []
    for s, e in sentences(text, start, end):
        if skip.overlaps(s, e) or not SUBJECT_VERB.search(text, s, e):
            continue
        sent = text[s:e]
        for cs, ce in split_top_level(sent, "，,：:"):
            roles = _clause_roles(sent, cs, ce, jurisdiction)
            if roles is None:
                continue
            tasks.append(
                Task(
                    text=sent,
                    section=_section_at(sections, s),
                    lead=roles.lead,
                    responsible=roles.responsible,
                    span=(s, e),
                    quote=sent[:600],
                    quote_start=s,
                )
            )
            break
    return tasks


def _clause_roles(sent: str, cs: int, ce: int, jurisdiction: str | None) -> Roles | None:
    """The units of a sentence whose clause sent[cs:ce] has a unit as subject of 负责/牵头, or
    None when that clause has no such subject."""
    clause = sent[cs:ce]
    lead_in = CLAUSE_LEAD_IN.match(clause)
    body = clause[lead_in.end() :] if lead_in else clause
    verb = SUBJECT_VERB.search(body)
    if not verb:
        return None
    subject = body[: verb.start()].strip()
    if "由" in subject:
        subject = subject[subject.rindex("由") + 1 :]
    if not subject:
        # "…成立X领导小组,统筹…,负责研究…": the unit named last before this clause
        prior = agencies_in_text(sent[:cs])
        if not prior or verb.start() != 0:
            return None
        return Roles([canonical_agency(prior[-1], jurisdiction)], [])
    names = [x.text for x in agencies_in(subject)]
    first = re.sub(r"[、，,及和与].*$", "", subject)
    if not names or not is_agency(first) or not LOCAL_OR_NATIONAL.match(first):
        return None
    roles = parse_roles("、".join(names) + "负责", jurisdiction, first_leads=False)
    lead = roles.lead or roles.responsible
    # "由A牵头，B、C配合" / "A负责，B参与": the units that assist, later in the sentence
    rest = sent[ce:]
    helpers = [
        c
        for c in (rest[a:b].strip().rstrip("。；;") for a, b in split_top_level(rest, "，,：:"))
        if RESPONSIBLE_END.search(c) and agencies_in(c)
    ]
    if not helpers:
        return Roles(lead, [])
    assisting = parse_roles("，".join(helpers), jurisdiction, False).responsible
    return Roles(lead, [u for u in assisting if u not in lead])


UNIT_END = re.compile(
    r"(?:领导小组|工作小组|委员会|办公室|管委会|人民政府|政府|局|委|厅|中心|院)(?=[^\u4e00-\u9fff(（]|的|$)"
)
BOUNDARY_BEFORE = re.compile(r"[\s，,、。：:;；]|的$|为$|由$|以$|成立$")


def agencies_in_text(text: str) -> list[str]:
    """Unit names in running text, in order: for each place where a unit-like word ends,
    the longest unit that starts at a word boundary (used to find the unit a later clause
    such as "负责研究…" refers back to)."""
    names = []
    for m in UNIT_END.finditer(text):
        end = m.end()
        for k in range(max(0, end - 40), end - 1):
            tail = text[k:end]
            if tail[0] in OPEN or not (k == 0 or BOUNDARY_BEFORE.search(text[max(0, k - 2) : k])):
                continue
            if is_agency(tail):
                names.append(tail)
                break
    return names


def extract_tasks(
    text: str, start: int, end: int, jurisdiction: str | None, tables: list[Table]
) -> list[Task]:
    body = text[start:end]
    first_leads = declared_first_leads(body)
    tasks: list[Task] = []
    skip = Ranges([(t.start, t.end) for t in tables])
    for table in tables:
        tasks += table_tasks(text, table, jurisdiction, first_leads)
    sections = _sections(text, start, end)
    tasks += paren_tasks(text, start, end, jurisdiction, first_leads, skip, sections)
    tasks += label_tasks(text, start, end, jurisdiction, first_leads, skip, sections)
    tasks += sentence_tasks(text, start, end, jurisdiction, skip, sections)
    tasks.sort(key=lambda t: t.span or (0, 0))
    return tasks
