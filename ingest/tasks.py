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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from policykg.ingest.agencies import canonical_agency, is_agency, remove_bracketed
from policykg.ingest.clauses import HEADING, Sections, heading_position, section_at
from policykg.ingest.clauses import sections as heading_sections
from policykg.ingest.nlp import agencies_in
from policykg.ingest.tables import Cell, RowTable, Table
from policykg.ingest.text import OPEN, Ranges, sentences, split_top_level

from policykg.records import Task

FIRST_LEADS = re.compile(
    r"(?:列|排|排序|排名)(?:在)?(?:第一|首)(?:位|个)?(?:的|者)?(?:责任|牵头)?(?:单位|部门)?(?:为|是)(?:该项)?牵头(?:单位|部门)"
)
RESPONSIBLE_END = re.compile(
    r"(?:按职责分工负责|按职责负责|分工负责|共同负责|配合|参与|协助|协同|等负责|落实|组织实施)$"
)
LEAD_WORD = re.compile(r"负责牵头|牵头负责|牵头")
LEAD_END = re.compile(rf"(?:{LEAD_WORD.pattern})$")
# "A负责" / "A指导": one unit alone leads, several with none marked 牵头 are all responsible
COUNTED_ROLE_END = re.compile(r"(?:负责|指导|负责指导|主抓|主责)$")
# "牵头单位：A；配合单位：B、C" — a label names the role of the units after it
ROLE_LABEL = re.compile(
    r"^(?P<role>牵头单位|牵头部门|主办单位|主责单位|责任单位|责任部门|配合单位|配合部门|协办单位|参与单位|落实单位|落实部门"
    r"|负责部门|负责单位|指导部门|指导单位|实施主体|责任主体)\s*[:：]?\s*"
)
LABEL_ROLE = {
    **dict.fromkeys(("牵头单位", "牵头部门", "主办单位", "主责单位"), "lead"),
    **dict.fromkeys(("负责部门", "负责单位", "指导部门", "指导单位", "实施主体", "责任主体"), "counted"),
}
# A rule a document declares for the tasks after it: "以下均需试点城市政府落实，不再列出".
CARRY_FORWARD = re.compile(
    r"以下[^。；;，,]{0,6}?(?:均|都|皆)(?:需|须|要|由)?(?P<units>[^。；;]{2,80}?)"
    r"(?:负责)?(?:组织)?落实[，,]?\s*(?:不再|不另)(?:单独|一一|另行)?列出"
    # "各项措施责任单位均包括B，以下不再列出"
    r"|(?:各项|所有|全部)?(?:措施|任务|工作)?的?(?:责任|牵头|配合)?单位均(?:包括|含|有)(?P<included>[^。；;]{2,80}?)"
    r"[，,]\s*以下(?:不再|不另)(?:单独|一一|另行)?列出"
)
ROLE_HINT = re.compile(r"牵头|负责|配合|参与|责任单位|责任部门|指导|落实|主体")
# units in brackets of any kind: （…）, (…), 〔…〕, 【…】; one level of nesting (各镇(街)人民政府)
PAREN = re.compile(r"[(（〔【]((?:[^()（）〔〕【】]|[(（〔][^()（）〔〕]*[)）〕])*)[)）〕】]")
SUBJECT_VERB = re.compile(r"(负责牵头|牵头负责|牵头|负责)(?!人|制|任|同志|解释)")
CLAUSE_LEAD_IN = re.compile(
    r"^(?:.*第[一二三四五六七八九十百]+条)?\s*(?:[(（][一二三四五六七八九十\d]+[)）]\s*|\d+[.．、]\s*)*(?:由)?"
)
DUTY_BASIS = re.compile(r"(?:按照|依照|根据)(?:规定|法定|各自|本级)?(?:的)?职责$")
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
    counted: list[list[str]] = []
    pending: list[str] = []  # bare units before the clause whose role word covers them
    if "人民政府" in phrase:
        phrase = SHARED_GOVERNMENT.sub(r"\1人民政府、", phrase)
    if rules := _carry_forward(phrase):
        for carried in rules:
            # a rule for this task and those that follow (carried_units): here they take part
            resp += [e.text for e in agencies_in(_carried(carried))]
        phrase = CARRY_FORWARD.sub("", phrase)
    labelled: str | None = None
    for cs, ce in split_top_level(phrase, "，,；;。"):
        clause = phrase[cs:ce].strip()
        if clause.startswith(("以下", "不再", "下同")):
            continue
        label = ROLE_LABEL.match(clause)
        if label:
            clause = clause[label.end() :]
            labelled = LABEL_ROLE.get(label.group("role"), "responsible")
        ents = agencies_in(clause)
        if not ents:
            continue
        names = [e.text for e in ents]
        lw = LEAD_WORD.search(clause)
        if labelled and not lw and not RESPONSIBLE_END.search(clause):
            # "责任单位：A、B，各县区人民政府": the label covers the clauses after it too
            role = labelled
            if role == "counted":
                counted.append(names)
            else:
                (lead if role == "lead" else resp).extend(names)
        elif lw and LEAD_END.search(clause):
            lead += pending + names  # "A、B牵头负责、C、D按职责牵头负责": all of them lead
        elif lw:
            lead += pending + [e.text for e in ents if e.start < lw.start()]
            resp += [e.text for e in ents if e.start >= lw.end()]
        elif RESPONSIBLE_END.search(clause) or re.search(r"等[^、]*负责$", clause):
            resp += pending + names
        elif COUNTED_ROLE_END.search(clause):
            counted.append(pending + names)
        else:
            # "省委金融办，省发展改革委、财政厅，人民银行…分行按职责分工负责": one role for all
            pending += names
            continue
        pending = []
    if pending:
        (resp if default == "responsible" else lead).extend(pending)
    for names in counted:
        # alone it leads; several, or beside a unit already leading, they are responsible
        if len(names) == 1 and not lead and len(counted) == 1:
            lead += names
        else:
            resp += names
    if first_leads and not lead and resp:
        lead, resp = resp[:1], resp[1:]
    return tuple(_canon(lead, jurisdiction)), tuple(_canon(resp, jurisdiction))


def _canon(names: list[str], jurisdiction: str | None) -> list[str]:
    out: list[str] = []
    for n in _shared_government(names) if len(names) > 1 else names:
        c = canonical_agency(n, jurisdiction)
        if c not in out:
            out.append(c)
    return out


# "市州、县市区人民政府": the governments of two kinds of place (written with 各 in front, the
# units come apart in agencies.split_units and _shared_government joins the government to each)
SHARED_GOVERNMENT = re.compile(
    r"(?<![\u4e00-\u9fff])(市州|县市区|县市|市县|县区|市区)、(?=[^、，,；;。]{1,8}?人民政府)"
)


def _carry_forward(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """The CARRY_FORWARD rules in text[start:end]; every wording ends "列出", which most
    documents never write, so the pattern is only tried where it is."""
    end = len(text) if end is None else end
    return list(CARRY_FORWARD.finditer(text, start, end)) if text.find("列出", start, end) >= 0 else []


def _carried(m: re.Match[str]) -> str:
    """The units of a CARRY_FORWARD rule, in whichever of its wordings."""
    return SHARED_GOVERNMENT.sub(r"\1人民政府、", m.group("units") or m.group("included"))


def _shared_government(names: list[str]) -> list[str]:
    """ "各市(州)、各县(市、区)人民政府", "各区、县(市)人民政府": the governments of each kind of
    place, the 各 and the 人民政府 shared."""
    out = list(names)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.startswith("各") and b.endswith("人民政府") and remove_bracketed(a)[-1:] in "市州县区":
            out[i] = a + "人民政府"
            out[i + 1] = b if b.startswith("各") else "各" + b
    return out


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


# Column headers of a task table, by what the column holds. "Counted" columns name units the
# way "A负责" does: one unit leads, several with none marked 牵头 are all responsible.
LEAD_COLUMN = re.compile(r"牵头|主办|主责")
RESPONSIBLE_COLUMN = re.compile(r"责任单位|责任部门|配合|协办|参与|协同|参加|协助")
COUNTED_COLUMN = re.compile(
    r"负责(?:单位|部门)|指导(?:单位|部门)|(?:实施|行使)(?:单位|部门|主体)|责任主体|承办"
)
TASK_COLUMNS = (
    "具体任务", "具体措施", "任务内容", "工作内容", "具体内容", "工作任务", "主要任务", "重点任务",
    "工作措施", "主要措施", "政策措施", "改革举措", "任务举措", "重点工作", "工作事项", "任务", "措施",
    "内容", "事项", "举措",
)  # fmt: skip
# a header naming the kind of task (任务类型, 事项类别), not the task
KIND = re.compile(r"类型|类别|分类")


def _column_role(header: str) -> str | None:
    h = re.sub(r"\s", "", header)
    if len(h) > 12:
        return None
    if LEAD_COLUMN.search(h):
        return "lead"
    if RESPONSIBLE_COLUMN.search(h):
        return "responsible"
    if COUNTED_COLUMN.search(h):
        return "counted"
    return None


def _task_column(header: list[Cell], rows: list[list[Cell]], taken: set[int]) -> int | None:
    """The column holding the task: the most specific task header, else the column of longest
    text among those not holding units."""
    names = [re.sub(r"\s", "", c.text) for c in header]
    for want in TASK_COLUMNS:
        found = [
            i
            for i, n in enumerate(names)
            if want in n and i not in taken and len(n) <= 10 and not KIND.search(n)
        ]
        if found:
            return found[-1]
    free = [i for i in range(len(header)) if i not in taken]
    if not free or not rows:
        return None
    return max(free, key=lambda i: sum(len(r[i].text) for r in rows))


def row_table_tasks(text: str, table: RowTable, jurisdiction: str | None, first_leads: bool) -> list[Task]:
    """One task a row of a table written one row a line. An empty unit cell continues the cell
    above it (a merged cell exported row by row)."""
    roles = {i: r for i, c in enumerate(table.header) if (r := _column_role(c.text))}
    if not roles:
        return []
    task_col = _task_column(table.header, table.rows, set(roles))
    if task_col is None:
        return []
    section_cols = [i for i in range(task_col) if i not in roles and not _is_serial_column(table, i)]
    lead_declared = "lead" in roles.values()
    tasks: list[Task] = []
    above: dict[int, str] = {}
    for row in table.rows:
        cell = row[task_col]
        if len(cell.text) < 4:
            continue
        lead: list[str] = []
        resp: list[str] = []
        for i, role in roles.items():
            unit_text = row[i].text or above.get(i, "")
            above[i] = unit_text
            if role == "counted":
                r = parse_roles(unit_text + "负责", jurisdiction, first_leads=False)
            else:
                default = role if lead_declared or first_leads else "responsible"
                r = parse_roles(unit_text, jurisdiction, first_leads=False, default=default)
            lead += [x for x in r.lead if x not in lead]
            resp += [x for x in r.responsible if x not in resp and x not in lead]
        if first_leads and not lead and resp:
            lead, resp = resp[:1], resp[1:]
        if not lead and not resp:
            continue
        section = "/".join(row[i].text for i in section_cols if row[i].text) or None
        row_start, row_end = row[0].start, row[-1].end
        tasks.append(
            Task(
                text=cell.text,
                section=section,
                lead=lead,
                responsible=resp,
                span=(cell.start, cell.end),
                quote=text[row_start:row_end][:600],
                quote_start=row_start,
            )
        )
    return tasks


def _is_serial_column(table: RowTable, i: int) -> bool:
    return all(re.fullmatch(r"\d{1,4}|", r[i].text) for r in table.rows)


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


HEADING_CELL = re.compile(
    r"(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d{1,2}\s*[.．、])"
)


def _is_heading_cell(text: str) -> bool:
    return len(text) <= 40 and bool(HEADING_CELL.match(text)) and not text.endswith("。")


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
    i = bisect.bisect_left(sections, units_start, key=heading_position) - 1
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
        section=section_at(sections, ts),
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
        if skip.contains(m.start()) or not ROLE_HINT.search(inner):
            continue
        roles = parse_roles(inner, jurisdiction, first_leads, default="lead")
        if not roles.lead and not roles.responsible:
            continue
        skip.add(m.start(), m.end())
        line_start = text.rfind("\n", start, m.start()) + 1
        # units on a line of their own cover the paragraph above them
        floor = boundary if not text[line_start : m.start()].strip() else max(boundary, line_start)
        task = _task_before(text, sections, floor, m.start(), m.end(), roles)
        if task:
            tasks.append(task)
        boundary = m.end()
    return tasks


LABEL_RUN = re.compile(
    r"(?:^|(?<=。))[ \t]*(?:牵头单位|牵头部门|主办单位|主责单位|责任单位|责任部门|负责单位|负责部门)"
    r"\s*[:：][^\n。]{1,300}"
    r"(?:[\s；;。]*(?:配合单位|配合部门|协办单位|参与单位|责任单位|责任部门|落实单位|落实部门)\s*[:：][^\n。]{1,300})*",
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
        items = _items_covered(text, sections, boundary, m.start(), m.end(), end)
        if items:  # a unit line closing a chapter of items that name none: each item's units
            tasks += [_task_before(text, sections, a, b, m.end(), roles) for a, b in items]
        else:
            tasks.append(_task_before(text, sections, boundary, m.start(), m.end(), roles))
        boundary = m.end()
    return [t for t in tasks if t]


def _items_covered(
    text: str, sections: Sections, floor: int, units_start: int, units_end: int, end: int
) -> list[tuple[int, int]]:
    """The (start, end) of each item a unit line covers when it closes a chapter: two items or
    more of one level since `floor`, none with units of its own, and after the line the next
    chapter (a heading of another level) or the end of the text."""
    heads = [h for h in sections if floor <= h[0] < units_start]
    while len(heads) > 1 and heads[0][1] != heads[-1][1]:
        heads = heads[1:]  # the chapter's own heading: the items are the run of the last level
    if len(heads) < 2:
        return []
    nxt = next((h for h in sections if h[0] >= units_end), None)
    if nxt is not None and (nxt[1] == heads[0][1] or text[units_end : nxt[0]].strip()):
        return []
    if nxt is None and text[units_end:end].strip():
        return []
    bounds = [h[0] for h in heads] + [units_start]
    return [(bounds[i], bounds[i + 1]) for i in range(len(heads))]


# a numbered heading that is only a unit's name: "（一）区建管委" / "2.市财政局：负责…"
UNIT_HEADING = re.compile(
    r"^[ \t]*(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、])[ \t]*"
    r"(?P<unit>[^\n：:，,。；;]{2,30}?)[ \t]*(?:[：:][ \t]*(?P<rest>[^\n]*))?$",
    re.M,
)


def heading_unit_tasks(
    text: str, start: int, end: int, jurisdiction: str | None, skip: Ranges, sections: Sections
) -> list[Task]:
    """A division of duties written unit by unit (职责分工): a heading that names only a unit,
    then what that unit does — on the same line after a colon, or in the paragraph below."""
    tasks: list[Task] = []
    for m in UNIT_HEADING.finditer(text, start, end):
        unit = m.group("unit")
        if (
            skip.overlaps(m.start(), m.end())
            or not is_agency(unit)
            or not LOCAL_OR_NATIONAL.match(unit)  # a unit's name, not 构建…新格局
            or not agencies_in(unit)
        ):
            continue
        if m.group("rest"):
            ts, te = m.start("rest"), m.end("rest")
        else:
            # the paragraph below, up to the next heading or blank-line-separated heading
            body = re.compile(r"\S[^\n]*").search(text, m.end(), end)
            if body is None or UNIT_HEADING.match(body.group()) or HEADING.match(body.group()):
                continue
            ts, te = body.span()
        if te - ts < 6 or skip.overlaps(ts, te):
            continue
        name = canonical_agency(unit, jurisdiction)
        skip.add(m.start(), te)
        tasks.append(
            Task(
                text=text[ts:te],
                section=section_at(sections, ts),
                lead=[name],
                responsible=[],
                span=(ts, te),
                quote=text[m.start() : te][:600],
                quote_start=m.start(),
            )
        )
    return tasks


def sentence_tasks(
    text: str, start: int, end: int, jurisdiction: str | None, skip: Ranges, sections: Sections
) -> list[Task]:
    """Sentences whose subject is a unit followed by 负责/牵头 (and clauses that begin with 负责
    after the unit was named earlier in the sentence)."""
    tasks: list[Task] = []
    for s, e in sentences(text, start, end):
        if skip.overlaps(s, e):
            continue
        sent = text[s:e]
        kinds = _kinds_of_department(sent, jurisdiction) if "各自职责" in sent else None
        if kinds:
            tasks.append(_sentence_task(sent, s, e, sections, Roles([], kinds)))
            continue
        if not SUBJECT_VERB.search(sent):
            continue
        for cs, ce in split_top_level(sent, "，,：:"):
            roles = _clause_roles(sent, cs, ce, jurisdiction)
            if roles is None:
                continue
            tasks.append(_sentence_task(sent, s, e, sections, roles))
            break
    return tasks


def _sentence_task(sent: str, s: int, e: int, sections: Sections, roles: Roles) -> Task:
    return Task(
        text=sent,
        section=section_at(sections, s),
        lead=roles.lead,
        responsible=roles.responsible,
        span=(s, e),
        quote=sent[:600],
        quote_start=s,
    )


# legislation names departments by their kind, several sharing one 部门: "县级以上人民政府农业农村、
# 林业部门按照各自职责负责…", "新闻出版、教育、科技等负责…的相关部门，按照各自职责做好…"
KINDS_OF_DEPARTMENT = re.compile(
    r"(?:第[一二三四五六七八九十百]+条\s*)?"
    r"(?P<prefix>县级以上(?:地方)?(?:各级)?人民政府|(?:省|市|县|区)(?:级)?人民政府)?"
    r"(?P<kinds>(?:(?![等的])[\u4e00-\u9fff]){2,10}(?:、(?:(?![等的])[\u4e00-\u9fff]){2,10})+)"
    r"(?:等[\u4e00-\u9fff]{0,20}?)?(?:有关|相关)?(?:主管|行政)?部门[，,\s]*(?:应当)?(?:按照|依照|根据)?各自"
)


def _kinds_of_department(sent: str, jurisdiction: str | None) -> list[str]:
    """One unit per kind (农业农村部门, 林业部门), all responsible: 按照各自职责 names no lead."""
    m = KINDS_OF_DEPARTMENT.match(sent)
    if not m:
        return []
    prefix = m.group("prefix") or ""
    kinds = m.group("kinds").split("、")
    return _canon([f"{prefix}{k}部门" for k in kinds], jurisdiction)


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
    # "由所涉及的A、B等省级主管部门(单位)牵头": the units listed, not what describes them
    subject = re.sub(r"^[^、，,]*的(?=[^、，,的]+[、，,])", "", subject)
    subject = re.sub(r"(?<=[^、，,])等[^、，,等]*$", "", subject)
    subject = DUTY_BASIS.sub("", subject)  # "A按照规定职责负责…": A is the subject
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


# where a unit's name ends: before punctuation, 的, or a word a subject is followed by
UNIT_END = re.compile(
    r"(?:领导小组|工作小组|委员会|办公室|管委会|人民政府|政府|局|委|厅|中心|院)"
    r"(?=[^\u4e00-\u9fff(（]|的|按照|依照|根据|负责|牵头|会同|应当|$)"
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
    text: str,
    start: int,
    end: int,
    jurisdiction: str | None,
    tables: list[Table],
    row_tables: Sequence[RowTable] = (),
) -> list[Task]:
    body = text[start:end]
    first_leads = declared_first_leads(body)
    tasks: list[Task] = []
    skip = Ranges([(t.start, t.end) for t in [*tables, *row_tables]])
    for table in tables:
        tasks += table_tasks(text, table, jurisdiction, first_leads)
    for row_table in row_tables:
        tasks += row_table_tasks(text, row_table, jurisdiction, first_leads)
    sections = heading_sections(text, start, end)
    tasks += paren_tasks(text, start, end, jurisdiction, first_leads, skip, sections)
    tasks += label_tasks(text, start, end, jurisdiction, first_leads, skip, sections)
    tasks += heading_unit_tasks(text, start, end, jurisdiction, skip, sections)
    tasks += sentence_tasks(text, start, end, jurisdiction, skip, sections)
    tasks.sort(key=lambda t: t.span or (0, 0))
    for pos, units in carried_units(text, start, end, jurisdiction):
        for task in tasks:
            if task.span and task.span[0] > pos:
                task.responsible += [u for u in units if u not in task.lead and u not in task.responsible]
    return tasks


def carried_units(text: str, start: int, end: int, jurisdiction: str | None) -> list[tuple[int, list[str]]]:
    """Units a document declares for every task after a point: "以下均需B落实，不再列出"."""
    out: list[tuple[int, list[str]]] = []
    for m in _carry_forward(text, start, end):
        units = _canon([e.text for e in agencies_in(_carried(m))], jurisdiction)
        if units:
            out.append((m.start(), units))
    return out
