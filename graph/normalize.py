"""Normalization keys: two spellings of the same title, 文号 or indicator get the same key.

These are pure string functions; graph/resolve.py adds the alias table on top of them.

Title key (`title_key`), in order:
  1. NFKC (full-width （）［］－～ become ASCII), white space removed, 〇/○ unified.
  2. Quotes “”‘’"'「」『』 and title marks 《》〈〉<> removed; dashes —–－~～‐‒― unified to "-".
  3. Wrapper removed: "…关于印发X的通知" / "…关于发布X的通知" / "印发X的通知" → X, because a
     document is usually cited through the notice that published it (河北省人民政府关于印发
     河北省“十四五”知识产权保护和运用规划的通知 → 河北省“十四五”知识产权保护和运用规划).
  4. Year ranges removed: "(2021-2035年)", "（2021—2035年）", "(2021~2023年" and a bare range at
     the very end, so 知识产权强国建设纲要 and 知识产权强国建设纲要(2021-2035年) share a key. The
     trade-off: two plans that differ only by their period share a node too.
  5. Issuer prefix: in "<issuers>关于…" the issuers are replaced by their jurisdiction, and
     dropped for national issuers: 中共中央办公厅 国务院办公厅关于强化知识产权保护的意见 →
     关于强化知识产权保护的意见; 中共广东省委 广东省人民政府关于X → 广东省关于X. Applied only
     when the prefix ends like an agency or area name (…局, …厅, …委员会, …政府, …省, …市);
     an unknown jurisdiction leaves the prefix as written.
  6. Remaining brackets ()[]【】 removed (their content stays: (试行) → 试行).

文号 key (`doc_number_key`): NFKC, white space removed, the year's brackets 〔〕()[]［］【】﹝﹞
unified to 〔〕 (also when one bracket is missing): 冀政字(2021)66号 → 冀政字〔2021〕66号.

Indicator key (`indicator_key`), so one indicator in many documents is one node:
  1. NFKC, white space, quotes and 《》 removed; "(累计)"/"累计" dropped.
  2. A leading scope is dropped: a jurisdiction name (遵义市, 江苏省), 全市/全省/全区/全县/全国,
     我市/我省/本市, 园区, 辖区内, 区域内.
  3. Per-capita wording unified: 每万人口X, 每万人X, 万人口X → 万人X (not 万人次).
  4. A trailing 数量 is dropped (知识产权服务机构数量 → 知识产权服务机构); a lone trailing 数
     is kept, because it often is the measure itself (指数, 人数).
"""

from __future__ import annotations

import re
import unicodedata

from policykg.graph.jurisdictions import NATIONAL, table

__all__ = ["clean_title", "doc_number_key", "indicator_key", "strip_wrapper", "text_key", "title_key"]

_QUOTES = re.compile(r"[“”‘’\"'「」『』《》〈〉<>]")
_DASHES = re.compile(r"[—–－~～‐‑‒―⁓]+")
_SPACE = re.compile(r"\s+")
_ZERO = str.maketrans({"○": "〇", "◯": "〇", "Ｏ": "〇"})
_WRAPPER = re.compile(r"^(?:.*?关于)?(?:印发|发布|颁布)(.+?)的(?:通知|公告|决定)$")
_YEAR_RANGE = re.compile(r"[(\[]\d{4}-\d{4}年?(?:度)?[)\]]?|\d{4}-\d{4}年?$")
_BRACKETS = re.compile(r"[()\[\]【】]")
_ISSUER_END = re.compile(
    r"(?:中央|国务院|政府|办公厅|办公室|委员会|委|局|部|厅|院|署|会|小组|中心|行|省委|市委|县委|区委|省|市|县|区|州|盟)$"
)
_DOCNO_YEAR = re.compile(r"[(\[〔【﹝]?(\d{4})[)\]〕】﹞]|[(\[〔【﹝](\d{4})[)\]〕】﹞]?")
_SCOPES = ("全市", "全省", "全区", "全县", "全国", "我市", "我省", "本市", "本省", "园区", "辖区内", "区域内")
_PER_CAPITA = re.compile(r"^每?万人口?(?!次)")


def text_key(text: str) -> str:
    """NFKC, no white space, no quotes or title marks, unified dashes and zeros."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO)
    text = _SPACE.sub("", text)
    text = _QUOTES.sub("", text)
    return _DASHES.sub("-", text)


def strip_wrapper(title: str) -> str:
    """'…关于印发X的通知' → X (as written otherwise); see the module docstring."""
    stripped = title.strip().strip("《》")
    match = _WRAPPER.match(unicodedata.normalize("NFKC", stripped))
    if match:
        inner = match.group(1).strip()
        return inner.strip('《》〈〉<>“”"')
    return stripped


def clean_title(title: str) -> str:
    """The title to display: trimmed, without outer 《》, without a 印发…通知 wrapper, and with a
    bracket left open at the end closed (…计划(2021~2023年 → …计划(2021~2023年))."""
    title = strip_wrapper(_SPACE.sub(" ", title).strip())
    for opening, closing in (("(", ")"), ("（", "）")):
        if title.rfind(opening) > title.rfind(closing):
            title += closing
    return title


def _issuer_prefix(key: str) -> str:
    head, sep, rest = key.partition("关于")
    if not sep or not head or not _ISSUER_END.search(head):
        return key
    area = table().prefix_of(head)
    if area is None:
        return key
    return ("" if area.name == NATIONAL else area.name) + sep + rest


def title_key(title: str) -> str:
    key = text_key(title)
    match = _WRAPPER.match(key)
    if match:
        key = match.group(1)
    key = _YEAR_RANGE.sub("", key)
    key = _issuer_prefix(key)
    return _BRACKETS.sub("", key)


def doc_number_key(number: str) -> str:
    key = _SPACE.sub("", unicodedata.normalize("NFKC", number))
    return _DOCNO_YEAR.sub(lambda m: f"〔{m.group(1) or m.group(2)}〕", key, count=1)


def indicator_key(indicator: str) -> str:
    key = text_key(indicator).replace("(累计)", "")
    if key.startswith("累计"):
        key = key[2:]
    area = table().prefix_of(key)
    if area is not None and key.startswith(area.name):
        key = key[len(area.name) :]
    for scope in _SCOPES:
        if key.startswith(scope):
            key = key[len(scope) :]
            break
    key = _PER_CAPITA.sub("万人", key)
    if key.endswith("数量") and len(key) > 3:
        key = key[:-2]
    return key
