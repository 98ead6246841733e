"""Expected input failures: one line naming the file and the reason, never a traceback."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
