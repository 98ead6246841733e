"""`policykg extract` and `policykg eval`."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from policykg.ingest.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT / "corpus" / "gold"
DEFAULT_SEEDS = ROOT / "corpus" / "seeds"
SUFFIXES = {".txt", ".html", ".htm", ".docx", ".pdf"}


def iter_files(paths: list[str]) -> list[Path]:
    """Files named, and supported files inside folders named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract one JSON record per source file (corpus/SCHEMA.md)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    p.add_argument("--out", required=True, help="folder for the JSON records")
    p.add_argument("--max-bytes", type=int, default=None, help="refuse larger files")
    p.set_defaults(func=run_extract)

    e = sub.add_parser("eval", help="extract a corpus and score it against gold records")
    e.add_argument("--gold", default=str(DEFAULT_GOLD), help="gold records (default: corpus/gold)")
    e.add_argument("--seeds", default=str(DEFAULT_SEEDS), help="source files (default: corpus/seeds)")
    e.add_argument("--pred", default=None, help="score these records instead of extracting")
    e.add_argument("--json", action="store_true", help="print figures as JSON")
    e.add_argument("--verbose", action="store_true", help="list every miss and extra")
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
    from policykg.ingest.evaluate import format_report, load_records, score

    if args.pred:
        pred_dir = Path(args.pred)
    else:
        pred_dir = Path(tempfile.mkdtemp(prefix="policykg-eval-"))
        run_extract(argparse.Namespace(paths=[args.seeds], out=str(pred_dir), max_bytes=None))
    report = score(load_records(Path(args.gold)), load_records(pred_dir))
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    if args.verbose:
        print("\n".join(report.notes))
    return 0
