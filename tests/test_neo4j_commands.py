"""`policykg neo4j start|stop|status` from a virtual environment that is not the repository's
.venv and is not activated: the scripts' readiness probe must use the Python the command runs
in. A real server is started on a free port of its own (and stopped)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def foreign_python(tmp_path: Path) -> Path:
    """A new venv outside the repository that sees this interpreter's packages (policykg and
    the neo4j driver) through a .pth file, the way a user's own environment would have them."""
    venv = tmp_path / "elsewhere"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    Path(purelib, "policykg-test.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    return python


def _policykg(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: val for k, val in os.environ.items() if k not in {"VIRTUAL_ENV", "NEO4J_PYTHON"}}
    # no activated environment: PATH without any venv's bin folder
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if "venv" not in p)
    env.setdefault("NEO4J_PASSWORD", "policykg-test-password")
    return subprocess.run(
        [str(python), "-m", "policykg.cli", "neo4j", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_start_status_stop_from_another_venv(foreign_python: Path, tmp_path: Path) -> None:
    port = str(_free_port())
    probe = subprocess.run(
        [str(foreign_python), "-c", "import sys, neo4j, policykg; print(sys.prefix)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(probe.stdout.strip()) == tmp_path / "elsewhere"  # really another environment

    started = _policykg(
        foreign_python,
        "start",
        "--port",
        port,
        "--host",
        "127.0.0.1",
        "--data",
        str(tmp_path / "db"),
        cwd=tmp_path,
    )
    try:
        assert started.returncode == 0, started.stderr
        assert started.stdout.strip().splitlines()[-1] == f"bolt://127.0.0.1:{port}"
        # the readiness probe ran on this environment's Python, not the repository's .venv
        assert f"probed with {foreign_python}" in started.stderr
        status = _policykg(foreign_python, "status", "--port", port, "--host", "127.0.0.1", cwd=tmp_path)
        assert status.returncode == 0, status.stderr
        assert status.stdout.startswith("running (pid ")
    finally:
        stopped = _policykg(foreign_python, "stop", "--port", port, "--timeout", "60", cwd=tmp_path)
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped" in stopped.stdout
    after = _policykg(foreign_python, "status", "--port", port, cwd=tmp_path)
    assert after.returncode == 3
    assert after.stdout.strip() == "stopped"


def test_stop_and_status_take_starts_options() -> None:
    from policykg.cli import build_parser

    parser = build_parser()
    stop = parser.parse_args(["neo4j", "stop", "--port", "7700", "--host", "127.0.0.1", "--timeout", "5"])
    assert (stop.port, stop.host, stop.timeout) == (7700, "127.0.0.1", 5)
    status = parser.parse_args(["neo4j", "status", "--port", "7700", "--host", "127.0.0.1"])
    assert (status.port, status.host) == (7700, "127.0.0.1")
