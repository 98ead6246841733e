"""Places: the administrative divisions a document or an agency can belong to.

Data: ingest/data/places.tsv (provinces and prefecture-level divisions, editable). Counties
and districts are recognised by their suffix (县, 区, 旗, 县级市 are not listed one by one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from policykg.ingest.text import CJK

LEVEL_RANK = {"national": 0, "provincial": 1, "municipal": 2, "county": 3}


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    level: str  # national | provincial | municipal | county
    parent: str | None
    short: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    by_name: dict[str, Place]
    by_short: dict[str, Place]
    # every full and short name, longest first, for prefix matching
    prefix_re: re.Pattern[str]

    def get(self, name: str | None) -> Place | None:
        if not name:
            return None
        return self.by_name.get(name) or self.by_short.get(name)

    def chain(self, name: str) -> list[Place]:
        """The place and its ancestors: 遵义市 → [遵义市, 贵州省, 中国]."""
        out: list[Place] = []
        place = self.get(name)
        while place is not None and place not in out:
            out.append(place)
            place = self.by_name.get(place.parent) if place.parent else None
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    text = resources.files("policykg.ingest").joinpath("data/places.tsv").read_text(encoding="utf-8")
    by_name: dict[str, Place] = {}
    by_short: dict[str, Place] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, level, parent, short = [*line.split("\t"), "", "", ""][:4]
        place = Place(name, level, parent or None, tuple(s for s in short.split(",") if s))
        by_name[name] = place
        for s in place.short:
            # a province keeps its short name when a city shares it (吉林省 / 吉林市)
            if s not in by_short or LEVEL_RANK[level] < LEVEL_RANK[by_short[s].level]:
                by_short[s] = place
    names = sorted({*by_name, *by_short} - {"全国", "国家", "我国"}, key=len, reverse=True)
    prefix_re = re.compile("|".join(map(re.escape, names)))
    return Gazetteer(by_name, by_short, prefix_re)


# A county-level name written out: 红花岗区, 余杭区, 桐乡市 (county-level cities are not listed).
COUNTY_RE = re.compile(rf"[{CJK}]{{1,5}}?(?:自治县|县|区|旗)")
GENERIC_PLACE_RE = re.compile(rf"^([{CJK}]{{2,6}}?)(省|市|自治州|自治区|州|盟|县|区)")


def place_prefix(text: str) -> Place | None:
    """The place a name starts with, by its full name (江苏省…, 遵义市…) or, failing that,
    a generic place shape (XX市, XX县). Short names alone (江苏…) are not trusted here."""
    gaz = gazetteer()
    m = gaz.prefix_re.match(text)
    if m and m.group(0) in gaz.by_name:
        return gaz.by_name[m.group(0)]
    if m and m.group(0) in gaz.by_short:
        place = gaz.by_short[m.group(0)]
        rest = text[m.end() :]
        # 苏州市… / 江苏省… written with the suffix of the listed place
        if place.name.startswith(m.group(0)) and rest.startswith(place.name[len(m.group(0)) :]):
            return place
    m = GENERIC_PLACE_RE.match(text)
    if m:
        suffix = m.group(2)
        level = {
            "省": "provincial",
            "自治区": "provincial",
            "市": "municipal",
            "自治州": "municipal",
            "州": "municipal",
            "盟": "municipal",
            "县": "county",
            "区": "county",
        }[suffix]
        return Place(m.group(0), level, None, ())
    return None
