// purpose: Agencies that lead tasks in more than one document: who carries policy across plans.
// param min_documents: int = 2 -- least number of documents in which the agency leads a task
// example: policykg query agencies_leading_in_many_documents --param min_documents=2
MATCH (d:Document)-[:HAS_TASK]->(t:Task)-[:LED_BY]->(a:Agency)
WITH a, count(DISTINCT t) AS tasks, collect(DISTINCT coalesce(d.title, d.id)) AS documents
WHERE size(documents) >= $min_documents
RETURN a.name AS agency,
       size(documents) AS document_count,
       tasks AS lead_tasks,
       documents
ORDER BY document_count DESC, lead_tasks DESC, agency
