"""The benchmark: a seeded synthetic corpus (corpus.py) and `policykg bench` (commands.py)."""
