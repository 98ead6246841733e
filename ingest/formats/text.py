"""Plain text: decoding bytes whose encoding is not declared.

Order of tries, cheapest and most specific first: a BOM (UTF-8, UTF-16 LE/BE), BOM-less UTF-16
recognised by where its NUL bytes fall, strict UTF-8, strict GB18030 (a superset of GBK and
GB2312). A decoding that yields control characters is binary data, not text. Line ends are
normalized to "\n" (as Python's text mode does), so spans count one character per line break.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from policykg.ingest.errors import InputError

# C0 controls that never occur in real text (tab, LF, CR and form feed do). A regex search
# finds none in one fast pass over ordinary text; only files that have some pay for removal.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A few stray controls happen in real files (pasted from Word); more than this is binary.
_MAX_CONTROL_RATIO = 0.001
_UTF16_SAMPLE = 8192


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding name) of undeclared text bytes, or InputError when they are not text."""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(path, data[3:], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        text = _strict(path, _even(data[2:]), encoding)
    elif (utf16 := sniff_utf16(data)) is not None:
        try:
            text, encoding = _even(data).decode(utf16), utf16
        except UnicodeDecodeError:
            raise InputError(path, "binary data (NUL bytes), not text") from None
    else:
        if b"\x00" in data:
            raise InputError(path, "binary data (NUL bytes), not text")
        text, encoding = _ascii_compatible(path, data)
    return _clean(path, text), encoding


def decode_declared(data: bytes, declared: str | None) -> tuple[str, str]:
    """Lenient decoding for a container that declares its charset (HTML): a page with one bad
    byte is still a page, so undecodable bytes become U+FFFD instead of failing the file."""
    for name in _candidates(declared):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    name = _normalize_charset(declared) or "utf-8"
    return data.decode(name, errors="replace"), name


def sniff_utf16(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' for BOM-less UTF-16, judged by NUL bytes: ASCII characters
    (digits, line breaks) put their NUL high byte on one parity only. Chinese characters rarely
    produce NULs (U+4E00 一 does, on the other parity), hence a ratio rather than "none". The
    partner of each NUL must be a printable ASCII byte, or it is binary with a NUL pattern."""
    sample = data[: _UTF16_SAMPLE - _UTF16_SAMPLE % 2]
    even, odd = sample[0::2], sample[1::2]
    even_nuls, odd_nuls = even.count(0), odd.count(0)
    if odd_nuls >= 2 and odd_nuls >= 4 * even_nuls:
        encoding, units = "utf-16-le", zip(even, odd, strict=False)
    elif even_nuls >= 2 and even_nuls >= 4 * odd_nuls:
        encoding, units = "utf-16-be", zip(odd, even, strict=False)
    else:
        return None
    partners = [low for low, high in units if high == 0]
    printable = sum(1 for b in partners if 32 <= b < 127 or b in (9, 10, 13))
    return encoding if printable >= 0.9 * len(partners) else None


def _ascii_compatible(path: Path, data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        # A file cut inside its last character is still the text it was: drop the fragment.
        if err.reason == "unexpected end of data" and err.end == len(data):
            try:
                return data[: err.start].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise InputError(path, "binary data or unsupported encoding (not UTF-8, GB18030, UTF-16)") from None


def _strict(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(path, f"invalid {encoding} text at byte {err.start}") from None


def _even(data: bytes) -> bytes:
    # An odd length means the last code unit was cut off; the text before it is intact.
    return data[:-1] if len(data) % 2 else data


def _clean(path: Path, text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        # Form feeds separate pages in text exports: a line break keeps the words apart.
        text = text.replace("\f", "\n")
    if _CONTROL.search(text) is None:
        return text
    stripped = _CONTROL.sub("", text)
    if len(text) - len(stripped) > max(2, len(text) * _MAX_CONTROL_RATIO):
        raise InputError(path, "binary data (control characters), not text")
    return stripped


def _normalize_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    # Pages labelled gb2312/gbk routinely use characters outside it; GB18030 is the superset.
    if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "x-euc-cn", "hz-gb-2312"}:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _candidates(declared: str | None) -> list[str]:
    names = [n for n in (_normalize_charset(declared), "utf-8", "gb18030") if n]
    return list(dict.fromkeys(names))
