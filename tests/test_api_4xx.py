"""Bad requests get a 4xx, never a 500, and both stores answer them alike; HEAD works where GET
does; under the real uvicorn configuration (api/server.py) an over-long URL gets 414 and a
client that never finishes its request head is disconnected."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient
from policykg.api.app import create_app
from policykg.api.server import MAX_REQUEST_LINE, server_config
from policykg.graph.embedded import EmbeddedStore

from policykg.settings import Settings, get_settings
from tests.browser_helpers import _wait_until_up, free_port

OUTLINE = "知识产权强国建设纲要"


@pytest.fixture
def client(store) -> TestClient:
    return TestClient(create_app(store=store), raise_server_exceptions=False)


HUGE = "1" + "0" * 30
GETS = [
    (f"/documents?offset={HUGE}", 422),
    (f"/documents?offset={2**63}", 422),
    ("/documents?offset=1000000000", 200),
    (f"/tasks?offset={HUGE}", 422),
    (f"/targets?offset={HUGE}", 422),
    (f"/agencies?offset={HUGE}", 422),
    ("/agencies?offset=1000000000", 200),
    (f"/tasks?limit={HUGE}", 422),
    ("/documents?limit=-1", 422),
    (f"/lineage/implementations?document={OUTLINE}&depth={HUGE}", 422),
    ("/documents?q=%ED%A0%80", 200),  # the UTF-8 bytes of a lone surrogate
    ("/agencies?q=%00", 200),
    ("/documents/%ED%BF%BF", 404),
    ("/queries/orphan_citations?limit=-1", 422),
    (f"/queries/orphan_citations?limit={HUGE}", 422),
    ("/queries/implementations_of_document?depth=-5", 422),
]


@pytest.mark.parametrize(("url", "status"), GETS)
def test_bad_parameters_are_4xx_on_both_stores(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    if status == 200:
        assert response.json() == []


@pytest.mark.parametrize(
    "body",
    [
        b'{"query": "RETURN \\ud800"}',
        b'{"query": "RETURN $x", "params": {"x": ["ok", "\\udc00"]}}',
        b'{"query": "RETURN 1", "params": {"\\ud83d": 1}}',
    ],
)
def test_a_lone_surrogate_in_json_is_400(
    client: TestClient, body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "enable_cypher", True)
    response = client.post("/cypher", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert "surrogate" in response.json()["detail"]


def test_a_paired_surrogate_is_text(client: TestClient, store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "enable_cypher", True)
    body = b'{"query": "RETURN $x AS x", "params": {"x": "\\ud83d\\ude00"}}'
    response = client.post("/cypher", content=body, headers={"content-type": "application/json"})
    assert response.status_code == (200 if hasattr(store, "run_read") else 501), response.text


def test_an_oversized_body_is_413(client: TestClient) -> None:
    response = client.post("/cypher", content=b"x" * 1_000_001, headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_head_works_where_get_does(client: TestClient) -> None:
    for path in ("/health", "/documents?limit=2", "/queries", "/openapi.json", "/"):
        get = client.get(path)
        head = client.head(path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-length"] == get.headers["content-length"]
    assert client.head("/documents/nothing-like-this").status_code == 404


def test_a_long_url_is_414_in_the_app(client: TestClient) -> None:
    assert client.get("/documents", params={"q": "x" * 9000}).status_code == 414


# -- the uvicorn configuration `policykg serve` uses ----------------------------------------


@pytest.fixture
def server(tmp_path):
    import threading

    import uvicorn

    app = create_app(store=EmbeddedStore(f"embedded:{tmp_path / 'kg'}"))
    settings = Settings(header_timeout_s=1.0, keep_alive_s=1)
    port = free_port()
    srv = uvicorn.Server(server_config(app, "127.0.0.1", port, settings, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(f"{base}/health", 20)
    yield base
    srv.should_exit = True
    thread.join(timeout=10)


def _exchange(base: str, data: bytes, wait_s: float = 5.0) -> bytes:
    url = urlparse(base)
    with socket.create_connection((url.hostname, url.port), timeout=wait_s) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def test_uvicorn_answers_414_to_a_long_request_line(server: str) -> None:
    for length in (MAX_REQUEST_LINE + 10, 20_000, 100_000):
        answer = _exchange(server, b"GET /documents?q=" + b"x" * length + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 414"), answer[:80]
    request = b"GET /documents?q=" + b"x" * 4000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    ok = _exchange(server, request)
    assert ok.startswith(b"HTTP/1.1 200")


def test_uvicorn_drops_a_client_that_never_finishes_its_head(server: str) -> None:
    url = urlparse(server)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        assert sock.recv(1024) == b""  # closed by the server
        assert 0.8 < time.monotonic() - started < 5


def test_uvicorn_closes_idle_keep_alive_connections(server: str) -> None:
    url = urlparse(server)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        first = sock.recv(65536)
        while not first.endswith(b"}"):  # the head and the body may come apart
            first += sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert sock.recv(1024) == b""
        assert time.monotonic() - started < 5


def test_uvicorn_head_and_a_second_request_on_one_connection(server: str) -> None:
    answer = _exchange(
        server,
        b"HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n"
        b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    assert answer.count(b"HTTP/1.1 200") == 2
