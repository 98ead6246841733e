"""Settings from the environment (POLICYKG_*, NEO4J_*), one place for every default."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """$POLICYKG_DATA, else $XDG_DATA_HOME/policykg, else ~/.local/share/policykg."""
    explicit = os.environ.get("POLICYKG_DATA")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "policykg"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYKG_", extra="ignore")

    # embedded:PATH, bolt://HOST:PORT or neo4j://HOST:PORT
    store: str = Field(default_factory=lambda: f"embedded:{default_data_dir() / 'graph'}")
    host: str = "127.0.0.1"
    port: int = 8000
    # files larger than this are refused by ingest/extract (bytes)
    max_file_bytes: int = 20 * 1024 * 1024
    # POST /cypher is off unless enabled; it runs read-only with a timeout and a row limit
    enable_cypher: bool = False
    cypher_timeout_s: float = 5.0
    cypher_row_limit: int = 1000
    # GET/POST /sparql (read-only): time limit and most solutions or triples answered
    sparql_timeout_s: float = 5.0
    sparql_row_limit: int = 10000
    # a Cypher answer (POST /cypher, GET /queries/NAME) stops at about this many bytes of JSON
    cypher_byte_limit: int = 5_000_000
    # Cypher requests running at once; one more is answered 429 at once, so slow queries can
    # never hold every worker thread of the API
    cypher_concurrency: int = 4
    # comma-separated origins allowed by CORS ("" = no CORS headers)
    cors_origins: str = ""
    request_timeout_s: float = 30.0
    # GET answers of an embedded store kept in memory while its graph is unchanged (0: none)
    cache_bytes: int = 64_000_000
    # an ingest into an embedded store another process is writing waits this long, then fails
    store_lock_wait_s: float = 600.0
    # a server on an embedded store takes in what an ingest changed, checking this often
    store_refresh_s: float = 2.0
    # `serve` (uvicorn): a request head must arrive within header_timeout_s, an idle keep-alive
    # connection is closed after keep_alive_s, more than max_connections at once get 503
    header_timeout_s: float = 10.0
    keep_alive_s: int = 5
    max_connections: int = 256
    # one log line per request (uvicorn's access log; a fifth of a cached answer's cost)
    access_log: bool = True
    # `serve` processes (each opens the store: from its snapshot, an embedded store is quick)
    workers: int = 1


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def neo4j_auth(url_user: str | None = None, url_password: str | None = None) -> tuple[str, str]:
    """Credentials for Neo4j: user:password@ in the URL wins, then NEO4J_USER / NEO4J_PASSWORD."""
    user = url_user or os.environ.get("NEO4J_USER", "neo4j")
    password = url_password or os.environ.get("NEO4J_PASSWORD", "")
    return user, password
