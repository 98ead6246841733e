"""Spreadsheets (XLSX workbooks, CSV files): task lists are often published as tables alone.

Each sheet becomes its name on a line of its own, then one line a row with cells joined by
" | " (the row-a-line table shape `ingest/tables.py` reads). A merged cell is written in its
first row and left empty below, as in the sheet: the table reader carries it down. Line breaks
inside a cell are joined, so one row stays one line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from policykg.ingest.errors import InputError
from policykg.ingest.formats.layout import join_pieces

SEPARATOR = " | "
MAX_CELLS = 2_000_000  # a sheet beyond this is data, not a policy table


def is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _row_line(cells: list[object]) -> str | None:
    texts = ["" if c is None else join_pieces(str(c).splitlines()).replace("|", "｜") for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    if not any(texts):
        return None
    return SEPARATOR.join(texts)


def read_xlsx(path: Path, data: bytes) -> str:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on damaged workbooks
        raise InputError(path, f"unreadable Excel (XLSX) workbook ({type(err).__name__}: {err})") from None
    lines: list[str] = []
    seen = 0
    try:
        for sheet in book.worksheets:
            rows = [line for row in sheet.iter_rows(values_only=True) if (line := _row_line(list(row)))]
            seen += sum(line.count(SEPARATOR) + 1 for line in rows)
            if seen > MAX_CELLS:
                raise InputError(path, f"workbook has more than {MAX_CELLS} cells")
            if rows:
                if len(book.worksheets) > 1:
                    lines.append(sheet.title)
                lines += rows
                lines.append("")
    finally:
        book.close()
    if not any(lines):
        raise InputError(path, "workbook has no cells with text")
    return "\n".join(lines).strip() + "\n"


def csv_to_text(path: Path, text: str) -> str:
    """Rows of a CSV (comma, tab or semicolon; quoted cells may hold line breaks) as lines."""
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as err:
        raise InputError(path, f"malformed CSV ({err})") from None
    lines = [line for row in rows if (line := _row_line(list(row)))]
    if not lines:
        raise InputError(path, "CSV file has no cells with text")
    return "\n".join(lines) + "\n"
