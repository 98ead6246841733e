"""The responsibility matrix and the targets table as files analysts open in Excel:

    write_csv_tables(folder, tasks, targets)   folder/responsibilities.csv, folder/targets.csv
    write_xlsx(path, tasks, targets)           one workbook, sheets 任务分工 and 指标目标

Columns and rows come from graph/tables.py (the same as the API's CSV answers). CSV is UTF-8
with a BOM; the workbook has a frozen, filterable header row. Every file is written to a
temporary name and renamed, so a failed export leaves no half-written table.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from policykg.graph import tables
from policykg.graph import views as v

CSV_FILES = {"tasks": "responsibilities.csv", "targets": "targets.csv"}
SHEETS = {"tasks": "任务分工", "targets": "指标目标"}
# widths (characters) of the columns that hold sentences and names; the rest get a default
WIDE = {"document": 40, "task": 60, "lead": 28, "responsible": 40, "indicator": 32, "section": 24}


def write_atomically(path: Path, fill: Callable[[IO[bytes]], None]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_bytes(which: str, views: Sequence[Any]) -> bytes:
    columns = tables.TASK_COLUMNS if which == "tasks" else tables.TARGET_COLUMNS
    return tables.to_csv(columns, tables.rows(columns, views)).encode("utf-8")


def write_csv_tables(
    folder: Path, tasks: Sequence[v.TaskView], targets: Sequence[v.TargetView]
) -> list[Path]:
    written = []
    for which, views in (("tasks", tasks), ("targets", targets)):
        path = folder / CSV_FILES[which]
        data = csv_bytes(which, views)
        write_atomically(path, lambda handle, data=data: handle.write(data))
        written.append(path)
    return written


def write_xlsx(path: Path, tasks: Sequence[v.TaskView], targets: Sequence[v.TargetView]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for which, views in (("tasks", tasks), ("targets", targets)):
        columns = tables.TASK_COLUMNS if which == "tasks" else tables.TARGET_COLUMNS
        sheet = book.create_sheet(SHEETS[which])
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in tables.rows(columns, views):
            sheet.append([None if row[c] == "" else row[c] for c in columns])  # no unit: empty cell
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for i, name in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = WIDE.get(name, 14)
    write_atomically(path, book.save)
