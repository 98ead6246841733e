"""API limits: page size and depth bounds (422 beyond), a time limit per request (503 with a
JSON body), CORS only for configured origins; and the provenance every fact answers with (the
sentence it came from, `quote`, at `quote_start` in the source), on each store."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph.embedded import EmbeddedStore
from policykg.graph.views import StoreStats

from policykg.settings import Settings
from tests.graph_helpers import guizhou_plan, national_outline, record, zunyi_plan

OUTLINE = "知识产权强国建设纲要"
SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"


@pytest.fixture
def small_store(tmp_path: Path) -> EmbeddedStore:
    st = EmbeddedStore(f"embedded:{tmp_path / 'kg'}")
    st.ingest(record("a.txt", zunyi_plan(), guizhou_plan(), national_outline()))
    return st


@pytest.fixture
def client(small_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(store=small_store))


# -- bounds: the largest allowed value answers, one more is 422 ----------------------------

BOUNDS = [
    ("/documents", "limit", 1000, {}),
    ("/tasks", "limit", 1000, {}),
    ("/targets", "limit", 1000, {}),
    ("/agencies", "limit", 1000, {}),
    ("/lineage/implementations", "depth", 10, {"document": OUTLINE}),
    ("/lineage/ancestors", "depth", 10, {"document": OUTLINE}),
    ("/graph/neighborhood", "depth", 3, {}),
    ("/graph/neighborhood", "limit", 1000, {}),
]


@pytest.mark.parametrize(("path", "name", "highest", "extra"), BOUNDS)
def test_bounds_are_enforced(
    client: TestClient, small_store: EmbeddedStore, path: str, name: str, highest: int, extra: dict
) -> None:
    if path == "/graph/neighborhood":
        extra = {"node": small_store.resolve_document(OUTLINE).id}
    assert client.get(path, params={**extra, name: highest}).status_code == 200
    over = client.get(path, params={**extra, name: highest + 1})
    assert over.status_code == 422
    assert over.headers["content-type"] == "application/problem+json"
    assert over.json()["errors"][0]["loc"] == ["query", name]


# -- time limit ----------------------------------------------------------------------------


class SlowStats(EmbeddedStore):
    """stats() (GET /health) takes `delay` seconds, as a big graph on a slow disk might."""

    delay = 4.0

    def stats(self) -> StoreStats:
        time.sleep(self.delay)
        return super().stats()


def test_a_slow_request_is_answered_503_in_time(tmp_path: Path) -> None:
    store = SlowStats(f"embedded:{tmp_path / 'kg'}")
    store.ingest(record("a.txt", zunyi_plan()))
    # a limit that an ordinary request meets with room to spare on a loaded machine
    app = create_app(store=store, settings=Settings(request_timeout_s=1.0))
    with TestClient(app) as client:  # one event loop for all requests, as under uvicorn
        started = time.monotonic()
        slow = client.get("/health")
        elapsed = time.monotonic() - started
        assert slow.status_code == 503
        assert slow.headers["content-type"] == "application/problem+json"
        assert "longer than 1 s" in slow.json()["detail"]
        assert slow.json()["status"] == 503 and slow.json()["type"] == "/problems/timeout"
        assert elapsed < SlowStats.delay - 0.5, f"answered after {elapsed:.2f} s: the handler was awaited"
        # other requests are served meanwhile, and normally
        assert client.get("/documents").status_code == 200


def test_requests_within_the_limit_are_untouched(small_store: EmbeddedStore) -> None:
    app = create_app(store=small_store, settings=Settings(request_timeout_s=5))
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/documents/nothing-like-this").status_code == 404  # handlers' errors pass


def test_503_is_documented(client: TestClient) -> None:
    responses = client.get("/openapi.json").json()["paths"]["/health"]["get"]["responses"]
    assert "503" in responses


# -- CORS ----------------------------------------------------------------------------------


def preflight(client: TestClient, origin: str):
    return client.options("/documents", headers={"Origin": origin, "Access-Control-Request-Method": "GET"})


def test_no_cors_headers_by_default(small_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICYKG_CORS_ORIGINS", raising=False)
    settings = Settings()
    assert settings.cors_origins == ""
    client = TestClient(create_app(store=small_store, settings=settings))
    response = client.get("/documents", headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in preflight(client, "https://example.org").headers


def test_cors_for_configured_origins_only(small_store: EmbeddedStore) -> None:
    settings = Settings(cors_origins="https://a.example, https://b.example")
    client = TestClient(create_app(store=small_store, settings=settings))
    allowed = preflight(client, "https://a.example")
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://a.example"
    simple = client.get("/documents", headers={"Origin": "https://b.example"})
    assert simple.headers["access-control-allow-origin"] == "https://b.example"
    refused = preflight(client, "https://evil.example")
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    plain = client.get("/documents", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in plain.headers


def test_cors_headers_on_a_timeout_too(tmp_path: Path) -> None:
    store = SlowStats(f"embedded:{tmp_path / 'kg'}")
    app = create_app(store=store, settings=Settings(request_timeout_s=0.2, cors_origins="https://a.example"))
    with TestClient(app) as client:
        response = client.get("/health", headers={"Origin": "https://a.example"})
    assert response.status_code == 503
    assert response.headers["access-control-allow-origin"] == "https://a.example"


# -- provenance ----------------------------------------------------------------------------


def assert_quoted(fact: dict, texts: dict[str, str]) -> None:
    """`quote` is the source's text at `quote_start`, and the fact's span lies inside it."""
    span, quote, start = fact["span"], fact["quote"], fact["quote_start"]
    assert quote and start is not None, fact
    assert texts[span["source"]][start : start + len(quote)] == quote
    assert start <= span["start"] <= span["end"] <= start + len(quote)


def test_facts_carry_their_sentence(store) -> None:
    from policykg.ingest.read import read_source

    texts = {p.name: read_source(p).text for p in SEEDS.glob("*.txt")}
    client = TestClient(create_app(store=store))
    tasks = client.get("/tasks", params={"limit": 1000}).json()
    targets = client.get("/targets", params={"limit": 1000}).json()
    assert tasks and targets
    for fact in tasks + targets:
        assert_quoted(fact, texts)
    zunyi = client.get("/documents/遵义市国家知识产权强市建设试点城市工作方案").json()
    assert zunyi["cites"]
    for citation in zunyi["cites"]:
        assert_quoted(citation, texts)
