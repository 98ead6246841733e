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

Pure: no graph imports, deterministic; answers and parents' vectors are remembered (lru
caches), never changed. The arithmetic is done in NumPy for all of a document's tasks at once,
in the order plain Python would do it (sums in the n-grams' order, log and exp from `math`), so
the scores are the same to the last bit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
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
    return list(_links(tuple(clauses), tuple(tasks), threshold, tuple(titles), tuple(weights)))


@lru_cache(maxsize=512)
def _links(
    clauses: tuple[ClauseText, ...],
    tasks: tuple[TaskText, ...],
    threshold: float,
    titles: tuple[str, ...],
    weights: tuple[float, ...],
) -> tuple[ClauseLink, ...]:
    # remembered: incremental ingest places a plan again whenever a document it cites changes
    # (a stub absorbed, a 文号 landing elsewhere), mostly with the same tasks and provisions
    if not clauses or not tasks:
        return ()
    candidates = _candidates(clauses)
    grams = _TaskGrams.of(tasks)
    links: list[ClauseLink] = []
    logits = _logits(weights, candidates.features(tasks, grams)).tolist()
    for i, (task, z) in enumerate(zip(tasks, logits, strict=True)):
        found = _references(task, clauses, titles, candidates.headings)
        if z:
            probs = [1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0 for x in z]
            best = max(range(len(z)), key=lambda j: (probs[j], -j))  # ties: the first provision
            clause = candidates.leaves[best]
            if probs[best] >= threshold and clause.key not in {link.clause for link in found}:
                quote = candidates.quote(task, best, grams.words(i, task))
                # 1.0 stays the mark of a reference: a similarity is never quite certain
                score = min(round(probs[best], 4), 0.9999)
                found.append(ClauseLink(task.key, clause.key, score, "similarity", quote))
        links += found
    return tuple(links)


def features(
    clauses: Sequence[ClauseText], tasks: Sequence[TaskText]
) -> tuple[list[ClauseText], list[list[list[float]]]]:
    """The candidate provisions (measures) and, per task and candidate, the FEATURES values
    (what the weights are fitted on)."""
    candidates = _candidates(tuple(clauses))
    return candidates.leaves, candidates.features(tasks).tolist()


def _logits(weights: Sequence[float], rows: np.ndarray) -> np.ndarray:
    """The regression's z per task and candidate (rows: tasks × candidates × FEATURES), summed
    feature by feature as `weights[0] + sum(w * x ...)` sums them."""
    total = np.zeros(rows.shape[:2])
    for k, w in enumerate(weights[1:]):
        total = total + w * rows[:, :, k]
    return weights[0] + total


@lru_cache(maxsize=256)
def _candidates(clauses: tuple[ClauseText, ...]) -> _Candidates:
    # one parent (a national outline) is linked to by every plan implementing it: its
    # vectors are built once, not once per implementing plan. 256: an incremental load meets
    # its plans in no order, so provincial and city parents come back after many others
    return _Candidates(clauses)


class _Candidates:
    """The parent's measures with their vectors (read only once built)."""

    def __init__(self, clauses: Sequence[ClauseText]):
        self.headings = [norm_key(c.heading) for c in clauses]
        self.leaves = _leaves(clauses)
        self.docs = [_clause_words(c) for c in self.leaves]
        self.words = _Model(self.docs, NGRAMS)
        self.whole = [self.words.vector(d) for d in self.docs]
        ids = self.words.ids
        self.by_gram = _Postings(self.whole, ids)
        # each measure's heading and sentences, one bigram vector each, and the measure it is of
        sentences = [
            (j, self.words.weigh(Counter(_grams(x, (2,)))))
            for j, c in enumerate(self.leaves)
            for x in [c.heading, *SENTENCE.split(c.text)]
            if CJK_RUN.search(x)
        ]
        self.sentence_of = np.array([j for j, _ in sentences], dtype=np.intp)
        self.by_pair = _Postings([v for _, v in sentences], ids)
        self.by_heading = _Postings([self.words.vector(c.heading) for c in self.leaves], ids)

    def features(self, tasks: Sequence[TaskText], grams: _TaskGrams | None = None) -> np.ndarray:
        """FEATURES per task and candidate (tasks × candidates × FEATURES); no candidates, no
        features. `grams`: the tasks' n-grams, when the caller has them."""
        if not self.leaves or not tasks:
            return np.zeros((len(tasks), len(self.leaves), len(FEATURES)))
        grams = grams if grams is not None else _TaskGrams.of(tasks)
        # tasks under one heading share their context: its cosines are computed once
        contexts = list(grams.context)
        context_grams = grams.context
        both, in_text = _Batch(), []
        for task, task_grams in zip(tasks, grams.text, strict=True):
            # the text's n-grams counted once; with the context's, they serve three vectors (a
            # bigram's weight is the same in a model of bigrams only: same provisions, same
            # document frequency). The text's n-grams come first in both, so it is a prefix.
            text = Counter(task_grams)
            counts = text.copy()
            counts.update(context_grams[task.context])
            both.add(counts)
            in_text += text.values()
            in_text += [0] * (len(counts) - len(text))
        words = self.words
        ids = words.lookup(both.grams)
        counts, of = both.arrays()
        text_counts = np.array(in_text, dtype=np.intp)
        is_text, is_pair = text_counts > 0, np.fromiter(map(len, both.grams), np.intp, len(ids)) == 2
        both_v = words.weigh_batch(ids, counts, of, both.size)
        text_v = words.weigh_batch(ids[is_text], text_counts[is_text], of[is_text], both.size)
        pairs_v = words.weigh_batch(ids[is_pair], counts[is_pair], of[is_pair], both.size)
        in_context = _Batch()
        for c in contexts:
            in_context.add(Counter(context_grams[c]))
        context_v = words.weigh_batch(words.lookup(in_context.grams), *in_context.arrays(), in_context.size)
        at = {c: i for i, c in enumerate(contexts)}
        context = self.by_gram.cosines(context_v)[[at[task.context] for task in tasks]]
        best_sentence = np.zeros((len(tasks), len(self.leaves)))
        by_sentence = self.by_pair.cosines(pairs_v)
        rows = np.arange(len(tasks))[:, None]
        np.maximum.at(best_sentence, (rows, self.sentence_of[None, :]), by_sentence)
        by_score = [
            self.by_gram.cosines(both_v),
            self.by_gram.cosines(text_v),
            context,
            best_sentence,
            self.by_heading.cosines(both_v),
        ]
        return np.concatenate([_relative(values) for values in by_score], axis=2)

    def quote(self, task: TaskText, j: int, words: Counter[str]) -> str:
        """`words`: the n-grams of the task's context and text (_TaskGrams.words)."""
        text = f"{task.context}\n{task.text}"
        return _shared(self.words.weigh(words), self.whole[j], text, self.docs[j])


@dataclass(frozen=True)
class _TaskGrams:
    """A batch of tasks' n-grams, cut once for both the features and the quotes: each task's
    text's, and each context's (tasks under one heading share it)."""

    text: list[list[str]]
    context: dict[str, list[str]]

    @classmethod
    def of(cls, tasks: Sequence[TaskText]) -> _TaskGrams:
        contexts = dict.fromkeys(task.context for task in tasks)
        return cls([_grams(t.text, NGRAMS) for t in tasks], {c: _grams(c, NGRAMS) for c in contexts})

    def words(self, i: int, task: TaskText) -> Counter[str]:
        """The n-gram counts of f"{context}\\n{text}" of task i, in that text's order (a line
        break parts runs of characters, so its n-grams are the context's, then the text's)."""
        counts = Counter(self.context[task.context])
        counts.update(self.text[i])
        return counts


def _relative(values: np.ndarray) -> np.ndarray:
    """PER_SCORE for each candidate (tasks × candidates × PER_SCORE) from one cosine over each
    task's candidates (tasks × candidates)."""
    order = np.argsort(-values, axis=1, kind="stable")  # ties: the first candidate
    rows = np.arange(values.shape[0])[:, None]
    rank = np.empty_like(order)
    rank[rows, order] = np.arange(values.shape[1])[None, :]
    first = values[rows[:, 0], order[:, 0]][:, None]
    second = values[rows[:, 0], order[:, 1]][:, None] if values.shape[1] > 1 else np.zeros_like(first)
    share = np.where(first > 0, values / np.where(first > 0, first, 1.0), 0.0)
    margin = np.where(rank == 0, values - second, values - first)
    positive = values > 0
    is_first = ((rank == 0) & positive).astype(float)
    is_second = ((rank == 1) & positive).astype(float)
    return np.stack([values, share, margin, is_first, is_second], axis=2)


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


class _Batch:
    """Several n-gram count vectors in one run: the n-grams in each vector's order, their
    counts, and which vector each belongs to."""

    def __init__(self) -> None:
        self.grams: list[str] = []
        self.counts: list[int] = []
        self.of: list[int] = []
        self.size = 0

    def add(self, counts: dict[str, int]) -> None:
        self.grams += counts
        self.counts += counts.values()
        self.of += [self.size] * len(counts)
        self.size += 1

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The counts and which vector each is of, as arrays."""
        return np.array(self.counts, dtype=np.intp), np.array(self.of, dtype=np.intp)


@dataclass(frozen=True, slots=True)
class _Vectors:
    """Unit vectors of a _Batch as arrays: n-gram ids, weights and which vector each is of."""

    ids: np.ndarray
    values: np.ndarray
    of: np.ndarray
    size: int


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
        self.ids = {g: i for i, g in enumerate(g for g in self.idf if g in self.weighty)}
        self.idf_of = np.array([self.idf[g] for g in self.ids])

    def vector(self, text: str) -> dict[str, float]:
        return self.weigh(Counter(_grams(text, self.ngrams)))

    def weigh(self, counts: Counter[str]) -> dict[str, float]:
        """The unit vector of n-gram counts (n-grams this model does not know weigh nothing)."""
        idf = self.idf
        weighty = self.weighty  # in the counts' order: the sums below are then always alike
        v = {g: _tf(k) * idf[g] for g, k in counts.items() if g in weighty}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}

    def lookup(self, grams: list[str]) -> np.ndarray:
        """Each n-gram's id in this model, -1 for one it does not know."""
        ids = self.ids
        return np.fromiter((ids.get(g, -1) for g in grams), np.intp, len(grams))

    def weigh_batch(self, ids: np.ndarray, counts: np.ndarray, of: np.ndarray, size: int) -> _Vectors:
        """weigh() of `size` vectors given as runs of n-gram ids (lookup) with their counts,
        each marked with the vector it is of: the same arithmetic in the same order."""
        known = ids >= 0
        ids, counts, of = ids[known], counts[known], of[known]
        tf = np.array([_tf(k) for k in range(int(counts.max(initial=1)) + 1)])
        values = tf[counts] * self.idf_of[ids]
        # bincount adds in the arrays' order, as sum() over a vector's items does
        norm = np.sqrt(np.bincount(of, weights=values * values, minlength=size))
        norm[norm == 0] = 1.0
        return _Vectors(ids, values / norm[of], of, size)


def _tf(k: int) -> float:
    return 1 + math.log(k) if k > 1 else 1.0


def _grams(text: str, ngrams: tuple[int, ...]) -> list[str]:
    out = []
    for run in CJK_RUN.findall(text):
        for n in ngrams:
            out += [run[i : i + n] for i in range(len(run) - n + 1)]
    return out


class _Postings:
    """Unit vectors indexed by n-gram id: the cosines of a batch of vectors with all of them
    from the postings of the batch's own n-grams (most n-grams of a task are in few
    provisions)."""

    def __init__(self, vectors: list[dict[str, float]], ids: dict[str, int]):
        self.size = len(vectors)
        grams = np.array([ids[g] for v in vectors for g in v], dtype=np.intp)
        # by n-gram, each n-gram's vectors in their order (a stable sort)
        by = np.argsort(grams, kind="stable")
        self.rows = np.repeat(np.arange(len(vectors)), [len(v) for v in vectors])[by]
        self.values = np.array([x for v in vectors for x in v.values()])[by]
        self.count = np.bincount(grams, minlength=len(ids))
        self.start = np.cumsum(self.count) - self.count

    def cosines(self, v: _Vectors) -> np.ndarray:
        """vectors × self.size; each cosine summed in the vector's n-gram order, then the
        postings' order."""
        lengths = self.count[v.ids]
        total = int(lengths.sum())
        ends = np.cumsum(lengths)
        at = np.repeat(self.start[v.ids] - (ends - lengths), lengths) + np.arange(total)
        cells = np.repeat(v.of, lengths) * self.size + self.rows[at]
        products = np.repeat(v.values, lengths) * self.values[at]
        out = np.bincount(cells, weights=products, minlength=v.size * self.size)
        return out.reshape(v.size, self.size)


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
