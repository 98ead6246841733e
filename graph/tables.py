"""The graph's two tables as analysts keep them in spreadsheets: the responsibility matrix
(任务分工: one row per task, with its lead and responsible units and where it was read) and the
targets table (one row per numeric goal). Pure functions from the store's views to rows, shared
by the API's CSV answers and `policykg export --format csv|xlsx`:

    task_row(TaskView) / target_row(TargetView)   one row, keys = TASK_COLUMNS / TARGET_COLUMNS
    to_csv(columns, rows)                         CSV text with a UTF-8 BOM (Excel reads Chinese)
    tables_from_dump(store.dump())                every task and target as views, in the stores'
                                                  order, without paging through the store
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from policykg.graph import answers
from policykg.graph import views as v
from policykg.graph.ontology import Key, Label, Rel

TASK_COLUMNS = (
    "document",
    "doc_number",
    "section",
    "task",
    "lead",
    "responsible",
    "source",
    "span_start",
    "span_end",
    "document_id",
    "task_id",
)
TARGET_COLUMNS = (
    "document",
    "jurisdiction",
    "level",
    "indicator",
    "value",
    "unit",
    "baseline",
    "baseline_year",
    "target_year",
    "lead",
    "responsible",
    "source",
    "span_start",
    "span_end",
    "document_id",
    "target_id",
)
BOM = "\ufeff"
UNITS_JOIN = "、"  # how Chinese lists units in one cell


def _number(value: float | None) -> float | int | None:
    """12.0 → 12: what a person typed, not a float's repr."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def _units(refs: list[v.AgencyRef]) -> str:
    return UNITS_JOIN.join(a.name for a in refs)


def _span(view: v.TaskView | v.TargetView) -> dict[str, Any]:
    span = view.span
    return {
        "source": span.source if span else None,
        "span_start": span.start if span else None,
        "span_end": span.end if span else None,
    }


def task_row(task: v.TaskView) -> dict[str, Any]:
    return {
        "document": task.document.title,
        "doc_number": task.document.doc_number,
        "section": task.section,
        "task": task.text,
        "lead": _units(task.lead),
        "responsible": _units(task.responsible),
        **_span(task),
        "document_id": task.document.id,
        "task_id": task.id,
    }


def target_row(target: v.TargetView) -> dict[str, Any]:
    return {
        "document": target.document.title,
        "jurisdiction": target.document.jurisdiction,
        "level": target.document.level,
        "indicator": target.indicator,
        "value": _number(target.value),
        "unit": target.unit,
        "baseline": _number(target.baseline),
        "baseline_year": target.baseline_year,
        "target_year": target.target_year,
        "lead": _units(target.lead),
        "responsible": _units(target.responsible),
        **_span(target),
        "document_id": target.document.id,
        "target_id": target.id,
    }


def to_csv(columns: Iterable[str], rows: Iterable[dict[str, Any]]) -> str:
    """RFC 4180 CSV (CRLF line ends, quoted where needed) behind a UTF-8 BOM: without the BOM
    Excel reads a UTF-8 file in the system's ANSI code page and the Chinese turns to mojibake."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if val is None else val for k, val in row.items()})
    return BOM + out.getvalue()


def tables_from_dump(
    items: Iterable[v.GraphNode | v.GraphEdge],
) -> tuple[list[v.TaskView], list[v.TargetView]]:
    """Every task and target of a store as views, from one pass over Store.dump(), sorted as the
    store sorts them (tasks: answers.fact_sort; targets: answers.target_sort). Paging through
    store.tasks() instead would sort the whole graph once per page."""
    nodes: dict[str, v.GraphNode] = {}
    owner: dict[str, str] = {}
    units: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in items:
        if isinstance(item, v.GraphNode):
            if item.type in (Label.DOCUMENT, Label.AGENCY, Label.TASK, Label.TARGET):
                nodes[item.id] = item
        elif item.type in (Rel.HAS_TASK, Rel.HAS_TARGET):
            # as the stores: the owner is the least document id (a fact shared by two documents)
            owner[item.target] = min(owner.get(item.target, item.source), item.source)
        elif item.type in (Rel.LED_BY, Rel.RESPONSIBILITY_OF):
            units[(item.source, item.type)].append(item.target)

    def agencies(fact_id: str, rel: str) -> list[v.AgencyRef]:
        refs = [_agency(nodes[a]) for a in units.get((fact_id, rel), []) if a in nodes]
        return sorted(refs, key=lambda a: (a.name, a.id))

    tasks: list[v.TaskView] = []
    targets: list[v.TargetView] = []
    for node in nodes.values():
        if node.type not in (Label.TASK, Label.TARGET) or node.id not in owner:
            continue
        p = node.properties
        common: dict[str, Any] = {
            "id": node.id,
            "document": _document(nodes[owner[node.id]]),
            "lead": agencies(node.id, Rel.LED_BY),
            "responsible": agencies(node.id, Rel.RESPONSIBILITY_OF),
            "span": answers.span_view(p),
            "quote": p.get(Key.QUOTE),
            "quote_start": p.get(Key.QUOTE_START),
        }
        if node.type == Label.TASK:
            tasks.append(v.TaskView(text=p.get(Key.TEXT, ""), section=p.get(Key.SECTION), **common))
        else:
            targets.append(
                v.TargetView(
                    indicator=p.get(Key.INDICATOR, ""),
                    value=p.get(Key.VALUE),
                    unit=p.get(Key.UNIT),
                    baseline=p.get(Key.BASELINE),
                    baseline_year=p.get(Key.BASELINE_YEAR),
                    target_year=p.get(Key.TARGET_YEAR),
                    **common,
                )
            )
    tasks.sort(key=answers.fact_sort)
    targets.sort(key=answers.target_sort)
    return tasks, targets


def _document(node: v.GraphNode) -> v.DocumentRef:
    p = node.properties
    return v.DocumentRef(
        id=node.id,
        title=p.get(Key.TITLE),
        doc_number=p.get(Key.DOC_NUMBER),
        level=p.get(Key.LEVEL),
        jurisdiction=p.get(Key.JURISDICTION),
        stub=bool(p.get(Key.STUB, False)),
    )


def _agency(node: v.GraphNode) -> v.AgencyRef:
    p = node.properties
    return v.AgencyRef(id=node.id, name=p.get(Key.NAME, node.label), jurisdiction=p.get(Key.JURISDICTION))


def rows(columns: tuple[str, ...], views: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """task_row or target_row over views, by which table `columns` names."""
    make = task_row if columns is TASK_COLUMNS else target_row
    return (make(view) for view in views)
