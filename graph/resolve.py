"""Which Document node a title or 文号 names.

A title resolves through its normalized key (graph/normalize.py) and the alias table
graph/data/title_aliases.tsv (专利法 → 中华人民共和国专利法). A document's id is computed from
that key, so a citation and the document it cites meet on one node whatever the order they
are ingested in.

文号: a citation often carries a 文号, sometimes only a 文号. `NumberIndex` keeps, per store,
which documents carry which 文号 and answers which node a 文号 stands for:
  * exactly one ingested (non-stub) document has it → that document;
  * no ingested document has it → the titled stub with the smallest id, else the 文号-only stub;
  * two ingested documents share it → none (each citation keeps its own node).
The answer depends only on the set of documents known, never on ingest order.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from policykg.graph.normalize import clean_title, doc_number_key, text_key, title_key
from policykg.graph.ontology import Key

__all__ = [
    "AliasTable",
    "NumberIndex",
    "TitleIndex",
    "aliases",
    "closest",
    "document_id",
    "resolve_title",
    "stable_id",
    "title_keys",
]

DATA = Path(__file__).resolve().parent / "data" / "title_aliases.tsv"


_ID_DIGITS = 16  # hex digits of a stable id


def stable_id(prefix: str, *parts: object) -> str:
    """'prefix:' + 16 hex digits of sha256 over the parts: the same content, the same id."""
    digest = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return f"{prefix}:{digest.hexdigest()[:_ID_DIGITS]}"


def stable_id_pattern(prefix: str) -> re.Pattern[str]:
    """What every stable_id(prefix, …) matches in full."""
    return re.compile(f"{re.escape(prefix)}:[0-9a-f]{{{_ID_DIGITS}}}")


@dataclass(frozen=True)
class AliasTable:
    # title key of a short name → (full title, title key of the full title)
    by_key: dict[str, tuple[str, str]]

    def canonical(self, title: str) -> tuple[str | None, str]:
        """(full title from the table or None, the key the title resolves to)."""
        key = title_key(title)
        hit = self.by_key.get(key)
        if hit is None:
            return None, key
        return hit


def load_aliases(path: Path = DATA) -> AliasTable:
    by_key: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, _, full = line.partition("\t")
        full = full.strip()
        if not full:
            continue
        full_key = title_key(full)
        by_key[title_key(short)] = (full, full_key)
        by_key.setdefault(full_key, (full, full_key))
    return AliasTable(by_key)


@lru_cache(maxsize=1)
def aliases() -> AliasTable:
    return load_aliases()


def resolve_title(title: str) -> tuple[str, str]:
    """(title to display, key) for a title as written: the alias table's full title when it
    knows the title, else the title without 《》 and 印发…通知 wrapper."""
    full, key = aliases().canonical(title)
    return (full or clean_title(title)), key


def document_id(key: str | None, number_key: str | None, fallback: str | None = None) -> str:
    """A Document id from its title key, else its 文号 key, else `fallback` (source + position)."""
    if key:
        return stable_id("doc", "title", key)
    if number_key:
        return stable_id("doc", "number", number_key)
    return stable_id("doc", "source", fallback)


# Postings read per query: 知识/产权 are in almost every title, so counting every bigram of a
# query would touch the whole table; the rarer bigrams, read first, find the candidates.
_BUDGET = 50_000
_CANDIDATES = 200  # titles ranked by similarity after the bigram count picked them


def _bigrams(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(len(key) - 1)}


class TitleIndex:
    """A prepared title table for "did you mean": titles by normalized key, and an inverted
    index from character bigrams to keys, so the closest titles to a query are found in time
    bounded by the rare bigrams' postings, not by the number of titles.

    Ranking: the titles sharing the most distinct bigrams with the query (the rarest bigrams
    counted first, within a budget) are the candidates; among them difflib's ratio >= 0.3 ranks
    first (best first, then by bigrams shared, then by key), then keys containing the query,
    then the bigrams shared. Keys are compared as title keys (no year range, no wrapper).
    Both stores build one from (title, document id) pairs and answer 404s from it."""

    def __init__(self, titles: Iterable[tuple[str, str]] = ()):
        # the first pair seen for a key wins: callers give pairs sorted (title, then id)
        self.by_key: dict[str, tuple[str, str]] = {}
        for title, doc_id in titles:
            self.by_key.setdefault(text_key(title), (title, doc_id))
        self.keys = sorted(self.by_key)
        # compared by title key: 纲要 and 纲要(2021-2035年) are the same words to a reader
        self.match = [title_key(self.by_key[k][0]) or k for k in self.keys]
        postings: dict[str, list[int]] = {}
        for i, key in enumerate(self.match):
            for pair in _bigrams(key):
                postings.setdefault(pair, []).append(i)
        self.postings = {pair: array("i", ids) for pair, ids in postings.items()}

    def __len__(self) -> int:
        return len(self.keys)

    def closest(self, query: str, n: int = 5) -> list[tuple[str, str]]:
        """Up to n (title, document id), best first (see the class docstring)."""
        needle = title_key(query) or text_key(query)
        pairs = _bigrams(needle)
        # rarest bigrams first, until the budget of postings read is spent (at least one list)
        lists = sorted((ids for p in sorted(pairs) if (ids := self.postings.get(p))), key=len)
        shared: Counter[int] = Counter()
        budget = _BUDGET
        for ids in lists:
            if budget <= 0:
                break
            shared.update(ids[:budget])
            budget -= len(ids)
        picked = [i for i, _ in shared.most_common(_CANDIDATES)]
        scored = []
        for i in picked:
            matcher = difflib.SequenceMatcher(None, needle, self.match[i])
            if matcher.real_quick_ratio() >= 0.3 and matcher.quick_ratio() >= 0.3:
                ratio = matcher.ratio()
                if ratio >= 0.3:
                    scored.append((-ratio, -shared[i], i))
        hits = [i for _, _, i in sorted(scored)][:n]
        if len(hits) < n:
            hits += [i for i in picked if needle in self.match[i] and i not in hits][: n - len(hits)]
        if len(hits) < n:
            hits += [i for i in picked if i not in hits][: n - len(hits)]
        return [self.by_key[self.keys[i]] for i in hits]


def closest(query: str, titles: Iterable[str], n: int = 5) -> list[str]:
    """Up to n titles closest to the query, best first (TitleIndex over these titles)."""
    return [title for title, _ in TitleIndex((t, t) for t in sorted(titles)).closest(query, n)]


def title_keys(props: dict[str, Any]) -> set[str]:
    """The title keys a Document answers to: its own and each alias's (exact title lookup)."""
    keys = {title_key(t) for t in props.get(Key.ALIASES) or []}
    if props.get(Key.TITLE_KEY):
        keys.add(props[Key.TITLE_KEY])
    return keys


@dataclass
class _Entry:
    doc_id: str
    full: bool
    titled: bool


@dataclass
class NumberIndex:
    """文号 key → which documents carry it, contributed by which source."""

    _by_number: dict[str, dict[tuple[str, str], _Entry]] = field(default_factory=dict)
    # the keys each source added: forgetting a source must not scan every 文号 (quadratic ingest)
    _of_source: dict[str, set[str]] = field(default_factory=dict)

    def add(self, source: str, number_key: str, doc_id: str, full: bool, titled: bool) -> None:
        self._by_number.setdefault(number_key, {})[(source, doc_id)] = _Entry(doc_id, full, titled)
        self._of_source.setdefault(source, set()).add(number_key)

    def remove_source(self, source: str) -> set[str]:
        """Forget what `source` contributed; answers the 文号 keys it touched."""
        touched = self._of_source.pop(source, set())
        for number in touched:
            entries = self._by_number[number]
            for key in [k for k in entries if k[0] == source]:
                del entries[key]
            if not entries:
                del self._by_number[number]
        return touched

    def canonical(self, number_key: str) -> str | None:
        entries = self._by_number.get(number_key, {}).values()
        full = sorted({e.doc_id for e in entries if e.full})
        if len(full) == 1:
            return full[0]
        if full:
            return None
        titled = sorted({e.doc_id for e in entries if e.titled})
        if titled:
            return titled[0]
        untitled = sorted({e.doc_id for e in entries})
        return untitled[0] if untitled else None

    def landing(self) -> set[str]:
        """The Documents some reference with another id lands on (a stub absorbed by the
        document its 文号 stands for, or by a titled stub)."""
        found = set()
        for number, entries in self._by_number.items():
            canonical = self.canonical(number)
            if canonical is not None and any(e.doc_id != canonical for e in entries.values()):
                found.add(canonical)
        return found

    def sources(self, number_key: str) -> set[str]:
        return {source for source, _ in self._by_number.get(number_key, {})}

    def remap(self, doc_id: str, number_key: str | None, full: bool) -> str:
        """The node a document reference lands on (ingested documents keep their own id)."""
        if full or not number_key:
            return doc_id
        return self.canonical(number_key) or doc_id


def number_key_or_none(number: str | None) -> str | None:
    return doc_number_key(number) if number and number.strip() else None
