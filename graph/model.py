"""ExtractionRecord → graph fragment: pure functions, no store, no I/O.

`build_fragment(record)` answers the nodes and edges one source file contributes:

    NodeSpec(label, id, properties)            label from ontology.Label
    EdgeSpec(type, source, target, properties) type from ontology.Rel

Ids come from content (resolve.stable_id), never from run order:

    Document      title key after aliases (resolve.document_id), else 文号 key, else source+position
    Agency        canonical name                 Jurisdiction  name
    Task          document id + text + section + n-th repeat
    Target        document id + indicator + value + unit + target year + n-th repeat
    Indicator     normalize.indicator_key

A cited or repealed document becomes a Document with stub=True; its id is the one the document
gets when its own text is ingested, so the two meet. Properties whose value is None are left
out (Neo4j stores no nulls). Every Document (non-stub), Task, Target and every citation edge
carries provenance: source, span_start, span_end (and quote, quote_start when known).

Several sources may contribute the same node (a stub many documents cite, a shared agency):
a store keeps each source's contribution and shows `merge_nodes(label, contributions)`,
contributions ordered by source name. Removing a source removes its contributions; a node
with none left disappears. That is how re-ingest replaces a source's facts without touching
other sources, and how a stub survives while anything still cites it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from policykg.graph.jurisdictions import table
from policykg.graph.normalize import clean_title, indicator_key, text_key
from policykg.graph.ontology import Key, Label, Rel, schema
from policykg.graph.resolve import (
    document_id,
    number_key_or_none,
    resolve_title,
    stable_id,
    stable_id_pattern,
)

from policykg.records import Citation, Document, ExtractionRecord

__all__ = [
    "CITATION_TYPES",
    "LINEAGE_TYPES",
    "RELATION_TYPES",
    "EdgeSpec",
    "Fragment",
    "NodeSpec",
    "agency_id",
    "build_fragment",
    "clause_id",
    "edge_id",
    "indicator_id",
    "jurisdiction_id",
    "merge_edges",
    "merge_nodes",
]

# record relation → relationship type
RELATION_TYPES: dict[str, Rel] = {
    "cites": Rel.CITES,
    "based_on": Rel.BASED_ON,
    "ensures_implementation_of": Rel.ENSURES_IMPLEMENTATION_OF,
    "applies": Rel.APPLIES,
    "repeals": Rel.REPEALS,
}
# Document → Document edges (all carry provenance)
CITATION_TYPES: frozenset[str] = frozenset(RELATION_TYPES.values())
# the edges lineage follows: a lower document implementing a higher one
LINEAGE_TYPES: frozenset[str] = frozenset({Rel.ENSURES_IMPLEMENTATION_OF, Rel.BASED_ON, Rel.APPLIES})


@dataclass(frozen=True, slots=True)
class NodeSpec:
    label: str
    id: str
    properties: dict[str, Any]


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    type: str
    source: str
    target: str
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return edge_id(self.type, self.source, self.target)


@dataclass(slots=True)
class Fragment:
    source: str
    content_hash: str | None
    nodes: list[NodeSpec]
    edges: list[EdgeSpec]


def edge_id(rel_type: str, source: str, target: str) -> str:
    """One edge per (type, source node, target node)."""
    return stable_id("edge", rel_type, source, target)


def agency_id(name: str) -> str:
    return stable_id("agency", text_key(name))


AGENCY_ID = stable_id_pattern("agency")  # what every agency_id matches in full


def jurisdiction_id(name: str) -> str:
    return stable_id("jur", name)


def indicator_id(key: str) -> str:
    return stable_id("ind", key)


def _props(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _span(span: tuple[int, int] | None) -> dict[str, int]:
    return {Key.SPAN_START: span[0], Key.SPAN_END: span[1]} if span else {}


class _Builder:
    def __init__(self, source: str):
        self.source = source
        self.nodes: dict[str, list[NodeSpec]] = {}
        self.edges: dict[tuple[str, str, str], EdgeSpec] = {}  # (type, source, target): edge_id's parts

    def node(self, label: str, node_id: str, props: dict[str, Any]) -> str:
        clean = {str(k): v for k, v in props.items()}
        self.nodes.setdefault(node_id, []).append(NodeSpec(str(label), node_id, {"id": node_id, **clean}))
        return node_id

    def edge(self, rel: str, source: str, target: str, props: dict[str, Any] | None = None) -> None:
        if source == target:
            return
        spec = EdgeSpec(str(rel), source, target, {str(k): v for k, v in (props or {}).items()})
        self.edges.setdefault((spec.type, source, target), spec)

    def part(self, part: _Part) -> None:
        """Add a memoized part (an agency or an area with what it brings along). Its specs are
        shared by every fragment that names it: node properties are merged into new dicts by
        fragment(), edge specs (without properties) go into fragments as they are, read-only
        like every fragment's."""
        for spec in part.nodes:
            self.nodes.setdefault(spec.id, []).append(spec)
        for spec in part.edges:
            self.edges.setdefault((spec.type, spec.source, spec.target), spec)

    def jurisdiction(self, name: str | None) -> tuple[str | None, str | None]:
        """Add the area and the areas above it; answers (node id, canonical name)."""
        if not name:
            return None, None
        part = _jurisdiction_part(name)
        self.part(part)
        return part.id, part.name

    def agency(self, name: str) -> str:
        part = _agency_part(name)
        self.part(part)
        return part.id

    def fragment(self, content_hash: str | None) -> Fragment:
        nodes = [merge_nodes(specs[0].label, [s.properties for s in specs]) for specs in self.nodes.values()]
        return Fragment(
            source=self.source,
            content_hash=content_hash,
            nodes=[NodeSpec(self.nodes[p[Key.ID]][0].label, p[Key.ID], p) for p in nodes],
            edges=list(self.edges.values()),
        )


@dataclass(frozen=True, slots=True)
class _Part:
    """What naming one agency or area adds to a fragment, the same in every record: a pure
    function of the name, computed once per name (a corpus names the same units thousands of
    times, and resolving an area's prefix and hashing ids was most of building a fragment)."""

    id: str | None
    name: str | None
    nodes: tuple[NodeSpec, ...]
    edges: tuple[EdgeSpec, ...]


def _part(b: _Builder, node_id: str | None, name: str | None) -> _Part:
    nodes = tuple(spec for specs in b.nodes.values() for spec in specs)
    return _Part(node_id, name, nodes, tuple(b.edges.values()))


@lru_cache(maxsize=65_536)
def _jurisdiction_part(name: str) -> _Part:
    b = _Builder("")
    chain = table().ancestors(name)
    if not chain:
        jid = b.node(Label.JURISDICTION, jurisdiction_id(name), {Key.NAME: name})
        return _part(b, jid, name)
    child: str | None = None
    for area in chain:
        jid = b.node(
            Label.JURISDICTION, jurisdiction_id(area.name), {Key.NAME: area.name, Key.LEVEL: area.level}
        )
        if child:
            b.edge(Rel.PART_OF, child, jid)
        child = jid
    return _part(b, jurisdiction_id(chain[0].name), chain[0].name)


@lru_cache(maxsize=65_536)
def _agency_part(name: str) -> _Part:
    b = _Builder("")
    area = table().prefix_of(name)
    jid, jname = b.jurisdiction(area.name if area else None)
    props = _props(name=name.strip(), name_key=text_key(name), jurisdiction=jname)
    aid = b.node(Label.AGENCY, agency_id(name), props)
    if jid:
        b.edge(Rel.OPERATES_IN, aid, jid)
    return _part(b, aid, name)


def build_fragment(record: ExtractionRecord) -> Fragment:
    """Every node and edge one record contributes (see module docstring)."""
    b = _Builder(record.source)
    for index, doc in enumerate(record.documents):
        _document(b, doc, index)
    return b.fragment(record.content_hash)


def _document(b: _Builder, doc: Document, index: int) -> None:
    display, key = None, None
    if doc.title and doc.title.strip():
        # an ingested document shows its own title; the alias table only decides its key
        display, key = clean_title(doc.title), resolve_title(doc.title)[1]
    number_key = number_key_or_none(doc.doc_number)
    doc_id = document_id(key, number_key, fallback=f"{b.source}#{index}")
    jname = doc.jurisdiction
    if not jname:
        for issuer in doc.issuers:
            area = table().prefix_of(issuer)
            if area:
                jname = area.name
                break
    jid, jname = b.jurisdiction(jname)
    area = table().get(jname)
    aliases = sorted({doc.title.strip()} - {display}) if doc.title and display else []
    b.node(
        Label.DOCUMENT,
        doc_id,
        _props(
            title=display or (doc.title.strip() if doc.title else None),
            title_key=key,
            doc_number=doc.doc_number,
            doc_number_key=number_key,
            doc_type=doc.doc_type,
            issued_on=doc.issued_on,
            effective_from=doc.effective_from,
            valid_until=doc.valid_until,
            level=doc.level or (area.level if area else None),
            jurisdiction=jname,
            stub=False,
            aliases=aliases or None,
            source=b.source,
        )
        | _span(doc.span),
    )
    if jid:
        b.edge(Rel.HAS_JURISDICTION, doc_id, jid)
    for issuer in doc.issuers:
        if issuer and issuer.strip():
            b.edge(Rel.PASSED_BY, doc_id, b.agency(issuer))
    for cite in doc.cites:
        _citation(b, doc_id, cite, RELATION_TYPES.get(cite.relation, Rel.CITES))
    for cite in doc.repeals:
        _citation(b, doc_id, cite, Rel.REPEALS)
    clause_ids = _clauses(b, doc_id, doc)
    _tasks(b, doc_id, doc, clause_ids)
    _targets(b, doc_id, doc)


def _citation(b: _Builder, doc_id: str, cite: Citation, rel: str) -> None:
    title = cite.title.strip() if cite.title and cite.title.strip() else None
    number_key = number_key_or_none(cite.doc_number)
    if not title and not number_key:
        return
    display, key = resolve_title(title) if title else (None, None)
    target = document_id(key, number_key)
    # a stub's area is a guess from its title, so it is kept as properties only: an edge would
    # stay on the node after the document's own text (with its real jurisdiction) arrives
    area = table().prefix_of(display) if display else None
    b.node(
        Label.DOCUMENT,
        target,
        _props(
            title=display,
            title_key=key,
            doc_number=cite.doc_number,
            doc_number_key=number_key,
            level=area.level if area else None,
            jurisdiction=area.name if area else None,
            stub=True,
            aliases=sorted({title} - {display}) or None if title else None,
        ),
    )
    b.edge(
        rel,
        doc_id,
        target,
        _props(
            source=b.source,
            quote=cite.quote,
            quote_start=cite.quote_start,
            cited_title=cite.title,
            cited_number=cite.doc_number,
        )
        | _span(cite.span),
    )


def clause_id(doc_id: str, path: str) -> str:
    """One node per provision of a document, whichever file holds its text: the path as NFKC,
    so （八） in one copy of a document and (八) in another are the same provision."""
    return stable_id("clause", doc_id, unicodedata.normalize("NFKC", path))


def _clauses(b: _Builder, doc_id: str, doc: Document) -> dict[str, str]:
    """Clause nodes of a document, each under the clause its path extends; answers path → id."""
    ids: dict[str, str] = {}
    for clause in doc.clauses:
        if not clause.path or clause.path in ids:
            continue
        cid = ids[clause.path] = b.node(
            Label.CLAUSE,
            clause_id(doc_id, clause.path),
            _props(
                path=clause.path,
                number=clause.number,
                heading=clause.heading,
                depth=clause.path.count("/") + 1,
                text=clause.text or None,
                source=b.source,
            )
            | _span(clause.span),
        )
        b.edge(Rel.HAS_CLAUSE, doc_id, cid)
        parent = _enclosing(clause.path, ids)
        if parent:
            b.edge(Rel.PART_OF_CLAUSE, cid, parent)
    return ids


def _enclosing(path: str, ids: dict[str, str]) -> str | None:
    """The clause of the longest proper prefix of `path` (二/(二) for 二/(二)/1)."""
    parts = path.split("/")
    for cut in range(len(parts) - 1, 0, -1):
        found = ids.get("/".join(parts[:cut]))
        if found:
            return found
    return None


def _holding(doc: Document, span: tuple[int, int] | None, ids: dict[str, str]) -> str | None:
    """The innermost clause whose span holds `span` (the shortest one)."""
    if span is None:
        return None
    holding = [c for c in doc.clauses if c.span and c.span[0] <= span[0] and span[1] <= c.span[1]]
    best = min(holding, key=lambda c: (c.span[1] - c.span[0], c.path), default=None)  # type: ignore[index]
    return ids.get(best.path) if best else None


def _tasks(b: _Builder, doc_id: str, doc: Document, clause_ids: dict[str, str]) -> None:
    seen: Counter[tuple[str, str]] = Counter()
    for task in doc.tasks:
        if not task.text.strip():
            continue
        content = (text_key(task.text), task.section or "")
        seen[content] += 1
        tid = b.node(
            Label.TASK,
            stable_id("task", doc_id, *content, seen[content]),
            _props(
                text=task.text.strip(),
                section=task.section,
                source=b.source,
                quote=task.quote,
                quote_start=task.quote_start,
            )
            | _span(task.span),
        )
        b.edge(Rel.HAS_TASK, doc_id, tid)
        # a task stands in the clause of its section (or the nearest enclosing one extracted);
        # a task-table row's section names table cells, so then the innermost clause holding it
        clause = clause_ids.get(task.section or "") or _holding(doc, task.span, clause_ids)
        if clause:
            b.edge(Rel.IN_CLAUSE, tid, clause)
        _roles(b, tid, task.lead, task.responsible)


def _targets(b: _Builder, doc_id: str, doc: Document) -> None:
    seen: Counter[tuple[Any, ...]] = Counter()
    for target in doc.targets:
        if not target.indicator.strip():
            continue
        ikey = indicator_key(target.indicator)
        content = (text_key(target.indicator), target.value, target.unit, target.target_year)
        seen[content] += 1
        tid = b.node(
            Label.TARGET,
            stable_id("target", doc_id, *content, seen[content]),
            _props(
                indicator=target.indicator.strip(),
                value=float(target.value) if target.value is not None else None,
                unit=target.unit,
                baseline=float(target.baseline) if target.baseline is not None else None,
                baseline_year=target.baseline_year,
                target_year=target.target_year,
                source=b.source,
                quote=target.quote,
                quote_start=target.quote_start,
            )
            | _span(target.span),
        )
        b.edge(Rel.HAS_TARGET, doc_id, tid)
        if ikey:
            iid = b.node(Label.INDICATOR, indicator_id(ikey), {Key.NAME: ikey})
            b.edge(Rel.MEASURES, tid, iid)
        _roles(b, tid, target.lead, target.responsible)


def _roles(b: _Builder, node_id: str, lead: list[str], responsible: list[str]) -> None:
    for name in lead:
        if name and name.strip():
            b.edge(Rel.LED_BY, node_id, b.agency(name))
    for name in responsible:
        if name and name.strip():
            b.edge(Rel.RESPONSIBILITY_OF, node_id, b.agency(name))


# -- merging contributions ------------------------------------------------------------------


def _stub_rank(props: dict[str, Any]) -> tuple[int, int, str]:
    # a titled stub before a 文号-only one; the longest title (it keeps the year range) first
    title = props.get(Key.TITLE) or ""
    return (0 if title else 1, -len(title), title)


def merge_nodes(label: str, contributions: list[dict[str, Any]]) -> dict[str, Any]:
    """The properties a node shows, from its contributions (ordered by source name).

    Document: an ingested (stub=False) contribution wins over stubs; among stubs the titled,
    longest title wins; `aliases` collects every other title seen; missing fields are filled
    from the other contributions. Other labels: the first contribution.
    """
    if label != Label.DOCUMENT or len(contributions) == 1:
        return dict(contributions[0])
    full = [c for c in contributions if not c.get(Key.STUB)]
    base = dict(full[0] if full else min(contributions, key=_stub_rank))
    for other in contributions:
        for k, v in other.items():
            if k not in base and k not in (Key.SOURCE, Key.SPAN_START, Key.SPAN_END):
                base[k] = v
    titles = {t for c in contributions for t in [c.get(Key.TITLE), *c.get(Key.ALIASES, [])] if t}
    titles.discard(base.get(Key.TITLE))
    if titles:
        base[Key.ALIASES] = sorted(titles)
    base[Key.STUB] = not full
    return base


def merge_edges(contributions: list[dict[str, Any]]) -> dict[str, Any]:
    """An edge shows its first contribution (ordered by source name)."""
    return dict(contributions[0])


def check_fragment(fragment: Fragment) -> None:
    """Raise ontology.SchemaViolation when the fragment uses a term the ontology lacks."""
    s = schema()
    labels = {n.id: n.label for n in fragment.nodes}
    for node in fragment.nodes:
        s.check_node(node.label, node.properties)
    for edge in fragment.edges:
        s.check_edge(edge.type, labels[edge.source], labels[edge.target], edge.properties)
