"""Progress of long commands: a bar with rate and time left when stderr is a terminal (a real
pseudo-terminal here), the plain one-line-per-step log when it is not."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from policykg.progress import Progress

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_with_terminal_stderr(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `policykg ARGS` with stderr on a pseudo-terminal and stdout on a pipe; answers
    (exit status, stdout, what the terminal showed without its escape sequences)."""
    master, slave = pty.openpty()
    environment = {**os.environ, "TERM": "xterm", "COLUMNS": "160", **(env or {})}
    environment.pop("POLICYKG_PROGRESS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "policykg.cli", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=environment,
    )
    os.close(slave)
    shown: list[bytes] = []

    def drain() -> None:  # the terminal must be read as it fills, or the child blocks writing
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed its end
                return
            if not chunk:
                return
            shown.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    out, _ = proc.communicate(timeout=600)
    reader.join(timeout=30)
    os.close(master)
    text = ANSI.sub("", b"".join(shown).decode("utf-8", errors="replace"))
    return proc.returncode, out.decode("utf-8"), text


def test_ingest_draws_a_bar_on_a_terminal(tmp_path: Path) -> None:
    files = len([p for p in SEEDS.rglob("*") if p.is_file() and not p.name.startswith(".")])
    store = f"embedded:{tmp_path / 'kg'}"
    code, out, terminal = run_with_terminal_stderr(["ingest", str(SEEDS), "--store", store])
    assert code == 0, terminal
    assert f"{files}/{files}" in terminal and "100%" in terminal
    assert re.search(r"[\d.,]+ files/s", terminal), terminal
    assert "left" in terminal and "elapsed" in terminal
    # stdout is not the terminal: the per-file log still goes there, and the summary
    per_file = [line for line in out.splitlines() if line.startswith(f"ingested {SEEDS}")]
    assert len(per_file) == files and f"ingested {files}, unchanged 0, failed 0" in out


def test_ingest_keeps_the_plain_log_without_a_terminal(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "POLICYKG_PROGRESS"}
    done = subprocess.run(
        [sys.executable, "-m", "policykg.cli", "ingest", str(SEEDS), "--store", f"embedded:{tmp_path}"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0
    assert "files/s" not in done.stderr and "\x1b[" not in done.stderr + done.stdout
    lines = done.stdout.splitlines()
    assert all(line.startswith("ingested ") for line in lines[:-2])  # one line per file
    assert lines[-2].startswith("ingested ") and ", unchanged 0, failed 0" in lines[-2]


def test_a_failure_prints_above_the_bar(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    code, _, terminal = run_with_terminal_stderr(
        ["ingest", str(tmp_path / "in"), "--store", f"embedded:{tmp_path / 'kg'}"]
    )
    assert code == 1
    assert re.search(r"failed .*empty\.txt: ", terminal) and "1/1" in terminal


def test_export_draws_a_bar_on_a_terminal(tmp_path: Path) -> None:
    store = f"embedded:{tmp_path / 'kg'}"
    assert run_with_terminal_stderr(["ingest", str(SEEDS), "--store", store])[0] == 0
    tables = tmp_path / "t"
    code, _, terminal = run_with_terminal_stderr(["export", "-f", "csv", "-o", str(tables), "--store", store])
    assert code == 0, terminal
    assert "export: reading the graph" in terminal and re.search(r"[\d.,]+ items/s", terminal)
    assert (tmp_path / "t" / "responsibilities.csv").is_file()


def test_bench_draws_a_bar_on_a_terminal(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["bench", "--docs", "20", "--requests", "20", "--no-neo4j", "--json", str(out)]
    code, _, terminal = run_with_terminal_stderr(args)
    assert code == 0, terminal
    assert re.search(r"extract \+ embedded ingest .* 20/20 +100% +[\d.,]+ docs/s left", terminal), terminal
    assert out.is_file()


def test_progress_modes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKG_PROGRESS", "bar")
    drawn = io.StringIO()
    with Progress("work", total=4, unit="docs", stream=drawn) as progress:
        progress.log("routine", step=True)
        progress.log("important")
        for _ in range(4):
            progress.advance()
    text = ANSI.sub("", drawn.getvalue())
    assert "4/4" in text and "docs/s" in text and "important" in text and "routine" not in text

    monkeypatch.setenv("POLICYKG_PROGRESS", "plain")
    plain = io.StringIO()
    with Progress("work", total=4, stream=plain, plain_every_s=0, plain_prefix="bench: ") as progress:
        progress.log("routine", step=True)
        progress.update(2)
    assert plain.getvalue().splitlines() == ["routine", "bench: work 2/4 (0 s)"]
