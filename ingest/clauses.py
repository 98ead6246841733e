"""Clauses: the numbered provisions of a document (一、 / (一) / 1. / 专栏N / 第N条).

One heading parser serves both clauses and task sections: a task's `section` is the `path` of
the clause it stands in (`section_at`), so the two agree by construction.

A path joins the markers of the enclosing provisions, outermost first, as written in the text
(the brackets of (一) are kept as the document writes them): "二", "二/(二)", "二/(二)/1",
"二/专栏3", "第十二条", "第十二条/(一)". Articles (第N条) are outermost: articles are numbered
through a regulation's chapters, so chapters add nothing to a path.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

HEADING = re.compile(
    # the lookahead lets the engine skip at once every position no marker can start at (4x faster)
    r"(?=[一二三四五六七八九十(（\d专第])"
    r"(?:(?P<l1>[一二三四五六七八九十]{1,3}、)|(?P<l2>[(（][一二三四五六七八九十]{1,3}[)）])"
    r"|(?P<l3>(?<![\d.．])\d{1,2}\s*[.．、](?![\d]))|(?P<box>专栏\s*\d{1,2})"
    r"|(?P<art>第[一二三四五六七八九十百零〇]{1,5}条))"
)
# what may stand right before a heading marker: a line start or any white space (web pages
# indent with U+00A0), a sentence end, a closing bracket, a table cell's edge
BEFORE_HEADING = "。)）；;:|"
# levels, outermost first, in the order their markers join a path
ORDER = ("art", "l1", "l2", "box", "l3")
# a heading sentence: the words after the marker up to the first stop, if short
STOPS = r"\n。；;：:！？!?|"
# (two spaces end it too: a page flattened to one line keeps its line breaks as runs of spaces)
HEADING_TEXT = re.compile(rf"【(?P<b>[^】\n]{{1,30}})】|(?P<h>[^{STOPS}【】]{{1,40}}?)(?=[{STOPS}]|\s\s|$)")
MAX_HEADING = 30
SPACED_NUMBER = re.compile(r"\d+\s+[.．]")
LINE_START = re.compile(r"[\s#*>]*")

Sections = tuple[tuple[int, str, str, str], ...]  # (position, level, marker, path) of each heading


@dataclass(frozen=True, slots=True)
class Clause:
    path: str  # same notation as a task record's "section"
    number: str  # the marker as written, normalised like the section parts: "二", "(二)", "1", "第十二条"
    heading: str  # the provision's heading text ("" when the provision has no heading sentence)
    level: int  # 1 for the outermost numbering level of the document
    start: int  # character span of the whole provision (heading + body + sub-provisions)
    end: int


@lru_cache(maxsize=8)  # tasks and clauses both ask for the same body's headings
def sections(text: str, start: int, end: int) -> Sections:
    """(position, level, marker, path) of the headings in text[start:end], in order; `path` is
    the path in force right after the heading."""
    heads = []
    for m in HEADING.finditer(text, start, end):
        level = m.lastgroup or ""
        if level == "art":
            # an article starts a line (after markdown marks), or stands between white space
            # (a page flattened to one line); elsewhere 第N条 is a reference (依照本条例第十二条)
            line = text[text.rfind("\n", start, m.start()) + 1 : m.start()]
            spaced = line[-1:].isspace() and text[m.end() : m.end() + 1].isspace()
            if not LINE_START.fullmatch(line) and not spaced:
                continue
        else:
            before = text[max(start, m.start() - 1) : m.start()]
            spaced = level == "l3" and SPACED_NUMBER.match(m.group(0))
            if (
                before
                and not before.isspace()
                and before not in BEFORE_HEADING
                and level != "box"
                and not spaced
            ):
                continue
        heads.append((m.start(), level, "".join(m.group(0).split()).rstrip("、.．")))
    paths = _paths(heads)
    return tuple((p, level, marker, path) for (p, level, marker), path in zip(heads, paths, strict=True))


def _paths(heads: list[tuple[int, str, str]]) -> list[str]:
    """The path in force right after each heading."""
    out: list[str] = []
    path: dict[str, str] = {}
    for _, level, marker in heads:
        if level == "box":
            # a box (专栏) sits in the current part, beside its numbered provisions
            path = {k: v for k, v in path.items() if k in ("art", "l1")}
        else:
            deeper = ORDER[ORDER.index(level) + 1 :]
            # a 1. inside a box stays in the box; any higher heading closes the box
            path = {k: v for k, v in path.items() if k not in deeper or (k == "box" and level == "l3")}
        path[level] = marker
        out.append("/".join(path[k] for k in ORDER if path.get(k)))
    return out


def section_at(heads: Sections, pos: int) -> str | None:
    """The path of the provision that position `pos` stands in (None before any heading)."""
    i = bisect.bisect_right(heads, pos, key=heading_position) - 1
    return heads[i][3] if i >= 0 else None


def heading_position(head: tuple[int, str, str, str]) -> int:
    return head[0]


def extract_clauses(text: str, start: int = 0, end: int | None = None) -> list[Clause]:
    """The numbered provisions of text[start:end]. A provision runs from its heading to the next
    heading outside it. Where numbering restarts (a table of contents, an annex) and a path
    repeats, the longest provision with that path is kept, so paths are unique."""
    end = len(text) if end is None else end
    heads = sections(text, start, end)
    # a provision ends at the next heading outside it: walk the headings once with a stack of
    # the provisions still open (a search ahead from every heading was quadratic)
    stops = [end] * len(heads)
    open_: list[int] = []
    for i, (pos, _level, _marker, path) in enumerate(heads):
        while open_ and not path.startswith(heads[open_[-1]][3] + "/"):
            stops[open_.pop()] = pos
        open_.append(i)
    found: dict[str, Clause] = {}
    for i, (pos, level, marker, path) in enumerate(heads):
        stop = stops[i]
        clause = Clause(
            path=path,
            number=marker,
            heading=_heading(text, pos + _marker_length(text, pos), stop, article=level == "art"),
            level=path.count("/") + 1,
            start=pos,
            end=_trim_end(text, pos, stop),
        )
        kept = found.get(path)
        if kept is None or clause.end - clause.start > kept.end - kept.start:
            found[path] = clause
    return sorted(found.values(), key=lambda c: c.start)


def clause_at(clauses: list[Clause], pos: int) -> Clause | None:
    """The innermost clause whose span holds `pos`."""
    best = None
    for c in clauses:
        if c.start <= pos < c.end and (best is None or c.level > best.level):
            best = c
    return best


def _marker_length(text: str, pos: int) -> int:
    m = HEADING.match(text, pos)
    return m.end() - pos if m else 0


def _heading(text: str, pos: int, stop: int, article: bool) -> str:
    """The short sentence after a marker: "(二)加强知识产权保护。…" → 加强知识产权保护. An article's
    first sentence is its rule, not a heading: only a bracketed 【…】 or a line of its own is."""
    while pos < stop and text[pos] in " \t\u3000*":
        pos += 1
    m = HEADING_TEXT.match(text[pos:stop])
    if not m:
        return ""
    if m.group("b"):
        return m.group("b").strip()
    if article and text[pos + m.end() : pos + m.end() + 1] not in ("\n", ""):
        return ""
    heading = m.group("h").strip(" *\t\u3000")
    return heading if len(heading) <= MAX_HEADING else ""


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
