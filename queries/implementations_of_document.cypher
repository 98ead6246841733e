// purpose: Every document that implements a document, directly or through intermediate
//   documents (贯彻落实 / 根据 / 参照执行), with the shortest path from the document down.
// param document: string = "知识产权强国建设纲要" -- the implemented document: id, title or a part of the title
// param depth: int = 5 -- longest chain followed (1-10)
// example: policykg query implementations_of_document --param document=知识产权强国建设纲要 --param depth=3
MATCH (root:Document)
WHERE root.id = $document OR root.title CONTAINS $document
MATCH p = (root)<-[:ENSURES_IMPLEMENTATION_OF|BASED_ON|APPLIES*1..10]-(d:Document)
WHERE length(p) <= $depth AND d <> root
WITH root, d, p
ORDER BY length(p), [n IN nodes(p) | coalesce(n.title, n.id)]
WITH root, d, collect(p)[0] AS p
RETURN root.title AS document,
       d.title AS implementation,
       d.level AS level,
       d.jurisdiction AS jurisdiction,
       length(p) AS depth,
       [n IN nodes(p) | coalesce(n.title, n.doc_number, n.id)] AS path,
       [r IN relationships(p) | toLower(type(r))] AS relations
ORDER BY document, depth, implementation
