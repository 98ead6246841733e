"""Precision and recall of the task → clause linker on the hand-labelled set
(corpus/clause-links/labels.json; how it was labelled: corpus/clause-links/README.md).

Every labelled item (a task of an implementing document, or a provision of one that names no
units) was judged against every provision of the parent without sub-provisions: the listed
ones are carried out (positive pairs), all others are not (negative pairs).

The similarity's weights (clause_links.WEIGHTS) are a logistic regression fitted here on those
pairs (`fit`); `held_out` refits them without each document in turn, so that the held-out
figures are of weights and a threshold that never saw the document scored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from policykg.ingest.clause_links import (
    FEATURES,
    THRESHOLD,
    WEIGHTS,
    ClauseLink,
    ClauseText,
    TaskText,
    context_of,
    features,
    link_tasks,
)
from policykg.ingest.errors import InputError
from policykg.ingest.extract import extract_path
from policykg.ingest.read import read_source

from policykg.records import Document

LABELS = Path(__file__).resolve().parent.parent / "corpus" / "clause-links" / "labels.json"
CORPUS = LABELS.parent.parent
SOURCE_DIRS = ("seeds", "dev")


@dataclass(frozen=True, slots=True)
class LinkScore:
    threshold: float
    predicted: int
    correct: int
    gold: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0


@dataclass(frozen=True, slots=True)
class LabelledSet:
    clauses: list[ClauseText]
    tasks: list[TaskText]
    gold: set[tuple[str, str]]  # (task key, clause path) pairs judged positive
    pairs: int  # labelled pairs, positive and negative
    documents: int
    titles: list[str]


def load(labels: Path = LABELS) -> LabelledSet:
    """The labelled set with texts taken from the sources as the extractor reads them."""
    try:
        data = json.loads(labels.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(labels, f"cannot read the labelled set ({exc})") from exc
    try:
        return _load(data, labels)
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(labels, f"not a labelled set: missing or malformed {exc}") from exc


def _load(data: dict, labels: Path) -> LabelledSet:
    parent_path = _source(data["parent"], labels)
    parent = extract_path(parent_path).documents[0]
    # the words the graph links with: a clause record's own text (ingest/extract.py)
    clauses = [ClauseText(key=c.path, path=c.path, heading=c.heading, text=c.text) for c in parent.clauses]
    known = {c.path for c in clauses}
    candidates = len([c for c in clauses if not any(p.startswith(c.path + "/") for p in known)])
    tasks: list[TaskText] = []
    gold: set[tuple[str, str]] = set()
    for doc in data["documents"]:
        path = _source(doc["source"], labels)
        record = extract_path(path).documents[0]
        text = read_source(path).text
        for n, item in enumerate(doc["items"]):
            key = f"{doc['source']}#{n}"
            task_text, start = _item_text(record, text, item, path)
            tasks.append(TaskText(key, task_text, context_of(record.clauses, start)))
            for clause in item["clauses"]:
                if clause not in known:
                    raise InputError(labels, f"{doc['source']} item {n}: no clause {clause!r} in the parent")
                gold.add((key, clause))
    return LabelledSet(
        clauses=clauses,
        tasks=tasks,
        gold=gold,
        pairs=len(tasks) * candidates,
        documents=len(data["documents"]),
        titles=[parent.title] if parent.title else [],
    )


def evaluate(labelled: LabelledSet, thresholds: list[float] | None = None) -> list[LinkScore]:
    """Precision and recall at each threshold (default: the linker's own)."""
    links = link_tasks(labelled.clauses, labelled.tasks, threshold=0.0, titles=labelled.titles)
    return [_score(links, labelled.gold, t) for t in thresholds or [THRESHOLD]]


# L2 penalty and plain gradient descent on standardized features: deterministic, numpy only
PENALTY = 1.0
STEPS = 3000
RATE = 0.5


def fit(labelled: LabelledSet, skip: frozenset[str] = frozenset()) -> tuple[float, ...]:
    """Logistic-regression weights (bias first, then one per FEATURES) fitted on every (task,
    candidate) pair of the labelled set, less the tasks of the documents in `skip`."""
    tasks = [t for t in labelled.tasks if _document(t) not in skip]
    leaves, rows = features(labelled.clauses, tasks)
    x = np.array([f for row in rows for f in row], dtype=float)
    y = np.array([(t.key, c.path) in labelled.gold for t in tasks for c in leaves], dtype=float)
    mean, spread = x.mean(0), x.std(0)
    spread[spread == 0] = 1.0  # a constant feature keeps weight 0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / spread])
    w = np.zeros(z.shape[1])
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) / len(y) + PENALTY * np.r_[0.0, w[1:]] / len(y)
        w -= RATE * grad
    # back to the raw features' scale, so the linker needs no means or spreads
    raw = w[1:] / spread
    return (round(float(w[0] - raw @ mean), 6), *(round(float(v), 6) for v in raw))


def _score(links: list[ClauseLink], gold: set[tuple[str, str]], threshold: float) -> LinkScore:
    # a link kept at threshold 0 is kept at t exactly when its score reaches t (see link_tasks)
    kept = {(link.task, link.clause) for link in links if link.score >= threshold}
    return LinkScore(threshold, len(kept), len(kept & gold), len(gold))


def choose_threshold(links: list[ClauseLink], gold: set[tuple[str, str]], floor: float = 0.85) -> float:
    """The threshold of highest recall at precision >= floor (how THRESHOLD was chosen)."""
    scores = sorted({round(link.score, 4) for link in links})
    best = (-1.0, 1.0)
    for t in scores:
        s = _score(links, gold, t)
        if s.precision >= floor and s.recall > best[0]:
            best = (s.recall, t)
    return best[1]


def held_out(labelled: LabelledSet) -> list[tuple[str, LinkScore]]:
    """Each document in turn held out: the weights fitted and the threshold chosen on the
    others, scored on it."""
    docs = sorted({_document(task) for task in labelled.tasks})
    out = []
    for doc in docs:
        weights = fit(labelled, frozenset({doc}))
        links = link_tasks(
            labelled.clauses, labelled.tasks, threshold=0.0, titles=labelled.titles, weights=weights
        )
        mine = {task.key for task in labelled.tasks if _document(task) == doc}
        train = [link for link in links if link.task not in mine]
        test = [link for link in links if link.task in mine]
        gold_train = {p for p in labelled.gold if p[0] not in mine}
        gold_test = {p for p in labelled.gold if p[0] in mine}
        out.append((doc, _score(test, gold_test, choose_threshold(train, gold_train))))
    return out


def fitted(labelled: LabelledSet) -> str:
    """The weights and threshold fitted on the whole set, as clause_links.py writes them."""
    weights = fit(labelled)
    links = link_tasks(
        labelled.clauses, labelled.tasks, threshold=0.0, titles=labelled.titles, weights=weights
    )
    threshold = choose_threshold(links, labelled.gold)
    lines = [f"THRESHOLD = {threshold}", "WEIGHTS = (", f"    {weights[0]},  # bias"]
    lines += [f"    {w},  # {name}" for w, name in zip(weights[1:], FEATURES, strict=True)]
    lines.append(")")
    same = weights == WEIGHTS and threshold == THRESHOLD
    lines.append(f"# {'the same as' if same else 'NOT the same as'} ingest/clause_links.py")
    return "\n".join(lines)


def report(labelled: LabelledSet) -> str:
    sweep = [round(0.1 * k, 1) for k in range(1, 10)]
    lines = [
        f"clause links: {len(labelled.tasks)} labelled items from {labelled.documents} documents, "
        f"{labelled.pairs} (task, clause) pairs, {len(labelled.gold)} positive",
        "threshold  precision  recall  links",
    ]
    for s in evaluate(labelled, sorted({*sweep, THRESHOLD})):
        mark = "  ← THRESHOLD" if s.threshold == THRESHOLD else ""
        lines.append(f"{s.threshold:9.3f}  {s.precision:9.3f}  {s.recall:6.3f}  {s.predicted:5d}{mark}")
    lines.append("each document held out (weights fitted and threshold chosen on the others, scored on it):")
    parts = held_out(labelled)
    for doc, s in parts:
        figures = f"precision {s.precision:.3f}  recall {s.recall:.3f}"
        lines.append(f"  {doc}: threshold {s.threshold:.4f}  {figures}")
    scores = [s for _, s in parts]
    pooled = LinkScore(0.0, *(sum(getattr(s, k) for s in scores) for k in ("predicted", "correct", "gold")))
    lines.append(f"  all held out: precision {pooled.precision:.3f}  recall {pooled.recall:.3f}")
    return "\n".join(lines)


def _document(task: TaskText) -> str:
    return task.key.split("#", 1)[0]


def _source(name: str, labels: Path) -> Path:
    # beside the labels (a corpus of one's own), else in the project's corpus
    for root in dict.fromkeys((labels.parent.parent, CORPUS)):
        for folder in SOURCE_DIRS:
            if (root / folder / name).exists():
                return root / folder / name
    raise InputError(labels, f"source {name!r} is in none of corpus/{'|'.join(SOURCE_DIRS)}")


def _item_text(record: Document, text: str, item: dict, path: Path) -> tuple[str, int]:
    """The labelled item's text and where it starts."""
    if "provision" in item:
        for c in record.clauses:
            if c.path == item["provision"] and c.span:
                return text[c.span[0] : c.span[1]], c.span[0]
        raise InputError(path, f"no provision {item['provision']!r} (labelled in clause-links)")
    exact = [t for t in record.tasks if t.text == item["key"]]
    holding = exact or [t for t in record.tasks if item["key"] in t.text]
    if len(holding) != 1:
        raise InputError(path, f"{len(holding)} tasks hold the labelled key {item['key']!r}")
    return holding[0].text, (holding[0].span or (0, 0))[0]
