// purpose: Tasks an agency leads, across all documents (the agency by id, exact name or a part
//   of its name, e.g. 市场监督管理局 for every city's market regulator).
// param agency: string -- the agency's id, its canonical name or a part of it
// example: policykg query tasks_led_by_agency --param agency=苏州市市场监督管理局
MATCH (d:Document)-[:HAS_TASK]->(t:Task)-[:LED_BY]->(a:Agency)
WHERE a.id = $agency OR a.name CONTAINS $agency
RETURN a.name AS agency,
       d.title AS document,
       t.section AS section,
       t.text AS task
ORDER BY agency, document, coalesce(t.span_start, 9223372036854775807), t.id
