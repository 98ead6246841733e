// purpose: Clause coverage of a document: for each of its clauses (条款) and each jurisdiction
//   among the documents that implement it directly (贯彻落实 / 根据), the tasks linked to the
//   clause (CARRIES_OUT) with their lead units, score and evidence; 0 linked tasks is a gap.
//   With as_of (YYYY-MM-DD) only implementing documents in force that day count (taken effect,
//   not expired, not repealed), as GET /lineage/coverage does.
// param document: string = "知识产权强国建设纲要" -- the implemented document: id, title or a part of the title
// param as_of: string = null -- YYYY-MM-DD, or leave out for every document
// example: policykg query clause_coverage --param document=知识产权强国建设纲要 --param as_of=2023-01-01
MATCH (root:Document)
WHERE root.id = $document OR root.title CONTAINS $document
MATCH (root)<-[:ENSURES_IMPLEMENTATION_OF|BASED_ON]-(impl:Document)
WHERE NOT impl.stub
  AND ($as_of IS NULL OR (
    coalesce(impl.effective_from, impl.issued_on, '') <= $as_of
    AND coalesce(impl.valid_until, '9999-12-31') >= $as_of
    AND NOT EXISTS {
      MATCH (rep:Document)-[:REPEALS]->(impl)
      WHERE coalesce(rep.effective_from, rep.issued_on, '') <= $as_of
    }))
WITH root, coalesce(impl.jurisdiction, impl.title, impl.id) AS jurisdiction, collect(DISTINCT impl) AS impls
MATCH (root)-[:HAS_CLAUSE]->(c:Clause)
OPTIONAL MATCH (t:Task)-[l:CARRIES_OUT]->(c)
WHERE EXISTS { MATCH (d:Document)-[:HAS_TASK]->(t) WHERE d IN impls }
WITH root, c, jurisdiction, t, l,
     COLLECT { MATCH (t)-[:LED_BY]->(a:Agency) RETURN a.name ORDER BY a.name } AS lead,
     COLLECT { MATCH (d:Document)-[:HAS_TASK]->(t) RETURN d.title ORDER BY d.title LIMIT 1 } AS owner
ORDER BY l.score DESC, t.id
WITH root, c, jurisdiction,
     collect(CASE WHEN t IS NULL THEN null ELSE {task: t.text, document: owner[0], lead: lead,
                                                 score: l.score, evidence: l.evidence} END) AS tasks
RETURN root.title AS document,
       c.path AS clause,
       c.heading AS heading,
       jurisdiction,
       size(tasks) AS linked_tasks,
       tasks
ORDER BY document, c.span_start, clause, jurisdiction
