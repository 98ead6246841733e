# PolicyKG API image: `docker compose up` builds it (see docker-compose.yml).
#
# Stage 1 only fetches the graph page's two browser libraries (pinned in package-lock.json);
# the image that runs is python:3.11-slim with no Node.js in it.
FROM node:20-slim AS static
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# An unprivileged user owns nothing but its home: the code stays read-only to the server.
RUN useradd --create-home --uid 10001 policykg

# The dependencies first, from the lock (versions and hashes pinned), in a layer of their own
# that only a change of the lock rebuilds.
COPY requirements/runtime.lock requirements/runtime.lock
RUN pip install --require-hashes -r requirements/runtime.lock

COPY . .
COPY --from=static /src/node_modules ./node_modules
# Editable install without dependencies (all installed above) or build isolation (setuptools is
# in the lock): graph/ontology.py reads ontology.ttl at the repository root and export
# reads graph/shapes.ttl beside it, so the code runs from /app, where both are; the sample
# corpus the entrypoint ingests is there too. build_static copies the vendor files into
# api/static/vendor; node_modules is not needed after that.
RUN pip install --no-deps --no-build-isolation -e . \
    && pip check \
    && python api/build_static.py \
    && rm -rf node_modules \
    && chmod 0755 docker/entrypoint.sh

USER policykg
ENV POLICYKG_PORT=8000 \
    SEED_CORPUS=/app/corpus/seeds
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=5 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('POLICYKG_PORT', '8000'), timeout=4)"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
