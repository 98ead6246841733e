"""One storage protocol, two implementations, chosen by URL.

    embedded:PATH           in-process graph persisted in directory PATH (the default)
    bolt://HOST:PORT        Neo4j (also neo4j://, bolt+s://, neo4j+s://); credentials from
                            NEO4J_USER / NEO4J_PASSWORD or user:password@ in the URL

Every method answers with the typed views of graph/views.py, so the REST API and the tests
treat both stores alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from policykg.graph.answers import Page
from policykg.graph.views import (
    AgencySummary,
    ClauseLinkView,
    ClauseView,
    DocumentDetail,
    DocumentRef,
    DocumentStatus,
    GraphEdge,
    GraphNode,
    IngestReport,
    LineageResult,
    Neighborhood,
    Role,
    StoreStats,
    TargetView,
    TaskView,
)

from policykg.records import ExtractionRecord


class StoreError(Exception):
    """Base class for errors a store reports to its caller."""


class IngestStopped(StoreError):
    """ingest_many stopped at a record it could not store. `reports`: those of the records
    stored before it, a prefix of the input in order (nothing after that prefix was stored);
    `error`: what stopped it (re-ingesting that record alone raises it again)."""

    def __init__(self, reports: list[IngestReport], error: Exception):
        super().__init__(f"stopped after {len(reports)} records: {error}")
        self.reports = reports
        self.error = error


class NotFound(StoreError):
    def __init__(self, what: str, candidates: list[DocumentRef] | None = None):
        super().__init__(what)
        self.what = what
        self.candidates = candidates or []


class Ambiguous(StoreError):
    def __init__(self, what: str, candidates: list[DocumentRef]):
        super().__init__(what)
        self.what = what
        self.candidates = candidates


@runtime_checkable
class Store(Protocol):
    """Sort orders (both stores): a null sorts after every value; strings compare by code point.

    documents      stub, title, id
    tasks          document title, document id, span start (none last), task id
    targets        document level (national, provincial, municipal, county, none), document
                   jurisdiction, then as tasks (document title, document id, span start, id)
    agencies       name, id
    lineage        depth, title, id (paths: the shortest, ties broken by title then id)
    citations      (DocumentDetail.cites/cited_by/repeals/repealed_by) span source, span
                   start (none last), title, id, relation
    issuers, lead, responsible   name, id
    neighborhood   nodes by hop distance then id; edges by type, source, target

    Paged answers (find_documents, tasks, agencies, targets) are answers.Page: the page as a
    list, and `.total`, how many items matched before `limit` and `offset` applied.
    """

    url: str

    # -- writing ------------------------------------------------------------------------
    def ingest(self, record: ExtractionRecord) -> IngestReport:
        """Store one source file's record atomically: all of it or nothing. A record whose
        content_hash is already stored is a no-op ("unchanged"); a changed record replaces
        that source's facts ("replaced")."""
        ...

    def ingest_many(self, records: Iterable[ExtractionRecord]) -> list[IngestReport]:
        """The reports of ingest() on each record in turn (a source given twice is ingested
        twice, in order), in fewer and larger transactions where the store can: Neo4jStore
        writes a chunk of records atomically. Raises IngestStopped when a record cannot be
        stored."""
        ...

    def wipe(self) -> None:
        """Delete everything the store holds (tests, `ingest --wipe`)."""
        ...

    # -- reading ------------------------------------------------------------------------
    def revision(self) -> str:
        """A token that changes whenever the graph may have changed (ingest, replace, wipe), so
        a copy of it (the SPARQL triple store, graph/sparql.py) knows when to refill; equal
        tokens, same graph."""
        ...

    def stats(self) -> StoreStats:
        """Counts per node label and relationship type; every label and type the ontology
        defines is listed, 0 when absent, keys in name order."""
        ...

    def terms(self) -> tuple[set[str], set[str], set[str]]:
        """(node labels, relationship types, property keys) present in the graph; tests
        check each one is defined in ontology.ttl."""
        ...

    def dump(self, ordered: bool = True) -> Iterator[GraphNode | GraphEdge]:
        """Every node, then every edge of the graph (export, graph/export.py): nodes ordered
        by type then id, edges by type, source id, target id; ordered=False streams the same
        items in the store's own order within bounded memory (a large export). Properties as the views show
        them (merged, no nulls, bookkeeping left out); GraphNode.label as in neighborhood();
        GraphEdge.id is model.edge_id(type, source, target)."""
        ...

    def find_documents(
        self,
        q: str | None = None,
        level: str | None = None,
        jurisdiction: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page[DocumentRef]:
        """`q`: part of a title or alias (normalized) or a 文号; `jurisdiction`: an area name,
        areas below it included (江苏省 finds 苏州市 documents)."""
        ...

    def resolve_document(self, id_or_title: str) -> DocumentRef:
        """An id, a 文号, a title (normalized, aliases applied), else a part of a title;
        raises NotFound (with closest titles) or Ambiguous (with every candidate)."""
        ...

    def document(self, doc_id: str) -> DocumentDetail: ...

    def implementations(self, doc_id: str, depth: int = 10) -> LineageResult:
        """Documents with ENSURES_IMPLEMENTATION_OF / BASED_ON / APPLIES paths to doc_id."""
        ...

    def clauses(self, doc_id: str) -> list[ClauseView]:
        """The document's clauses (HAS_CLAUSE), in document order (answers.clause_sort)."""
        ...

    def clause_links(self, doc_id: str) -> list[ClauseLinkView]:
        """Every CARRIES_OUT link into the document's clauses (answers.link_sort: clause id,
        best score first, then as tasks sort)."""
        ...

    def statuses(self, doc_ids: Iterable[str]) -> dict[str, DocumentStatus]:
        """What decides whether each of these documents is in force on a day (unknown ids
        left out)."""
        ...

    def ancestors(self, doc_id: str, depth: int = 10) -> LineageResult:
        """Documents doc_id reaches over ENSURES_IMPLEMENTATION_OF / BASED_ON / APPLIES."""
        ...

    def tasks(
        self,
        lead: str | None = None,
        responsible: str | None = None,
        document: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> Page[TaskView]:
        """`lead`/`responsible`: an agency id, an exact name, else every agency whose name
        contains it; `document`: as resolve_document."""
        ...

    def agencies(self, q: str | None = None, limit: int = 50, offset: int = 0) -> Page[AgencySummary]: ...

    def agency_tasks(self, agency_id: str, role: Role | None = None) -> list[TaskView]:
        """An agency id or exact name; NotFound otherwise."""
        ...

    def targets(self, indicator: str | None = None, limit: int = 200, offset: int = 0) -> Page[TargetView]:
        """Targets whose Indicator equals normalize.indicator_key(indicator); when none does,
        those whose indicator contains it."""
        ...

    def neighborhood(self, node_id: str, depth: int = 1, limit: int = 300) -> Neighborhood:
        """Nodes within `depth` hops (either direction), at most `limit`, and the edges
        between them."""
        ...

    def close(self) -> None: ...


def open_store(url: str) -> Store:
    """Open the store a URL names (see module docstring)."""
    if url.startswith("embedded:"):
        from policykg.graph.embedded import EmbeddedStore

        return EmbeddedStore(url)
    if url.split("://", 1)[0] in {"bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc"}:
        from policykg.graph.neo4j_store import Neo4jStore

        return Neo4jStore(url)
    raise StoreError(f"unknown store URL {url!r}: use embedded:PATH, bolt://HOST:PORT or neo4j://HOST:PORT")
