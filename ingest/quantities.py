"""Quantities in policy text: a number (Arabic or Chinese numerals) with its unit.

`QUANTITY` matches "1.2亿千瓦", "75%", "4000家以上", "3-5个", "百分之十三", "两千万元", "1ms"; `value()`
reads the matched numeral only (cn2an for Chinese numerals), so a span stays exactly the
characters of the source.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cn2an

# Counted things and measures, longest first where one is the start of another (千瓦时 / 千瓦).
# Years and months are not here: "3年内" is a time frame, not a quantity to reach.
MEASURES = (
    "个百分点 百分点 人次 千瓦时 千瓦 平方公里 平方米 立方米 公里 公顷 标准箱 吨标准煤 吨 公斤 千克 斤 亩"
    " 美元 元"
    " 件 个 家 项 所 座 部 次 台 条 倍 处 批 类 名 人 位 篇 种 套 户 款 张 辆 艘 架 只 头 床 间 场"
    " 分 门 支 册 份 集 株 棵 栋 幢 块 片 村 镇 域 园 毫秒 ms PB TB EB GW MW kW % ％ ‰"
    " 个工作日 工作日 个自然日 自然日 天"
).split()
# time limits to reach (审批时间压缩至5个工作日) count only after a goal verb: "3天内" is a time frame
DURATIONS = frozenset({"个工作日", "工作日", "个自然日", "自然日", "天"})
SCALES = "万亿 千亿 百亿 亿 千万 百万 十万 万 千 百".split()
UNIT = (
    "(?:"
    + "|".join(map(re.escape, SCALES))
    + ")?(?:"
    + "|".join(map(re.escape, sorted(MEASURES, key=len, reverse=True)))  # 个工作日 before 个
    + ")(?:/(?:年|日|天|人|户))?"  # a rate: 1.4亿吨/年
    + "(?:[(（][次间][)）])?"  # 200万人(次), 3.7万套(间): people or times, sets or rooms
)
CN_DIGITS = "零〇一二两三四五六七八九"
# Arabic: never gives digits back (linear on long runs); Chinese: must carry a 十/百/千/万/亿, so
# "一个", "两岸" and "十四五" are not quantities (两千万元 reads 两千 + 万元, as written)
NUM_AR = r"(?<![\d.])\d++(?:\.\d++)?"
NUM_CN = (
    rf"(?<![{CN_DIGITS}十百千万亿])"
    rf"(?:[{CN_DIGITS}]*[十百千][{CN_DIGITS}十百千]*|[{CN_DIGITS}]+[万亿](?![{CN_DIGITS}十百千]))"
)
NUM = rf"(?:{NUM_AR}|{NUM_CN})"
RANGE = rf"(?:\s*[-—–~～至到]\s*{NUM})?"
QUALIFIER = r"(?:及以上|以上|左右|以内)?"
# "20余个", "30多家"; a count of months or hours ("36个月") is a period, not a quantity
QUANTITY = re.compile(
    # the lookahead lets the engine pass at once over positions no number starts at (3x faster)
    rf"(?=[\d{CN_DIGITS}十百千])(?<!第)(?:百分之(?P<pct>{NUM})|(?P<num>{NUM})(?P<max>{RANGE})(?:余|多)?\s*(?P<unit>{UNIT})(?!月|小时|季度|学时|口|钟))"
    rf"(?P<qual>{QUALIFIER})"
)


@lru_cache(maxsize=4096)
def number(numeral: str) -> float | int | None:
    """ "1.2" → 1.2, "12" → 12, "两千" → 2000, "十三" → 13; None when it does not read as a number."""
    numeral = numeral.strip()
    if not numeral:
        return None
    if numeral[0] in "十百千万亿":
        numeral = "一" + numeral  # 百项 is 一百项
    try:
        if re.fullmatch(r"\d+(?:\.\d+)?", numeral):
            v = float(numeral)
        else:
            v = float(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, TypeError):
        return None
    return int(v) if v.is_integer() else v


def quantity(m: re.Match[str]) -> tuple[float | int | None, str]:
    """Value and unit of a QUANTITY match; a range counts from its lower end (3-5个 → 3)."""
    if m.group("pct"):
        return number(m.group("pct")), "%"
    unit = m.group("unit").replace("％", "%")
    return number(m.group("num")), unit
