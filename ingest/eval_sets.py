"""The evaluation sets of `policykg eval`: the sample corpus (corpus/seeds against corpus/gold),
the development corpus (corpus/dev against corpus/dev-gold) and two blind sets (corpus/blind and
corpus/blind2 against their -gold folders: documents whose gold was written before the extractor
ever saw them; their first-contact figures are in their SOURCES.md), scored one by one and
together.

Extraction runs in process and only on the source files that gold records name, so a whole
evaluation takes seconds; each record goes through its JSON form, exactly as `policykg extract`
writes it, so the figures equal those of scoring the written files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykg.ingest.errors import InputError
from policykg.ingest.evaluate import Report, format_report, load_records, score

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@dataclass(frozen=True)
class EvalSet:
    name: str
    sources: Path  # the source files
    gold: Path  # one gold record per source file


SAMPLE = EvalSet("sample", CORPUS / "seeds", CORPUS / "gold")
DEVELOPMENT = EvalSet("development", CORPUS / "dev", CORPUS / "dev-gold")
BLIND = EvalSet("blind", CORPUS / "blind", CORPUS / "blind-gold")
BLIND2 = EvalSet("blind2", CORPUS / "blind2", CORPUS / "blind2-gold")
DEFAULT_SETS = (SAMPLE, DEVELOPMENT, BLIND, BLIND2)
ALL = "all"  # the name of the combined figures


@dataclass
class SetResult:
    name: str
    files: int  # gold records scored
    report: Report
    where: str = ""  # "gold against sources", for the heading


@dataclass
class Evaluation:
    results: list[SetResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each, naming the file

    def as_dict(self) -> dict[str, Any]:
        return {r.name: r.report.as_dict() for r in self.results}


def predict(sources: Path, gold: dict[str, dict], problems: list[str]) -> dict[str, dict]:
    """Extraction records (as JSON dicts) of the files in `sources` that gold records name.
    A named file that is missing or unreadable is reported in `problems` and scores as empty,
    as the shared scorer scores a missing prediction."""
    from policykg.ingest.commands import iter_files
    from policykg.ingest.extract import extract_path

    if not sources.is_dir():
        raise InputError(sources, "no such folder")
    files = {f.name: f for f in iter_files([str(sources)])}
    records: dict[str, dict] = {}
    for source in gold:
        path = files.get(source)
        if path is None:
            problems.append(f"{sources / source}: named by a gold record but not found (scored as empty)")
            continue
        try:
            record = extract_path(path)
        except InputError as err:
            problems.append(f"{err} (scored as empty)")
            continue
        records[record.source] = json.loads(record.to_json())
    return records


def evaluate(sets: tuple[EvalSet, ...] = DEFAULT_SETS) -> Evaluation:
    """Score each set, then (with more than one) all of them together: micro-averaged figures
    over the union of their files, as the shared scorer gives on the merged folders."""
    out = Evaluation()
    all_gold: dict[str, dict] = {}
    all_pred: dict[str, dict] = {}
    for s in sets:
        gold = load_records(s.gold)
        clash = sorted(all_gold.keys() & gold.keys())
        if clash:
            raise InputError(s.gold, f"source {clash[0]} is also in an earlier set; sources must be unique")
        pred = predict(s.sources, gold, out.problems)
        where = f"{_show(s.gold)} against {_show(s.sources)}"
        out.results.append(SetResult(s.name, len(gold), score(gold, pred), where))
        all_gold |= gold
        all_pred |= pred
    if len(sets) > 1:
        out.results.append(SetResult(ALL, len(all_gold), score(all_gold, all_pred), "every set together"))
    return out


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def format_evaluation(ev: Evaluation) -> str:
    """One block per set: P/R/F1 per relation, document fields, cite relation accuracy."""
    blocks = []
    for r in ev.results:
        lines = [f"{r.name} ({r.files} gold files; {r.where})"]
        lines += ["  " + line for line in format_report(r.report).splitlines()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
