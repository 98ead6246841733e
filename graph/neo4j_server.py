"""Start, stop and ask about the project's own Neo4j server (graph/neo4j-server/).

The server is Neo4j Community run as an embedded kernel with Bolt on; the bash scripts beside
the Maven module do the work (build on first use, background launch, readiness probe) so the
same steps run with or without Python. These wrappers give the CLI one call per action.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SERVER_DIR = Path(__file__).resolve().parent / "neo4j-server"
DEFAULT_PORT = 7687


class Neo4jServerError(Exception):
    """A script failed; the message carries what it printed."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    message: str


def _script(name: str) -> Path:
    path = SERVER_DIR / name
    if not path.exists():
        # an installed (non-editable) package does not carry the Maven module
        raise Neo4jServerError(f"{path} not found: run from a checkout of the repository")
    return path


def _env() -> dict[str, str]:
    """The scripts' environment: their readiness probe runs on this very Python (it has the
    neo4j driver), whatever virtual environment it is and whether or not it is activated."""
    return os.environ | {"NEO4J_PYTHON": os.environ.get("NEO4J_PYTHON") or sys.executable}


def _args(
    port: int,
    data: str | Path | None = None,
    log: str | Path | None = None,
    host: str | None = None,
) -> list[str]:
    args = ["--port", str(port)]
    if host is not None:
        args += ["--host", host]
    if data is not None:
        args += ["--data", str(Path(data).resolve())]
    if log is not None:
        args += ["--log", str(Path(log).resolve())]
    return args


def start(
    port: int = DEFAULT_PORT,
    data: str | Path | None = None,
    log: str | Path | None = None,
    timeout_s: int = 120,
    host: str | None = None,
    heap: str | None = None,
    pagecache: str | None = None,
) -> str:
    """Start the server (building it on first use) and return its bolt URL once the password
    from NEO4J_PASSWORD is accepted. Raises Neo4jServerError with the log tail on failure."""
    if not os.environ.get("NEO4J_PASSWORD"):
        raise Neo4jServerError("NEO4J_PASSWORD is not set: export the password the neo4j user should have")
    cmd = ["bash", str(_script("start")), *_args(port, data, log, host), "--timeout", str(timeout_s)]
    # the build and the launch report progress on stderr: let it through to the user
    env = _env()
    if heap:
        env["NEO4J_HEAP"] = heap
    if pagecache:
        env["NEO4J_PAGECACHE"] = pagecache
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL, env=env)
    if proc.returncode != 0:
        raise Neo4jServerError(f"start failed (exit {proc.returncode}); see the messages above")
    return proc.stdout.strip().splitlines()[-1]


def stop(port: int = DEFAULT_PORT, timeout_s: int = 60, host: str | None = None) -> str:
    """Stop the server on `port` (clean shutdown, killed after `timeout_s`); stopping a stopped
    server succeeds."""
    proc = subprocess.run(
        ["bash", str(_script("stop")), *_args(port, host=host), "--timeout", str(timeout_s)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=_env(),
    )
    if proc.returncode != 0:
        raise Neo4jServerError(
            (proc.stderr or proc.stdout).strip() or f"stop failed (exit {proc.returncode})"
        )
    return proc.stdout.strip()


def status(port: int = DEFAULT_PORT, host: str | None = None) -> ServerStatus:
    """running=True with "running (pid N) bolt://…", or running=False with "stopped"."""
    proc = subprocess.run(
        ["bash", str(_script("status")), *_args(port, host=host)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=_env(),
    )
    if proc.returncode not in (0, 3):
        raise Neo4jServerError((proc.stderr or proc.stdout).strip())
    return ServerStatus(running=proc.returncode == 0, message=proc.stdout.strip())


@dataclass(frozen=True)
class ServerProcess:
    """The project's server running on a port, as started (what a restart must repeat)."""

    pid: int
    data: Path
    heap: str | None
    pagecache: str | None


def running(port: int = DEFAULT_PORT) -> ServerProcess | None:
    """The project's own server on `port` (its pid file and command line), or None."""
    pid_file = SERVER_DIR / "run" / f"neo4j-{port}.pid"
    run_dir = os.environ.get("NEO4J_RUN_DIR")
    if run_dir:
        pid_file = Path(run_dir) / f"neo4j-{port}.pid"
    try:
        pid = int(pid_file.read_text().strip())
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except (OSError, ValueError):
        return None
    if not any(a.endswith("neo4j-server.jar") for a in argv) or "--data" not in argv:
        return None
    heap = next((a[4:] for a in argv if a.startswith("-Xmx")), None)
    pagecache = argv[argv.index("--pagecache") + 1] if "--pagecache" in argv else None
    return ServerProcess(pid, Path(argv[argv.index("--data") + 1]), heap, pagecache)
