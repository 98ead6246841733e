"""PDF with a text layer, via pdfplumber (built on pdfminer.six).

pdfminer.six is used rather than pypdf because it ships the Adobe-GB1 CMaps, so Chinese text
in fonts without a ToUnicode map (common in older government PDFs) still decodes; pdfplumber
adds ruled-table detection on top of it, so task tables come out as cells in the corpus
convention instead of a column soup. pypdf is the second reader, used only when pdfminer
leaves glyphs unmapped (see `read_pdf`).

Reading order per page: text lines outside tables and whole tables, sorted top to bottom.
Lines wrapped by the layout are joined back into paragraphs (a line that reaches the right
margin continues on the next one unless that one is indented). What is not the document goes:
- characters printed twice at almost the same place ("fake bold" of Chinese word processors,
  which would read 遵遵义义) are deduplicated (pdfplumber's `dedupe_chars`);
- page numbers ("- 3 -", "第 3 页 共 9 页") and running headers and footers: a line in the top
  or bottom margin whose words (digits aside) recur there on at least half the pages;
- a table continued on the next page (续表) is joined to its first part: the 续表 label and the
  repeated header row are dropped, so the rows read as one table.
A PDF without any text (a scan) is refused: OCR is out of scope.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from policykg.ingest.errors import InputError
from policykg.ingest.formats.layout import join_pieces, render_table, tidy_lines

_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$")
_EOF_TAIL = 2048
_CID = re.compile(r"\(cid:\d+\)")
_MAX_UNKNOWN_SHARE = 0.1
_T = TypeVar("_T")
# A continued table's label: 续表, 续表1, 续表 2-1, (续表), 表1(续)
_CONTINUED = re.compile(
    r"^[(（]?\s*续表\s*[\d\-－一二三四五六七八九十]*\s*[)）]?[:：]?$|^表\s*\d+\s*[(（]续[)）]$"
)
_MARGIN = 0.1  # top and bottom tenth of a page: where running headers and footers sit
_FURNITURE_WORDS = 6  # characters besides digits for a line to match across its page numbers
_DEDUPE_TOLERANCE = 1  # points; fake bold offsets its second print by a fraction of a point

# Both libraries log a warning for every damaged object they step over; the file's verdict
# is the InputError (or the text), so their chatter would only bury it on the console.
for _name in ("pdfminer", "pypdf", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)
MAX_PAGES = 2000


def read_pdf(path: Path, data: bytes) -> str:
    # pdfminer recovers what it can from a cut file and would return half a document as if it
    # were whole; a missing end-of-file marker is the reliable sign of truncation.
    if b"%%EOF" not in data[-_EOF_TAIL:]:
        raise InputError(path, "truncated PDF (no %%EOF marker at the end)")
    lines, chars = _with_guard(path, _pdfplumber_lines, data)
    if chars == 0:
        raise InputError(path, "PDF has no text layer (scanned image?); OCR is not supported")
    text = tidy_lines(lines)
    if _CID.search(text):
        # pdfminer writes "(cid:N)" for glyphs it cannot map; it does so for every CID font of
        # an encrypted file (it does not decrypt the font's CIDSystemInfo strings). pypdf maps
        # those, so it gets a second try; the reading with fewer unknown glyphs wins.
        other = tidy_lines(_with_guard(path, _pypdf_lines, data))
        if len(_CID.findall(other)) < len(_CID.findall(text)) and other.strip():
            text = other
        unknown = sum(len(m) for m in _CID.findall(text))
        if unknown > _MAX_UNKNOWN_SHARE * len(text):
            raise InputError(path, "PDF fonts have no Unicode mapping; the text cannot be recovered")
        text = tidy_lines(_CID.sub("", text).split("\n"))
    return text


def _with_guard(path: Path, reader: Callable[[bytes], _T], data: bytes) -> _T:
    """Library failures as InputError: damaged files raise anything from KeyError to PSEOF."""
    try:
        return reader(data)
    except InputError as err:  # raised inside a reader, which does not know the path
        raise InputError(path, err.reason) from None
    except Exception as err:
        chain = {type(e).__name__ for e in (err, err.__cause__, err.__context__, *err.args) if e is not None}
        if chain & {"PDFPasswordIncorrect", "FileNotDecryptedError", "WrongPasswordError"}:
            raise InputError(path, "encrypted PDF (a password is needed)") from None
        if chain & {"PDFEncryptionError", "PDFEncryptionWarning", "DependencyError"}:
            raise InputError(path, "encrypted PDF (unsupported encryption)") from None
        raise InputError(path, f"corrupt PDF ({type(err).__name__})") from None


@dataclass(frozen=True, slots=True)
class _Line:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str


Rows = list[list[str | None]]


@dataclass(slots=True)
class _Page:
    height: float
    # each line outside tables, page numbers already dropped
    lines: list[_Line] = field(default_factory=list)
    # (top, rows) of each table; rows as pdfplumber extracts them (None: a merged position)
    tables: list[tuple[float, Rows]] = field(default_factory=list)
    table_right: float = 0.0  # where the page's widest table ends


def _pdfplumber_lines(data: bytes) -> tuple[list[str], int]:
    import pdfplumber  # imported here: plain-text runs should not pay for loading it

    pages: list[_Page] = []
    chars = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise InputError("", f"PDF has {len(pdf.pages)} pages (limit {MAX_PAGES})")
        for page in pdf.pages:
            chars += len(page.chars)
            if page.chars:
                pages.append(_read_page(page.dedupe_chars(tolerance=_DEDUPE_TOLERANCE)))
            page.flush_cache()  # keep memory flat on long documents
    return _layout(pages), chars


def _layout(pages: list[_Page]) -> list[str]:
    """The document's lines: furniture dropped, continued tables joined, page by page."""
    furniture = _running_furniture(pages)
    out: list[str] = []
    previous_table: Rows | None = None  # the last block of the page before
    for page in pages:
        lines = [ln for ln in page.lines if not _is_furniture(page, ln, furniture)]
        blocks: list[tuple[float, list[str] | None, Rows | None]] = [
            (top, block, None) for top, block in _paragraphs(lines, page.table_right)
        ]
        blocks += [(top, None, rows) for top, rows in page.tables]
        blocks.sort(key=lambda b: b[0])
        for i, (_top, text, rows) in enumerate(blocks):
            if rows is None:
                assert text is not None
                # a 续表 label right before a table that continues the last page's table
                if previous_table is not None and _CONTINUED.match(text[0]) and _next_is_table(blocks, i):
                    continue
                out.extend(text)
                previous_table = None
                continue
            if previous_table is not None and i == _first_table_index(blocks):
                rows = _continuation_rows(previous_table, rows)
            out.extend(render_table(rows))
            previous_table = rows if i == len(blocks) - 1 else None
    return out


def _next_is_table(blocks: list[tuple[float, list[str] | None, Rows | None]], i: int) -> bool:
    return i + 1 < len(blocks) and blocks[i + 1][2] is not None


def _first_table_index(blocks: list[tuple[float, list[str] | None, Rows | None]]) -> int:
    """Index of the page's first block once 续表 labels are set aside."""
    for i, (_top, text, _rows) in enumerate(blocks):
        if text is not None and _CONTINUED.match(text[0]):
            continue
        return i
    return -1


def _continuation_rows(first: Rows, rows: Rows) -> Rows:
    """The rows of a table's continuation without what only repeats the first part: a 续表
    label row and the header row printed again at the top of the page."""
    if rows and _CONTINUED.match(" ".join(c for c in rows[0] if c).strip()):
        rows = rows[1:]
    if rows and first and _row_key(rows[0]) == _row_key(first[0]):
        rows = rows[1:]
    return rows


def _row_key(row: list[str | None]) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", c or "") for c in row)


def _furniture_key(text: str) -> str:
    # "XX市人民政府公报 2021年第3期": the words recur, the numbers change page by page; but a
    # short line keeps its digits ("附件1" and "附件2" head attachments, they are not furniture)
    key = re.sub(r"\s+", "", text)
    words = re.sub(r"\d+", "", key)
    return words if len(words) >= _FURNITURE_WORDS else key


def _in_margin(page: _Page, line: _Line) -> bool:
    return line.top < _MARGIN * page.height or line.bottom > (1 - _MARGIN) * page.height


def _running_furniture(pages: list[_Page]) -> set[str]:
    """Keys of lines that recur in the margins of at least half the pages (and two pages).
    Only pages with content besides their margins count: a page holding just "附件" (an
    attachment's cover) has that word in the margin zone, but it is the page's text."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        margin = [ln for ln in page.lines if _in_margin(page, ln)]
        if len(margin) < len(page.lines) or page.tables:
            seen.update({_furniture_key(ln.text) for ln in margin})
    need = max(2, (len(pages) + 1) // 2)
    return {key for key, n in seen.items() if n >= need and key}


def _is_furniture(page: _Page, line: _Line, furniture: set[str]) -> bool:
    return _in_margin(page, line) and _furniture_key(line.text) in furniture


def _pypdf_lines(data: bytes) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    lines: list[str] = []
    for page in reader.pages[:MAX_PAGES]:
        lines += [ln for ln in (page.extract_text() or "").splitlines() if not _PAGE_NUMBER.match(ln.strip())]
    return lines


def _read_page(page: Any) -> _Page:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_lines = (
        page.filter(outside).extract_text_lines(return_chars=False)
        if boxes
        else (page.extract_text_lines(return_chars=False))
    )
    out = _Page(float(page.height))
    out.lines = [
        _Line(ln["top"], ln["bottom"], ln["x0"], ln["x1"], ln["text"])
        for ln in text_lines
        if not _PAGE_NUMBER.match(ln["text"].strip())
    ]
    # extract() gives None where a merged cell covers a position: written once, as the convention says
    out.tables = [(table.bbox[1], table.extract()) for table in tables]
    out.table_right = max((table.bbox[2] for table in tables), default=0.0)
    return out


def _paragraphs(lines: list[_Line], table_right: float = 0.0) -> list[tuple[float, list[str]]]:
    """Wrapped lines joined: (top of the paragraph, [its text]). The right margin is where the
    longest line or a table ends: on a page holding a table and two short lines, those lines
    do not "run to the margin"."""
    if not lines:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(max(ln.x1 for ln in lines), table_right)
    out: list[tuple[float, list[str]]] = []
    pieces: list[str] = []
    top = 0.0
    previous: _Line | None = None
    for ln in lines:
        size = max(ln.bottom - ln.top, 1.0)
        continues = (
            previous is not None
            and previous.x1 >= right - 1.5 * size  # the line before ran to the margin
            and ln.x0 <= left + 0.8 * size  # and this one is not an indented new paragraph
            and 0 <= ln.top - previous.bottom <= 1.5 * size
        )
        if not continues and pieces:
            out.append((top, [join_pieces(pieces)]))
            pieces = []
        if not pieces:
            top = ln.top
        pieces.append(ln.text)
        previous = ln
    out.append((top, [join_pieces(pieces)]))
    return out
