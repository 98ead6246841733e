// purpose: How many documents each level and jurisdiction has (ingested ones; stubs on request),
//   national first.
// param include_stubs: bool = false -- also count documents known only from citations
// example: policykg query documents_per_level_and_jurisdiction --param include_stubs=true
MATCH (d:Document)
WHERE $include_stubs OR NOT coalesce(d.stub, false)
WITH d.level AS level, d.jurisdiction AS jurisdiction, d
ORDER BY d.title
WITH level, jurisdiction, count(d) AS documents, collect(coalesce(d.title, d.id)) AS titles
RETURN level, jurisdiction, documents, titles[..5] AS examples
ORDER BY CASE level WHEN 'national' THEN 0 WHEN 'provincial' THEN 1 WHEN 'municipal' THEN 2
                    WHEN 'county' THEN 3 ELSE 4 END,
         jurisdiction
