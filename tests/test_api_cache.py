"""Answers kept in memory (api/cache.py): a repeated GET does not reach the store while its
graph is unchanged, an ingest or a reload makes the next answer fresh, and only 200 answers of
a store that counts its changes are kept."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.graph.embedded import EmbeddedStore

from policykg.settings import Settings
from tests.graph_helpers import guizhou_plan, national_outline, record, zunyi_plan


class Counting(EmbeddedStore):
    calls = 0

    def find_documents(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        Counting.calls += 1
        return super().find_documents(*args, **kwargs)


def test_repeated_answers_come_from_memory_until_the_graph_changes(tmp_path: Path) -> None:
    store = Counting(f"embedded:{tmp_path / 'kg'}")
    store.ingest(record("a.txt", zunyi_plan()))
    client = TestClient(create_app(store=store))
    Counting.calls = 0
    first = client.get("/documents?limit=50")
    assert first.status_code == 200 and client.get("/documents?limit=50").json() == first.json()
    assert client.head("/documents?limit=50").status_code == 200
    assert Counting.calls == 1
    assert client.get("/documents?limit=49").status_code == 200 and Counting.calls == 2  # another question
    store.ingest(record("b.txt", guizhou_plan(), national_outline()))
    after = client.get("/documents?limit=50").json()
    assert Counting.calls == 3 and after != first.json()


def test_errors_and_health_are_not_kept(tmp_path: Path) -> None:
    store = Counting(f"embedded:{tmp_path / 'kg'}")
    client = TestClient(create_app(store=store))
    title = zunyi_plan().title
    store.generation = 5
    assert client.get(f"/documents/{title}").status_code == 404
    assert client.get("/health").json()["documents"] == 0
    store.ingest(record("a.txt", zunyi_plan()))
    store.generation = 5  # as if nothing had changed: the 404 and /health are asked anew all the same
    assert client.get(f"/documents/{title}").status_code == 200
    assert client.get("/health").json()["documents"] > 0


def test_no_cache_when_turned_off(tmp_path: Path) -> None:
    store = Counting(f"embedded:{tmp_path / 'kg'}")
    client = TestClient(create_app(store=store, settings=Settings(cache_bytes=0)))
    Counting.calls = 0
    client.get("/documents")
    client.get("/documents")
    assert Counting.calls == 2


def test_a_store_without_generation_is_not_cached(store) -> None:
    client = TestClient(create_app(store=store))
    assert client.get("/documents?limit=3").json() == client.get("/documents?limit=3").json()
    app = client.app
    caches = []
    layer = app.middleware_stack  # type: ignore[attr-defined]
    while layer is not None:
        if type(layer).__name__ == "ResponseCache":
            caches.append(layer)
        layer = getattr(layer, "app", None)
    assert len(caches) == 1
    assert bool(caches[0].entries) == hasattr(store, "generation")


def test_cors_headers_are_not_kept_with_an_answer(tmp_path: Path) -> None:
    store = EmbeddedStore(f"embedded:{tmp_path / 'kg'}")
    client = TestClient(create_app(store=store, settings=Settings(cors_origins="https://a.example")))
    with_origin = client.get("/documents", headers={"Origin": "https://a.example"})
    assert with_origin.headers["access-control-allow-origin"] == "https://a.example"
    plain = client.get("/documents")
    assert "access-control-allow-origin" not in plain.headers and plain.json() == with_origin.json()
    again = client.get("/documents", headers={"Origin": "https://a.example"})
    assert again.headers["vary"].count("Origin") == 1
