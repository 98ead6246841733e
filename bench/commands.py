"""`policykg bench`: how cost grows with the number of documents.

    policykg bench --docs 100 1000 10000 [--store bolt://…] [--json FILE] [--requests K]

For each N a seeded synthetic corpus (bench/corpus.py) is written to a scratch folder, then:

1. extraction, single process: MB/s and docs/s of extract_text, next to a bare regex scan of
   the same text (《…》 and 牵头), the ceiling any extractor reading every byte could reach;
2. embedded ingest: store.ingest time only (the records are already extracted), docs/s and
   entities/s (nodes + edges), plus the end-to-end rate (extract + store);
3. Neo4j load (only when a bolt:// or neo4j:// URL is given with --store, never by default):
   store.ingest_many time of the same records. That database is WIPED before and after, since a
   load rate needs an empty database. Before it, the bulk path for a first load (graph/bulk.py:
   plan as CSV, neo4j-admin import into a new database home, a server of its own on a free port,
   the schema applied), timed end to end from the records;
4. REST latency per store: a real uvicorn server in a subprocess (its own interpreter, so
   the client does not share its GIL) on a free loopback port, a keep-alive HTTP/1.1 client,
   p50/p99 over K requests of: lineage (ancestors of a random document), implementations (of
   a random provincial or municipal plan), lead (tasks led by a random agency), title (a
   document named by its title) and unknown (a misspelt title: the 404 with closest titles);
5. memory: the bench process's peak RSS (getrusage, it holds the embedded store after
   ingest), and the server's RSS growth from opening the store (the store's own footprint);
6. export (unless --no-export), per store: `policykg export` of each format in a process of
   its own, its time, file size and peak RSS, beside the peak RSS of a process that only opens
   the store; up to 2,000 documents also the in-memory writer (rdflib, networkx) it replaced.

With several N each runs in a child process, so peak-memory figures do not accumulate.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import http.client
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from policykg.cli import CommandError
from policykg.progress import Progress

# the ceiling: what reading every byte once with a regex costs (citations and lead markers)
CEILING_RE = re.compile(r"《[^》]*》|牵头")
BOLT_SCHEMES = {"bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc"}
SKIPPED = "skipped (no server)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="benchmark extraction, ingest and queries on a synthetic corpus")
    p.add_argument("--docs", type=int, nargs="+", default=[1000], metavar="N", help="corpus sizes")
    p.add_argument(
        "--store",
        help="bolt:// URL of a Neo4j to load; its database is WIPED (default: no Neo4j figures)",
    )
    p.add_argument("--no-neo4j", action="store_true", help="skip Neo4j even when a server answers")
    p.add_argument(
        "--bulk-only",
        action="store_true",
        help=(
            "Neo4j by the bulk path alone: the importer loads a database of its own (no --store "
            "needed) and the REST latencies are measured on it; no incremental Bolt load "
            "(at 100k documents that load alone takes about an hour here)"
        ),
    )
    p.add_argument(
        "--no-embedded",
        dest="embedded",
        action="store_false",
        help="extract only: no embedded ingest, REST latencies or export on the embedded store "
        "(for a Neo4j run at a size where those take longest)",
    )
    p.add_argument("--json", metavar="FILE", help="write every figure as JSON")
    p.add_argument(
        "--requests", type=int, default=1000, metavar="K", help="requests per query (default 1000)"
    )
    p.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    p.add_argument("--work", metavar="DIR", help="scratch folder, kept afterwards (default: a temp folder)")
    p.add_argument("--profile", metavar="DIR", help="write cProfile stats of extraction to DIR")
    p.add_argument(
        "--no-export",
        dest="export",
        action="store_false",
        help="skip the export figures (time, size, peak memory of `policykg export` per format)",
    )
    p.add_argument(
        "--export-formats",
        type=lambda text: [f for f in text.split(",") if f],
        default=list(EXPORT_FORMATS),
        metavar="F,F",
        help=f"formats the export figures measure (default: {','.join(EXPORT_FORMATS)})",
    )
    p.set_defaults(func=run_bench)


# -- small helpers ------------------------------------------------------------------------


def _rss_mb() -> float:
    """Current resident set size (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return 0.0


def _peak_rss_mb() -> float:
    # ru_maxrss is KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _proc_peak_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _rate(amount: float, seconds: float) -> float:
    return amount / seconds if seconds > 0 else 0.0


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def _neo4j_url(args: argparse.Namespace) -> str | None:
    if args.no_neo4j:
        return None
    if args.store:
        if urlparse(args.store).scheme not in BOLT_SCHEMES:
            raise CommandError(f"--store must be a bolt:// or neo4j:// URL, not {args.store!r}")
        return args.store
    # never a database nobody named: the load wipes it
    return None


# -- the REST server (a subprocess) --------------------------------------------------------


def _serve(url: str) -> None:
    """Child process: open the store, report what that cost, serve on a free port."""
    import uvicorn
    from policykg.api.app import create_app, freeze_heap
    from policykg.graph.store import open_store

    gc.collect()
    before = _rss_mb()
    started = time.perf_counter()
    store = open_store(url)
    open_s = time.perf_counter() - started
    gc.collect()
    after = _rss_mb()
    app = create_app(store=store)
    freeze_heap()  # as `policykg serve` does
    # binding here and handing the socket to uvicorn leaves no window for another
    # program to take the port between choosing it and listening on it. proto must be
    # IPPROTO_TCP: asyncio sets TCP_NODELAY on accepted connections only when the listening
    # socket says so, and with Nagle on every keep-alive response waits ~40 ms for an ACK
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    print(
        json.dumps({"port": port, "open_s": open_s, "rss_before_mb": before, "rss_after_mb": after}),
        flush=True,
    )
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[sock])


class _Server:
    """A uvicorn server over one store in a subprocess; use as a context manager."""

    def __init__(self, url: str):
        self.url = url
        self.proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> _Server:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "policykg.bench.commands", "serve", self.url],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait()
            raise CommandError(f"the benchmark server for {self.url} did not start")
        self.info = json.loads(line)
        deadline = time.monotonic() + 60
        while True:  # uvicorn starts listening a moment after the socket is bound
            try:
                status, _ = self.client().get("/health")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise CommandError(f"the benchmark server for {self.url} does not answer")
            time.sleep(0.05)
        return self

    def client(self) -> _Client:
        return _Client(self.info["port"])

    def peak_rss_mb(self) -> float | None:
        return _proc_peak_mb(self.proc.pid) if self.proc else None

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class _Client:
    """HTTP/1.1 keep-alive on one connection (stdlib: no extra dependency for `bench`)."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[int, bytes]:
        self.conn.request("GET", path)
        response = self.conn.getresponse()
        return response.status, response.read()

    def json(self, path: str) -> Any:
        status, body = self.get(path)
        if status != 200:
            raise CommandError(f"GET {path}: HTTP {status} {body[:200]!r}")
        return json.loads(body)

    def close(self) -> None:
        self.conn.close()


def _latency(client: _Client, paths: list[str], expect: int = 200) -> dict[str, Any]:
    for path in paths[:20]:  # warm up: plan caches, first-touch allocations
        client.get(path)
    times: list[float] = []
    errors: Counter[int] = Counter()  # status → how many answered it instead of `expect`
    for path in paths:
        started = time.perf_counter()
        status, _ = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if status != expect:
            errors[status] += 1
    times.sort()
    return {
        "requests": len(times),
        "errors": sum(errors.values()),
        "error_statuses": {str(k): n for k, n in sorted(errors.items())},
        "p50_ms": _percentile(times, 0.50),
        "p99_ms": _percentile(times, 0.99),
        "mean_ms": sum(times) / len(times) if times else 0.0,
        "max_ms": times[-1] if times else 0.0,
    }


def _query_paths(client: _Client, k: int, seed: int) -> dict[str, list[str]]:
    """K request paths per query kind, on documents and agencies drawn (seeded) from the store."""
    rng = random.Random(seed)
    docs = {
        level: [d["id"] for d in client.json(f"/documents?level={level}&limit=1000")]
        for level in ("national", "provincial", "municipal", "county")
    }
    everyone = [d for ids in docs.values() for d in ids]
    planners = docs["provincial"] + docs["municipal"] or everyone
    agencies = [a["id"] for a in client.json("/agencies?limit=1000") if a["lead_tasks"]]
    if not everyone or not agencies:
        raise CommandError("the store holds no documents or no lead agencies to query")
    titles = [
        d["title"]
        for level in ("provincial", "municipal", "county")
        for d in client.json(f"/documents?level={level}&limit=1000")
        if d["title"] and not d["stub"]
    ] or ["知识产权"]
    return {
        # by title (the title-key index), and a misspelt title: 404 with the closest titles
        "title": [f"/lineage/ancestors?document={quote(rng.choice(titles))}&depth=1" for _ in range(k)],
        "unknown": [f"/lineage/ancestors?document={quote(_misspelt(rng, titles))}" for _ in range(k)],
        "lineage": [f"/lineage/ancestors?document={quote(rng.choice(everyone))}" for _ in range(k)],
        "implementations": [
            f"/lineage/implementations?document={quote(rng.choice(planners))}" for _ in range(k)
        ],
        "lead": [f"/tasks?lead={quote(rng.choice(agencies))}&limit=50" for _ in range(k)],
    }


def _misspelt(rng: random.Random, titles: list[str]) -> str:
    """A title with two characters changed to ones no title has: no document matches it."""
    chars = list(rng.choice(titles))
    for _ in range(2):
        chars[rng.randrange(len(chars))] = rng.choice("甲乙丙丁戊己庚辛壬癸")
    return "".join(chars) + "丁卯"


def _rest(url: str, k: int, seed: int) -> dict[str, Any]:
    with _Server(url) as server:
        client = server.client()
        try:
            paths = _query_paths(client, k, seed)
            figures: dict[str, Any] = {
                name: _latency(client, p, expect=404 if name == "unknown" else 200)
                for name, p in paths.items()
            }
        finally:
            client.close()
        figures["server_open_s"] = server.info["open_s"]
        figures["server_store_rss_mb"] = server.info["rss_after_mb"] - server.info["rss_before_mb"]
        figures["server_peak_rss_mb"] = server.peak_rss_mb()
    return figures


# -- one corpus size ------------------------------------------------------------------------


def _progress(what: str, total: int) -> Progress:
    """A bar with rate and time left when stderr is a terminal; else a line every 10 s."""
    return Progress(what, total, unit="docs", plain_every_s=10.0, plain_prefix="bench: ")


def _extract_and_ingest(
    corpus: Path, records_file: Path, store_url: str | None, profile_dir: Path | None
) -> dict[str, Any]:
    """Extraction, and (with a store URL) embedded ingest, file by file; the records are
    written to `records_file` for the Neo4j figures."""
    from policykg.graph.embedded import EmbeddedStore
    from policykg.ingest.extract import extract_text

    files = sorted(p for p in corpus.rglob("*.txt"))
    store = EmbeddedStore(store_url) if store_url else None
    extract_s = regex_s = ingest_s = 0.0
    total_bytes = matches = entities = 0
    counts = {"documents": 0, "tasks": 0, "targets": 0, "citations": 0, "repeals": 0}
    profiler = None
    if profile_dir is not None:
        import cProfile

        profiler = cProfile.Profile()
    if files:  # warm up: lazy loads (models, gazetteer, compiled patterns) are not throughput
        extract_text(files[0].read_text(encoding="utf-8"), files[0].name)
    tick = _progress("extract + embedded ingest" if store else "extract", len(files))
    with records_file.open("w", encoding="utf-8") as out, tick:
        for i, path in enumerate(files):
            data = path.read_bytes()
            text = data.decode("utf-8")
            total_bytes += len(data)

            started = time.perf_counter()
            matches += sum(1 for _ in CEILING_RE.finditer(text))
            regex_s += time.perf_counter() - started

            if profiler is not None:
                profiler.enable()
            started = time.perf_counter()
            record = extract_text(text, path.name)
            extract_s += time.perf_counter() - started
            if profiler is not None:
                profiler.disable()
            record.content_hash = hashlib.sha256(data).hexdigest()

            if store is not None:
                started = time.perf_counter()
                report = store.ingest(record)
                ingest_s += time.perf_counter() - started
                entities += report.nodes + report.edges

            for doc in record.documents:
                counts["documents"] += 1
                counts["tasks"] += len(doc.tasks)
                counts["targets"] += len(doc.targets)
                counts["citations"] += len(doc.cites)
                counts["repeals"] += len(doc.repeals)
            out.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
            tick.update(i + 1)
    stats = store.stats() if store else None
    if store:
        store.close()
    if profiler is not None and profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(profile_dir / f"extract-{len(files)}.prof"))
    mb = total_bytes / 1e6
    n = len(files)
    figures = {
        "files": n,
        "bytes": total_bytes,
        "extracted": counts,
        "extraction": {
            "seconds": extract_s,
            "mb_per_s": _rate(mb, extract_s),
            "docs_per_s": _rate(n, extract_s),
        },
        "regex_ceiling": {
            "seconds": regex_s,
            "mb_per_s": _rate(mb, regex_s),
            "docs_per_s": _rate(n, regex_s),
            "matches": matches,
        },
    }
    if stats is None:
        return figures | {"embedded_ingest": {"status": "skipped (--no-embedded)"}, "embedded_store": {}}
    return figures | {
        "embedded_ingest": {
            "seconds": ingest_s,
            "docs_per_s": _rate(n, ingest_s),
            "entities": entities,
            "entities_per_s": _rate(entities, ingest_s),
            "end_to_end_docs_per_s": _rate(n, ingest_s + extract_s),
        },
        "embedded_store": {
            "nodes": sum(stats.nodes.values()),
            "edges": sum(stats.edges.values()),
            "documents": stats.nodes.get("Document", 0),
        },
    }


def _neo4j_load(url: str, records_file: Path, n: int) -> dict[str, Any]:
    from policykg.graph.store import StoreError, open_store

    from policykg.records import ExtractionRecord

    try:
        store = open_store(url)
    except StoreError as err:
        return {"status": f"skipped ({err})"}
    try:
        print(f"bench: wiping {store.url} for the load", file=sys.stderr, flush=True)
        store.wipe()
        seconds = 0.0
        entities = done = 0
        tick = _progress("neo4j load", n)
        with records_file.open(encoding="utf-8") as handle, tick:
            # batches of records read (untimed), each stored by one ingest_many call (timed)
            while batch := [ExtractionRecord.from_dict(json.loads(line)) for line in islice(handle, 5000)]:
                started = time.perf_counter()
                reports = store.ingest_many(batch)
                seconds += time.perf_counter() - started
                entities += sum(report.nodes + report.edges for report in reports)
                done += len(batch)
                tick.update(done)
    finally:
        store.close()
    return {
        "status": "ok",
        "seconds": seconds,
        "docs_per_s": _rate(n, seconds),
        "entities": entities,
        "entities_per_s": _rate(entities, seconds),
    }


def _neo4j_bulk(
    records_file: Path,
    n: int,
    work: Path,
    rest: tuple[int, int] | None = None,
    export: Sequence[str] = (),
) -> dict[str, Any]:
    """The first-load bulk path end to end from records: the plan as CSV (graph/bulk.py), the
    offline import into a new database home, a server started on it and the ontology's schema
    applied (constraints and indexes built over the imported data). With `rest` (requests,
    seed), the REST latencies are then measured on that database, under "rest"; with `export`
    (formats), `policykg export` from it, under "export"."""
    import socket

    from policykg.graph import bulk
    from policykg.graph import neo4j_server as server
    from policykg.graph.neo4j_store import Neo4jStore

    home = work / "bulk-home"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    phases: dict[str, float] = {}
    started = time.perf_counter()
    with records_file.open(encoding="utf-8") as handle:  # read as planned: none is kept
        # its lines: the plan's workers decode them
        plan = bulk.write_csv(handle, work / "bulk-csv", jobs=os.cpu_count() or 1)
    phases["plan_csv_s"] = time.perf_counter() - started
    # its parts (graph/bulk.BulkPlan.seconds): build fragments, place and link (rows written as
    # placed), merge what is shared, write the headers
    phases |= {f"plan_{name}_s": seconds for name, seconds in plan.seconds.items()}
    # high-water marks so far: this process's (after extraction too), its largest child's (the
    # plan's workers; also the REST servers, when the embedded store was measured before)
    phases["plan_peak_rss_mb"] = _peak_rss_mb()
    phases["plan_worker_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peaks = phases["plan_peak_rss_mb"], phases["plan_worker_peak_rss_mb"]
    print(
        f"bench: planned {plan.node_count:,} nodes, {plan.edge_count:,} edges "
        f"in {phases['plan_csv_s']:.1f} s ("
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in plan.seconds.items())
        + f"; peak {peaks[0]:,.0f} MB, workers {peaks[1]:,.0f} MB)",
        file=sys.stderr,
        flush=True,
    )
    mark = time.perf_counter()
    bulk.run_import(plan, home, heap=os.environ.get("NEO4J_HEAP", "2g"))
    phases["import_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    url = server.start(port=port, data=home, timeout_s=600)
    try:
        phases["server_start_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        store = Neo4jStore(url)  # applies the schema and waits for its indexes
        phases["schema_s"] = time.perf_counter() - mark
        try:
            stats = store.stats()
        finally:
            store.close()
        seconds = time.perf_counter() - started  # the load ends here; latencies are not part of it
        latencies = None
        if rest:
            print("bench: Neo4j REST latency (bulk-loaded database)", file=sys.stderr, flush=True)
            latencies = _rest(url, *rest)
            for key in ("server_open_s", "server_store_rss_mb", "server_peak_rss_mb"):
                latencies.pop(key)
        exported = None
        if export:
            print("bench: Neo4j export (bulk-loaded database)", file=sys.stderr, flush=True)
            try:
                exported = _export(url, work, n, export)
            except CommandError as err:  # the other figures are kept
                exported = {"status": f"failed: {err}"}
    finally:
        server.stop(port=port)
    graph_entities = plan.node_count + plan.edge_count
    # counted as the Bolt load counts them (each source's nodes and edges), so the rates compare
    entities = sum(report.nodes + report.edges for report in plan.reports)
    stored = sum(stats.nodes.values()) + sum(stats.edges.values())
    shutil.rmtree(work / "bulk-csv", ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    return {
        "status": "ok" if stored == graph_entities else f"stored {stored} of {graph_entities} entities",
        "graph_entities": graph_entities,
        "seconds": seconds,
        "docs_per_s": _rate(n, seconds),
        "entities": entities,
        "entities_per_s": _rate(entities, seconds),
        **phases,
        **({"rest": latencies} if rest else {}),
        **({"export": exported} if export else {}),
    }


# the export, measured per format in a process of its own (its peak RSS is the figure); the
# in-memory writer (rdflib, networkx: what `policykg export` did before) only while it fits
EXPORT_FORMATS = ("turtle", "ntriples", "jsonld", "graphml")
IN_MEMORY_MAX_DOCS = 2_000
# the child reports its own high-water mark: getrusage of a child counts the bench process's
# RSS at fork time (Linux keeps maxrss across exec), VmHWM is the exec'd process's own
_PEAK = (
    "; import sys as _s; _s.stderr.write('\\nVmHWM %s\\n' % [line.split()[1] "
    "for line in open('/proc/self/status') if line.startswith('VmHWM')][0])"
)
_CLI = "import sys; from policykg.cli import main; rc = main(sys.argv[1:])" + _PEAK + "; sys.exit(rc)"
_OPEN_ONLY = (
    "import sys; from policykg.graph.store import open_store; "
    "s = open_store(sys.argv[1]); s.stats(); s.close()" + _PEAK
)
_IN_MEMORY = (
    "import sys; from policykg.graph import export; from policykg.graph.store import open_store; "
    "s = open_store(sys.argv[1]); out = open(sys.argv[3], 'wb'); "
    "export.write_in_memory(s.dump(), sys.argv[2], out); out.close(); s.close()" + _PEAK
)


def _child_peak(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one child process; raises when it fails."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    err = proc.stderr.decode(errors="replace")
    peaks = re.findall(r"^VmHWM (\d+)$", err, re.MULTILINE)
    if proc.returncode != 0 or not peaks:
        raise CommandError(f"{' '.join(cmd[:6])} failed: {err[-500:]}")
    return seconds, int(peaks[-1]) / 1024


def _export(store_url: str, work: Path, n: int, formats: Sequence[str] = EXPORT_FORMATS) -> dict[str, Any]:
    """`policykg export` of each format from `store_url`: seconds, file size, peak RSS of
    the export process, beside the peak RSS of a process that only opens the store."""
    python = sys.executable
    _, open_peak = _child_peak([python, "-c", _OPEN_ONLY, store_url])
    result: dict[str, Any] = {"open_peak_rss_mb": open_peak}
    for fmt in formats:
        out = work / f"export.{fmt}"
        seconds, peak = _child_peak(
            [python, "-c", _CLI, "export", "--store", store_url, "-f", fmt, "-o", str(out)]
        )
        result[fmt] = {"seconds": seconds, "mb": out.stat().st_size / 1e6, "peak_rss_mb": peak}
        out.unlink()
        if n <= IN_MEMORY_MAX_DOCS:
            seconds, peak = _child_peak([python, "-c", _IN_MEMORY, store_url, fmt, str(out)])
            result[fmt]["in_memory"] = {"seconds": seconds, "peak_rss_mb": peak}
            out.unlink()
    return result


def _neo4j_wipe(url: str) -> None:
    from policykg.graph.store import open_store

    store = open_store(url)
    try:
        store.wipe()
    finally:
        store.close()


def bench_one(n: int, args: argparse.Namespace, work: Path, neo4j_url: str | None) -> dict[str, Any]:
    from policykg.bench import corpus as synthetic

    root = work / f"n{n}"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    started = time.perf_counter()
    manifest = synthetic.write_corpus(root / "corpus", n, seed=args.seed)
    generate_s = time.perf_counter() - started
    print(
        f"bench: {n} documents generated in {generate_s:.1f} s ({manifest['bytes'] / 1e6:.1f} MB)",
        file=sys.stderr,
        flush=True,
    )

    records_file = root / "records.jsonl"
    embedded_url = f"embedded:{root / 'embedded'}"
    result: dict[str, Any] = {
        "docs": n,
        "seed": args.seed,
        "generate_s": generate_s,
        "levels": {k: manifest[k] for k in ("national", "provincial", "municipal", "county")},
    }
    profile_dir = Path(args.profile) if args.profile else None
    result |= _extract_and_ingest(
        root / "corpus", records_file, embedded_url if args.embedded else None, profile_dir
    )
    gc.collect()
    result["memory"] = {"bench_peak_rss_mb": _peak_rss_mb()}

    if args.embedded:
        print("bench: embedded REST latency", file=sys.stderr, flush=True)
        embedded_rest = _rest(embedded_url, args.requests, args.seed)
        result["embedded_store"]["open_s"] = embedded_rest.pop("server_open_s")
        result["embedded_store"]["rss_mb"] = embedded_rest.pop("server_store_rss_mb")
        result["embedded_store"]["server_peak_rss_mb"] = embedded_rest.pop("server_peak_rss_mb")
        result["embedded_rest"] = embedded_rest
    else:
        result["embedded_rest"] = None
    if args.export and args.embedded:
        print("bench: embedded export", file=sys.stderr, flush=True)
        result["embedded_export"] = _export(embedded_url, root, n, args.export_formats)

    if args.bulk_only:
        print("bench: Neo4j bulk path (plan, CSV, import, schema), then REST", file=sys.stderr, flush=True)
        formats = args.export_formats if args.export else ()
        result["neo4j_bulk"] = _neo4j_bulk(records_file, n, root, (args.requests, args.seed), formats)
        result["neo4j_rest"] = result["neo4j_bulk"].pop("rest")
        if formats:
            result["neo4j_export"] = result["neo4j_bulk"].pop("export")
        result["neo4j_load"] = {"status": "skipped (--bulk-only)"}
    elif neo4j_url:
        print("bench: Neo4j bulk path (plan, CSV, import, schema)", file=sys.stderr, flush=True)
        result["neo4j_bulk"] = _neo4j_bulk(records_file, n, root)
        result["neo4j_load"] = _neo4j_load(neo4j_url, records_file, n)
        if result["neo4j_load"]["status"] == "ok":
            print("bench: Neo4j REST latency", file=sys.stderr, flush=True)
            rest = _rest(neo4j_url, args.requests, args.seed)
            for key in ("server_open_s", "server_store_rss_mb", "server_peak_rss_mb"):
                rest.pop(key)
            result["neo4j_rest"] = rest
            if args.export:
                print("bench: Neo4j export", file=sys.stderr, flush=True)
                result["neo4j_export"] = _export(neo4j_url, root, n, args.export_formats)
            _neo4j_wipe(neo4j_url)  # leave the database as empty as it was made
        else:
            result["neo4j_rest"] = None
    else:
        result["neo4j_load"] = {"status": SKIPPED}
        result["neo4j_bulk"] = {"status": SKIPPED}
        result["neo4j_rest"] = None
    if not args.work:
        shutil.rmtree(root, ignore_errors=True)
    return result


# -- the table ------------------------------------------------------------------------------


def _fmt_latency(r: dict[str, Any] | None, name: str) -> str:
    if not r:
        return "—"
    q = r[name]
    return f"{q['p50_ms']:.2f} / {q['p99_ms']:.2f} ms"


def _fmt_export(store: str, fmt: str) -> Callable[[dict[str, Any]], str]:
    def cell(r: dict[str, Any]) -> str:
        e = r.get(store)
        if not e:
            return "—"
        f = e[fmt]
        text = f"{f['seconds']:.0f} s, {f['mb']:,.0f} MB, peak {f['peak_rss_mb']:,.0f} MB"
        text += f" (open {e['open_peak_rss_mb']:,.0f})"
        if "in_memory" in f:
            text += f"; in memory peak {f['in_memory']['peak_rss_mb']:,.0f} MB"
        return text

    return cell


def _rows() -> list[tuple[str, Callable[[dict[str, Any]], str]]]:
    def neo(r: dict[str, Any]) -> str:
        load = r["neo4j_load"]
        if load["status"] != "ok":
            return load["status"]
        return f"{load['entities_per_s']:,.0f} ent/s ({load['docs_per_s']:.1f} docs/s)"

    def bulk_rate(r: dict[str, Any]) -> str:
        load = r.get("neo4j_bulk") or {"status": SKIPPED}
        if load["status"] != "ok":
            return load["status"]
        return f"{load['entities_per_s']:,.0f} ent/s ({load['docs_per_s']:.1f} docs/s)"

    return [
        ("corpus", lambda r: f"{r['bytes'] / 1e6:.1f} MB, {r['extracted']['tasks']:,} tasks"),
        (
            "extraction (1 proc)",
            lambda r: f"{r['extraction']['mb_per_s']:.2f} MB/s, {r['extraction']['docs_per_s']:.0f} docs/s",
        ),
        (
            "regex scan ceiling",
            lambda r: (
                f"{r['regex_ceiling']['mb_per_s']:.0f} MB/s, {r['regex_ceiling']['docs_per_s']:,.0f} docs/s"
            ),
        ),
        (
            "embedded ingest",
            lambda r: (
                f"{r['embedded_ingest']['docs_per_s']:.0f} docs/s, "
                f"{r['embedded_ingest']['entities_per_s']:,.0f} ent/s"
            ),
        ),
        ("extract+ingest", lambda r: f"{r['embedded_ingest']['end_to_end_docs_per_s']:.0f} docs/s"),
        (
            "embedded graph",
            lambda r: f"{r['embedded_store']['nodes']:,} nodes, {r['embedded_store']['edges']:,} edges",
        ),
        (
            "embedded open",
            lambda r: f"{r['embedded_store']['open_s']:.1f} s, +{r['embedded_store']['rss_mb']:,.0f} MB RSS",
        ),
        ("lineage p50/p99 emb", lambda r: _fmt_latency(r["embedded_rest"], "lineage")),
        ("implem. p50/p99 emb", lambda r: _fmt_latency(r["embedded_rest"], "implementations")),
        ("lead p50/p99 emb", lambda r: _fmt_latency(r["embedded_rest"], "lead")),
        ("neo4j load", neo),
        ("neo4j bulk load", bulk_rate),
        ("lineage p50/p99 neo", lambda r: _fmt_latency(r["neo4j_rest"], "lineage")),
        ("implem. p50/p99 neo", lambda r: _fmt_latency(r["neo4j_rest"], "implementations")),
        ("lead p50/p99 neo", lambda r: _fmt_latency(r["neo4j_rest"], "lead")),
        ("title p50/p99 emb", lambda r: _fmt_latency(r["embedded_rest"], "title")),
        ("title p50/p99 neo", lambda r: _fmt_latency(r["neo4j_rest"], "title")),
        ("404 p50/p99 emb", lambda r: _fmt_latency(r["embedded_rest"], "unknown")),
        ("404 p50/p99 neo", lambda r: _fmt_latency(r["neo4j_rest"], "unknown")),
        ("peak RSS bench", lambda r: f"{r['memory']['bench_peak_rss_mb']:,.0f} MB"),
        *[(f"export {fmt} emb", _fmt_export("embedded_export", fmt)) for fmt in EXPORT_FORMATS],
        *[(f"export {fmt} neo", _fmt_export("neo4j_export", fmt)) for fmt in EXPORT_FORMATS],
    ]


def _cell(fn: Callable[[dict[str, Any]], str], run: dict[str, Any]) -> str:
    try:
        return fn(run)
    except (KeyError, TypeError):  # a figure this run skipped (--no-embedded)
        return "—"


def format_table(runs: list[dict[str, Any]]) -> str:
    rows = _rows()
    cells = [[name, *(_cell(fn, r) for r in runs)] for name, fn in rows]
    header = ["figure", *(f"N={r['docs']:,}" for r in runs)]
    widths = [max(len(str(row[i])) for row in [header, *cells]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


# -- the command ----------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def _child(n: int, args: argparse.Namespace, neo4j_url: str | None) -> dict[str, Any]:
    """Run one N in a fresh interpreter, so its peak RSS is its own."""
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
        out = Path(tmp) / "one.json"
        cmd = [
            sys.executable,
            "-m",
            "policykg.cli",
            "bench",
            "--docs",
            str(n),
            "--json",
            str(out),
            "--requests",
            str(args.requests),
            "--seed",
            str(args.seed),
        ]
        if neo4j_url:
            cmd += ["--store", neo4j_url]
        else:
            cmd.append("--no-neo4j")
        if args.bulk_only:
            cmd.append("--bulk-only")
        if args.work:
            cmd += ["--work", args.work]
        if args.profile:
            cmd += ["--profile", args.profile]
        if not args.export:
            cmd.append("--no-export")
        if not args.embedded:
            cmd.append("--no-embedded")
        cmd += ["--export-formats", ",".join(args.export_formats)]
        # the child prints its own one-column table; the combined one comes at the end
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        if proc.returncode != 0:
            raise CommandError(f"the run with {n} documents failed (exit {proc.returncode})")
        return json.loads(out.read_text(encoding="utf-8"))["runs"][0]


def run_bench(args: argparse.Namespace) -> int:
    if any(n < 1 for n in args.docs):
        raise CommandError("--docs: every N must be at least 1")
    if args.requests < 1:
        raise CommandError("--requests must be at least 1")
    unknown = sorted(set(args.export_formats) - set(EXPORT_FORMATS))
    if unknown:
        raise CommandError(
            f"--export-formats: unknown {', '.join(unknown)} (known: {', '.join(EXPORT_FORMATS)})"
        )
    neo4j_url = _neo4j_url(args)
    runs: list[dict[str, Any]] = []
    if len(args.docs) == 1:
        if args.work:
            runs.append(bench_one(args.docs[0], args, Path(args.work), neo4j_url))
        else:
            with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
                runs.append(bench_one(args.docs[0], args, Path(tmp), neo4j_url))
    else:
        for n in args.docs:
            runs.append(_child(n, args, neo4j_url))
    report = {"machine": _machine(), "neo4j_url": neo4j_url, "runs": runs}
    print(
        f"policykg bench: {_machine()['cpus']} CPUs, Python {_machine()['python']}, "
        f"latency over {args.requests} requests each (ms)"
    )
    print(format_table(runs))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    # `python -m policykg.bench.commands serve URL`: the benchmark's REST server subprocess
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        _serve(sys.argv[2])
    else:
        sys.exit("usage: python -m policykg.bench.commands serve STORE_URL")
