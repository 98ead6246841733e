// purpose: Tasks with no lead unit: work assigned only to "responsible" units (A、B、C按职责分工负责
//   without 牵头), where accountability is diffuse.
// param document: string = "" -- limit to documents whose title contains this ("" for all)
// example: policykg query tasks_without_lead --param document=保定市
MATCH (d:Document)-[:HAS_TASK]->(t:Task)
WHERE NOT EXISTS { (t)-[:LED_BY]->(:Agency) } AND coalesce(d.title, '') CONTAINS $document
RETURN d.title AS document,
       t.section AS section,
       t.text AS task,
       COLLECT { MATCH (t)-[:RESPONSIBILITY_OF]->(a:Agency) RETURN a.name ORDER BY a.name } AS responsible
ORDER BY document, coalesce(t.span_start, 9223372036854775807), t.id
