// purpose: The documents most cited by ingested documents (ingested or not), with the ways they
//   are cited: the backbone of the policy system.
// param limit: int = 20 -- most rows returned
// example: policykg query most_cited_documents --param limit=10
MATCH (d:Document)-[r:CITES|BASED_ON|ENSURES_IMPLEMENTATION_OF|APPLIES]->(cited:Document)
WITH cited, count(DISTINCT d) AS citing_documents, collect(DISTINCT toLower(type(r))) AS relations
RETURN cited.title AS title,
       cited.doc_number AS doc_number,
       cited.stub AS never_ingested,
       citing_documents,
       relations
ORDER BY citing_documents DESC, title
LIMIT $limit
