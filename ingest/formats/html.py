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
   heading before it in an enclosing element is put first (`_preamble_before`);
7. blocks made only of links (menus, related-article lists left inside the container) and
   site footer lines (版权所有, ICP备...) are not rendered.
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
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "button", "input", "select", "textarea", "option", "map", "audio", "video", "head",
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre "
    "section summary table tbody td tfoot th thead tr ul".split()
)
# paragraphs are content, never the container of the article
_LEAF_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote"})
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
_SITE_FOOTER = re.compile(r"版权所有|ICP[备证]|公网安备|网站标识码|技术支持[:：]|Copyright|©", re.IGNORECASE)
_FOOTER_MAX = 300
_DOC_TYPE_END = re.compile(
    r"(?:通知|通报|意见|办法|方案|规划|决定|规定|细则|公告|通告|批复|纲要|条例|措施|计划|要点|报告|函|决议|指南)$"
)
_META_HINTS = {"articletitle": "title", "pubdate": "date", "contentsource": "issuer"}
_META_DATE = re.compile(r"^\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SOURCE_LABEL = re.compile(r"^(?:来源|信息来源|发布机构|发文机关)\s*[:：]\s*")
_DOC_NUMBER = re.compile(r"〔\d{4}〕\s*\d+\s*号|\[\d{4}\]\s*\d+\s*号")


def decode_html(data: bytes, path: Path | None = None) -> tuple[str, str]:
    """Markup text of a page: a BOM first, then <meta charset> / http-equiv, then detection."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    match = _META_CHARSET.search(data[:4096])
    return decode_declared(data, match.group(1).decode("ascii") if match else None, path)


def html_to_text(path: Path, markup: str) -> str:
    return read_html(path, markup)[0]


def read_html(path: Path, markup: str) -> tuple[str, dict[str, str]]:
    """(article text, hints from the page's meta tags: see `page_hints`)."""
    # Control characters are not HTML, and lxml refuses to write them back into the tree
    # (drop_tree moves tail text): remove them before parsing.
    markup = _XML_DECL.sub("", _NOT_XML.sub("", markup), count=1)
    try:
        root = lxml_html.document_fromstring(markup)
    except Exception as err:  # lxml raises ParserError/ValueError/XMLSyntaxError on junk
        raise InputError(path, f"unreadable HTML ({type(err).__name__})") from None
    hints = page_hints(root)  # before _article_text, which drops <head>
    try:
        return _article_text(root), hints
    except Exception as err:  # a tree lxml built but cannot edit: still the file's fault
        raise InputError(path, f"unreadable HTML ({type(err).__name__})") from None


def page_hints(root: etree._Element) -> dict[str, str]:
    """What a government site states about the article in its meta tags (the TRS/UCAP CMSes
    of gov.cn and the provinces write them): "title" from ArticleTitle, "date" (ISO) from
    PubDate, "issuer" from ContentSource. Only tags present and non-empty; the extraction
    uses them where the text itself says nothing (a page without a heading or signature)."""
    hints: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = _META_HINTS.get((meta.get("name") or "").strip().lower())
        value = _WS.sub(" ", meta.get("content") or "").strip()
        if not key or not value or key in hints:
            continue
        if key == "date":
            m = _META_DATE.match(value)
            if not m:
                continue
            value = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        elif key == "issuer":
            value = _SOURCE_LABEL.sub("", value)
        if value and len(value) <= _TITLE_MAX:
            hints[key] = value
    return hints


def _article_text(root: etree._Element) -> str:
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, *_DROP_TAGS, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root
    # chrome goes first (footers can hold as much prose as a short article), then the
    # container is chosen on what is left, then chrome nested inside it goes too
    weights, link_lists = _prose_weights(body)
    if _drop_chrome(body, weights):
        weights, link_lists = _prose_weights(body)
    container = _choose_container(body, weights)
    _drop_chrome(container, weights)
    lines = _render(container, link_lists).split("\n")
    preamble = _preamble_before(container)
    if preamble and not any(preamble[0] in line for line in lines[:5]):
        lines[:0] = preamble
    return tidy_lines(line for line in lines if not _is_boilerplate(line))


# --- choosing the container -------------------------------------------------------------


def _prose_weights(body: etree._Element) -> tuple[dict[etree._Element, int], set[etree._Element]]:
    """Per element: characters of prose in it (children before parents, no recursion); and the
    blocks that are only links (two or more, no other text): menus and link lists."""
    total: dict[etree._Element, int] = {}
    links: dict[etree._Element, int] = {}
    anchors: dict[etree._Element, int] = {}
    prose: dict[etree._Element, int] = {}
    link_lists: set[etree._Element] = set()
    # one search over the page spares a per-block search on pages without a site footer
    footer_possible = _SITE_FOOTER.search(body.text_content()) is not None
    for el in reversed(list(body.iter())):
        t = _chars(el.text)
        child_links = child_anchors = child_prose = block_total = block_links = 0
        for child in el:
            t += total[child] + _chars(child.tail)
            child_links += links[child]
            child_anchors += anchors[child]
            child_prose += prose[child]
            if _is_block(child):
                block_total += total[child]
                block_links += links[child]
        total[el] = t
        links[el] = t if el.tag == "a" else child_links
        anchors[el] = child_anchors + (el.tag == "a")
        # the block's own text: what is not inside a child block
        own, own_links = t - block_total, links[el] - block_links
        own_prose = 0
        if _is_block(el) and own - own_links >= _MIN_PROSE and own_links <= _MAX_LINK_SHARE * own:
            own_prose = own - own_links
            if footer_possible and own < _FOOTER_MAX and _SITE_FOOTER.search(el.text_content()):
                own_prose = 0  # "版权所有 … ICP备" is prose-shaped, but the site's
        prose[el] = child_prose + own_prose
        if _is_block(el) and anchors[el] >= 2 and 0 < t == links[el]:
            link_lists.add(el)
    return prose, link_lists


def _choose_container(body: etree._Element, prose: dict[etree._Element, int]) -> etree._Element:
    node = body
    while True:
        here = prose.get(node, 0)
        if here == 0:
            return node
        best = max((c for c in node if isinstance(c.tag, str)), key=lambda c: prose.get(c, 0), default=None)
        if best is None:
            return node
        if best.tag in _LEAF_BLOCKS:
            return node  # a short notice is one long paragraph and a signature: keep both
        share = prose.get(best, 0) / here
        if share >= _DESCEND or (share >= _DESCEND_HINTED and _words(best) & _CONTENT_WORDS):
            node = best
        else:
            return node


def _drop_chrome(container: etree._Element, prose: dict[etree._Element, int]) -> int:
    """Remove chrome elements below `container`; how many went."""
    here = prose.get(container, 0)
    doomed = [
        el
        for el in container.iterdescendants()
        if isinstance(el.tag, str) and prose.get(el, 0) <= 0.5 * here and _is_chrome(el)
    ]
    for el in doomed:
        el.drop_tree()  # keeps the tail text, which belongs to the parent
    return len(doomed)


def _is_chrome(el: etree._Element) -> bool:
    if el.tag == "header" and any(True for _ in el.iterancestors("article", "main")):
        return False  # HTML5: a <header> inside <article> is the article's own (title, date)
    if el.tag in _CHROME_TAGS or (el.get("role") or "").lower() in _CHROME_ROLES:
        return True
    words = _words(el)
    return bool(words & _CHROME_WORDS) and not words & _CONTENT_WORDS


def _preamble_before(container: etree._Element) -> list[str]:
    """The title above the container, with any document number line between the two.

    Looked for among the preceding siblings of the container and of its three nearest
    ancestors, nearest first: a heading (<h1>-<h3>, a title id/class) or, on old table-layout
    sites that only bold their titles, a short line ending in a document type (…的通知, …意见)."""
    if any(True for _ in _headings(container)):
        return []
    child, parent = container, container.getparent()
    for _ in range(4):
        if parent is None:
            return []
        between: list[str] = []
        for sibling in child.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str) or _is_chrome(sibling) or _mostly_links(sibling):
                continue
            heads = [sibling] if _is_heading(sibling) else list(_headings(sibling))
            text = join_pieces([heads[-1].text_content()]) if heads else _short_text(sibling)
            if heads or _DOC_TYPE_END.search(text):
                return [text, *reversed(between)] if 0 < len(text) <= _TITLE_MAX else []
            if _DOC_NUMBER.search(text) and len(text) <= 40:
                between.append(text)
        child, parent = parent, parent.getparent()
    return []


def _mostly_links(el: etree._Element) -> bool:
    """A menu ("政策文件 规划计划") can end in a document type word too; a title is not links."""
    linked = sum(_chars(a.text_content()) for a in el.iter("a"))
    return linked > 0 and linked >= 0.5 * _chars(el.text_content())


def _short_text(el: etree._Element) -> str:
    text = join_pieces([el.text_content()])
    return text if len(text) <= _TITLE_MAX else ""


def _headings(el: etree._Element) -> Iterator[etree._Element]:
    for node in el.iter():
        if isinstance(node.tag, str) and _is_heading(node) and not _is_chrome(node):
            yield node


def _is_heading(el: etree._Element) -> bool:
    return el.tag in ("h1", "h2", "h3") or bool(_words(el) & _TITLE_WORDS)


def _words(el: etree._Element) -> set[str]:
    ident, cls = el.get("id"), el.get("class")
    if not ident and not cls:
        return set()  # most elements: skip the tokenizing
    attrs = f"{ident or ''} {cls or ''}".lower()
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


def _render(el: etree._Element, skip: set[etree._Element]) -> str:
    out: list[str] = []
    _render_into(el, out, 0, skip)
    return "".join(out)


def _render_into(el: etree._Element, out: list[str], depth: int, skip: set[etree._Element]) -> None:
    if el in skip:
        return
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        out.append("\n")
        return
    if depth > _MAX_DEPTH:  # pathological nesting: keep the words, drop the structure
        out.append("\n" + _inline(el.text_content()) + "\n")
        return
    if tag == "table" and _is_data_table(el):
        out.append("\n" + "\n".join(_table_lines(el, depth, skip)) + "\n")
        return
    block = tag in _BLOCK_TAGS
    if block:
        out.append("\n")
    if el.text:
        out.append(_inline(el.text))
    for child in el:
        _render_into(child, out, depth + 1, skip)
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


def _table_lines(table: etree._Element, depth: int, skip: set[etree._Element]) -> list[str]:
    lines = []
    caption = table.find("caption")
    if caption is not None:
        lines.append(join_pieces([caption.text_content()]))
    rows = []
    for tr in _rows(table):
        cells = []
        for cell in tr.xpath("./td|./th"):
            out: list[str] = []
            _render_into(cell, out, depth + 1, skip)
            cells.append(join_pieces("".join(out).split("\n")))
        rows.append(cells)
    return lines + render_table(rows)


def _is_boilerplate(line: str) -> bool:
    line = line.strip()
    if not line:
        return True
    if _PAGER.match(line) or (len(line) < _FOOTER_MAX and _SITE_FOOTER.search(line)):
        return True
    rest = _BOILERPLATE.sub("", line)
    return rest != line and not re.search(r"\w", rest)
