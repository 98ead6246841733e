// purpose: Citations made by 文号 alone: documents that cite a parent by its document number but
//   not by its title (the edge keeps cited_number and no cited_title), and the parent they reached.
// param document: string = "" -- limit to citing documents whose title contains this ("" for all)
// example: policykg query cited_by_number_only
MATCH (d:Document)-[r:CITES|BASED_ON|ENSURES_IMPLEMENTATION_OF|APPLIES|REPEALS]->(parent:Document)
WHERE r.cited_number IS NOT NULL
  AND (r.cited_title IS NULL OR trim(r.cited_title) = '')
  AND coalesce(d.title, '') CONTAINS $document
RETURN d.title AS document,
       toLower(type(r)) AS relation,
       r.cited_number AS cited_number,
       parent.title AS parent_title,
       parent.stub AS parent_not_ingested,
       r.source AS source,
       r.span_start AS span_start
ORDER BY document, cited_number, relation
