#!/bin/sh
# Container start for the `api` service (Dockerfile, docker-compose.yml):
#   1. policykg schema   Neo4j constraints and indexes (idempotent; retried while Neo4j warms up)
#   2. policykg ingest   the sample corpus ($SEED_CORPUS; empty to skip). Every start runs it,
#                        and that is safe: ingest skips a file whose content hash is stored, so
#                        only the first start (or a changed file) writes anything
#   3. policykg serve    the API and graph page on 0.0.0.0:$POLICYKG_PORT
# Configuration is the application's own environment: POLICYKG_STORE, NEO4J_USER,
# NEO4J_PASSWORD, POLICYKG_PORT and any other POLICYKG_* setting (policykg/settings.py).
set -eu

: "${POLICYKG_STORE:?set POLICYKG_STORE, e.g. bolt://neo4j:7687}"
port="${POLICYKG_PORT:-8000}"

case "$POLICYKG_STORE" in
    bolt://* | neo4j://* | bolt+s://* | neo4j+s://* | bolt+ssc://* | neo4j+ssc://*)
        # depends_on waits for the healthcheck, but a restarted Neo4j may still be recovering
        tries="${SCHEMA_RETRIES:-30}"
        until policykg schema --store "$POLICYKG_STORE"; do
            tries=$((tries - 1))
            if [ "$tries" -le 0 ]; then
                echo "entrypoint: Neo4j at $POLICYKG_STORE did not accept the schema; giving up" >&2
                exit 1
            fi
            echo "entrypoint: Neo4j not ready, retrying in 2 s ($tries left)" >&2
            sleep 2
        done
        ;;
esac

if [ -n "${SEED_CORPUS:-}" ]; then
    # a file that fails to extract is reported and skipped; the API still starts
    policykg ingest "$SEED_CORPUS" --store "$POLICYKG_STORE" \
        || echo "entrypoint: some seed files failed to ingest (see above); serving anyway" >&2
fi

exec policykg serve --store "$POLICYKG_STORE" --host 0.0.0.0 --port "$port"
