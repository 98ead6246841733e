"""Administrative areas (ingest/data/places.tsv) and how names map onto them.

`table()` is the hierarchy 中国 ⊃ provinces ⊃ prefecture-level divisions ⊃ counties. `prefix_of(name)` finds
the jurisdiction an agency name or title starts with (遵义市市场监督管理局 → 遵义市), using
the full names first and then unambiguous short names (遵义高新区管委会 → 遵义市); names of
national bodies (国家…, 国务院…, 中共中央…) map to 中国.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["NATIONAL", "Jurisdiction", "JurisdictionTable", "load_table", "table"]

# one table for extraction and graph alike (ingest is the lower layer)
DATA = Path(__file__).resolve().parents[1] / "ingest" / "data" / "places.tsv"
NATIONAL = "中国"

# Name starts that mark a national body or national document (after an optional 中共).
_NATIONAL_STARTS = (
    "中华人民共和国",
    "中央",
    "国务院",
    "国家",
    "全国",
    "最高人民",
    "中国",
    "党中央",
    "中共中央",
)
# Ministries are named without a jurisdiction prefix: 财政部, 教育部, 工业和信息化部 ...
_MINISTRY_ENDS = ("部", "部办公厅", "总局", "总署")


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    name: str
    level: str
    parent: str | None
    short_names: tuple[str, ...] = ()
    code: str = ""  # GB/T 2260


class JurisdictionTable:
    def __init__(self, rows: list[Jurisdiction]):
        self.by_name: dict[str, Jurisdiction] = {row.name: row for row in rows}
        shorts: dict[str, list[str]] = {}
        for row in rows:
            for short in row.short_names:
                shorts.setdefault(short, []).append(row.name)
        # a short name two areas share (吉林省/吉林市) names neither
        self.by_short = {short: names[0] for short, names in shorts.items() if len(names) == 1}
        # full names, and a county written with its province (贵州省仁怀市, 贵州省遵义市红花岗区)
        self._full: dict[str, str] = {name: name for name in self.by_name if name != NATIONAL}
        for row in rows:
            province = self._province(row)
            if row.level == "county" and province is not None and row.parent != province.name:
                self._full.setdefault(province.name + row.name, row.name)
        self._full_lengths = sorted({len(name) for name in self._full}, reverse=True)
        # a county's short name without its suffix (公安 for 荆州市公安县, 东方 for 东方市) is an
        # ordinary word at the start of a name (公安厅…): only its bare name (红花岗区) is matched
        self._short_sorted = sorted(
            (
                short
                for short, name in self.by_short.items()
                if self.by_name[name].level != "county" or name.endswith(short)
            ),
            key=len,
            reverse=True,
        )
        # one dict lookup per short-name length instead of a startswith over every short name
        # (at most one short name of a given length can start a text)
        self._short_set = frozenset(self._short_sorted)
        self._short_lengths = sorted({len(short) for short in self._short_sorted}, reverse=True)
        # names repeat across documents (every 市市场监管局 of a city): remember each answer
        self._prefix_cache: dict[str, Jurisdiction | None] = {}

    def get(self, name: str | None) -> Jurisdiction | None:
        if not name:
            return None
        name = unicodedata.normalize("NFKC", name).strip()
        return (
            self.by_name.get(name)
            or self.by_name.get(self.by_short.get(name, ""))
            or self.by_name.get(self._full.get(name, ""))
        )

    def _province(self, row: Jurisdiction | None) -> Jurisdiction | None:
        for _ in range(5):  # county → city → province at most
            if row is None or row.level == "provincial":
                return row
            row = self.by_name.get(row.parent or "")
        return None

    def ancestors(self, name: str) -> list[Jurisdiction]:
        """The area itself first, then each area above it up to 中国."""
        chain: list[Jurisdiction] = []
        row = self.get(name)
        while row is not None and row not in chain:
            chain.append(row)
            row = self.get(row.parent)
        return chain

    def descendants(self, name: str) -> set[str]:
        """Names of the area and every area below it."""
        found = {name}
        changed = True
        while changed:
            changed = False
            for row in self.by_name.values():
                if row.parent in found and row.name not in found:
                    found.add(row.name)
                    changed = True
        return found

    def prefix_of(self, name: str | None) -> Jurisdiction | None:
        """The jurisdiction a name (agency, title prefix) starts with, or None when unknown."""
        if not name:
            return None
        if name not in self._prefix_cache:
            if len(self._prefix_cache) > 100_000:
                self._prefix_cache.clear()
            self._prefix_cache[name] = self._prefix_of(name)
        return self._prefix_cache[name]

    def _prefix_of(self, name: str) -> Jurisdiction | None:
        text = unicodedata.normalize("NFKC", name).strip()
        if text.startswith("中共") and not text.startswith("中共中央"):
            text = text[2:]
        for length in self._full_lengths:  # a dict lookup per length, not a scan of 3,000 names
            full = self._full.get(text[:length])
            if full is not None:
                return self.by_name[full]
        if text.startswith(_NATIONAL_STARTS) or (text.endswith(_MINISTRY_ENDS) and len(text) <= 12):
            return self.by_name.get(NATIONAL)
        for length in self._short_lengths:  # longest first, as _short_sorted orders them
            short = text[:length]
            if len(short) == length and short in self._short_set and short not in _NATIONAL_STARTS:
                return self.by_name[self.by_short[short]]
        return None


def load_table(path: Path = DATA) -> JurisdictionTable:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [*line.split("\t"), "", "", "", ""][:5]
        name, level, parent, shorts, code = (cell.strip() for cell in cells)
        rows.append(
            Jurisdiction(
                name=name,
                level=level,
                parent=parent or None,
                short_names=tuple(s for s in shorts.split(",") if s),
                code=code,
            )
        )
    return JurisdictionTable(rows)


@lru_cache(maxsize=1)
def table() -> JurisdictionTable:
    return load_table()
