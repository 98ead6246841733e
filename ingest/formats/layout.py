"""Text layout shared by the structured readers (HTML, DOCX, PDF).

Table convention (the one the sample corpus uses, see corpus/seeds/001_*.txt):

    序号 |
    主要工作内容 |
    牵头单位 |
    责任单位 | |
    1 |
    推进……建设 |
    市市场监管局 |
    市工业和能源局、市科技局 | |

Every cell is one line ending in " |" (an empty cell is a lone "|"), and the last cell of each
row carries a second " |" that ends the row. A merged cell is written once, in the first row and
column it covers; the positions it spans are not repeated. A cell's own paragraphs are joined
into its one line. Rows whose cells are all empty are dropped (they are spacing, not data).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

CELL_END = " |"
ROW_END = " |"

_SPACE_RUN = re.compile(r"[ \t\f\v\u00a0\u3000]+")
# Han characters and CJK punctuation: no space is written between two of them when lines join.
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef《》“”‘’、，。；：？！（）]")


def join_pieces(pieces: Iterable[str]) -> str:
    """Join wrapped lines / paragraphs into one line: no separator next to CJK, else a space."""
    out = ""
    for raw in pieces:
        piece = _SPACE_RUN.sub(" ", raw).strip()
        if not piece:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(piece[0])):
            out += " "
        out += piece
    return out


def render_table(rows: Sequence[Sequence[str | None]]) -> list[str]:
    """Lines for a table in the corpus convention. `None` marks a position covered by a merged cell."""
    lines: list[str] = []
    for row in rows:
        cells = [join_pieces(c.split("\n")) for c in row if c is not None]
        if not any(cells):
            continue
        row_lines = [f"{c}{CELL_END}" if c else "|" for c in cells]
        row_lines[-1] += ROW_END
        lines.extend(row_lines)
    return lines


def tidy_lines(lines: Iterable[str]) -> str:
    """One string from extracted lines: runs of spaces collapsed, lines stripped, blank lines dropped."""
    kept = []
    for line in lines:
        line = _SPACE_RUN.sub(" ", line).strip()
        if line:
            kept.append(line)
    return "\n".join(kept)
