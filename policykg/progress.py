"""Progress of long commands (ingest, export, bench) on stderr.

When stderr is a terminal: a rich progress bar with the count, the rate and the time left;
lines that matter (a failed file) print above it. Otherwise (a pipe, a log file, CI): the plain
log the commands always wrote, one line per step, nothing drawn.

    with Progress("ingest", total=len(paths), unit="files") as progress:
        for ...:
            progress.log(f"failed {path}: {reason}", sys.stderr)   # always shown
            progress.log(f"ingested {path}: …", sys.stdout, step=True)   # hidden under the bar
            progress.advance()                                     # on a terminal only

`POLICYKG_PROGRESS=plain` keeps the plain log on a terminal too; `=bar` draws the bar even when
stderr is not a terminal (the tests use it to look at the bar's text).
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress
from rich.text import Text


class _Rate(ProgressColumn):
    """Items per second, averaged over rich's speed window."""

    def __init__(self, unit: str):
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("—" if speed is None else f"{speed:,.1f} {self.unit}/s", style="progress.data.speed")


def wants_bar(stream: TextIO) -> bool:
    mode = os.environ.get("POLICYKG_PROGRESS", "").strip().lower()
    if mode in {"plain", "off", "0", "false"}:
        return False
    if mode in {"bar", "on", "1", "true"}:
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


class Progress:
    """A bar on a terminal, the plain log elsewhere (see the module docstring).

    `plain_every_s`: in plain mode, update() also prints "`what` done/total (N s)" at most that
    often (bench's long phases); None prints nothing of its own."""

    def __init__(
        self,
        what: str,
        total: int | None,
        unit: str = "items",
        stream: TextIO | None = None,
        plain_every_s: float | None = None,
        plain_prefix: str = "",
    ):
        self.what, self.total, self.unit = what, total, unit
        self.stream = stream or sys.stderr
        self.bar = wants_bar(self.stream)
        self.plain_every_s, self.plain_prefix = plain_every_s, plain_prefix
        self.done = 0
        self._started = self._last = time.monotonic()
        self._rich: RichProgress | None = None
        self._task = None

    def __enter__(self) -> Progress:
        if self.bar:
            console = Console(file=self.stream, force_terminal=True, stderr=self.stream is sys.stderr)
            self._rich = RichProgress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                _Rate(self.unit),
                TextColumn("left"),
                TimeRemainingColumn(),
                TextColumn("elapsed"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
                # print() keeps its own streams: a redirected stdout must stay a plain file
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._rich.start()
            self._task = self._rich.add_task(self.what, total=self.total)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich = None

    def advance(self, n: int = 1) -> None:
        self.update(self.done + n)

    def update(self, done: int) -> None:
        self.done = done
        if self._rich is not None and self._task is not None:
            self._rich.update(self._task, completed=done)
            return
        if self.plain_every_s is not None:
            now = time.monotonic()
            if now - self._last >= self.plain_every_s:
                self._last = now
                total = f"/{self.total}" if self.total is not None else ""
                print(
                    f"{self.plain_prefix}{self.what} {done}{total} ({now - self._started:.0f} s)",
                    file=self.stream,
                    flush=True,
                )

    def log(self, line: str, file: TextIO | None = None, step: bool = False) -> None:
        """Print a line. `step`: a routine one-per-step line, which the bar replaces when the
        line would land on the same terminal (it still goes to a redirected stdout)."""
        out = file or self.stream
        if self._rich is None:
            print(line, file=out, flush=True)
            return
        out_isatty = getattr(out, "isatty", None)
        on_terminal = out is self.stream or bool(out_isatty and out_isatty())
        if step and on_terminal:
            return
        if on_terminal:
            self._rich.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=out, flush=True)
