// purpose: Pairs of agencies named on the same tasks (as lead or responsible units) and how many
//   tasks they share: who has to work together most.
// param min_shared: int = 2 -- least number of shared tasks
// param limit: int = 50 -- most pairs returned
// example: policykg query co_responsible_agency_pairs --param min_shared=5
MATCH (a:Agency)<-[:LED_BY|RESPONSIBILITY_OF]-(t:Task)-[:LED_BY|RESPONSIBILITY_OF]->(b:Agency)
WHERE a.name < b.name
WITH a, b, count(DISTINCT t) AS shared
WHERE shared >= $min_shared
RETURN a.name AS agency_a, b.name AS agency_b, shared AS shared_tasks
ORDER BY shared_tasks DESC, agency_a, agency_b
LIMIT $limit
