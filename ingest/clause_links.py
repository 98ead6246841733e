"""Task → clause links: which provision of a parent document each task of an implementing
document carries out, with the evidence.

Two kinds of evidence, strongest first:
  * "reference": the task names the provision — 按照《纲要》第十二条 / 落实《纲要》（十二）, or it quotes
    the provision's heading (落实"健全知识产权保护体系"要求);
  * "similarity": the probability that the task carries the provision out, from five character
    n-gram TF-IDF cosines (n-gram weights learnt from the parent's own provisions, nothing
    downloaded) and how each ranks the provision among the task's candidates, combined by a
    logistic regression whose weights (`WEIGHTS`) were fitted on the hand-labelled set
    (ingest/link_eval.py, `policykg eval --links --fit`). Only provisions without
    sub-provisions are candidates (a part's text is its children's); a task links to its
    likeliest one.

Pure: no graph imports, deterministic, no state between calls.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from policykg.ingest.text import cn_number, norm_key

from policykg.records import Clause

# Chosen on corpus/clause-links/labels.json (see README, "Clause links"): `policykg eval --links`
# (the highest recall at precision >= 0.85); a probability, like the similarity scores.
THRESHOLD = 0.4633
MIN_HEADING = 6  # a quoted heading shorter than this is a common phrase, not a reference
NGRAMS = (2, 3)
# The five cosines between a task and a provision: the task's context and text together, its
# text alone, its context alone (what the headings it stands in are about), the best of the
# provision's single sentences (bigrams: one sentence of a long provision may be the match), and
# the task's context and text together against the provision's heading alone (what the measure
# is about, without the particulars its text lists).
SCORES = ("whole", "text", "context", "sentence", "heading")
# Per cosine: its value, its share of the task's best, its margin over the task's next best
# (for the best; below the best, for the others), and whether it is the task's best / second.
PER_SCORE = ("value", "share", "margin", "first", "second")
FEATURES = tuple(f"{s}_{f}" for s in SCORES for f in PER_SCORE)
# Logistic regression over FEATURES: (bias, one weight per feature), fitted on the labelled set
# by `policykg eval --links --fit` (ingest/link_eval.fit; tests/test_clause_links.py refits).
WEIGHTS: tuple[float, ...] = (
    -3.537781,  # bias
    -2.973852,  # whole_value
    -0.118023,  # whole_share
    0.025073,  # whole_margin
    1.441356,  # whole_first
    -0.628694,  # whole_second
    7.194421,  # text_value
    0.118276,  # text_share
    9.933098,  # text_margin
    -1.239984,  # text_first
    1.007877,  # text_second
    2.334287,  # context_value
    0.06523,  # context_share
    5.29873,  # context_margin
    -0.194418,  # context_first
    1.372897,  # context_second
    6.167364,  # sentence_value
    1.328732,  # sentence_share
    1.468902,  # sentence_margin
    0.387064,  # sentence_first
    1.390353,  # sentence_second
    -6.15839,  # heading_value
    -0.361266,  # heading_share
    6.066161,  # heading_margin
    0.693584,  # heading_first
    1.62556,  # heading_second
)


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
SENTENCE = re.compile(r"[。；;！？!?\n]+")


def link_tasks(
    clauses: Sequence[ClauseText],
    tasks: Sequence[TaskText],
    threshold: float = THRESHOLD,
    titles: Sequence[str] = (),
    weights: Sequence[float] = WEIGHTS,
) -> list[ClauseLink]:
    """Links of each task to the provisions it carries out, best first per task; none below
    `threshold`. `titles` (optional): the parent's title and short names, so that a numbered
    reference to another document is not taken for one to the parent. `weights`: the
    similarity's logistic regression (WEIGHTS; the evaluation passes weights fitted without a
    held-out document)."""
    if not clauses or not tasks:
        return []
    candidates = _candidates(tuple(clauses))
    contexts: dict[str, tuple[list[str], list[float]]] = {}
    links: list[ClauseLink] = []
    for task in tasks:
        found = _references(task, clauses, titles, candidates.headings)
        row = candidates.features(task, contexts)
        if row:
            probs = [_probability(weights, f) for f in row]
            best = max(range(len(row)), key=lambda j: (probs[j], -j))  # ties: the first provision
            clause = candidates.leaves[best]
            if probs[best] >= threshold and clause.key not in {link.clause for link in found}:
                quote = candidates.quote(task, best)
                # 1.0 stays the mark of a reference: a similarity is never quite certain
                score = min(round(probs[best], 4), 0.9999)
                found.append(ClauseLink(task.key, clause.key, score, "similarity", quote))
        links += found
    return links


def features(
    clauses: Sequence[ClauseText], tasks: Sequence[TaskText]
) -> tuple[list[ClauseText], list[list[list[float]]]]:
    """The candidate provisions (measures) and, per task and candidate, the FEATURES values
    (what the weights are fitted on)."""
    candidates = _candidates(tuple(clauses))
    contexts: dict[str, tuple[list[str], list[float]]] = {}
    return candidates.leaves, [candidates.features(task, contexts) for task in tasks]


@lru_cache(maxsize=32)
def _candidates(clauses: tuple[ClauseText, ...]) -> _Candidates:
    # one parent (a national outline) is linked to by every plan implementing it: its
    # vectors are built once, not once per implementing plan
    return _Candidates(clauses)


class _Candidates:
    """The parent's measures with their vectors (read only once built)."""

    def __init__(self, clauses: Sequence[ClauseText]):
        self.headings = [norm_key(c.heading) for c in clauses]
        self.leaves = _leaves(clauses)
        self.docs = [_clause_words(c) for c in self.leaves]
        self.words = _Model(self.docs, NGRAMS)
        self.whole = [self.words.vector(d) for d in self.docs]
        self.by_gram = _Postings(self.whole)
        # each measure's heading and sentences, one bigram vector each, and the measure it is of
        sentences = [
            (j, self.words.weigh(Counter(_grams(x, (2,)))))
            for j, c in enumerate(self.leaves)
            for x in [c.heading, *SENTENCE.split(c.text)]
            if CJK_RUN.search(x)
        ]
        self.sentence_of = [j for j, _ in sentences]
        self.by_pair = _Postings([v for _, v in sentences])
        self.by_heading = _Postings([self.words.vector(c.heading) for c in self.leaves])

    def features(
        self, task: TaskText, contexts: dict[str, tuple[list[str], list[float]]]
    ) -> list[list[float]]:
        """`contexts`: the caller's cache of context n-grams and cosines (tasks under one
        heading share their context)."""
        if not self.leaves:
            return []
        if task.context not in contexts:
            grams = _grams(task.context, NGRAMS)
            contexts[task.context] = (grams, self.by_gram.cosines(self.words.weigh(Counter(grams))))
        context_grams, context = contexts[task.context]
        # the text's n-grams counted once; with the context's, they serve three vectors (a bigram's
        # weight is the same in a model of bigrams only: same provisions, same document frequency)
        in_text = Counter(_grams(task.text, NGRAMS))
        in_both = in_text.copy()
        in_both.update(context_grams)
        both, text = self.words.weigh(in_both), self.words.weigh(in_text)
        pairs = self.words.weigh(Counter({g: k for g, k in in_both.items() if len(g) == 2}))
        best_sentence = [0.0] * len(self.leaves)
        for j, x in zip(self.sentence_of, self.by_pair.cosines(pairs), strict=True):
            best_sentence[j] = max(best_sentence[j], x)
        by_score = [
            self.by_gram.cosines(both),
            self.by_gram.cosines(text),
            context,
            best_sentence,
            self.by_heading.cosines(both),
        ]
        per = [_relative(values) for values in by_score]
        return [[x for p in per for x in p[j]] for j in range(len(self.leaves))]

    def quote(self, task: TaskText, j: int) -> str:
        words = f"{task.context}\n{task.text}"
        return _shared(self.words.vector(words), self.whole[j], words, self.docs[j])


def _relative(values: list[float]) -> list[tuple[float, ...]]:
    """PER_SCORE for each candidate from one cosine over the task's candidates."""
    order = sorted(range(len(values)), key=lambda j: (-values[j], j))
    first = values[order[0]]
    second = values[order[1]] if len(order) > 1 else 0.0
    rank = {j: r for r, j in enumerate(order)}
    out = []
    for j, v in enumerate(values):
        share = v / first if first > 0 else 0.0
        margin = v - second if rank[j] == 0 else v - first
        out.append((v, share, margin, float(rank[j] == 0 and v > 0), float(rank[j] == 1 and v > 0)))
    return out


def _probability(weights: Sequence[float], f: Sequence[float]) -> float:
    z = weights[0] + sum(w * x for w, x in zip(weights[1:], f, strict=True))
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


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


def _references(
    task: TaskText, clauses: Sequence[ClauseText], titles: Sequence[str], headings: Sequence[str]
) -> list[ClauseLink]:
    """`headings`: the clauses' headings as norm_key gives them (once per call, not per task)."""
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
    for c, heading in zip(clauses, headings, strict=True):
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

    def __init__(self, docs: list[str], ngrams: tuple[int, ...]):
        self.ngrams = ngrams
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(_grams(d, ngrams)))
        n = len(docs)
        # smoothed idf; an n-gram in every provision (知识产权) weighs nearly nothing
        self.idf = {g: math.log((n + 1) / (k + 0.5)) for g, k in df.items()}
        self.weighty = {g for g, x in self.idf.items() if x > 0}

    def vector(self, text: str) -> dict[str, float]:
        return self.weigh(Counter(_grams(text, self.ngrams)))

    def weigh(self, counts: Counter[str]) -> dict[str, float]:
        """The unit vector of n-gram counts (n-grams this model does not know weigh nothing)."""
        idf = self.idf
        weighty = self.weighty  # in the counts' order: the sums below are then always alike
        v = {g: (1 + math.log(k) if k > 1 else 1.0) * idf[g] for g, k in counts.items() if g in weighty}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}


def _grams(text: str, ngrams: tuple[int, ...]) -> list[str]:
    out = []
    for run in CJK_RUN.findall(text):
        for n in ngrams:
            out += [run[i : i + n] for i in range(len(run) - n + 1)]
    return out


class _Postings:
    """Unit vectors indexed by n-gram: the cosines of one vector with all of them in one pass
    over its own n-grams (most n-grams of a task are in few provisions)."""

    def __init__(self, vectors: list[dict[str, float]]):
        self.size = len(vectors)
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, v in enumerate(vectors):
            for g, x in v.items():
                self.postings.setdefault(g, []).append((i, x))

    def cosines(self, v: dict[str, float]) -> list[float]:
        out = [0.0] * self.size
        for g, x in v.items():
            for i, y in self.postings.get(g, ()):
                out[i] += x * y
        return out


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
