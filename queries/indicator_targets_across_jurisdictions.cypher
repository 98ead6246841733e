// purpose: The targets set for one indicator across jurisdictions (national first, then
//   provinces, cities, counties), with value, unit, baseline and target year.
// param indicator: string = "高价值发明专利拥有量" -- the indicator, or a part of its normalized name (万人… for 每万人口…)
// example: policykg query indicator_targets_across_jurisdictions --param indicator=高价值发明专利拥有量
MATCH (d:Document)-[:HAS_TARGET]->(t:Target)
OPTIONAL MATCH (t)-[:MEASURES]->(i:Indicator)
WITH d, t, i
WHERE i.name CONTAINS $indicator OR t.indicator CONTAINS $indicator
RETURN coalesce(i.name, t.indicator) AS indicator,
       d.level AS level,
       d.jurisdiction AS jurisdiction,
       t.value AS value,
       t.unit AS unit,
       t.baseline AS baseline,
       t.baseline_year AS baseline_year,
       t.target_year AS target_year,
       d.title AS document
ORDER BY indicator,
         CASE d.level WHEN 'national' THEN 0 WHEN 'provincial' THEN 1 WHEN 'municipal' THEN 2
                      WHEN 'county' THEN 3 ELSE 4 END,
         jurisdiction, target_year, value
