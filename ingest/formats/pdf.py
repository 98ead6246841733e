"""PDF with a text layer, via pdfplumber (built on pdfminer.six).

pdfminer.six is used rather than pypdf because it ships the Adobe-GB1 CMaps, so Chinese text
in fonts without a ToUnicode map (common in older government PDFs) still decodes; pdfplumber
adds ruled-table detection on top of it, so task tables come out as cells in the corpus
convention instead of a column soup. pypdf is the second reader, used only when pdfminer
leaves glyphs unmapped (see `read_pdf`).

Reading order per page: text lines outside tables and whole tables, sorted top to bottom.
Lines wrapped by the layout are joined back into paragraphs (a line that reaches the right
margin continues on the next one unless that one is indented), and page furniture (page
numbers such as "- 3 -" or "第 3 页 共 9 页") is dropped. A PDF without any text (a scan)
is refused: OCR is out of scope.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from policykg.ingest.errors import InputError
from policykg.ingest.formats.layout import join_pieces, render_table, tidy_lines

_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$")
_EOF_TAIL = 2048
_CID = re.compile(r"\(cid:\d+\)")
_MAX_UNKNOWN_SHARE = 0.1
_T = TypeVar("_T")

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


def _pdfplumber_lines(data: bytes) -> tuple[list[str], int]:
    import pdfplumber  # imported here: plain-text runs should not pay for loading it

    lines: list[str] = []
    chars = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise InputError("", f"PDF has {len(pdf.pages)} pages (limit {MAX_PAGES})")
        for page in pdf.pages:
            chars += len(page.chars)
            lines.extend(_page_lines(page))
            page.flush_cache()  # keep memory flat on long documents
    return lines, chars


def _pypdf_lines(data: bytes) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    lines: list[str] = []
    for page in reader.pages[:MAX_PAGES]:
        lines += [ln for ln in (page.extract_text() or "").splitlines() if not _PAGE_NUMBER.match(ln.strip())]
    return lines


def _page_lines(page: Any) -> list[str]:
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
    text_lines = [ln for ln in text_lines if not _PAGE_NUMBER.match(ln["text"].strip())]
    items = _paragraphs(text_lines)
    for table in tables:
        # extract() gives None where a merged cell covers a position: written once, as the convention says
        items.append((table.bbox[1], render_table(table.extract())))
    items.sort(key=lambda item: item[0])
    return [line for _, block in items for line in block]


def _paragraphs(lines: list[dict[str, Any]]) -> list[tuple[float, list[str]]]:
    """Wrapped lines joined: (top of the paragraph, [its text])."""
    if not lines:
        return []
    left = min(ln["x0"] for ln in lines)
    right = max(ln["x1"] for ln in lines)
    out: list[tuple[float, list[str]]] = []
    pieces: list[str] = []
    top = 0.0
    previous: dict[str, Any] | None = None
    for ln in lines:
        size = max(ln["bottom"] - ln["top"], 1.0)
        continues = (
            previous is not None
            and previous["x1"] >= right - 1.5 * size  # the line before ran to the margin
            and ln["x0"] <= left + 0.8 * size  # and this one is not an indented new paragraph
            and 0 <= ln["top"] - previous["bottom"] <= 1.5 * size
        )
        if not continues and pieces:
            out.append((top, [join_pieces(pieces)]))
            pieces = []
        if not pieces:
            top = ln["top"]
        pieces.append(ln["text"])
        previous = ln
    out.append((top, [join_pieces(pieces)]))
    return out
