"""The graph plan: how one source's record becomes a change to a store's graph, store-neutral.

A record reaches the graph in three steps, the first two here and in graph/model.py, computed
the same way for both stores; only the third is store-specific:

1. `model.build_fragment(record)`: the nodes and edges the record contributes by itself (ids
   from content, provenance on every fact). A pure function of the record.
2. `plan_change(state, source, fragment)`: what that contribution becomes in a store that holds
   other sources. A citation that carries only a 文号 (or a stub that carries one) lands on the
   node that 文号 stands for (resolve.NumberIndex): the ingested document, else the best stub.
   A new document with a 文号 therefore *absorbs* the stubs other sources made for it, and a
   source whose document leaves hands them back: every other source whose 文号 reference now
   lands elsewhere is re-placed from its record. The answer is a `Change`:

       retract     sources whose current contributions leave first (the source itself when it
                   was stored, then the re-placed ones)
       placements  source → Placement: the nodes (id → label, properties) and edges
                   ((source id, target id, type) → labels, properties) it contributes now,
                   ids after 文号 resolution
       entries     the 文号 entries the source's documents now carry (its share of the index)

3. The store applies the Change: drops each retracted source's contributions, adds each
   placement as that source's contribution, and shows every node as
   `model.merge_nodes(label, contributions ordered by source)` (an edge: its first
   contribution). A node or edge left with no contribution disappears, which is how a stub
   survives exactly while anything still cites it.

Clause links (issue 13). A task of document B that carries out a clause of document A is a
CARRIES_OUT edge, made when B has a BASED_ON / ENSURES_IMPLEMENTATION_OF edge to A and A's
ingested record has clauses. The link is B's source's contribution (with a copy of the clause
node it points to, as a citation contributes its stub), computed by `link_placement` from B's
placement and A's fragment with ingest/clause_links.py. So whichever of A and B arrives first,
the links exist once both are stored: when a source's documents with clauses change (arrive,
change, leave), every stored source citing them that way is re-placed too (`Change.redo`).

`PlanState` is what the planner asks of a store: its NumberIndex, which sources it holds, the
文号 keys a stored source carries, and the fragments of stored sources (rebuilt from their
records); for clause links, which sources hold a document as ingested, which sources cite a
document as BASED_ON / ENSURES_IMPLEMENTATION_OF and which documents a source gave clauses.
A store that keeps only part of its index in memory (Neo4jStore reads it from the database as
needed) loads the keys `need_numbers` names before they are consulted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from policykg.graph.model import Fragment
from policykg.graph.ontology import Key, Label, Rel
from policykg.graph.resolve import NumberIndex

__all__ = [
    "LINK_TYPES",
    "Change",
    "EdgeKey",
    "LinkState",
    "NumberEntry",
    "Placement",
    "PlanState",
    "number_entries",
    "place",
    "plan_change",
]

EdgeKey = tuple[str, str, str]  # (source node id, target node id, relationship type)
# a document whose tasks are linked to the clauses of the document it has one of these edges to
LINK_TYPES: frozenset[str] = frozenset({Rel.BASED_ON, Rel.ENSURES_IMPLEMENTATION_OF})


class NumberEntry(NamedTuple):
    """One document reference carrying a 文号, as the NumberIndex keeps it."""

    number: str  # the 文号 key (normalize.doc_number_key)
    doc_id: str  # the node the reference names by itself (before 文号 resolution)
    full: bool  # an ingested document (not a stub)
    titled: bool  # it has a title key


@dataclass(slots=True)
class Placement:
    """What one source contributes once its 文号 references are resolved. Nodes in the order
    they first appear in the fragment; when two references land on one node, the last one's
    properties are the source's contribution (likewise for edges)."""

    nodes: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # id → (label, props)
    edges: dict[EdgeKey, tuple[tuple[str, str], dict[str, Any]]] = field(default_factory=dict)

    @property
    def size(self) -> tuple[int, int]:
        return len(self.nodes), len(self.edges)


@dataclass(slots=True)
class Change:
    """The graph change one source's new fragment (or its removal) makes; see the module
    docstring. `placements` has the source first (unless it is removed), then `redo` in order."""

    source: str
    fragment: Fragment | None
    entries: list[NumberEntry]
    redo: list[str]
    retract: list[str]
    placements: dict[str, Placement]


class LinkState(Protocol):
    """What link_placement reads from a store."""

    def fragment_for_links(self, source: str) -> Fragment:
        """A stored source's fragment, only read (its clauses are linked to); may be cached."""
        ...

    def clause_sources(self, doc_ids: set[str]) -> dict[str, set[str]]:
        """For each of these Document ids, the stored sources that contribute HAS_CLAUSE edges
        from it (the sources holding its text with clauses; none for most documents)."""
        ...


class PlanState(LinkState, Protocol):
    """What plan_change reads from (and updates in) a store."""

    index: NumberIndex

    def numbers_of(self, source: str) -> set[str]:
        """The 文号 keys the stored `source` contributed to the index (empty when not stored)."""
        ...

    def stored(self, sources: Iterable[str]) -> set[str]:
        """Those of `sources` the store holds."""
        ...

    def need_numbers(self, numbers: set[str]) -> None:
        """Make `index` hold every stored source's entries for these 文号 keys."""
        ...

    def fragments_of(self, sources: list[str]) -> dict[str, Fragment]:
        """The fragments of stored sources, rebuilt from their records (raises StoreError when
        a record cannot be read; the caller then discards the index it changed)."""
        ...

    def citing_sources(self, doc_ids: set[str]) -> set[str]:
        """The stored sources that contribute a LINK_TYPES edge into one of these Documents."""
        ...

    def clause_documents_of(self, source: str) -> set[str]:
        """The Documents the stored `source` contributes HAS_CLAUSE edges from."""
        ...


def number_entries(fragment: Fragment | None) -> list[NumberEntry]:
    """The 文号 entries a fragment's documents add to the NumberIndex."""
    if fragment is None:
        return []
    return [
        NumberEntry(
            node.properties[Key.DOC_NUMBER_KEY],
            node.id,
            not node.properties.get(Key.STUB),
            bool(node.properties.get(Key.TITLE_KEY)),
        )
        for node in fragment.nodes
        if node.label == Label.DOCUMENT and node.properties.get(Key.DOC_NUMBER_KEY)
    ]


def place(fragment: Fragment, index: NumberIndex) -> Placement:
    """Where a fragment's nodes and edges land given the index: each Document reference on the
    node its 文号 stands for (ingested documents keep their own id); an edge whose ends meet
    on one node is dropped."""
    remap: dict[str, str] = {}
    for node in fragment.nodes:
        if node.label == Label.DOCUMENT:
            full = not node.properties.get(Key.STUB)
            landed = index.remap(node.id, node.properties.get(Key.DOC_NUMBER_KEY), full)
            if landed != node.id:
                remap[node.id] = landed
    placement = Placement()
    for node in fragment.nodes:
        node_id = remap.get(node.id, node.id)
        props = node.properties if node_id == node.id else node.properties | {Key.ID: node_id}
        placement.nodes[node_id] = (node.label, props)
    for edge in fragment.edges:
        key = (remap.get(edge.source, edge.source), remap.get(edge.target, edge.target), edge.type)
        if key[0] != key[1]:
            labels = (placement.nodes[key[0]][0], placement.nodes[key[1]][0])
            placement.edges[key] = (labels, edge.properties)
    return placement


def plan_change(state: PlanState, source: str, fragment: Fragment | None) -> Change:
    """The change `source`'s new fragment makes (None: the source is removed). Updates
    state.index to the source's new entries; the store applies the rest."""
    index = state.index
    was_stored = bool(state.stored([source]))
    entries = number_entries(fragment)
    numbers = state.numbers_of(source) | {e.number for e in entries}
    state.need_numbers(numbers)
    before = {n: index.canonical(n) for n in numbers}
    users = {s for n in numbers for s in index.sources(n)}
    index.remove_source(source)
    for e in entries:
        index.add(source, e.number, e.doc_id, full=e.full, titled=e.titled)
    # only when a 文号 now stands for another node do the sources referencing it move
    changed = {n for n in numbers if index.canonical(n) != before[n]}
    redo: list[str] = []
    if changed:
        users |= {s for n in changed for s in index.sources(n)}
        redo = sorted(state.stored(users - {source}))
    # documents whose clauses this change may alter: their citers' links are made again
    clause_docs = state.clause_documents_of(source) if was_stored else set()
    if fragment is not None:
        clause_docs |= {e.source for e in fragment.edges if e.type == Rel.HAS_CLAUSE}
    if clause_docs:
        citers = state.citing_sources(clause_docs) - {source} - set(redo)
        redo += sorted(state.stored(citers))
    fragments = state.fragments_of(redo) if redo else {}
    # a re-placed source may carry other 文号 too: know where those land now
    state.need_numbers({e.number for f in fragments.values() for e in number_entries(f)})
    order = ([source] if fragment is not None else []) + redo
    if fragment is not None:
        fragments[source] = fragment
    placements = {name: place(fragments[name], index) for name in order}
    replaced = set(order) | {source}
    fresh = clause_holders(fragments)  # once per change, not once per re-placed source
    for name in order:
        link_placement(state, name, placements[name], fragments, replaced, fresh)
    return Change(
        source=source,
        fragment=fragment,
        entries=entries,
        redo=redo,
        retract=([source] if was_stored else []) + redo,
        placements=placements,
    )


def _clauses_of(doc_id: str, fragments: list[Fragment]) -> dict[str, dict[str, Any]]:
    """The clause nodes (id → properties) of a document in these fragments; the first
    fragment's copy of a clause wins (fragments in source order, as nodes merge)."""
    found: dict[str, dict[str, Any]] = {}
    for fragment in fragments:
        ids = {e.target for e in fragment.edges if e.type == Rel.HAS_CLAUSE and e.source == doc_id}
        for node in fragment.nodes:
            if node.id in ids and node.id not in found:
                found[node.id] = node.properties
    return found


def clause_holders(fragments: dict[str, Fragment]) -> dict[str, set[str]]:
    """Which of these sources hold each document's clauses (its HAS_CLAUSE edges)."""
    found: dict[str, set[str]] = {}
    for name, fragment in fragments.items():
        for e in fragment.edges:
            if e.type == Rel.HAS_CLAUSE:
                found.setdefault(e.source, set()).add(name)
    return found


def link_placement(
    state: LinkState,
    name: str,
    placement: Placement,
    fragments: dict[str, Fragment],
    changed: set[str],
    fresh: dict[str, set[str]] | None = None,
) -> None:
    """Add to `name`'s placement the CARRIES_OUT links of its tasks to the clauses of the
    documents its documents implement or are based on (LINK_TYPES), with a copy of each clause
    node linked to. `fragments`: this change's (re)placed sources, whose new fragments count
    instead of what the store holds (`changed`: those sources, the removed one included);
    `fresh`: clause_holders(fragments), when the caller has it."""
    pairs = sorted({(u, w) for (u, w, rel) in placement.edges if rel in LINK_TYPES})
    if not pairs:
        return
    from policykg.ingest.clause_links import ClauseText, TaskText, link_tasks

    tasks_of: dict[str, list[str]] = {}
    clause_of: dict[str, str] = {}  # task → the clause of its own document it stands in
    parent_of: dict[str, str] = {}  # clause → the clause it is part of
    for u, w, rel in placement.edges:
        if rel == Rel.HAS_TASK:
            tasks_of.setdefault(u, []).append(w)
        elif rel == Rel.IN_CLAUSE:
            clause_of[u] = w
        elif rel == Rel.PART_OF_CLAUSE:
            parent_of[u] = w
    pairs = [(doc, parent) for doc, parent in pairs if tasks_of.get(doc)]
    if not pairs:
        return
    # the sources holding each parent's clauses: cheap to ask, and empty for most parents, so
    # no record is read for a parent without clauses
    holders = state.clause_sources({parent for _, parent in pairs})
    fresh = clause_holders(fragments) if fresh is None else fresh
    for doc, parent in pairs:
        sources = (holders.get(parent, set()) - changed) | fresh.get(parent, set())
        if not sources:
            continue
        held = [fragments[s] if s in fragments else state.fragment_for_links(s) for s in sorted(sources)]
        clauses = _clauses_of(parent, held)
        if not clauses:
            continue
        titles = _titles_of(parent, held)
        links = link_tasks(
            [
                ClauseText(
                    key=cid, path=p[Key.PATH], heading=p.get(Key.HEADING, ""), text=p.get(Key.TEXT, "")
                )
                for cid, p in clauses.items()
            ],
            [
                TaskText(
                    key=t,
                    text=placement.nodes[t][1].get(Key.TEXT, ""),
                    context=_context(placement, clause_of.get(t), parent_of),
                )
                for t in tasks_of[doc]
            ],
            titles=titles,
        )
        for link in links:
            if (link.task, link.clause, Rel.CARRIES_OUT) in placement.edges:
                continue  # the better link first (the linker answers best first per task)
            placement.nodes.setdefault(link.clause, (Label.CLAUSE, clauses[link.clause]))
            placement.edges[(link.task, link.clause, Rel.CARRIES_OUT)] = (
                (Label.TASK, Label.CLAUSE),
                {
                    Key.SCORE: float(link.score),
                    Key.EVIDENCE: link.evidence,
                    Key.QUOTE: link.quote,
                    Key.SOURCE: name,
                },
            )


def _context(placement: Placement, clause: str | None, parent_of: dict[str, str]) -> str:
    """The headings of the provisions a task stands in, outermost first (the linker's context:
    a task under 加强知识产权保护 is about protection even when its own words do not say so)."""
    headings: list[str] = []
    seen: set[str] = set()
    while clause is not None and clause not in seen:
        seen.add(clause)
        node = placement.nodes.get(clause)
        if node is not None and node[1].get(Key.HEADING):
            headings.append(node[1][Key.HEADING])
        clause = parent_of.get(clause)
    return " ".join(reversed(headings))


def _titles_of(doc_id: str, fragments: list[Fragment]) -> list[str]:
    """The parent's title and aliases, so the linker tells its references from other documents'."""
    titles: list[str] = []
    for fragment in fragments:
        for node in fragment.nodes:
            if node.id == doc_id:
                titles += [
                    t for t in [node.properties.get(Key.TITLE), *node.properties.get(Key.ALIASES, [])] if t
                ]
    return sorted(set(titles))
