"""Scoring extraction records against gold records (conventions of corpus/SCHEMA.md).

Precision, recall and F1 per relation, micro-averaged over files: documents (by normalized
title), cites (title or 文号), task lead / responsible units (tasks paired through the
gold `key`), targets (indicator, value ±0.5 %, unit; `value_alt` accepted), the share
of correct document fields, and the cite relation (share of matched cites whose `relation`
agrees with gold). Gold values may be lists of acceptable variants.

These are the rules of the shared scorer (score.py beside the corpus), rule for rule, so both
report the same figures; tests/test_extraction_quality.py pins each rule with small cases.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykg.ingest.errors import InputError

QUOTES = "“”‘’\"'「」《》〈〉"
DASHES = "—–－~～‐-"
FIELDS = ("issuers", "issued_on", "doc_number", "jurisdiction", "level")


def norm(text: Any) -> str:
    if text is None:
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    t = re.sub(r"\s+", "", t)
    t = "".join(ch for ch in t if ch not in QUOTES)
    return "".join("-" if ch in DASHES else ch for ch in t)


def variants(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, list):
        return {norm(v) for v in value if v is not None}
    return {norm(value)}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def figures(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Report:
    tallies: dict[str, Tally] = field(
        default_factory=lambda: {
            k: Tally() for k in ("documents", "cites", "task_lead", "task_responsible", "targets")
        }
    )
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})
    relation: list[int] = field(default_factory=lambda: [0, 0])  # matched cites: relation agrees, all
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: t.figures() for k, t in self.tallies.items()}
        out["doc_fields"] = {f: round(ok / n, 4) if n else None for f, (ok, n) in self.fields.items()}
        ok, n = self.relation
        out["cite_relation"] = {"correct": ok, "n": n, "accuracy": round(ok / n, 4) if n else None}
        return out


def load_records(folder: str | Path) -> dict[str, dict[str, Any]]:
    """Records of every *.json in `folder`, keyed by their `source` (else the file's stem).
    Raises InputError naming the folder or file that cannot be read."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "no such folder")
    records: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise InputError(path, f"not a readable JSON record ({err})") from err
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                raise InputError(path, "a record must be a JSON object")
            records[item.get("source") or path.stem] = item
    return records


def _pair_greedy(gold: list, pred: list, same, pairs: list | None = None) -> tuple[int, list, list]:
    """Each gold item takes the first unused prediction that matches it; matched (gold, pred)
    pairs go to `pairs` when given."""
    used: set[int] = set()
    misses = []
    for g in gold:
        hit = next((i for i, p in enumerate(pred) if i not in used and same(g, p)), None)
        if hit is None:
            misses.append(g)
        else:
            used.add(hit)
            if pairs is not None:
                pairs.append((g, pred[hit]))
    return len(gold) - len(misses), misses, [p for i, p in enumerate(pred) if i not in used]


def _same_citation(g: dict, p: dict) -> bool:
    titles, numbers = variants(g.get("title")), variants(g.get("doc_number"))
    return (bool(titles) and norm(p.get("title")) in titles) or (
        bool(numbers) and norm(p.get("doc_number")) in numbers
    )


def _same_relation(g: dict, p: dict) -> bool:
    """A predicted relation (absent = "cites") against gold's, which may list variants; compared
    as written, without normalization."""
    want = g.get("relation") or "cites"
    return (p.get("relation") or "cites") in (set(want) if isinstance(want, list) else {want})


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(x - y) <= 0.005 * max(abs(x), abs(y), 1e-9)


def _same_target(g: dict, p: dict) -> bool:
    if norm(p.get("indicator")) not in variants(g.get("indicator")):
        return False
    alts = g.get("value_alt") or []
    forms = [g, *(alts if isinstance(alts, list) else [alts])]
    return any(
        _same_number(f.get("value"), p.get("value"))
        and (f.get("value") is None or norm(p.get("unit")) in variants(f.get("unit")))
        for f in forms
    )


def _score_tasks(gdoc: dict, pdoc: dict, role: str, tally: Tally, notes: list[str], title: str) -> None:
    gold = gdoc.get("tasks") or []
    pred = [t for t in pdoc.get("tasks") or [] if t.get("lead") or t.get("responsible")]
    texts = [norm(t.get("text")) for t in pred]
    candidates = [
        [i for i, tx in enumerate(texts) if any(k and k in tx for k in variants(g.get("key")))] for g in gold
    ]
    paired: dict[int, int] = {}
    # the gold task with the fewest candidates chooses first, so a repeated sentence cannot steal it
    for gi in sorted(range(len(gold)), key=lambda i: len(candidates[i])):
        free = [i for i in candidates[gi] if i not in paired.values()]
        if free:
            want = {a for grp in gold[gi].get(role) or [] for a in variants(grp)}
            paired[gi] = max(free, key=lambda i: len(want & {norm(a) for a in pred[i].get(role) or []}))
    for gi, g in enumerate(gold):
        got = {norm(a) for a in pred[paired[gi]].get(role) or []} if gi in paired else set()
        matched: set[str] = set()
        for want in g.get(role) or []:
            hit = next((a for a in got - matched if a in variants(want)), None)
            if hit is None:
                tally.fn += 1
                notes.append(f"  [{title}] {role} missing: {g.get('key')} -> {want}")
            else:
                matched.add(hit)
                tally.tp += 1
        if got - matched:
            tally.fp += len(got - matched)
            notes.append(f"  [{title}] {role} extra: {g.get('key')} -> {', '.join(sorted(got - matched))}")
    for i, p in enumerate(pred):
        if i not in paired.values() and p.get(role):
            tally.fp += len(p[role])
            notes.append(f"  [{title}] {role} on a task not in gold: {texts[i][:30]}")


def _field_ok(name: str, g: dict, p: dict) -> bool:
    want, got = g.get(name), p.get(name)
    if name == "issuers":
        got_set = {norm(x) for x in got or []}
        return all(variants(w) & got_set for w in want or []) and len(got_set) == len(want or [])
    if want is None:
        return got in (None, "", [])
    return norm(got) in variants(want)


def score(gold: dict[str, dict], pred: dict[str, dict]) -> Report:
    rep = Report()
    t = rep.tallies
    for source, grec in gold.items():
        gdocs = grec.get("documents") or []
        pdocs = list((pred.get(source) or {}).get("documents") or [])
        used: set[int] = set()
        pairs = []
        for g in sorted(gdocs, key=lambda d: d.get("title") is None):
            titles = variants(g.get("title"))
            # a gold document whose text states no title pairs with the next unused prediction
            hit = next(
                (
                    i
                    for i, p in enumerate(pdocs)
                    if i not in used and (not titles or norm(p.get("title")) in titles)
                ),
                None,
            )
            if hit is None:
                t["documents"].fn += 1
                rep.notes.append(f"  [{source}] document missing: {g.get('title')}")
                # its cites, targets and tasks still count as missed
                pairs.append((g, {}))
                continue
            used.add(hit)
            t["documents"].tp += 1
            pairs.append((g, pdocs[hit]))
        for i, p in enumerate(pdocs):
            if i not in used:
                t["documents"].fp += 1
                rep.notes.append(f"  [{source}] document extra: {p.get('title')}")
        for g, p in pairs:
            first = g.get("title")
            title = ((first[0] if isinstance(first, list) else first) or source)[:16]
            for f in FIELDS if p else ():  # fields are judged on matched documents only
                if f in g:
                    rep.fields[f][1] += 1
                    if _field_ok(f, g, p):
                        rep.fields[f][0] += 1
                    else:
                        rep.notes.append(f"  [{title}] {f}: want {g.get(f)!r} got {p.get(f)!r}")
            cite_pairs: list[tuple[dict, dict]] = []
            tp, misses, extras = _pair_greedy(
                g.get("cites") or [], p.get("cites") or [], _same_citation, cite_pairs
            )
            t["cites"].tp += tp
            t["cites"].fn += len(misses)
            t["cites"].fp += len(extras)
            for gc, pc in cite_pairs:
                rep.relation[1] += 1
                if _same_relation(gc, pc):
                    rep.relation[0] += 1
                else:
                    name = next((v for v in (gc.get("title"), gc.get("doc_number")) if v), None)
                    name = name[0] if isinstance(name, list) else name
                    rep.notes.append(
                        f"  [{title}] cite relation: {name} want {gc.get('relation') or 'cites'}"
                        f" got {pc.get('relation') or 'cites'}"
                    )
            rep.notes += [
                f"  [{title}] cite missing: {m.get('title') or m.get('doc_number')}" for m in misses
            ]
            rep.notes += [f"  [{title}] cite extra: {e.get('title') or e.get('doc_number')}" for e in extras]
            tp, misses, extras = _pair_greedy(g.get("targets") or [], p.get("targets") or [], _same_target)
            t["targets"].tp += tp
            t["targets"].fn += len(misses)
            t["targets"].fp += len(extras)
            rep.notes += [
                f"  [{title}] target missing: {m.get('indicator')} = {m.get('value')} {m.get('unit')}"
                for m in misses
            ]
            rep.notes += [
                f"  [{title}] target extra: {e.get('indicator')} = {e.get('value')} {e.get('unit')}"
                for e in extras
            ]
            _score_tasks(g, p, "lead", t["task_lead"], rep.notes, title)
            _score_tasks(g, p, "responsible", t["task_responsible"], rep.notes, title)
    return rep


def format_report(rep: Report) -> str:
    lines = []
    for name, tally in rep.tallies.items():
        f = tally.figures()
        lines.append(
            f"{name:17s} P={f['precision']:.3f} R={f['recall']:.3f} F1={f['f1']:.3f}"
            f"  (tp {f['tp']}, fp {f['fp']}, fn {f['fn']})"
        )
    figures = rep.as_dict()
    lines.append("doc_fields  " + "  ".join(f"{k}={v}" for k, v in figures["doc_fields"].items()))
    rel = figures["cite_relation"]
    acc = "n/a" if rel["accuracy"] is None else f"{rel['accuracy']:.3f}"
    lines.append(
        f"{'cite_relation':17s} accuracy={acc}  (correct {rel['correct']} of {rel['n']} matched cites)"
    )
    return "\n".join(lines)
