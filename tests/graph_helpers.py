"""Records for graph tests that need no extractor: hand-made ones and the gold files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policykg.records import Citation, Document, ExtractionRecord, Target, Task

GOLD = Path(__file__).resolve().parents[1] / "corpus" / "gold"


def _first(value: Any) -> Any:
    """Gold may list acceptable variants; a record holds one value."""
    return value[0] if isinstance(value, list) else value


def gold_record(path: Path) -> ExtractionRecord:
    """A gold file as an ExtractionRecord (first variant of each value; task `key` as text)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for doc in data["documents"]:
        for k in ("title", "doc_number", "doc_type", "issued_on", "jurisdiction"):
            if k in doc:
                doc[k] = _first(doc[k])
        doc["issuers"] = [_first(a) for a in doc.get("issuers") or []]
        for cite in (doc.get("cites") or []) + (doc.get("repeals") or []):
            for k in ("title", "doc_number", "relation"):
                if k in cite:
                    cite[k] = _first(cite[k])
        for fact in (doc.get("tasks") or []) + (doc.get("targets") or []):
            fact["lead"] = [_first(a) for a in fact.get("lead") or []]
            fact["responsible"] = [_first(a) for a in fact.get("responsible") or []]
            for k in ("indicator", "unit"):
                if k in fact:
                    fact[k] = _first(fact[k])
            if "key" in fact:
                fact["text"] = fact["key"]
    data["source"] = path.with_suffix(".txt").name
    return ExtractionRecord.from_dict(data)


def gold_records() -> list[ExtractionRecord]:
    return [gold_record(p) for p in sorted(GOLD.glob("*.json"))]


def record(source: str, *documents: Document, content_hash: str | None = None) -> ExtractionRecord:
    return ExtractionRecord(source=source, documents=list(documents), content_hash=content_hash)


def zunyi_plan(**changes: Any) -> Document:
    """A municipal plan that implements the national 纲要 and cites a provincial plan."""
    doc = Document(
        title="遵义市知识产权试点工作方案",
        doc_type="工作方案",
        issuers=["遵义市人民政府"],
        issued_on="2022-10-21",
        jurisdiction="遵义市",
        level="municipal",
        span=(0, 500),
        cites=[
            Citation(
                "知识产权强国建设纲要(2021-2035年)", relation="ensures_implementation_of", span=(40, 60)
            ),
            Citation("贵州省知识产权“十四五”规划", relation="based_on", span=(70, 90)),
            Citation("专利法", span=(95, 100)),
        ],
        tasks=[
            Task(
                "完善指标体系",
                section="二/(一)/1",
                lead=["遵义市市场监督管理局"],
                responsible=["遵义市科技局", "遵义市财政局"],
                span=(200, 220),
            ),
            Task("开展专利导航", section="二/(一)/2", lead=["遵义市市场监督管理局"], span=(230, 260)),
        ],
        targets=[
            Target(
                "每万人口高价值发明专利拥有量",
                3.5,
                "件",
                target_year=2025,
                lead=["遵义市市场监督管理局"],
                span=(300, 330),
            ),
        ],
    )
    for key, value in changes.items():
        setattr(doc, key, value)
    return doc


def guizhou_plan(**changes: Any) -> Document:
    doc = Document(
        title="贵州省知识产权“十四五”规划",
        doc_number="黔府发〔2021〕12号",
        issuers=["贵州省人民政府"],
        jurisdiction="贵州省",
        span=(0, 800),
        cites=[
            Citation(
                "《知识产权强国建设纲要（2021—2035年）》", relation="ensures_implementation_of", span=(10, 30)
            )
        ],
        targets=[Target("万人高价值发明专利拥有量", 6.0, "件", target_year=2025, span=(100, 130))],
    )
    for key, value in changes.items():
        setattr(doc, key, value)
    return doc


def national_outline() -> Document:
    return Document(
        title="知识产权强国建设纲要（2021-2035年）",
        issuers=["中共中央", "国务院"],
        jurisdiction="中国",
        level="national",
        span=(0, 1000),
        cites=[Citation("中华人民共和国专利法", span=(50, 60))],
        targets=[Target("每万人口高价值发明专利拥有量", 12, "件", target_year=2025, span=(300, 320))],
    )


def coverage_cells(result: Any) -> dict[tuple[str, str], list[str]]:
    """A coverage answer (graph/coverage.py) as {(clause path, jurisdiction): sorted task
    texts}, gaps with no tasks: the shape the named query clause_coverage returns."""
    cells = {
        (c.clause.path, cell.jurisdiction): sorted(t.task.text for t in cell.tasks)
        for c in result.clauses
        for cell in c.cells
    }
    return cells | {(c.clause.path, gap): [] for c in result.clauses for gap in c.gaps}


def query_cells(rows: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """Rows of the named query clause_coverage in the shape of `coverage_cells`."""
    return {(r["clause"], r["jurisdiction"]): sorted(t["task"] for t in r["tasks"]) for r in rows}
