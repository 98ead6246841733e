// purpose: Repealed documents (废止) and the documents that repealed them, with the 文号 as cited
//   and whether the repealed text itself was ever ingested.
// example: policykg query repealed_documents
MATCH (by:Document)-[r:REPEALS]->(old:Document)
RETURN old.title AS repealed,
       coalesce(old.doc_number, r.cited_number) AS repealed_number,
       old.stub AS never_ingested,
       by.title AS repealed_by,
       by.doc_number AS repealed_by_number,
       by.issued_on AS repealed_on,
       r.source AS source
ORDER BY repealed, repealed_number, repealed_by
