"""DOCX: paragraphs and tables of the main document, in body order.

python-docx opens and validates the package; the body is then walked directly because its
`paragraphs` and `tables` lists lose the interleaving, `Paragraph.text` skips tracked
insertions, and `row.cells` repeats a merged cell in every grid column it spans. Headers,
footers, footnotes and comments are not document text and are left out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from policykg.ingest.errors import InputError
from policykg.ingest.formats.layout import join_pieces, render_table, tidy_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
P, TBL, TR, TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_NOBREAK_HYPHEN = f"{_W}noBreakHyphen"
# Wrappers that hold body content without being content themselves.
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"})
# Subtrees whose text is not the document's: deleted revisions, the legacy copy of a drawing.
_SKIP = frozenset({f"{_W}del", f"{_W}moveFrom", _MC_FALLBACK, f"{_W}instrText", f"{_W}delText"})
# A zip bomb guard: real DOCX files inflate a few times, never hundreds of megabytes.
MAX_INFLATED = 512 * 1024 * 1024
MAX_RATIO = 200


def read_docx(path: Path, data: bytes) -> str:
    _check_package(path, data)
    try:
        import docx  # imported here: plain-text runs should not pay for loading python-docx

        document = docx.Document(io.BytesIO(data))
        lines = list(_body_lines(document.element.body))
    except InputError:
        raise
    except Exception as err:  # python-docx and lxml raise many kinds on damaged packages
        raise InputError(path, f"unreadable DOCX ({type(err).__name__}: {_short(err)})") from None
    return tidy_lines(lines)


def _check_package(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "word/document.xml" not in names:
                raise InputError(path, f"ZIP archive that is not a DOCX ({_what_zip(names)})")
            inflated = sum(info.file_size for info in infos)
            if inflated > MAX_INFLATED or inflated > MAX_RATIO * max(len(data), 1024 * 1024):
                raise InputError(path, f"DOCX inflates to {inflated} bytes (zip bomb?)")
            bad = archive.testzip()  # CRC check: a cut or damaged member is found here
            if bad is not None:
                raise InputError(path, f"corrupt DOCX (damaged member {bad})")
    except InputError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as err:
        raise InputError(path, f"truncated or corrupt DOCX/ZIP container ({_short(err)})") from None
    except Exception as err:  # zlib.error and other decompressor failures
        raise InputError(path, f"corrupt DOCX/ZIP container ({type(err).__name__})") from None


def _what_zip(names: set[str]) -> str:
    if any(n.startswith("xl/") for n in names):
        return "an Excel workbook"
    if any(n.startswith("ppt/") for n in names):
        return "a PowerPoint deck"
    if "mimetype" in names and "content.xml" in names:
        return "an OpenDocument file; save it as .docx"
    return "no word/document.xml"


def _body_lines(container) -> Iterator[str]:
    for el in _content(container):
        if el.tag == P:
            yield paragraph_text(el)
        elif el.tag == TBL:
            yield from table_lines(el)


def _content(el) -> Iterator:
    """Paragraphs and tables directly in `el`, looking through content-control wrappers."""
    for child in el:
        if child.tag in (P, TBL):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _content(child)


def paragraph_text(p) -> str:
    parts: list[str] = []
    stack = [iter(p)]
    while stack:  # iterative walk: deeply nested runs must not hit the recursion limit
        for node in stack[-1]:
            tag = node.tag
            if tag in _SKIP or not isinstance(tag, str):
                continue
            if tag == _T:
                parts.append(node.text or "")
            elif tag == _TAB:
                parts.append("\t")
            elif tag in (_BR, _CR):
                parts.append("\n")
            elif tag == _NOBREAK_HYPHEN:
                parts.append("-")
            elif len(node):
                stack.append(iter(node))
                break
        else:
            stack.pop()
    return "".join(parts)


def table_lines(tbl) -> list[str]:
    rows = []
    for tr in _children(tbl, TR):
        cells: list[str | None] = []
        for tc in _children(tr, TC):
            if _continues_vertical_merge(tc):
                cells.append(None)  # covered by the cell above: written once, there
            else:
                cells.append(_cell_text(tc))
        rows.append(cells)
    if rows and max(sum(c is not None for c in r) for r in rows) < 2:
        # one-column tables are page layout (a framed block of text): read them as paragraphs
        return [c for r in rows for c in r if c]
    return render_table(rows)


def _cell_text(tc) -> str:
    pieces = []
    for el in _content(tc):
        if el.tag == P:
            pieces.append(paragraph_text(el))
        else:  # a table nested in a cell: its cells become part of this cell's line
            pieces.extend(_cell_text(inner) for tr in _children(el, TR) for inner in _children(tr, TC))
    return join_pieces(piece for text in pieces for piece in text.split("\n"))


def _children(el, tag: str) -> Iterator:
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _continues_vertical_merge(tc) -> bool:
    merge = tc.find(f"{_W}tcPr/{_W}vMerge")
    return merge is not None and merge.get(f"{_W}val", "continue") != "restart"


def _short(err: BaseException) -> str:
    return str(err).splitlines()[0][:120] if str(err) else type(err).__name__
