// purpose: The citation chain from a local plan (a city's or county's) up to a national document,
//   following any citation (引用, 依据, 贯彻落实, 参照) upwards; the shortest chain per national document.
// param document: string = "遵义市国家知识产权强市建设试点城市工作方案" -- the local document: id, title or a part of it
// param national: string = "知识产权强国建设纲要" -- part of the national document's title ("" for every national document)
// param max_hops: int = 4 -- longest chain followed (1-6)
// example: policykg query citation_chain_to_national --param document=遵义市国家知识产权强市建设试点城市工作方案 --param national=知识产权强国建设纲要
MATCH (local:Document)
WHERE local.id = $document OR local.title CONTAINS $document
MATCH p = (local)-[:CITES|BASED_ON|ENSURES_IMPLEMENTATION_OF|APPLIES*1..6]->(top:Document)
WHERE length(p) <= $max_hops AND top.level = 'national' AND coalesce(top.title, '') CONTAINS $national
WITH local, top, p
ORDER BY length(p), [n IN nodes(p) | coalesce(n.title, n.id)]
WITH local, top, collect(p)[0] AS p
RETURN local.title AS document,
       top.title AS national_document,
       length(p) AS hops,
       [n IN nodes(p) | coalesce(n.title, n.doc_number, n.id)] AS chain,
       [n IN nodes(p) | n.level] AS levels,
       [r IN relationships(p) | toLower(type(r))] AS relations
ORDER BY document, hops, national_document
