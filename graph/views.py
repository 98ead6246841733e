"""What the stores answer with: typed views shared by both stores and the REST API.

Both stores return these models, so tests can compare their answers with `==`.
Lists are sorted deterministically by each store (documented per method in store.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

Level = Literal["national", "provincial", "municipal", "county"]
Role = Literal["lead", "responsible"]


class SpanView(BaseModel):
    """Provenance: the source file and the [start, end) character span a fact came from."""

    source: str
    start: int
    end: int


# The sentence of the source holding a fact, and that sentence's character offset in the source,
# so a viewer can show it and highlight `span` (span.start - quote_start) without the file.
Quote = Annotated[str | None, Field(description="the sentence of the source that holds the fact")]
QuoteStart = Annotated[int | None, Field(description="character offset of `quote` in the source")]


class DocumentRef(BaseModel):
    id: str
    title: str | None
    doc_number: str | None = None
    level: Level | None = None
    jurisdiction: str | None = None
    # True for a document known only because another document cites it
    stub: bool = False


class AgencyRef(BaseModel):
    id: str
    name: str
    jurisdiction: str | None = None


class AgencySummary(AgencyRef):
    aliases: list[str] = Field(default_factory=list)
    lead_tasks: int = 0
    responsible_tasks: int = 0


class CitationView(BaseModel):
    document: DocumentRef
    relation: str  # cites | based_on | ensures_implementation_of | applies | repeals
    span: SpanView | None = None
    quote: Quote = None
    quote_start: QuoteStart = None


class TaskView(BaseModel):
    id: str
    text: str
    section: str | None = None
    document: DocumentRef
    lead: list[AgencyRef] = Field(default_factory=list)
    responsible: list[AgencyRef] = Field(default_factory=list)
    span: SpanView | None = None
    quote: Quote = None
    quote_start: QuoteStart = None


class TargetView(BaseModel):
    id: str
    indicator: str
    value: float | None = None
    unit: str | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    target_year: int | None = None
    document: DocumentRef
    lead: list[AgencyRef] = Field(default_factory=list)
    responsible: list[AgencyRef] = Field(default_factory=list)
    span: SpanView | None = None
    quote: Quote = None
    quote_start: QuoteStart = None


class DocumentDetail(DocumentRef):
    doc_type: str | None = None
    issued_on: str | None = None
    effective_from: str | None = Field(None, description="the day it takes effect, where the text says")
    valid_until: str | None = Field(None, description="the last day it is valid, where the text says")
    issuers: list[AgencyRef] = Field(default_factory=list)
    cites: list[CitationView] = Field(default_factory=list)
    cited_by: list[CitationView] = Field(default_factory=list)
    repeals: list[CitationView] = Field(default_factory=list)
    repealed_by: list[CitationView] = Field(default_factory=list)
    tasks: list[TaskView] = Field(default_factory=list)
    targets: list[TargetView] = Field(default_factory=list)
    span: SpanView | None = None


class LineageEntry(BaseModel):
    document: DocumentRef
    depth: int
    # documents from the root to this one (root first, this one last)
    path: list[DocumentRef]
    # relation of each hop along `path` (len(path) - 1 items)
    relations: list[str]


class LineageResult(BaseModel):
    root: DocumentRef
    direction: Literal["implementations", "ancestors"]
    entries: list[LineageEntry]


class GraphNode(BaseModel):
    id: str
    type: str  # ontology class local name: Document, Agency, Task, Target, Jurisdiction, Indicator
    label: str  # what to draw on the node
    properties: dict[str, object] = Field(default_factory=dict)


class GraphEdge(BaseModel):
    id: str
    source: str
    target: str
    type: str  # ontology relationship type, e.g. CITES, LED_BY
    properties: dict[str, object] = Field(default_factory=dict)


class Neighborhood(BaseModel):
    center: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class IngestReport(BaseModel):
    source: str
    status: Literal["ingested", "unchanged", "replaced"]
    documents: int = 0
    nodes: int = 0
    edges: int = 0


class StoreStats(BaseModel):
    nodes: dict[str, int]
    edges: dict[str, int]


# -- clause-level lineage (issue 13) ---------------------------------------------------------


class ClauseView(BaseModel):
    """One numbered provision of a document (一、 / （一） / 1. / 第N条)."""

    id: str
    path: str = Field(description='as a task\'s section: "二", "二/(二)", "第十二条"')
    number: str = Field(description='the marker as written, normalised: "二", "(二)", "1", "第十二条"')
    heading: str = ""
    level: int = Field(1, description="1 for the outermost numbering level")
    parent: str | None = Field(None, description="id of the enclosing clause")
    span: SpanView | None = None


class ClauseLinkView(BaseModel):
    """A task of an implementing document that carries out a clause (CARRIES_OUT)."""

    clause: str = Field(description="id of the clause carried out")
    task: TaskView
    score: float = Field(description="0..1; links below the linker's threshold are not made")
    evidence: Literal["reference", "similarity"]
    quote: str = Field("", description="the words that carry the evidence")


class CoverageCell(BaseModel):
    """The tasks one jurisdiction's implementing documents link to one clause."""

    jurisdiction: str
    tasks: list[ClauseLinkView]


class ClauseCoverage(BaseModel):
    clause: ClauseView
    cells: list[CoverageCell] = Field(description="jurisdictions with at least one task, in column order")
    gaps: list[str] = Field(description="jurisdictions among the implementing documents with no task here")


class CoverageColumn(BaseModel):
    """One jurisdiction among the documents that implement the root directly."""

    jurisdiction: str = Field(description="its name; the document title when the document names none")
    level: Level | None = None
    documents: list[DocumentRef]


class CoverageResult(BaseModel):
    root: DocumentRef
    as_of: str | None = Field(None, description="only documents in force on this day counted")
    root_in_force: bool = True
    jurisdictions: list[CoverageColumn]
    clauses: list[ClauseCoverage]


class CascadeEntry(BaseModel):
    """One target of the indicator: the root's own (depth 0) or an implementing document's."""

    depth: int
    level: Level | None = None
    target: TargetView


class CascadeIndicator(BaseModel):
    indicator: str = Field(description="normalized indicator (normalize.indicator_key)")
    entries: list[CascadeEntry]


class CascadeResult(BaseModel):
    root: DocumentRef
    as_of: str | None = None
    indicators: list[CascadeIndicator]


class DocumentStatus(BaseModel):
    """What decides whether a document is in force on a day (graph/coverage.in_force)."""

    issued_on: str | None = None
    effective_from: str | None = None
    valid_until: str | None = None
    # the day each document repealing it takes effect (its effective_from, else issued_on;
    # None when it states neither), in ascending order, unknown last
    repealed_on: list[str | None] = Field(default_factory=list)
