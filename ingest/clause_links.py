"""Task → clause links: which provision of a parent document each task of an implementing
document carries out, with the evidence.

Two kinds of evidence, strongest first:
  * "reference": the task names the provision — 按照《纲要》第十二条 / 落实《纲要》（十二）, or it quotes
    the provision's heading (落实"健全知识产权保护体系"要求);
  * "similarity": character n-gram TF-IDF cosine between the task and the provision's heading
    and text, with n-gram weights learnt from the parent's own provisions (nothing downloaded).
    Only provisions without sub-provisions are candidates (a part's text is its children's).

Pure: no graph imports, deterministic, no state between calls.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from policykg.ingest.text import cn_number, norm_key

from policykg.records import Clause

# Chosen on corpus/clause-links/labels.json (see README, "Clause links"): `policykg eval --links`.
THRESHOLD = 0.14
# Besides the best provision, a task links to another one that scores at least this share of
# the best: a task that carries out two measures says so with words of both.
SECOND_SHARE = 0.85
MIN_HEADING = 6  # a quoted heading shorter than this is a common phrase, not a reference
NGRAMS = (2, 3)


@dataclass(frozen=True, slots=True)
class ClauseText:
    key: str  # opaque id chosen by the caller (e.g. the clause node id)
    path: str
    heading: str
    text: str  # the provision's text


@dataclass(frozen=True, slots=True)
class TaskText:
    key: str  # opaque id chosen by the caller (e.g. the task node id)
    text: str
    # the headings of the provisions the task stands in, in its own document (`context_of`):
    # "提高知识产权保护水平 加大知识产权执法监督力度" says what a terse task is about
    context: str = ""


@dataclass(frozen=True, slots=True)
class ClauseLink:
    task: str  # TaskText.key
    clause: str  # ClauseText.key
    score: float  # 0..1
    evidence: str  # "reference" or "similarity"
    quote: str  # the words that carry the evidence (the reference, or the best shared terms)


# 《纲要》第十二条 / 纲要第（十二）条 / 《纲要》（十二） / 《规划》第三部分: a name, then a number
NAMED = r"(?:《(?P<title>[^《》]{1,80})》|(?P<short>纲要|规划|方案|意见|条例|办法|计划|通知|决定))"
NUMBERED = re.compile(
    NAMED + r"(?:中|的)?\s*(?:第\s*[(（]?(?P<n1>[一二三四五六七八九十百零〇\d]{1,5})[)）]?\s*(?:条|项|部分)"
    r"|[(（](?P<n2>[一二三四五六七八九十百零〇]{1,5})[)）])"
)
NOT_A_MEASURE = re.compile(
    r"背景|形势|基础|成效|回顾|现状|机遇|挑战|指导思想|总体思路|原则|目标|定位|愿景|意义"
)
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def link_tasks(
    clauses: Sequence[ClauseText],
    tasks: Sequence[TaskText],
    threshold: float = THRESHOLD,
    titles: Sequence[str] = (),
) -> list[ClauseLink]:
    """Links of each task to the provisions it carries out, best first per task; none below
    `threshold`. `titles` (optional): the parent's title and short names, so that a numbered
    reference to another document is not taken for one to the parent."""
    if not clauses or not tasks:
        return []
    leaves = _leaves(clauses)
    model = _Model([_clause_words(c) for c in leaves])
    vectors = [model.vector(_clause_words(c)) for c in leaves]
    links: list[ClauseLink] = []
    for task in tasks:
        found = _references(task, clauses, titles)
        linked = {link.clause for link in found}
        tv = model.vector(f"{task.context}\n{task.text}")
        scored = sorted(
            ((_cosine(tv, cv), c, cv) for c, cv in zip(leaves, vectors, strict=True) if c.key not in linked),
            key=lambda x: -x[0],
        )
        if scored:
            best = scored[0][0]
            for score, clause, cv in scored:
                if score < threshold or score < SECOND_SHARE * best:
                    break
                quote = _shared(tv, cv, f"{task.context}\n{task.text}", _clause_words(clause))
                found.append(ClauseLink(task.key, clause.key, round(score, 4), "similarity", quote))
        links += found
    return links


def context_of(clauses: Sequence[Clause], pos: int) -> str:
    """The headings of the provisions (records' clauses of the task's own document) that hold
    position `pos` (a task's span start), outermost first."""
    return " ".join(c.heading for c in clauses if c.heading and c.span and c.span[0] <= pos < c.span[1])


def _leaves(clauses: Sequence[ClauseText]) -> list[ClauseText]:
    """The measures: provisions without sub-provisions, less those that state background,
    guiding thought, principles or goals (a task carries out measures, not a preamble)."""
    paths = [c.path for c in clauses]
    return [
        c
        for c in clauses
        if not any(p.startswith(c.path + "/") for p in paths) and not NOT_A_MEASURE.search(c.heading)
    ]


def _clause_words(c: ClauseText) -> str:
    # the heading states what the measure is about: count its words twice
    return f"{c.heading}\n{c.heading}\n{c.text}"


def _references(task: TaskText, clauses: Sequence[ClauseText], titles: Sequence[str]) -> list[ClauseLink]:
    out: dict[str, ClauseLink] = {}
    wanted = {norm_key(t) for t in titles}
    for m in NUMBERED.finditer(task.text):
        title = m.group("title") or m.group("short")
        if wanted and not any(norm_key(title) in w or w in norm_key(title) for w in wanted):
            continue
        n = cn_number(m.group("n1") or m.group("n2") or "")
        clause = _numbered(clauses, n)
        if clause is not None and clause.key not in out:
            out[clause.key] = ClauseLink(task.key, clause.key, 1.0, "reference", m.group(0))
    text = norm_key(task.text)
    for c in clauses:
        heading = norm_key(c.heading)
        if len(heading) >= MIN_HEADING and heading in text and c.key not in out:
            out[c.key] = ClauseLink(task.key, c.key, 1.0, "reference", c.heading)
    return list(out.values())


def _numbered(clauses: Sequence[ClauseText], n: int | None) -> ClauseText | None:
    """The provision numbered n: an article 第n条 first, else the n-th (n) of the document (plans
    number their measures (一)…(二十四) through the parts), else the part n、."""
    if n is None:
        return None
    by_kind: dict[str, ClauseText] = {}
    for c in clauses:
        last = c.path.rsplit("/", 1)[-1]
        kind = "art" if last.startswith("第") else "item" if last[:1] in "(（" else "part"
        if cn_number(re.sub(r"[第条()（）]", "", last)) == n:
            by_kind.setdefault(kind, c)
    return by_kind.get("art") or by_kind.get("item") or by_kind.get("part")


class _Model:
    """Character n-gram TF-IDF over the parent's provisions."""

    def __init__(self, docs: list[str]):
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(_grams(d)))
        n = len(docs)
        # smoothed idf; an n-gram in every provision (知识产权) weighs nearly nothing
        self.idf = {g: math.log((n + 1) / (k + 0.5)) for g, k in df.items()}

    def vector(self, text: str) -> dict[str, float]:
        tf = Counter(g for g in _grams(text) if g in self.idf)
        v = {g: (1 + math.log(k)) * self.idf[g] for g, k in tf.items() if self.idf[g] > 0}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}


def _grams(text: str) -> list[str]:
    out = []
    for run in CJK_RUN.findall(text):
        for n in NGRAMS:
            out += [run[i : i + n] for i in range(len(run) - n + 1)]
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(g, 0.0) for g, x in a.items())


def _shared(a: dict[str, float], b: dict[str, float], task: str, clause: str, k: int = 4) -> str:
    """The words the task and the provision share that weigh most in the match: each heavy
    n-gram grown to the longest run of characters both texts hold around it."""
    top = sorted(((x * b[g], g) for g, x in a.items() if g in b), reverse=True)
    words: list[str] = []
    for _, g in top:
        if any(g in w for w in words):
            continue
        word = _grow(g, task, clause)
        words = [w for w in words if w not in word] + [word]
        if len(words) == k:
            break
    return "、".join(words)


def _grow(gram: str, task: str, clause: str) -> str:
    word = gram
    at = task.find(word)
    while at > 0 and task[at - 1 : at + len(word)] in clause and CJK_RUN.match(task[at - 1]):
        at -= 1
        word = task[at : at + len(word) + 1]
    end = at + len(word)
    while end < len(task) and task[at : end + 1] in clause and CJK_RUN.match(task[end]):
        end += 1
    return task[at:end]
