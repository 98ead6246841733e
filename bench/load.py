"""`policykg bench-load`: throughput and tail latency of the API under concurrent clients.

    policykg bench-load [--clients 30] [--seconds 10] [--max-requests 200000] [--workers N]
                        [--corpus corpus/seeds] [--json FILE]

Builds an embedded store of the corpus (default: the sample corpus) in a scratch folder, starts
`policykg serve` on it on a free loopback port (127.0.0.1 only; --workers N processes), waits
for /health, then runs `--clients` keep-alive HTTP/1.1 clients for `--seconds` (stopping
earlier after `--max-requests`) over a fixed mix of requests: lineage (ancestors of a document),
implementations (of a document), lead-unit (tasks led by an agency) and document search.
Prints requests/s, p50/p99/max latency per kind and overall, and the count of non-200 answers
and failed connections; --json writes the same figures.

The client is one asyncio loop in its own process (raw HTTP/1.1 on asyncio streams: cheap per
request), so it shares the 2 cores with the server as any local client would. It only ever
connects to the server it started, on 127.0.0.1, and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

from policykg.cli import CommandError

ROOT = Path(__file__).resolve().parents[1]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench-load", help="requests/s and p99 of the API under concurrent loopback clients")
    p.add_argument("--clients", type=int, default=30, help="concurrent keep-alive clients (default 30)")
    p.add_argument("--seconds", type=float, default=10.0, help="how long to send (default 10)")
    p.add_argument("--max-requests", type=int, default=200_000, help="stop after this many (default 200000)")
    p.add_argument("--workers", type=int, default=None, help="server worker processes (default: serve's)")
    p.add_argument("--corpus", default=str(ROOT / "corpus" / "seeds"), help="files to serve (sample corpus)")
    p.add_argument("--access-log", action="store_true", help="keep the server's access log on (off: default)")
    p.add_argument("--json", default=None, metavar="FILE", help="also write the figures as JSON")
    p.set_defaults(func=run)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.loads(response.read())


def _paths(base: str) -> dict[str, list[str]]:
    """The request mix, from what the served graph holds."""
    docs = [d for d in _get(base, "/documents?limit=1000") if not d.get("stub")]
    agencies = _get(base, "/agencies?limit=1000")
    if not docs or not agencies:
        raise CommandError("the served graph has no documents or agencies to ask about")
    words = sorted({d["title"][:4] for d in docs if d.get("title")} | {"知识产权", "专利"})
    return {
        "lineage": [f"/lineage/ancestors?document={quote(d['id'])}" for d in docs],
        "implementations": [f"/lineage/implementations?document={quote(d['id'])}&depth=5" for d in docs],
        "lead": [f"/tasks?lead={quote(a['id'])}&limit=50" for a in agencies],
        "search": [f"/documents?q={quote(w)}&limit=20" for w in words],
    }


async def _client(
    port: int,
    mix: list[tuple[str, str]],
    stop_at: float,
    budget: list[int],
    out: dict[str, list[float]],
    errors: list[str],
    seed: int,
) -> None:
    rng = random.Random(seed)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < stop_at and budget[0] > 0:
            budget[0] -= 1
            kind, path = mix[rng.randrange(len(mix))]
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            out[kind].append(time.perf_counter() - started)
            if status != 200:
                errors.append(f"{status} {path}")
    except (OSError, asyncio.IncompleteReadError) as err:
        errors.append(f"connection: {err!r}")
    finally:
        writer.close()


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def _load(port: int, paths: dict[str, list[str]], clients: int, seconds: float, limit: int) -> dict:
    mix = [(kind, p) for kind, ps in paths.items() for p in ps[:50]]
    # each kind equally often, whatever the number of paths per kind
    weighted = [(kind, p) for kind, p in mix for _ in range(max(1, 50 // len(paths[kind][:50])))]
    out: dict[str, list[float]] = {kind: [] for kind in paths}
    errors: list[str] = []
    budget = [limit]
    started = time.monotonic()
    await asyncio.gather(
        *(_client(port, weighted, started + seconds, budget, out, errors, i) for i in range(clients))
    )
    elapsed = time.monotonic() - started
    every = [t for ts in out.values() for t in ts]
    figures: dict[str, Any] = {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "p50_ms": round(_pct(every, 0.50), 2),
        "p99_ms": round(_pct(every, 0.99), 2),
        "max_ms": round(max(every, default=0) * 1000, 2),
        "errors": len(errors),
        "error_examples": errors[:5],
    }
    for kind, ts in out.items():
        figures[kind] = {
            "requests": len(ts),
            "p50_ms": round(_pct(ts, 0.5), 2),
            "p99_ms": round(_pct(ts, 0.99), 2),
        }
    return figures


def run(args: argparse.Namespace) -> int:
    if args.clients < 1 or args.seconds <= 0 or args.max_requests < 1:
        raise CommandError("--clients, --seconds and --max-requests must be positive")
    exe = Path(sys.executable).parent / "policykg"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "policykg.cli"]
    with tempfile.TemporaryDirectory(prefix="policykg-load-") as scratch:
        store = f"embedded:{Path(scratch) / 'graph'}"
        subprocess.run([*command, "ingest", args.corpus, "--store", store], check=True, capture_output=True)
        port = _free_port()
        serve = [*command, "serve", "--store", store, "--host", "127.0.0.1", "--port", str(port)]
        if args.workers:
            serve += ["--workers", str(args.workers)]
        env = {
            **os.environ,
            "POLICYKG_MAX_CONNECTIONS": str(max(256, args.clients * 2)),
            "POLICYKG_ACCESS_LOG": "true" if args.access_log else "false",
        }
        server = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    _get(base, "/health")
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise CommandError("the server did not start") from None
                    time.sleep(0.2)
            paths = _paths(base)
            asyncio.run(_load(port, paths, min(args.clients, 4), 1.0, 2000))  # warm up
            figures = asyncio.run(_load(port, paths, args.clients, args.seconds, args.max_requests))
        finally:
            server.terminate()
            server.wait(timeout=30)
    figures["workers"] = args.workers
    figures["access_log"] = args.access_log
    figures["load_average"] = os.getloadavg()
    print(
        f"{figures['requests']} requests in {figures['seconds']} s from {figures['clients']} clients: "
        f"{figures['requests_per_s']} requests/s, p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, "
        f"max {figures['max_ms']} ms, errors {figures['errors']}"
    )
    for kind in ("lineage", "implementations", "lead", "search"):
        f = figures[kind]
        print(f"  {kind:<16} {f['requests']:>7} requests  p50 {f['p50_ms']:>7} ms  p99 {f['p99_ms']:>7} ms")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 1 if figures["errors"] else 0
