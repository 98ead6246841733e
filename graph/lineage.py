"""Breadth-first lineage walk, independent of any store.

`walk(root, neighbours, depth, sort_key)` visits every document reachable from `root` in at
most `depth` hops and answers one `Found` per document (the root excluded) with the shortest
path from the root. Ties are broken deterministically: neighbours are visited in `sort_key`
order (then by relation), so the same graph always yields the same paths.
Answers are ordered by (depth, sort_key(document)).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Found", "walk"]


@dataclass(frozen=True, slots=True)
class Found:
    node: str
    path: tuple[str, ...]  # root first, node last
    relations: tuple[str, ...]  # relation of each hop (len(path) - 1)


def walk(
    root: str,
    neighbours: Callable[[str], list[tuple[str, str]]],
    depth: int,
    sort_key: Callable[[str], Any],
) -> list[Found]:
    seen: dict[str, Found] = {root: Found(root, (root,), ())}
    frontier = [root]
    found: list[Found] = []
    for _ in range(depth):
        nxt: list[str] = []
        for node in frontier:
            here = seen[node]
            for other, rel in sorted(neighbours(node), key=lambda item: (sort_key(item[0]), item[1])):
                if other in seen:
                    continue
                seen[other] = Found(other, (*here.path, other), (*here.relations, rel))
                found.append(seen[other])
                nxt.append(other)
        if not nxt:
            break
        frontier = sorted(nxt, key=sort_key)
    return sorted(found, key=lambda f: (len(f.path), sort_key(f.node)))
