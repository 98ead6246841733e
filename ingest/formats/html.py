"""HTML pages: the article of a government web page as text, without the site around it.

How the article is found (government sites differ too much for one container id):
1. scripts, styles, forms controls and comments go;
2. every block element gets a "content weight": its own non-link text, counted only when the
   block reads like prose (long enough, few links), so menus, link lists and breadcrumbs weigh
   nothing;
3. site chrome marked by tag, role or id/class (nav, header, footer, menu, breadcrumb, share,
   qrcode, print, ...) is dropped unless it holds half the page's prose (a misnamed wrapper);
4. starting at <body>, descend into the child holding nearly all (85 %) of the current weight;
   a child with a well-known content id/class (zoom, UCAP-CONTENT, TRS_Editor, ...) needs less;
5. inside that container, chrome again and boilerplate lines ("扫一扫在手机打开当前页面",
   "【打印本页】") are dropped;
6. the title usually sits just above the container (<h1> beside div#zoom): the nearest
   heading before it in an enclosing element is put first.
Paragraphs and block elements become lines; data tables follow `layout.render_table`.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html
from policykg.ingest.errors import InputError
from policykg.ingest.formats.layout import join_pieces, render_table, tidy_lines
from policykg.ingest.formats.text import decode_declared

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "button", "input", "select", "textarea", "option", "map", "audio", "video", "head",
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split()
)
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "menu"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary"})
# id/class words of site chrome: navigation, breadcrumbs ("当前位置"), share and QR widgets,
# print/close links, related-article lists, footers.
_CHROME_WORDS = frozenset(
    "nav navbar navigation menu menus mainmenu submenu header footer foot breadcrumb breadcrumbs "
    "crumb crumbs location position sidebar side share bdshare sharebox qrcode qr erweima ewm "
    "print toolbar tools copyright banner search login topbar bottom related xgwj xglj xgxx "
    "friendlink links dqwz wzdh skip social comment comments pager pagination advert ads fontsize "
    "zihao".split()
)
# id/class words of article bodies on Chinese government sites (TRS, UCAP, common CMSes).
_CONTENT_WORDS = frozenset(
    "zoom ucap content article articlecontent article_content trs_editor pages_content "
    "xxgk_content contenttext content_text txt text main_text maintext detail details conttxt "
    "con_txt news_content newscontent artibody fontzoom zwnr wzzw zw".split()
)
_TITLE_WORDS = frozenset("title tit bt biaoti article_title articletitle wztit news_title".split())
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*")

_MIN_PROSE = 15  # non-link characters for a block to count as prose
_MAX_LINK_SHARE = 0.3
_DESCEND = 0.85
_DESCEND_HINTED = 0.5
_MAX_DEPTH = 400
_TITLE_MAX = 120

_BOILERPLATE = re.compile(
    r"扫一扫在手机(?:上)?打开(?:当前|本)?页(?:面)?|【?(?:打印本?页|打印|关闭(?:本页|窗口)?|返回顶部|加入收藏|收藏本页|"
    r"我要纠错|纠错)】?|分享到[:：]?|字号[:：]?\s*[大中小\s]*|\[\s*[大中小]\s*\]"
)
_PAGER = re.compile(r"^(?:上一篇|下一篇|上一条|下一条)[:：]")
_CJK_WRAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\r\f]*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])")
_WS = re.compile(r"\s+")


def decode_html(data: bytes) -> tuple[str, str]:
    """Markup text of a page: a BOM first, then <meta charset> / http-equiv, then detection."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    match = _META_CHARSET.search(data[:4096])
    return decode_declared(data, match.group(1).decode("ascii") if match else None)


def html_to_text(path: Path, markup: str) -> str:
    try:
        root = lxml_html.document_fromstring(_XML_DECL.sub("", markup, count=1))
    except Exception as err:  # lxml raises ParserError/ValueError/XMLSyntaxError on junk
        raise InputError(path, f"unreadable HTML ({type(err).__name__})") from None
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_DROP_TAGS, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root
    # chrome goes first (footers can hold as much prose as a short article), then the
    # container is chosen on what is left, then chrome nested inside it goes too
    _drop_chrome(body, _prose_weights(body))
    weights = _prose_weights(body)
    container = _choose_container(body, weights)
    _drop_chrome(container, weights)
    lines = _render(container).split("\n")
    title = _title_before(container)
    if title and not any(title in line for line in lines[:5]):
        lines.insert(0, title)
    return tidy_lines(line for line in lines if not _is_boilerplate(line))


# --- choosing the container -------------------------------------------------------------


def _prose_weights(body: etree._Element) -> dict[etree._Element, int]:
    """Per element: characters of prose in it (children before parents, no recursion)."""
    total: dict[etree._Element, int] = {}
    links: dict[etree._Element, int] = {}
    prose: dict[etree._Element, int] = {}
    for el in reversed(list(body.iter())):
        t = _chars(el.text)
        child_links = child_prose = block_total = block_links = 0
        for child in el:
            t += total[child] + _chars(child.tail)
            child_links += links[child]
            child_prose += prose[child]
            if _is_block(child):
                block_total += total[child]
                block_links += links[child]
        total[el] = t
        links[el] = t if el.tag == "a" else child_links
        # the block's own text: what is not inside a child block
        own, own_links = t - block_total, links[el] - block_links
        own_prose = 0
        if _is_block(el) and own - own_links >= _MIN_PROSE and own_links <= _MAX_LINK_SHARE * own:
            own_prose = own - own_links
        prose[el] = child_prose + own_prose
    return prose


def _choose_container(body: etree._Element, prose: dict[etree._Element, int]) -> etree._Element:
    node = body
    while True:
        here = prose.get(node, 0)
        if here == 0:
            return node
        best = max((c for c in node if isinstance(c.tag, str)), key=lambda c: prose.get(c, 0), default=None)
        if best is None:
            return node
        share = prose.get(best, 0) / here
        if share >= _DESCEND or (share >= _DESCEND_HINTED and _words(best) & _CONTENT_WORDS):
            node = best
        else:
            return node


def _drop_chrome(container: etree._Element, prose: dict[etree._Element, int]) -> None:
    here = prose.get(container, 0)
    doomed = [
        el
        for el in container.iterdescendants()
        if isinstance(el.tag, str) and _is_chrome(el) and prose.get(el, 0) <= 0.5 * here
    ]
    for el in doomed:
        el.drop_tree()  # keeps the tail text, which belongs to the parent


def _is_chrome(el: etree._Element) -> bool:
    if el.tag == "header" and any(True for _ in el.iterancestors("article", "main")):
        return False  # HTML5: a <header> inside <article> is the article's own (title, date)
    if el.tag in _CHROME_TAGS or (el.get("role") or "").lower() in _CHROME_ROLES:
        return True
    words = _words(el)
    return bool(words & _CHROME_WORDS) and not words & _CONTENT_WORDS


def _title_before(container: etree._Element) -> str | None:
    """The nearest heading before the container inside one of its three nearest ancestors."""
    if any(True for _ in _headings(container)):
        return None
    child, parent = container, container.getparent()
    for _ in range(3):
        if parent is None:
            return None
        candidates = []
        for sibling in child.itersiblings(preceding=True):
            if _is_chrome(sibling):
                continue
            found = list(_headings(sibling)) if not _is_heading(sibling) else [sibling]
            if found:
                candidates = found
                break
        if candidates:
            text = join_pieces([candidates[-1].text_content()])
            if 0 < len(text) <= _TITLE_MAX:
                return text
        child, parent = parent, parent.getparent()
    return None


def _headings(el: etree._Element) -> Iterator[etree._Element]:
    for node in el.iter():
        if isinstance(node.tag, str) and _is_heading(node) and not _is_chrome(node):
            yield node


def _is_heading(el: etree._Element) -> bool:
    return el.tag in ("h1", "h2", "h3") or bool(_words(el) & _TITLE_WORDS)


def _words(el: etree._Element) -> set[str]:
    attrs = f"{el.get('id') or ''} {el.get('class') or ''}".lower()
    words = set(_TOKEN.findall(attrs))
    # "article-content" / "news_content": both the whole name and its parts count
    words.update(part for w in list(words) for part in w.split("_"))
    words.update(w.replace("-", "_") for w in attrs.split())
    return words


def _is_block(el: etree._Element) -> bool:
    return el.tag in _BLOCK_TAGS


def _chars(text: str | None) -> int:
    return len(text) - text.count(" ") - text.count("\n") - text.count("\t") if text else 0


# --- rendering -------------------------------------------------------------------------


def _render(el: etree._Element) -> str:
    out: list[str] = []
    _render_into(el, out, 0)
    return "".join(out)


def _render_into(el: etree._Element, out: list[str], depth: int) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        out.append("\n")
        return
    if depth > _MAX_DEPTH:  # pathological nesting: keep the words, drop the structure
        out.append("\n" + _inline(el.text_content()) + "\n")
        return
    if tag == "table" and _is_data_table(el):
        out.append("\n" + "\n".join(_table_lines(el, depth)) + "\n")
        return
    block = tag in _BLOCK_TAGS
    if block:
        out.append("\n")
    if el.text:
        out.append(_inline(el.text))
    for child in el:
        _render_into(child, out, depth + 1)
        if child.tail:
            out.append(_inline(child.tail))
    if block:
        out.append("\n")


def _inline(text: str) -> str:
    # A line break in the source between two Chinese characters is editor wrapping, not a space.
    return _WS.sub(" ", _CJK_WRAP.sub("", text))


def _rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _is_data_table(table: etree._Element) -> bool:
    """Layout tables (old sites wrap whole pages in them) are read as blocks, not cells."""
    rows = _rows(table)
    if not rows or table.find(".//table") is not None:
        return False
    return max(len(r.xpath("./td|./th")) for r in rows) >= 2


def _table_lines(table: etree._Element, depth: int) -> list[str]:
    lines = []
    caption = table.find("caption")
    if caption is not None:
        lines.append(join_pieces([caption.text_content()]))
    rows = []
    for tr in _rows(table):
        cells = []
        for cell in tr.xpath("./td|./th"):
            out: list[str] = []
            _render_into(cell, out, depth + 1)
            cells.append(join_pieces("".join(out).split("\n")))
        rows.append(cells)
    return lines + render_table(rows)


def _is_boilerplate(line: str) -> bool:
    line = line.strip()
    if not line:
        return True
    if _PAGER.match(line):
        return True
    rest = _BOILERPLATE.sub("", line)
    return rest != line and not re.search(r"\w", rest)
