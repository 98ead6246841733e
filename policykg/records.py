"""The extraction record (corpus/SCHEMA.md, version 1): the contract between ingest/ and graph/.

One `ExtractionRecord` per source file. Fields beyond SCHEMA.md (`span` on documents,
citations and repeals; `relation` on citations; `responsible` on targets; `quote` and
`quote_start` on citations, tasks and targets; `clauses` on documents) are additive: scorers
that do not know them ignore them, and the graph uses them for provenance. `quote` is the
sentence of the source that holds the fact (at most a few hundred characters) and
`quote_start` its offset in the source text, so a viewer can show the sentence and highlight
`span` inside it without the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

Level = Literal["national", "provincial", "municipal", "county"]
# How a document refers to another (ELI terms): 根据/依据 → based_on, 贯彻落实 → ensures_implementation_of,
# 参照/按照…执行 → applies, anything else → cites.
Relation = Literal["cites", "based_on", "ensures_implementation_of", "applies"]
Span = tuple[int, int]

SCHEMA_VERSION = 1


@dataclass(slots=True)
class Citation:
    title: str | None
    doc_number: str | None = None
    relation: Relation = "cites"
    span: Span | None = None
    quote: str | None = None
    quote_start: int | None = None


@dataclass(slots=True)
class Task:
    text: str
    section: str | None = None
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    span: Span | None = None
    quote: str | None = None
    quote_start: int | None = None


@dataclass(slots=True)
class Target:
    indicator: str
    value: float | None
    unit: str | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    target_year: int | None = None
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    span: Span | None = None
    quote: str | None = None
    quote_start: int | None = None


@dataclass(slots=True)
class Clause:
    """One numbered provision of a document (一、 / （一） / 1. / 第N条): `path` is the same
    notation as a task's `section` ("二", "二/(二)", "第十二条"), so a task stands in the clause
    whose path equals its section (ingest/clauses.py). `text`: the provision's own words (heading
    and body up to its first sub-provision), which the task→clause linker compares tasks with."""

    path: str
    number: str
    heading: str = ""
    span: Span | None = None
    text: str = ""


@dataclass(slots=True)
class Document:
    title: str | None
    doc_type: str | None = None
    doc_number: str | None = None
    issuers: list[str] = field(default_factory=list)
    issued_on: str | None = None
    jurisdiction: str | None = None
    level: Level | None = None
    cites: list[Citation] = field(default_factory=list)
    repeals: list[Citation] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    span: Span | None = None
    clauses: list[Clause] = field(default_factory=list)
    # status over time (ingest/validity.py): the day it takes effect and the last day it is valid
    effective_from: str | None = None
    valid_until: str | None = None


@dataclass(slots=True)
class ExtractionRecord:
    source: str
    documents: list[Document] = field(default_factory=list)
    # sha256 of the source bytes: lets ingest skip unchanged files and replace changed ones
    content_hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractionRecord:
        docs = []
        for d in data.get("documents") or []:
            docs.append(
                Document(
                    title=d.get("title"),
                    doc_type=d.get("doc_type"),
                    doc_number=d.get("doc_number"),
                    issuers=list(d.get("issuers") or []),
                    issued_on=d.get("issued_on"),
                    jurisdiction=d.get("jurisdiction"),
                    level=d.get("level"),
                    cites=[_citation(c) for c in d.get("cites") or []],
                    repeals=[_citation(c) for c in d.get("repeals") or []],
                    tasks=[
                        Task(
                            text=t.get("text") or "",
                            section=t.get("section"),
                            lead=list(t.get("lead") or []),
                            responsible=list(t.get("responsible") or []),
                            span=_span(t.get("span")),
                            quote=t.get("quote"),
                            quote_start=t.get("quote_start"),
                        )
                        for t in d.get("tasks") or []
                    ],
                    targets=[
                        Target(
                            indicator=t.get("indicator") or "",
                            value=t.get("value"),
                            unit=t.get("unit"),
                            baseline=t.get("baseline"),
                            baseline_year=t.get("baseline_year"),
                            target_year=t.get("target_year"),
                            lead=list(t.get("lead") or []),
                            responsible=list(t.get("responsible") or []),
                            span=_span(t.get("span")),
                            quote=t.get("quote"),
                            quote_start=t.get("quote_start"),
                        )
                        for t in d.get("targets") or []
                    ],
                    span=_span(d.get("span")),
                    clauses=[_clause(c) for c in d.get("clauses") or []],
                    effective_from=d.get("effective_from"),
                    valid_until=d.get("valid_until"),
                )
            )
        return cls(source=data["source"], documents=docs, content_hash=data.get("content_hash"))

    @classmethod
    def from_json(cls, text: str) -> ExtractionRecord:
        return cls.from_dict(json.loads(text))


def _citation(c: dict[str, Any]) -> Citation:
    return Citation(
        title=c.get("title"),
        doc_number=c.get("doc_number"),
        relation=c.get("relation") or "cites",
        span=_span(c.get("span")),
        quote=c.get("quote"),
        quote_start=c.get("quote_start"),
    )


def _clause(c: dict[str, Any]) -> Clause:
    return Clause(
        path=c.get("path") or "",
        number=c.get("number") or "",
        heading=c.get("heading") or "",
        span=_span(c.get("span")),
        text=c.get("text") or "",
    )


def _span(value: Any) -> Span | None:
    if not value:
        return None
    return (int(value[0]), int(value[1]))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """dataclasses.asdict with tuples as lists (JSON's shape), without asdict's deep copies:
    the leaves are immutable (str, int, float, bool, None); a fifth of a bulk load's planning
    went to asdict."""
    names = _FIELD_NAMES.get(type(value))
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
