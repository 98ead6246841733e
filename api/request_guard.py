"""ASGI middleware that turns malformed requests into 4xx before any handler sees them.

- HEAD is answered wherever GET is: the GET handler runs and its body is dropped (headers,
  content-length included, stay as GET would send them).
- A request line longer than MAX_URL bytes gets 414 (under uvicorn the protocol refuses it
  even earlier, see api/server.py).
- A request body larger than MAX_BODY bytes gets 413.
- A JSON body holding a lone surrogate (\\ud800 without its pair) gets 400: Python's json reads
  it, but it is not Unicode text, and every later step that encodes it (the Neo4j driver, the
  JSON of an error message quoting it) would fail with a 500.
"""

from __future__ import annotations

import json
from typing import Any

from policykg.api.problems import problem
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MAX_BODY", "MAX_URL", "RequestGuard"]

MAX_URL = 8192
MAX_BODY = 1_000_000


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") > MAX_URL:
            await _refuse(414, f"the URL is longer than {MAX_URL} bytes", scope, receive, send)
            return
        if scope["method"] == "HEAD":
            await self.app({**scope, "method": "GET"}, receive, _without_body(send))
            return
        if scope["method"] in {"POST", "PUT", "PATCH"}:
            body = b""
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > MAX_BODY:
                    detail = f"the request body is larger than {MAX_BODY} bytes"
                    await _refuse(413, detail, scope, receive, send)
                    return
            problem = _lone_surrogate(body) if _is_json(scope) else None
            if problem:
                await _refuse(400, problem, scope, receive, send)
                return
            await self.app(scope, _replay(body, receive), send)
            return
        await self.app(scope, receive, send)


async def _refuse(status: int, detail: str, scope: Scope, receive: Receive, send: Send) -> None:
    await problem(status, detail)(scope, receive, send)  # RFC 9457, as every other error


def _without_body(send: Send) -> Send:
    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_head


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return b"json" in value.lower()
    return False


def _lone_surrogate(body: bytes) -> str | None:
    """A message when the JSON body holds a string that is not Unicode text; None otherwise
    (also for invalid JSON, which the handler's validation answers 422)."""
    if b"\\u" not in body and b"\\U" not in body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "the JSON body holds a lone surrogate (\\ud800-\\udfff unpaired): not Unicode text"
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None
