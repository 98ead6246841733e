// purpose: Orphan citations: documents that are cited (or repealed) but were never ingested
//   (stubs), with how many ingested documents cite them: the corpus's most wanted documents.
// param min_citing: int = 1 -- least number of citing documents
// param limit: int = 100 -- most rows returned
// example: policykg query orphan_citations --param min_citing=2
MATCH (stub:Document {stub: true})<-[r:CITES|BASED_ON|ENSURES_IMPLEMENTATION_OF|APPLIES|REPEALS]-(d:Document)
WITH stub, collect(DISTINCT coalesce(d.title, d.id)) AS cited_by
WHERE size(cited_by) >= $min_citing
RETURN stub.title AS title,
       stub.doc_number AS doc_number,
       stub.level AS level_guess,
       size(cited_by) AS citing_documents,
       cited_by
ORDER BY citing_documents DESC, title, doc_number
LIMIT $limit
