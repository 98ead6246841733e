"""Clause coverage, target cascades and status over time, from any store's answers.

Both stores answer `clauses`, `clause_links`, `statuses`, `document`, `implementations` and
`targets` identically, so what is built here from them is identical too (the REST API's
`/lineage/coverage`, `/targets/cascade` and the `as_of` filter of `/lineage/*`).

In force on a day D (`in_force`): it has taken effect (effective_from, else issued_on, is not
after D; unknown counts as in effect), it has not expired (valid_until, when stated, is not
before D) and no ingested document repealing it had taken effect by D (a repealing document
whose dates are unknown counts as in effect: it exists, so the repeal is known).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from policykg.graph import views as v
from policykg.graph.answers import LEVEL_RANK, target_sort
from policykg.graph.normalize import indicator_key
from policykg.graph.store import Store

__all__ = ["cascade", "coverage", "filter_lineage", "in_force"]

# a document implementing the root whose tasks are linked to the root's clauses (graph/plan.py)
IMPLEMENTS = ("based_on", "ensures_implementation_of")
ALL = 1 << 30  # "every target" for a paged store call


def in_force(status: v.DocumentStatus | None, day: date) -> bool:
    """See the module docstring; a document the store does not know is not in force."""
    if status is None:
        return False
    text = day.isoformat()
    start = status.effective_from or status.issued_on
    if start and start > text:
        return False
    if status.valid_until and status.valid_until < text:
        return False
    return not any(r is None or r <= text for r in status.repealed_on)


def _in_force(store: Store, doc_ids: Iterable[str], day: date | None) -> set[str]:
    ids = set(doc_ids)
    if day is None:
        return ids
    statuses = store.statuses(ids)
    return {d for d in ids if in_force(statuses.get(d), day)}


def filter_lineage(store: Store, result: v.LineageResult, day: date | None) -> v.LineageResult:
    """Only the entries whose document is in force on `day` (None: all of them)."""
    if day is None:
        return result
    kept = _in_force(store, (e.document.id for e in result.entries), day)
    return result.model_copy(update={"entries": [e for e in result.entries if e.document.id in kept]})


def _column_key(doc: v.DocumentRef) -> str:
    return doc.jurisdiction or doc.title or doc.id


def coverage(store: Store, doc_id: str, day: date | None = None) -> v.CoverageResult:
    """For each clause of the document, the tasks of its direct implementers (BASED_ON /
    ENSURES_IMPLEMENTATION_OF) linked to it, grouped by jurisdiction, and the gaps."""
    root = store.document(doc_id)
    implementers: dict[str, v.DocumentRef] = {}
    for cite in root.cited_by:
        if cite.relation in IMPLEMENTS and not cite.document.stub:
            implementers.setdefault(cite.document.id, cite.document)
    kept = _in_force(store, [*implementers, root.id], day)
    implementers = {d: ref for d, ref in implementers.items() if d in kept}
    columns: dict[str, v.CoverageColumn] = {}
    for ref in sorted(implementers.values(), key=lambda r: (r.title or "", r.id)):
        key = _column_key(ref)
        column = columns.setdefault(key, v.CoverageColumn(jurisdiction=key, level=ref.level, documents=[]))
        column.documents.append(ref)
    order = sorted(
        columns.values(), key=lambda c: (LEVEL_RANK.get(c.level or "", len(LEVEL_RANK)), c.jurisdiction)
    )
    links: dict[str, dict[str, list[v.ClauseLinkView]]] = {}
    for link in store.clause_links(doc_id):
        if link.task.document.id in implementers:
            cells = links.setdefault(link.clause, {})
            cells.setdefault(_column_key(implementers[link.task.document.id]), []).append(link)
    clauses = []
    for clause in store.clauses(doc_id):
        cells = links.get(clause.id, {})
        clauses.append(
            v.ClauseCoverage(
                clause=clause,
                cells=[
                    v.CoverageCell(jurisdiction=c.jurisdiction, tasks=cells[c.jurisdiction])
                    for c in order
                    if c.jurisdiction in cells
                ],
                gaps=[c.jurisdiction for c in order if c.jurisdiction not in cells],
            )
        )
    ref = v.DocumentRef(**root.model_dump(include=set(v.DocumentRef.model_fields)))
    return v.CoverageResult(
        root=ref,
        as_of=day.isoformat() if day else None,
        root_in_force=root.id in kept,
        jurisdictions=order,
        clauses=clauses,
    )


def cascade(store: Store, doc_id: str, day: date | None = None) -> v.CascadeResult:
    """Each of the document's indicators with the same indicator's targets in the documents
    that implement it (transitively), level by level."""
    root = store.document(doc_id)
    depth = {e.document.id: e.depth for e in store.implementations(doc_id, depth=10).entries}
    kept = _in_force(store, depth, day)
    depth = {d: n for d, n in depth.items() if d in kept}
    depth[root.id] = 0
    indicators: dict[str, list[v.CascadeEntry]] = {}
    for own in root.targets:
        key = indicator_key(own.indicator)
        if not key or key in indicators:
            continue
        found = [t for t in store.targets(indicator=own.indicator, limit=ALL) if t.document.id in depth]
        found.sort(key=lambda t: (depth[t.document.id] > 0, *target_sort(t)))
        indicators[key] = [
            v.CascadeEntry(depth=depth[t.document.id], level=t.document.level, target=t) for t in found
        ]
    ref = v.DocumentRef(**root.model_dump(include=set(v.DocumentRef.model_fields)))
    return v.CascadeResult(
        root=ref,
        as_of=day.isoformat() if day else None,
        indicators=[v.CascadeIndicator(indicator=k, entries=e) for k, e in indicators.items()],
    )
