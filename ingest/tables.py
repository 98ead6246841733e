"""Tables flattened into text: each cell followed by "|" (cells on their own lines or on one
line), as text exports of government pages and the DOCX/HTML readers write them.

A table is a run of lines that end with "|". Cells are returned with their spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(slots=True)
class Cell:
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Table:
    start: int
    end: int
    cells: list[Cell]


def find_tables(text: str, start: int = 0, end: int | None = None) -> list[Table]:
    end = len(text) if end is None else end
    tables: list[Table] = []
    current: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        line = text[pos:line_end]
        if line.rstrip().endswith("|") or (line.strip() and set(line.strip()) <= {"|", " "}):
            current.append((pos, line_end))
        elif current:
            tables.append(_table(text, current))
            current = []
        pos = line_end + 1
    if current:
        tables.append(_table(text, current))
    return [t for t in tables if len(t.cells) >= 3]


def _table(text: str, lines: list[tuple[int, int]]) -> Table:
    cells: list[Cell] = []
    for s, e in lines:
        pos = s
        for m in re.finditer(r"\|", text[s:e]):
            cs, ce = pos, s + m.start()
            raw = text[cs:ce]
            stripped = raw.strip()
            if stripped:
                lead = len(raw) - len(raw.lstrip())
                cells.append(Cell(stripped, cs + lead, cs + lead + len(stripped)))
            pos = s + m.end()
    return Table(lines[0][0], lines[-1][1], cells)
