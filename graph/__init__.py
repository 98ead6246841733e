"""The knowledge graph: ontology, resolution, and the stores (embedded and Neo4j)."""
