"""`policykg extract` and `policykg eval`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from policykg.ingest.errors import InputError
from policykg.ingest.read import folder_files

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT / "corpus" / "gold"
DEFAULT_SEEDS = ROOT / "corpus" / "seeds"
SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".xlsx", ".csv", ".tsv"}


def iter_files(paths: list[str]) -> list[Path]:
    """Files named, and supported files inside folders named, in a stable order. Inside a
    folder, hidden files and the folder's own notes (README.md, SOURCES.md …) are left out; a
    file named on the command line is always read."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += [f for f in folder_files(p) if f.suffix.lower() in SUFFIXES]
        else:
            out.append(p)
    return out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract one JSON record per source file (corpus/SCHEMA.md)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--out", required=True, help="folder for the JSON records")
    p.add_argument("--max-bytes", type=int, default=None, help="refuse larger files")
    p.set_defaults(func=run_extract)

    e = sub.add_parser(
        "eval",
        help="extract the sample, development and blind corpora and score them against their gold records",
        description=(
            "Without --gold/--seeds/--pred: extract corpus/seeds, corpus/dev, corpus/blind and "
            "corpus/blind2 and score them against corpus/gold, corpus/dev-gold, corpus/blind-gold and "
            "corpus/blind2-gold, one block per corpus and one for all together. "
            "With any of them: score a single set (--gold defaults to corpus/gold, --seeds to "
            "corpus/seeds; --pred scores records written by `policykg extract` instead of extracting)."
        ),
    )
    e.add_argument("--gold", default=None, help="gold records of a single set (default: corpus/gold)")
    e.add_argument("--seeds", default=None, help="source files of a single set (default: corpus/seeds)")
    e.add_argument("--pred", default=None, help="score these records instead of extracting")
    e.add_argument("--json", action="store_true", help="print figures as JSON")
    e.add_argument("--verbose", action="store_true", help="list every miss and extra")
    e.add_argument(
        "--links",
        nargs="?",
        const="",
        default=None,
        metavar="LABELS",
        help="score the task→clause linker on a hand-labelled set instead "
        "(default: corpus/clause-links/labels.json): precision and recall per threshold",
    )
    e.add_argument(
        "--fit",
        action="store_true",
        help="with --links: fit the linker's similarity weights and threshold on the set and print "
        "them as ingest/clause_links.py holds them (WEIGHTS, THRESHOLD)",
    )
    e.set_defaults(func=run_eval)


def run_extract(args: argparse.Namespace) -> int:
    from policykg.ingest.extract import extract_path

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ok = failed = 0
    written: set[str] = set()
    for path in iter_files(args.paths):
        try:
            record = extract_path(path, max_bytes=args.max_bytes)
        except InputError as err:
            print(f"policykg extract: {err}", file=sys.stderr)
            failed += 1
            continue
        name = path.stem + ".json"
        if name in written:  # a.txt beside a.html, index.html in two folders: never overwrite
            name = "__".join(path.parts[-3:]).replace(":", "_") + ".json"
        while name in written:
            name = f"{len(written)}_{name}"
        written.add(name)
        target = out / name
        tmp = target.with_suffix(".json.tmp")
        tmp.write_text(record.to_json(), encoding="utf-8")
        tmp.replace(target)  # never a half-written record
        ok += 1
    print(f"extracted {ok}, failed {failed} → {out}")
    return 1 if failed else 0


def run_eval(args: argparse.Namespace) -> int:
    from policykg.ingest.eval_sets import ALL, DEFAULT_SETS, evaluate, format_evaluation, predict
    from policykg.ingest.evaluate import format_report, load_records, score

    if args.links is not None:
        return run_link_eval(args)
    single = args.gold is not None or args.seeds is not None or args.pred is not None
    problems: list[str] = []
    try:
        if single:  # one set, printed as the shared score.py prints it
            gold = load_records(args.gold or DEFAULT_GOLD)
            if args.pred:
                pred = load_records(args.pred)
            else:
                pred = predict(Path(args.seeds or DEFAULT_SEEDS), gold, problems)
            report = score(gold, pred)
        else:
            ev = evaluate(DEFAULT_SETS)
            problems = ev.problems
    except InputError as err:
        print(f"policykg eval: {err}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"policykg eval: {problem}", file=sys.stderr)
    if single:
        print(
            json.dumps(report.as_dict(), ensure_ascii=False, indent=2) if args.json else format_report(report)
        )
        notes = report.notes
    else:
        print(json.dumps(ev.as_dict(), ensure_ascii=False, indent=2) if args.json else format_evaluation(ev))
        notes = [n for r in ev.results if r.name != ALL for n in [f"{r.name}:", *r.report.notes]]
    if args.verbose:
        print("\n".join(notes))
    return 1 if problems else 0


def run_link_eval(args: argparse.Namespace) -> int:
    from policykg.ingest.link_eval import LABELS, evaluate, fitted, load, report

    try:
        labelled = load(Path(args.links) if args.links else LABELS)
    except InputError as err:
        print(f"policykg eval: {err}", file=sys.stderr)
        return 1
    if args.fit:
        print(fitted(labelled))
    elif args.json:
        (s,) = evaluate(labelled)
        figures = {"threshold": s.threshold, "precision": round(s.precision, 4), "recall": round(s.recall, 4)}
        figures |= {"links": s.predicted, "positive_pairs": s.gold, "pairs": labelled.pairs}
        print(json.dumps(figures, indent=2))
    else:
        print(report(labelled))
    return 0
