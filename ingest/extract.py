"""Extraction: a source file (or its text) in, one ExtractionRecord out (corpus/SCHEMA.md)."""

from __future__ import annotations

from pathlib import Path

from policykg.ingest.citations import extract_citations
from policykg.ingest.clauses import Clause as ClauseSpan
from policykg.ingest.clauses import extract_clauses
from policykg.ingest.documents import body_start, document_meta, segment
from policykg.ingest.read import read_source
from policykg.ingest.tables import find_paragraph_tables, find_row_tables, find_tables
from policykg.ingest.targets import extract_targets
from policykg.ingest.tasks import extract_tasks
from policykg.ingest.validity import extract_validity

from policykg.records import Clause, Document, ExtractionRecord


def extract_text(text: str, source: str, hints: dict[str, str] | None = None) -> ExtractionRecord:
    """Pure: the documents of one file's text, with every fact's span in that text. `hints`:
    what the file's format states about its one document (SourceText.hints)."""
    documents = []
    segments = segment(text)
    if hints and len(segments) == 1:  # a page listing several documents describes none of them
        segments[0].hints = hints
    for seg in segments:
        meta = document_meta(text, seg)
        start, end = body_start(text, seg, meta.title), seg.end
        tables = find_tables(text, start, end)
        row_tables = [*find_row_tables(text, start, end), *find_paragraph_tables(text, start, end)]
        cites, repeals = extract_citations(text, start, end, meta.title, meta.doc_number)
        effective_from, valid_until = extract_validity(text, start, end, meta.issued_on)
        documents.append(
            Document(
                title=meta.title,
                doc_type=meta.doc_type,
                doc_number=meta.doc_number,
                issuers=meta.issuers,
                issued_on=meta.issued_on,
                jurisdiction=meta.jurisdiction,
                level=meta.level,  # type: ignore[arg-type]
                cites=cites,
                repeals=repeals,
                tasks=extract_tasks(text, start, end, meta.jurisdiction, tables, row_tables),
                targets=extract_targets(text, start, end, meta.title, meta.jurisdiction, tables),
                span=(seg.start, seg.end),
                effective_from=effective_from,
                valid_until=valid_until,
                clauses=_clause_records(text, extract_clauses(text, start, end)),
            )
        )
    return ExtractionRecord(source=source, documents=documents)


CLAUSE_TEXT_MAX = 1000  # characters of a provision's own words kept for the task→clause linker


def _clause_records(text: str, found: list[ClauseSpan]) -> list[Clause]:
    """Clause records with their own words: heading and body up to the first sub-provision
    (a level-1 section's text is its preamble, not the whole section again)."""
    records = []
    for i, c in enumerate(found):
        own_end = c.end
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and nxt.path.startswith(c.path + "/"):
            own_end = min(own_end, nxt.start)
        own = text[c.start : min(own_end, c.start + CLAUSE_TEXT_MAX)].strip()
        records.append(
            Clause(path=c.path, number=c.number, heading=c.heading, span=(c.start, c.end), text=own)
        )
    return records


def extract_path(
    path: str | Path, max_bytes: int | None = None, source: str | None = None
) -> ExtractionRecord:
    """Read a file (any supported format and encoding) and extract it. Raises InputError.
    `source` names it in the record (default: the file's name)."""
    src = read_source(Path(path), max_bytes=max_bytes)
    record = extract_text(src.text, source or Path(path).name, src.hints)
    record.content_hash = src.sha256
    return record
