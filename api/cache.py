"""ASGI middleware: answers of GET requests kept in memory while the graph is unchanged.

A store that counts its changes (`store.generation`: the embedded store bumps it on every
ingest, wipe and reload) makes an answer a pure function of (generation, path, query string),
so a repeated question is answered from memory without the thread pool, the store or JSON
encoding: that is what holds the API's throughput and tail latency under many clients
(bench/load.py). A store without `generation` (Neo4j: other clients may write to it) is never
cached. Only 200 answers are kept, none larger than MAX_ENTRY bytes, at most `max_bytes` in all
(least recently used first out). /health is never cached (its `stale` flag looks at the disk).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ResponseCache"]

MAX_ENTRY = 1_000_000
UNCACHED = ("/health", "/queries")


class ResponseCache:
    def __init__(self, app: ASGIApp, store: Any, max_bytes: int = 64_000_000) -> None:
        self.app = app
        self.store = store
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[tuple[Any, ...], tuple[Message, bytes]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        generation = getattr(self.store, "generation", None)
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or generation is None
            or self.max_bytes <= 0
            or scope["path"].startswith(UNCACHED)
        ):
            await self.app(scope, receive, send)
            return
        # the answer depends on what the client accepts too (JSON or CSV for the same URL)
        accept = next((v for k, v in scope.get("headers", []) if k == b"accept"), b"")
        key = (generation, scope["path"], scope["query_string"], accept)
        hit = self.entries.get(key)
        if hit is not None:
            self.entries.move_to_end(key)
            start, body = hit
            await send(_copy(start))  # outer middleware (CORS) adds headers to what it is sent
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        start_message: Message | None = None
        chunks: list[bytes] = []
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start_message, keep
            if message["type"] == "http.response.start":
                start_message = _copy(message)  # as the app sent it, before outer layers add to it
                keep = message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > MAX_ENTRY:
                    keep = False
                    chunks.clear()
                elif not message.get("more_body", False) and start_message is not None:
                    self._keep(key, start_message, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(self, key: tuple[Any, ...], start: Message, body: bytes) -> None:
        if getattr(self.store, "generation", None) != key[0]:
            return  # the graph changed while this answer was computed
        self.entries[key] = (start, body)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, (_, old) = self.entries.popitem(last=False)
            self.size -= len(old)


def _copy(start: Message) -> Message:
    return {**start, "headers": [tuple(h) for h in start.get("headers", [])]}
