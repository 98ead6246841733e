"""Which reader a file needs, decided from its first bytes (the extension is never trusted)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Literal

from policykg.ingest.errors import InputError

Kind = Literal["pdf", "zip", "html", "text"]

# Formats that are recognisably something else: refused with their name instead of a vague
# "binary" so the user knows what they handed in.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office (.doc/.xls/.ppt OLE) file; save as .docx/.xlsx"),
    (b"{\\rtf", "RTF document; save it as .docx or text"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x7fELF", "ELF executable"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"(\xb5/\xfd", "zstd archive"),
    (b"\x00asm", "WebAssembly module"),
)
_PDF_HEAD = 1024  # the PDF spec lets %PDF- start anywhere in the first 1 KB
_HTML_HEAD = 4096
_HTML_TAG = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|article|section|span|br|h[1-6])[\s>/]",
    re.IGNORECASE,
)


def sniff(path: Path, data: bytes) -> Kind:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"unsupported format: {name}")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"PK"):
        raise InputError(path, "corrupt ZIP/DOCX container (bad signature)")
    if b"%PDF-" in data[:_PDF_HEAD]:
        return "pdf"
    if looks_like_html(data[:_HTML_HEAD]):
        return "html"
    return "text"


def looks_like_html(head: bytes) -> bool:
    """Markup when the first non-blank character is '<' and a common HTML tag appears early.
    UTF-16 pages are recognised after decoding, by `looks_like_html_text`."""
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"<") and _HTML_TAG.search(head) is not None


def looks_like_html_text(text: str) -> bool:
    return looks_like_html(text[:_HTML_HEAD].encode("utf-8", errors="ignore"))
