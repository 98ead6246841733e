"""Readiness probe for `start`: Bolt answers AND the neo4j user's password works.

Usage: NEO4J_PASSWORD=... python probe.py bolt://127.0.0.1:7687
Exit 0 = ready, 3 = Bolt answers but refuses the credentials, 1 = not answering (yet),
4 = the Python neo4j driver is not installed. Uses the project's own driver (a Java driver on
the server's classpath would drag in a second Netty version and break the server's Bolt).
"""

import os
import sys

try:
    import neo4j
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable
except ImportError:
    print("the neo4j Python driver is not installed")
    sys.exit(4)

url = sys.argv[1] if len(sys.argv) > 1 else "bolt://127.0.0.1:7687"
auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
try:
    driver = neo4j.GraphDatabase.driver(url, auth=auth, connection_timeout=3, max_transaction_retry_time=0)
    with driver, driver.session() as session:
        value = session.run("RETURN 1 AS one").single()["one"]
    print("ok")
    sys.exit(0 if value == 1 else 1)
except AuthError as err:
    print(f"auth refused: {err.message}")
    sys.exit(3)
except (ServiceUnavailable, Neo4jError, OSError) as err:
    print(f"not ready: {type(err).__name__}: {err}")
    sys.exit(1)
