"""Plain text: decoding bytes whose encoding is not declared.

Order of tries, cheapest and most specific first: a BOM (UTF-8, UTF-16 LE/BE), BOM-less UTF-16
recognised by where its NUL bytes fall, HZ (7-bit ASCII with ~{ ~} shifts), strict UTF-8, then
the legacy double-byte encodings: GB18030 (a superset of GBK and GB2312) and Big5 (cp950, then
Big5-HKSCS). Those two accept almost each other's bytes, so a decoding only counts when it is
clean: Big5 read as GB18030 is full of private-use characters (GB18030's user-defined areas),
GB18030 read as Big5 fails on common characters (人 is C8CB, unassigned in Big5). When both are
clean (a short text), the reading with more frequent characters wins (`hanzi.py`), and
charset-normalizer decides what is still even or when neither is clean; its answer must be clean too,
or the file is refused naming the best guess: a file is never silently read as mojibake.
A decoding that yields control characters is binary data, not text. Line ends are normalized
to "\n" (as Python's text mode does), so spans count one character per line break.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from policykg.ingest.errors import InputError
from policykg.ingest.formats.hanzi import common_count

# C0 controls that never occur in real text (tab, LF, CR and form feed do). A regex search
# finds none in one fast pass over ordinary text; only files that have some pay for removal.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A few stray controls happen in real files (pasted from Word); more than this is binary.
_MAX_CONTROL_RATIO = 0.001
_UTF16_SAMPLE = 8192
# Signs of a wrong decoding: private-use characters (where GB18030 puts bytes that are Big5
# characters) and replacement characters.
_SUSPECT = re.compile("[\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")
_GB = "gb18030"
_BIG5 = ("cp950", "big5hkscs")  # Windows Big5 first; HKSCS adds the Hong Kong characters
_HZ_SHIFT = b"~{"
# What the detector may answer when neither legacy decoding is clean: the encodings Chinese
# documents come in. Unrestricted, it reads junk as Cyrillic or Latin-1 without a complaint.
_DETECTABLE = [_GB, *_BIG5, "utf_16_le", "utf_16_be"]
# A declared-charset page may carry a stray bad byte; more replacements than this is mojibake.
_MAX_SUSPECT_RATIO = 0.001


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


def decode_declared(data: bytes, declared: str | None, path: Path | None = None) -> tuple[str, str]:
    """Decoding for a container that declares its charset (HTML). The declaration is tried
    first, then UTF-8 and GB18030; a result with private-use characters (a page labelled
    gb2312 that is really Big5) is not trusted and detection runs as for plain text. A page
    with a stray bad byte is still a page: as a last resort undecodable bytes become U+FFFD,
    but only a few (`_MAX_SUSPECT_RATIO`); more is mojibake and the file is refused."""
    for name in _candidates(declared):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if not _SUSPECT.search(text):
            return text, name
    where = path or Path("<page>")
    try:
        return _legacy(where, data)
    except InputError:
        pass
    name = _normalize_charset(declared) or "utf-8"
    text = data.decode(name, errors="replace")
    suspects = len(_SUSPECT.findall(text))
    if suspects > max(3, len(text) * _MAX_SUSPECT_RATIO):
        reason = f"{suspects} invalid or private-use characters as {name} (declared {declared})"
        raise InputError(where, f"undecodable page: {reason}")
    return text, name


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
    # Latin-1's printable half counts too: web text is full of no-break spaces (U+00A0), and
    # ×, ·, ° occur in documents
    printable = sum(1 for b in partners if 32 <= b < 127 or b >= 160 or b in (9, 10, 13))
    return encoding if printable >= 0.9 * len(partners) else None


def _ascii_compatible(path: Path, data: bytes) -> tuple[str, str]:
    if _HZ_SHIFT in data and data.isascii() and (hz := _hz(data)) is not None:
        return hz, "hz"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        # A file cut inside its last character is still the text it was: drop the fragment.
        if err.reason == "unexpected end of data" and err.end == len(data):
            try:
                return data[: err.start].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
    return _legacy(path, data)


def _hz(data: bytes) -> str | None:
    """HZ (RFC 1843) text, or None when the ~{ is not an HZ shift (ASCII that happens to hold it)."""
    try:
        text = data.decode("hz")
    except UnicodeDecodeError:
        return None
    has_han = any("\u4e00" <= ch <= "\u9fff" for ch in text)
    return text if has_han and not _SUSPECT.search(text) else None


def _legacy(path: Path, data: bytes) -> tuple[str, str]:
    """Undeclared bytes that are not UTF-8: GB18030 or Big5, whichever decodes cleanly; a
    tie or no clean decoding goes to charset-normalizer (module docstring)."""
    gb = _clean_decode(data, _GB)
    big5 = next(((text, name) for name in _BIG5 if (text := _clean_decode(data, name)) is not None), None)
    if gb is not None and big5 is None:
        return gb, _GB
    if big5 is not None and gb is None:
        return big5
    if gb is not None and big5 is not None:
        # a tie is a short text: the reading made of frequent characters wins; when that is
        # even too, the detector judges, and GB18030 (mainland documents) is the default
        gb_score, big5_score = common_count(gb), common_count(big5[0])
        if gb_score != big5_score:
            return big5 if big5_score > gb_score else (gb, _GB)
        guess = _detect(data, [_GB, big5[1]])
        return big5 if guess is not None and guess[1] != _GB else (gb, _GB)
    guess = _detect(data, _DETECTABLE)
    if guess is not None and not _SUSPECT.search(guess[0]):
        return guess
    detail = f"; best guess {guess[1]} gives invalid or private-use characters" if guess else ""
    raise InputError(
        path, f"binary data or unsupported encoding (not UTF-8, GB18030, Big5, UTF-16 or HZ){detail}"
    )


def _clean_decode(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if _SUSPECT.search(text) else text


def _detect(data: bytes, candidates: list[str] | None) -> tuple[str, str] | None:
    """charset-normalizer's best reading (text, codec name), among `candidates` if given.
    Imported here: only files the fast path is unsure of pay for loading it."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=candidates).best()
    if best is None:
        return None
    try:
        name = codecs.lookup(best.encoding).name
        return data.decode(name), name
    except (LookupError, UnicodeDecodeError):
        return None


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
    if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "x-euc-cn"}:
        return "gb18030"
    # Likewise pages labelled big5 may hold Hong Kong characters; HKSCS is the superset
    # (and what browsers use for the label).
    if name in {"big5", "big5-tw", "cn-big5", "x-x-big5", "csbig5"}:
        return "big5hkscs"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _candidates(declared: str | None) -> list[str]:
    names = [n for n in (_normalize_charset(declared), "utf-8", "gb18030") if n]
    return list(dict.fromkeys(names))
