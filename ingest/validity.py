"""When a document takes effect and until when it is valid, where its text says so.

    自2022年5月1日起施行 / 起实施 / 起执行 / 起生效      effective_from = that day
    自印发之日起施行 / 自发布(公布、颁布)之日起…           effective_from = issued_on
    有效期至2025年12月31日 / 有效期到…                      valid_until = that day
    自2021年起实施 / 有效期至2023年                         2021-01-01 / 2023-12-31
    有效期N年 / 有效期为N年 (Arabic or Chinese numerals)     valid_until = start + N years - 1 day,
                                                           start = effective_from, else issued_on

A pure function of the text; the first statement of each kind in the document's body wins
(the closing provision normally comes last, but a document states its own term once).
Policy text also says 有效期 of other things (专利权有效期内, 证书有效期三年): only a sentence
about the document itself counts, i.e. one that names it (本办法/本规定/本意见/本方案/本措施,
以上政策…) or is a 第N条 provision of its own.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from policykg.ingest.documents import DATE_RE, iso_date
from policykg.ingest.text import cn_number

__all__ = ["extract_validity"]

_START_VERB = r"(?:施行|实施|执行|生效|试行)"
EFFECTIVE_ON = re.compile(rf"自\s*{DATE_RE}\s*起\s*{_START_VERB}")
EFFECTIVE_ON_ISSUE = re.compile(rf"自\s*(?:印发|发布|公布|颁布|发文)之日起\s*{_START_VERB}")
VALID_UNTIL = re.compile(rf"有效期(?:限)?(?:为|暂定)?(?:至|到|截至)\s*{DATE_RE}")
# a year alone: 自2021年起实施 (from 1 January), 有效期至2023年 (to 31 December)
EFFECTIVE_YEAR = re.compile(rf"自\s*((?:19|20)\d{{2}})\s*年\s*起\s*{_START_VERB}")
_TERM = r"有效期(?:限)?(?:为|暂定)?"
_MONTH_AFTER = r"(?!\s*[\d一二三四五六七八九十〇○]{1,2}\s*月)"  # a year alone, not 2023年12月
VALID_UNTIL_YEAR = re.compile(rf"{_TERM}(?:至|到|截至)\s*((?:19|20)\d{{2}})\s*年{_MONTH_AFTER}")
VALID_YEARS = re.compile(rf"{_TERM}\s*(\d{{1,2}}|[一二两三四五六七八九十]{{1,2}})\s*年{_MONTH_AFTER}")
# the sentence must be about the document itself, not a patent's or a licence's term
_SELF_NAMES = "办法|规定|条例|意见|方案|措施|细则|通知|规划|计划|纲要|决定|政策|实施方案|若干措施"
SELF = re.compile(rf"^\s*第[一二三四五六七八九十百零〇]+条|本(?:{_SELF_NAMES})|^\s*(?:以上|上述)")


def _sentence(text: str, pos: int, start: int, end: int) -> str:
    """The sentence around `pos` (between 。；\\n marks), within [start, end)."""
    left = max(text.rfind(mark, start, pos) for mark in "。；;\n")
    right = min([i for i in (text.find(mark, pos, end) for mark in "。；;\n") if i >= 0] or [end])
    return text[max(left + 1, start) : right]


def _valid(day: str | None) -> str | None:
    """The day if it is a real calendar day (2023-02-30 is not), else None."""
    try:
        return date.fromisoformat(day).isoformat() if day else None
    except ValueError:
        return None


def _add_years(day: str, years: int) -> str | None:
    try:
        d = date.fromisoformat(day)
        last = calendar.monthrange(d.year + years, d.month)[1]
        return (date(d.year + years, d.month, min(d.day, last)) - timedelta(days=1)).isoformat()
    except ValueError:  # not a calendar day, or past year 9999
        return None


def extract_validity(
    text: str, start: int = 0, end: int | None = None, issued_on: str | None = None
) -> tuple[str | None, str | None]:
    """(effective_from, valid_until) of the document whose body is text[start:end], ISO dates
    or None where the text does not say."""
    end = len(text) if end is None else end
    effective: str | None = None
    found = sorted(
        [
            *EFFECTIVE_ON.finditer(text, start, end),
            *EFFECTIVE_ON_ISSUE.finditer(text, start, end),
            *EFFECTIVE_YEAR.finditer(text, start, end),
        ],
        key=lambda m: m.start(),
    )
    for m in found:
        if not SELF.search(_sentence(text, m.start(), start, end)):
            continue  # 按照《…》(自2022年1月1日起施行): another document's date
        if m.re is EFFECTIVE_ON:
            effective = _valid(iso_date(m.group(1), m.group(2), m.group(3)))
        else:
            effective = f"{m.group(1)}-01-01" if m.re is EFFECTIVE_YEAR else _valid(issued_on)
        if effective:
            break
    until: str | None = None
    for m in sorted(
        [*VALID_UNTIL.finditer(text, start, end), *VALID_UNTIL_YEAR.finditer(text, start, end)],
        key=lambda m: m.start(),
    ):
        if SELF.search(_sentence(text, m.start(), start, end)):
            if m.re is VALID_UNTIL:
                until = _valid(iso_date(m.group(1), m.group(2), m.group(3)))
            else:
                until = f"{m.group(1)}-12-31"
            if until:
                break
    if until is None:
        begin = effective or _valid(issued_on)
        for m in VALID_YEARS.finditer(text, start, end):
            years = cn_number(m.group(1))
            if begin and years and SELF.search(_sentence(text, m.start(), start, end)):
                until = _add_years(begin, years)
                break
    return effective, until
