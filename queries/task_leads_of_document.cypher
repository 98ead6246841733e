// purpose: Lead units (牵头单位) of every task of a document, in the order the tasks appear,
//   with the responsible units (责任单位) beside them.
// param document: string -- the document's id, or its title or a part of it
// example: policykg query task_leads_of_document --param document=遵义市国家知识产权强市建设试点城市工作方案
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE d.id = $document OR d.title CONTAINS $document
RETURN d.title AS document,
       t.section AS section,
       t.text AS task,
       COLLECT { MATCH (t)-[:LED_BY]->(a:Agency) RETURN a.name ORDER BY a.name } AS lead,
       COLLECT { MATCH (t)-[:RESPONSIBILITY_OF]->(a:Agency) RETURN a.name ORDER BY a.name } AS responsible
ORDER BY document, coalesce(t.span_start, 9223372036854775807), t.id
