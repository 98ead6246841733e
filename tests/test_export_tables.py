"""`policykg export --format csv|xlsx`: the responsibility matrix and the targets table, read
back as a spreadsheet program reads them (csv with the BOM, the workbook with openpyxl), and
the same rows the stores answer over the API."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from policykg.graph.tables import TARGET_COLUMNS, TASK_COLUMNS, tables_from_dump, target_row, task_row

from policykg.cli import main

ZUNYI = "遵义市国家知识产权强市建设试点城市工作方案"


@pytest.fixture(scope="module")
def embedded(sample_records, tmp_path_factory):
    from policykg.graph.embedded import EmbeddedStore

    st = EmbeddedStore(f"embedded:{tmp_path_factory.mktemp('tables-store')}")
    for record in sample_records:
        st.ingest(record)
    yield st
    st.close()


def _read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "no BOM: Excel would read the Chinese as ANSI"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _cells(row: dict) -> dict:
    """A row as a workbook holds it: nothing (no lead unit) is an empty cell."""
    return {k: None if v == "" else v for k, v in row.items()}


def test_tables_from_the_dump_are_what_the_store_answers(store) -> None:
    """One pass over dump() gives every task and target, in the store's order, as its views."""
    tasks, targets = tables_from_dump(store.dump())
    assert tasks == store.tasks(limit=10**6)
    assert targets == store.targets(limit=10**6)
    assert len(tasks) == store.stats().nodes["Task"] and len(targets) == store.stats().nodes["Target"]


def test_csv_export_writes_both_tables(embedded, tmp_path: Path, capsys) -> None:
    out = tmp_path / "tables"
    assert main(["export", "--store", embedded.url, "-f", "csv", "-o", str(out)]) == 0
    assert "tasks" in capsys.readouterr().err
    tasks = _read_csv(out / "responsibilities.csv")
    targets = _read_csv(out / "targets.csv")
    assert list(tasks[0]) == list(TASK_COLUMNS) and list(targets[0]) == list(TARGET_COLUMNS)
    expected = [task_row(t) for t in embedded.tasks(limit=10**6)]
    assert [r["task_id"] for r in tasks] == [r["task_id"] for r in expected]
    zunyi = [r for r in tasks if r["document"] == ZUNYI]
    assert zunyi and all(r["lead"] and r["source"].startswith("001_") and r["span_start"] for r in zunyi)
    baoding = next(r for r in targets if r["jurisdiction"] == "保定市" and r["value"] == "2.21")
    wanted = ("1.87", "2020", "保定市市场监督管理局")
    assert (baoding["baseline"], baoding["baseline_year"], baoding["lead"]) == wanted


def test_xlsx_export_opens_with_both_sheets(embedded, tmp_path: Path) -> None:
    out = tmp_path / "分工.xlsx"
    assert main(["export", "--store", embedded.url, "-f", "xlsx", "-o", str(out)]) == 0
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["任务分工", "指标目标"]
    rows = list(book["任务分工"].iter_rows(values_only=True))
    assert rows[0] == TASK_COLUMNS
    expected = [_cells(task_row(t)) for t in embedded.tasks(limit=10**6)]
    assert len(rows) - 1 == len(expected)
    assert [dict(zip(TASK_COLUMNS, r, strict=True)) for r in rows[1:]] == expected
    targets = list(book["指标目标"].iter_rows(values_only=True))
    assert targets[0] == TARGET_COLUMNS
    assert [dict(zip(TARGET_COLUMNS, r, strict=True)) for r in targets[1:]] == [
        _cells(target_row(t)) for t in embedded.targets(limit=10**6)
    ]


def test_csv_table_to_stdout_and_bad_arguments(embedded, tmp_path: Path, capsysbinary) -> None:
    assert main(["export", "--store", embedded.url, "-f", "csv", "--table", "targets"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"\xef\xbb\xbfdocument,jurisdiction") and "保定市".encode() in out
    assert main(["export", "--store", embedded.url, "-f", "csv"]) == 1  # two tables, no folder
    assert main(["export", "--store", embedded.url, "-f", "xlsx"]) == 1  # binary to a terminal
    assert main(["export", "--store", embedded.url, "-f", "turtle", "--table", "tasks"]) == 1
    assert "--out FOLDER" in capsysbinary.readouterr().err.decode()
