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


CELL_LINE = re.compile(r"^[^\n]*\|[^\S\n]*$", re.M)


def find_tables(text: str, start: int = 0, end: int | None = None) -> list[Table]:
    end = len(text) if end is None else end
    if text.find("|", start, end) < 0:
        return []  # most documents have no flattened table: skip the walk over their lines
    tables: list[Table] = []
    current: list[tuple[int, int]] = []
    for m in CELL_LINE.finditer(text, start, end):  # runs of adjacent lines that end with "|"
        if current and m.start() != current[-1][1] + 1:
            tables.append(_table(text, current))
            current = []
        current.append(m.span())
    if current:
        tables.append(_table(text, current))
    return [t for t in tables if len(t.cells) >= 3]


def _table(text: str, lines: list[tuple[int, int]]) -> Table:
    cells: list[Cell] = []
    for s, e in lines:
        pos = s
        bar = text.find("|", pos, e)
        while bar >= 0:
            raw = text[pos:bar]
            stripped = raw.strip()
            if stripped:
                lead = len(raw) - len(raw.lstrip())
                cells.append(Cell(stripped, pos + lead, pos + lead + len(stripped)))
            pos = bar + 1
            bar = text.find("|", pos, e)
    return Table(lines[0][0], lines[-1][1], cells)


# -- tables written one row a line ------------------------------------------------------------
# "序号 | 任务 | 牵头单位", Markdown "| a | b |" with a |---| rule, tab-separated and CSV lines:
# how spreadsheets, Markdown notes and text exports of task lists look.

# words of a table's header: a comma-separated table is only taken from a line that has one
# (prose written with ASCII commas, as OCR and some exports write it, is not a table)
HEADER_WORDS = "序号|任务|单位|部门|指标|名称|时限|时间|内容|措施|目标|事项|类别|举措"
# a separator with a cell after it on the same line
BAR_OR_TAB_ROW = re.compile(r"\|[ \t]*[^\s|]|\t")
_HEADER = re.compile(HEADER_WORDS)


def _row_hint(text: str, start: int, end: int) -> bool:
    """Might text[start:end] hold a row table: a bar or tab with a cell after it, or a line of
    two commas or more whose first cell has a header word. (A line-by-line look: one regex for
    the comma case tried header words at every position of every line.)"""
    if BAR_OR_TAB_ROW.search(text, start, end):
        return True
    comma = text.find(",", start, end)
    while comma >= 0:
        line_start = text.rfind("\n", start, comma) + 1
        line_end = text.find("\n", comma, end)
        line_end = end if line_end < 0 else line_end
        if text.count(",", comma, line_end) >= 2 and _HEADER.search(text, line_start, comma):
            return True
        comma = text.find(",", line_end, end)
    return False


_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


@dataclass(slots=True)
class RowTable:
    start: int
    end: int
    header: list[Cell]
    rows: list[list[Cell]]  # each as wide as the header; an empty cell has text ""


def _split_row(text: str, s: int, e: int, sep: str) -> list[Cell]:
    """The cells of one line: separators inside "…" (CSV quoting) or brackets do not split."""
    line = text[s:e]
    cells: list[Cell] = []
    pos = 0
    quoted = False
    depth = 0
    bounds: list[tuple[int, int]] = []
    for i, ch in enumerate(line):
        if ch == '"' and sep == ",":
            quoted = not quoted
        elif ch in "(（" and sep == ",":
            depth += 1
        elif ch in ")）" and sep == "," and depth:
            depth -= 1
        elif ch == sep and not quoted and not depth:
            bounds.append((pos, i))
            pos = i + 1
    bounds.append((pos, len(line)))
    if sep == "|":  # Markdown's outer pipes open and close the row, they do not hold cells
        if bounds and not line[bounds[0][0] : bounds[0][1]].strip():
            bounds = bounds[1:]
        if bounds and not line[bounds[-1][0] : bounds[-1][1]].strip():
            bounds = bounds[:-1]
    for a, b in bounds:
        raw = line[a:b]
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if sep == "," and len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
            lead += 1 + (len(stripped) - len(stripped.lstrip('"'))) - 1
            stripped = stripped[1:-1].replace('""', '"')
        cells.append(Cell(stripped, s + a + lead, s + a + lead + len(stripped)))
    return cells


def _separator(line: str) -> str | None:
    body = line.strip()
    if body.count("|") >= 2 or (body.count("|") == 1 and not body.endswith("|")):
        return "|"
    if body.count("\t") >= 1:
        return "\t"
    if body.count(",") >= 2 and "，" not in body and "。" not in body[:-1]:
        return ","
    return None


def find_row_tables(text: str, start: int = 0, end: int | None = None) -> list[RowTable]:
    """Runs of at least two lines that split into the same number of cells (three or more) by
    the same separator; a first line of shorter cells is the header. Lines that end with "|"
    alone belong to the cell-a-line convention above and are left to `find_tables`."""
    end = len(text) if end is None else end
    if not _row_hint(text, start, end):
        return []  # no separator with a cell after it on the same line: no such table
    lines: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        lines.append((pos, line_end))
        pos = line_end + 1
    tables: list[RowTable] = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        sep = _separator(text[s:e])
        if (
            sep is None
            or (sep == "|" and _cell_a_line(text[s:e]))
            or (sep == "," and not _HEADER.search(text, s, e))
        ):
            i += 1
            continue
        width = len(_split_row(text, s, e, sep))
        run = [i]
        j = i + 1
        while j < len(lines):
            ls, le = lines[j]
            line = text[ls:le]
            if _RULE.match(line.strip()) and sep == "|":
                j += 1
                continue
            if _separator(line) != sep or len(_split_row(text, ls, le, sep)) != width:
                break
            run.append(j)
            j += 1
        if width >= 3 and len(run) >= 2:
            rows = [_split_row(text, *lines[k], sep) for k in run]
            tables.append(RowTable(lines[run[0]][0], lines[run[-1]][1], rows[0], rows[1:]))
        i = j if len(run) >= 2 else i + 1
    return tables


def _cell_a_line(line: str) -> bool:
    body = line.strip()
    return body.endswith("|") and body.count("|") <= 2 and not body.startswith("|")


# -- tables written one cell a paragraph ----------------------------------------------------
# "序号\n\n任务类型\n\n重点内容\n\n责任单位\n\n1\n\n…": a table from a web page or a Word file
# converted with every cell its own paragraph (a cell may wrap over lines; a blank line ends
# it). Its rows start with their serial numbers, so a row is the cells from one number to the
# next, as many as the header has; a header repeated on a new page is skipped.

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")  # lines with no blank line between
_SERIAL_HEADER = re.compile(r"序号|编号")
_CELL_MAX = 1500  # characters of the longest cell read (a task's text)
_HEADER_CELL_MAX = 20  # characters of a header cell ("达标区域\n总面积占比")


def find_paragraph_tables(text: str, start: int = 0, end: int | None = None) -> list[RowTable]:
    """Tables written one cell a paragraph whose first column is a serial number (序号)."""
    end = len(text) if end is None else end
    if not _SERIAL_HEADER.search(text, start, end):
        return []
    cells = [_paragraph_cell(text, m.start(), m.end()) for m in _PARAGRAPH.finditer(text, start, end)]
    tables: list[RowTable] = []
    i = 0
    while i < len(cells):
        width = _header_width(cells, i) if _SERIAL_HEADER.fullmatch(cells[i].text) else 0
        if not width:
            i += 1
            continue
        header = cells[i : i + width]
        names = [c.text for c in header]
        rows: list[list[Cell]] = []
        k = i + width
        while k + width <= len(cells):
            if [c.text for c in cells[k : k + width]] == names:
                k += width  # the header again, on a new page
                continue
            row = cells[k : k + width]
            if row[0].text != str(len(rows) + 1) or any(c.text == str(len(rows) + 2) for c in row[1:]):
                break  # not the next row, or a row with a merged cell: where it ends is unknown
            rows.append(row)
            k += width
        if rows:
            tables.append(RowTable(header[0].start, rows[-1][-1].end, header, rows))
            i = k
        else:
            i += 1
    return tables


def _paragraph_cell(text: str, s: int, e: int) -> Cell:
    if e - s > _CELL_MAX:
        return Cell("", s, e)  # running text, not a cell (and not worth joining its lines)
    raw = text[s:e]
    lead = len(raw) - len(raw.lstrip())
    s += lead
    e = s + len(raw.strip())
    # a cell's wrapped lines are one text (Chinese wraps without a space)
    return Cell(re.sub(r"[^\S\n]*\n\s*", "", text[s:e]), s, e)


def _header_width(cells: list[Cell], i: int) -> int:
    """How many header cells start at `i`: short cells up to the first row's serial "1"; 0 when
    that is not a header (three columns at least, words of a header among them)."""
    j = i
    while j < len(cells) and j - i <= 12 and len(cells[j].text) <= _HEADER_CELL_MAX:
        if cells[j].text == "1":
            width = j - i
            words = sum(bool(_HEADER.search(c.text)) for c in cells[i:j])
            return width if width >= 3 and words >= 2 else 0
        if cells[j].text.endswith(("。", "；", ";")):
            return 0
        j += 1
    return 0
