"""Small text utilities shared by the extractors: character classes, sentences with offsets,
bracket-aware splitting and the comparison key used to match names.

Everything works on the source text as read, so offsets stay valid as spans.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
OPEN = "(（〔［[【〈<"
CLOSE = ")）〕］]】〉>"
PAIRS = dict(zip(OPEN, CLOSE, strict=True))
QUOTES = "“”‘’\"'「」『』"
DASHES = "—–－~～‐-"

# 。 between two Chinese numerals is OCR damage for 〇 (二。三五年), not a sentence end.
FULL_STOP = r"(?:(?<![〇一二三四五六七八九十])。|(?<=[〇一二三四五六七八九十])。(?![〇一二三四五六七八九十]))"
SENTENCE_END = re.compile(rf"{FULL_STOP}|[！？!?；;]|\n")
# A sentence also ends where a table cell or a heading line ends.


def sentences(text: str, start: int = 0, end: int | None = None) -> tuple[tuple[int, int], ...]:
    """[s, e) offsets of sentences (split at 。！？；; and newlines), whitespace trimmed."""
    return _sentences(text, start, len(text) if end is None else end)


@lru_cache(maxsize=8)
def _sentences(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    # citations, tasks and targets each walk the same body's sentences: split it once
    out = []
    pos = start
    joined = _joined_lines(text, start, end)
    for m in SENTENCE_END.finditer(text, start, end):
        if joined and m.start() in joined:
            continue
        stop = m.end()
        part = text[pos:stop]
        kept = part.strip()  # _trim inlined: this loop runs once per sentence of every body
        if kept:
            s = pos + len(part) - len(part.lstrip())
            out.append((s, s + len(kept)))
        pos = stop
    s, e = _trim(text, pos, end)
    if e > s:
        out.append((s, e))
    return tuple(out)


# line breaks that do not end a sentence: inside a 《title》 wrapped in a table cell or a PDF
# line, and between a 《title》 and its (文号) on the next line
WRAPPED_TITLE = re.compile(r"《[^《》\n]{1,120}(\n)[^《》\n]{1,60}》")
NUMBER_LINE = re.compile(r"》[ \t]*(\n)\s*[(（][^()（）\n]{4,30}号\s*[)）]")


def _joined_lines(text: str, start: int, end: int) -> set[int]:
    if "《" not in text:
        return set()
    return {m.start(1) for rx in (WRAPPED_TITLE, NUMBER_LINE) for m in rx.finditer(text, start, end)}


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    part = text[s:e]
    kept = part.strip()  # str methods: a character loop in Python cost a tenth of extraction
    if not kept:
        return s, s
    s += len(part) - len(part.lstrip())
    return s, s + len(kept)


@lru_cache(maxsize=32)
def _split_re(seps: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(OPEN + CLOSE + seps) + "]")


def split_top_level(text: str, seps: str = "、，,;；") -> list[tuple[int, int]]:
    """Split at separators that are not inside brackets: 各县(市、区)人民政府 stays whole."""
    parts: list[tuple[int, int]] = []
    depth = 0
    pos = 0
    for m in _split_re(seps).finditer(text):  # only brackets and separators matter
        ch = m.group()
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append((pos, m.start()))
            pos = m.end()
    parts.append((pos, len(text)))
    out = []
    for s, e in parts:  # _trim inlined: this runs for every clause of every sentence
        part = text[s:e]
        kept = part.strip()
        if kept:
            s += len(part) - len(part.lstrip())
            out.append((s, s + len(kept)))
    return out


def norm_key(text: str | None) -> str:
    """Comparison key: NFKC, no white space, no quotes or 《》, one dash, one bracket form."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    t = "".join(ch for ch in t if ch not in QUOTES and ch not in "《》〈〉")
    t = "".join("-" if ch in DASHES else ch for ch in t)
    return t.translate(str.maketrans("〔［[【", "((((")).translate(str.maketrans("〕］]】", "))))"))


def strip_outer_brackets(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in PAIRS and PAIRS[text[0]] == text[-1]:
        return text[1:-1].strip()
    return text


def remove_bracketed(text: str) -> str:
    """Drop every bracketed part: 市市场监管局(市知识产权局) → 市市场监管局."""
    if not _OPEN_RE.search(text):
        return text
    out = []
    depth = 0
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


_OPEN_RE = re.compile("[" + re.escape(OPEN) + "]")


# Headings of sections about the past (发展基础, 规划背景, 取得成效): no goals, no plans there
PAST_SECTION = re.compile(
    r"(?:发展|工作|现实|规划|已有)基础|基础条件|基础与|基础和|成效|回顾|现状|形势|背景|成绩|成就|进展情况"
    r"|工作进展|取得"
)


@lru_cache(maxsize=8)  # citations and targets both ask for the same body
def past_ranges(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Sections that describe the past (发展基础, 规划背景, 取得成效…)."""
    heads = list(
        re.finditer(
            r"(?:^|(?<=[\n。)）\s]))(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])",
            text[start:end],
        )
    )
    out = []
    for k, h in enumerate(heads):
        label = text[start + h.end() : start + h.end() + 16]
        if PAST_SECTION.search(label.split("\n")[0][:12]):
            level1 = "、" in h.group(0)
            nxt = next((x for x in heads[k + 1 :] if ("、" in x.group(0)) or not level1), None)
            out.append((start + h.start(), start + nxt.start() if nxt else end))
    return tuple(out)


CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_number(text: str) -> int | None:
    """十四 → 14, 二十三 → 23, 一百零五 → 105 (small integers as used in headings and dates)."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, section, num = 0, 0, 0
    units = {"十": 10, "百": 100, "千": 1000}
    for ch in text:
        if ch in CN_DIGITS:
            num = CN_DIGITS[ch]
        elif ch in units:
            section += (num or 1) * units[ch]
            num = 0
        elif ch == "万":
            total += (section + num) * 10000
            section = num = 0
        else:
            return None
    return total + section + num


class Ranges:
    """A set of [start, end) ranges answering "does [s, e) overlap any?" in O(log n)."""

    def __init__(self, ranges: list[tuple[int, int]] | None = None):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for s, e in sorted(ranges or []):
            self._push(s, e)

    def _push(self, s: int, e: int) -> None:
        if self._ends and s <= self._ends[-1]:
            self._ends[-1] = max(self._ends[-1], e)  # merge with the previous range
        else:
            self._starts.append(s)
            self._ends.append(e)

    def add(self, s: int, e: int) -> None:
        if not self._starts or s >= self._starts[-1]:
            self._push(s, e)
        else:  # out of order: rebuild (rare)
            merged = sorted([*zip(self._starts, self._ends, strict=True), (s, e)])
            self._starts, self._ends = [], []
            for a, b in merged:
                self._push(a, b)

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect.bisect_left(self._starts, e) - 1
        return (i >= 0 and self._ends[i] > s and e > s) or (i >= 0 and self._starts[i] == s)

    def contains(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]
