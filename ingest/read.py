"""Reading a source file into text: the one entry point for every input format.

`read_source` refuses what it cannot use with `InputError` (one line: the path and what is
wrong), never with a library's traceback. Steps, each cheap before the next:
file checks (exists, regular file, size limit) -> kind sniffed from the content -> the
format's reader -> `check_policy_text`. Plain UTF-8 text, the common case, costs one decode
and a few linear scans.

The text returned is what extraction spans count in: for .txt the file decoded (a BOM
dropped, line ends normalized to "\n"); for HTML, DOCX and PDF the reader's rendering, one
paragraph per line and tables in the convention described in `formats/layout.py`.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass, field
from pathlib import Path

from policykg.ingest.errors import InputError
from policykg.ingest.formats.sniff import looks_like_html_text, sniff
from policykg.ingest.formats.text import decode_text


@dataclass(frozen=True, slots=True)
class SourceText:
    path: Path
    text: str
    encoding: str  # the text's encoding as found; "utf-8" for DOCX (XML), "n/a" for PDF
    format: str  # txt | html | docx | pdf | xlsx | csv
    sha256: str
    # what the format states about the document besides its text (an HTML page's meta tags:
    # "title", "date", "issuer"); the extraction falls back on them
    hints: dict[str, str] = field(default_factory=dict)


# Any one of these shows the text is (or may be) a Chinese policy document. The list is
# deliberately broad (single characters such as 条 and 局 included): the check exists to turn
# away READMEs, logs and unrelated prose, and must never reject a real policy.
POLICY_MARKERS: tuple[str, ...] = (
    "《", "关于", "通知", "办法", "规划", "方案", "意见", "条", "牵头", "政府", "局",
    "规定", "决定", "公告", "通告", "批复", "纲要", "细则", "措施", "政策", "委员会",
    "国务院", "部门", "厅", "印发", "实施", "发〔", "号",
)  # fmt: skip


# files that describe a folder (where its documents came from, how to use it), never a policy:
# left out when a whole folder is read
FOLDER_NOTES = frozenset({"README", "SOURCES", "CHANGELOG", "LICENSE", "NOTICE", "CONTRIBUTING"})


def is_folder_note(path: Path) -> bool:
    return path.stem.upper() in FOLDER_NOTES


def folder_files(folder: Path) -> list[Path]:
    """The files a whole-folder read takes, in a stable order: every file below `folder` but
    hidden ones (or in hidden folders) and the folder's own notes."""
    return [
        f
        for f in sorted(folder.rglob("*"))
        if f.is_file()
        and not any(part.startswith(".") for part in f.relative_to(folder).parts)
        and not is_folder_note(f)
    ]


def read_source(path: Path, max_bytes: int | None = None) -> SourceText:
    """The text of one source file. `max_bytes` defaults to settings.max_file_bytes."""
    path = Path(path)
    if max_bytes is None:
        from policykg.settings import get_settings

        max_bytes = get_settings().max_file_bytes
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise InputError(path, "empty file" if not data else "file holds only white space")
    digest = hashlib.sha256(data).hexdigest()
    text, encoding, fmt, hints = _to_text(path, data)
    if not text.strip():
        raise InputError(path, f"no text content in this {fmt.upper()} file")
    check_policy_text(path, text)
    return SourceText(path, text, encoding, fmt, digest, hints)


def check_policy_text(path: Path, text: str) -> None:
    """InputError unless `text` holds at least one Chinese policy marker (POLICY_MARKERS).

    The test is presence, not a score: one 《 or 通知 anywhere passes. English READMEs, code,
    logs and Chinese prose about anything else (no 关于/通知/条/局/政府/...) fail."""
    if not any(marker in text for marker in POLICY_MARKERS):
        raise InputError(path, "not a policy document (no Chinese policy marker such as 《, 通知, 政府)")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(path, "broken symbolic link" if path.is_symlink() else "no such file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as err:
        raise InputError(path, f"cannot access: {err.strerror or err}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # a FIFO or device would block or never end; only regular files are documents
        raise InputError(path, "not a regular file (device, FIFO or socket)")
    if info.st_size > max_bytes:
        raise InputError(path, f"too large: {info.st_size} bytes (limit {max_bytes})")
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)  # +1: a file that grew since stat() is caught too
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as err:
        raise InputError(path, f"cannot read: {err.strerror or err}") from None
    if len(data) > max_bytes:
        raise InputError(path, f"too large: more than {max_bytes} bytes")
    return data


def _to_text(path: Path, data: bytes) -> tuple[str, str, str, dict[str, str]]:
    kind = sniff(path, data)
    if kind == "pdf":
        from policykg.ingest.formats.pdf import read_pdf

        return read_pdf(path, data), "n/a", "pdf", {}
    if kind == "zip":
        from policykg.ingest.formats.sheet import is_xlsx, read_xlsx

        if is_xlsx(data):
            return read_xlsx(path, data), "utf-8", "xlsx", {}
        from policykg.ingest.formats.docx import read_docx

        return read_docx(path, data), "utf-8", "docx", {}
    if kind == "html":
        from policykg.ingest.formats.html import decode_html, read_html

        markup, encoding = decode_html(data, path)
        page, hints = read_html(path, markup)
        return page, encoding, "html", hints
    text, encoding = decode_text(path, data)
    if path.suffix.lower() in (".csv", ".tsv"):
        from policykg.ingest.formats.sheet import csv_to_text

        return csv_to_text(path, text), encoding, "csv", {}
    if looks_like_html_text(text):  # a UTF-16 page is only recognisable once decoded
        from policykg.ingest.formats.html import read_html

        page, hints = read_html(path, text)
        return page, encoding, "html", hints
    return text, encoding, "txt", {}
