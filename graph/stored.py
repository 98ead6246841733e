"""What Neo4j stores for the graph plan, shared by the incremental writer (graph/neo4j_store.py)
and the bulk plan (graph/bulk.py), so both write the same rows:

    Prepared             records with what is built before a write: each one's fragment
                         (checked against the ontology) and the record JSON its _Source keeps
    shown(merged, c)     a node's or relationship's properties as stored: merged from every
                         source's contribution, with the `_src` / `_contrib` bookkeeping that
                         gives each contribution back when a source is replaced
    Parsed               contributions in source order for model.merge_nodes / merge_edges,
                         each parsed from its JSON only when read
    contributions_of     the contributions a stored node or relationship holds (as read back)
    joined_title_keys    a Document's title keys as its TITLE_KEYS bookkeeping string
    source_row           a _Source node's properties: what a file placed, under which 文号
                         (SOURCE_COLUMNS: each one's type, for the bulk CSV header)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from policykg.graph import views as v
from policykg.graph.model import Fragment, build_fragment, check_fragment
from policykg.graph.resolve import title_keys
from policykg.graph.schema import TITLE_KEYS_SEP

from policykg.records import ExtractionRecord

# one source's contribution to a node or edge: its properties, or their JSON text as read from
# `_contrib` (parsed only when a merge reads it: a shared node gathers one per source)
Contribution = dict[str, Any] | str

LINK_CACHE = 64  # fragments of linked-to sources kept (a national outline is linked to often)

# a _Source node's properties and their types (the bulk importer's column types): source_row's,
# and the file's own (its record, hash and counts) once it has been ingested
SOURCE_COLUMNS = {
    "content_hash": "string",
    "edges": "long",
    "nodes": "long",
    "number_keys": "string[]",
    "numbers": "string",
    "placed": "string",
    "record": "string",
}


def source_row(numbers: list[list[Any]], nodes: list[list[str]], edges: list[list[str]]) -> dict[str, Any]:
    """What a _Source node keeps of where its file landed: its 文号 entries (number_entries,
    as lists), their keys, and the nodes ([label, id]) and edges ([src, dst, type, src label,
    dst label]) it placed, read back when the file is replaced or placed again."""
    return {
        "numbers": json.dumps(numbers, ensure_ascii=False),
        "number_keys": sorted({n[0] for n in numbers}),
        "placed": json.dumps({"nodes": nodes, "edges": edges}, ensure_ascii=False),
    }


@dataclass
class Prepared:
    """A chunk of records and what was computed for it before its transaction."""

    records: list[ExtractionRecord]
    digests: list[str]
    built: dict[int, tuple[Fragment, str]] = field(default_factory=dict)  # fragment, record JSON
    unchanged: list[v.IngestReport] | None = None  # every record unchanged: nothing to write

    def part(self, start: int, end: int) -> Prepared:
        """Records start..end of the chunk, with what was built for them."""
        built = {i - start: found for i, found in self.built.items() if start <= i < end}
        return Prepared(self.records[start:end], self.digests[start:end], built)

    def build(self, i: int) -> tuple[Fragment, str]:
        record = self.records[i]
        fragment = build_fragment(record)
        check_fragment(fragment)
        text = json.dumps(record.to_dict() | {"content_hash": self.digests[i]}, ensure_ascii=False)
        self.built[i] = fragment, text
        return fragment, text


class Parsed(Sequence[dict[str, Any]]):
    """Contributions in source order for merge_nodes/merge_edges, each parsed from its JSON
    only when read: for most labels the merge reads the first alone."""

    def __init__(self, contributions: dict[str, Contribution], order: list[str]):
        self.contributions = contributions
        self.order = order

    def __len__(self) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        found = self.contributions[self.order[index]]
        return json.loads(found) if isinstance(found, str) else found


def contributions_of(
    src: list[str] | None, contrib: list[str] | None, props: dict[str, Any] | None
) -> dict[str, Contribution]:
    if contrib is None:  # a single contribution, stored as the properties themselves
        return {src[0]: {k: val for k, val in (props or {}).items() if not k.startswith("_")}} if src else {}
    return dict(zip(src or [], contrib, strict=True))


def shown(merged: dict[str, Any], contributions: dict[str, Contribution]) -> dict[str, Any]:
    """What a node or relationship stores: its merged properties and the bookkeeping that
    gives back each source's contribution (`_contrib` only when there are several)."""
    order = sorted(contributions)
    merged["_src"] = order
    if len(order) > 1:
        texts = []
        for name in order:
            found = contributions[name]
            if not isinstance(found, str):
                # kept as text from now on: dumped once, not at every later transaction
                found = contributions[name] = dump(found)
            texts.append(found)
        merged["_contrib"] = texts
    return merged


def dump(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, sort_keys=True)


def joined_title_keys(props: dict[str, Any]) -> str:
    """A Document's title keys as its TITLE_KEYS bookkeeping string (graph/schema.py)."""
    return TITLE_KEYS_SEP + TITLE_KEYS_SEP.join(sorted(title_keys(props))) + TITLE_KEYS_SEP
