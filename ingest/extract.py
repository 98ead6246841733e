"""Extraction: a source file (or its text) in, one ExtractionRecord out (corpus/SCHEMA.md)."""

from __future__ import annotations

from pathlib import Path

from policykg.ingest.citations import extract_citations
from policykg.ingest.clauses import extract_clauses
from policykg.ingest.documents import body_start, document_meta, segment
from policykg.ingest.read import read_source
from policykg.ingest.tables import find_row_tables, find_tables
from policykg.ingest.targets import extract_targets
from policykg.ingest.tasks import extract_tasks

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
        row_tables = find_row_tables(text, start, end)
        cites, repeals = extract_citations(text, start, end, meta.title, meta.doc_number)
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
                clauses=[
                    Clause(path=c.path, number=c.number, heading=c.heading, span=(c.start, c.end))
                    for c in extract_clauses(text, start, end)
                ],
            )
        )
    return ExtractionRecord(source=source, documents=documents)


def extract_path(
    path: str | Path, max_bytes: int | None = None, source: str | None = None
) -> ExtractionRecord:
    """Read a file (any supported format and encoding) and extract it. Raises InputError.
    `source` names it in the record (default: the file's name)."""
    src = read_source(Path(path), max_bytes=max_bytes)
    record = extract_text(src.text, source or Path(path).name, src.hints)
    record.content_hash = src.sha256
    return record
