// purpose: Full-text search over document titles, task texts and agency names (Lucene syntax, CJK
//   bigram analyzer: 强国 finds 知识产权强国建设纲要), best matches first.
// param q: string -- the words to find, e.g. 强国, 质押 AND 融资, "专利导航"
// param limit: int = 20 -- most rows returned
// example: policykg query fulltext_search --param q=质押融资
CALL db.index.fulltext.queryNodes('pkg_fulltext', $q) YIELD node, score
RETURN [l IN labels(node) WHERE NOT l STARTS WITH '_'][0] AS type,
       coalesce(node.title, node.name, node.text) AS text,
       node.id AS id,
       round(score, 3) AS score
ORDER BY score DESC, id
LIMIT $limit
