"""ASGI middleware of the API: a time limit per request.

`RequestTimeout(app, seconds)` answers 503 with a problem-details body (api/problems.py) when a
request has not started its response within `seconds` (settings.request_timeout_s). Sync
handlers, and so every store call, already run in Starlette's thread pool; the handler runs as
its own task and is waited for with `asyncio.wait`, not `asyncio.wait_for`: a thread cannot be
interrupted, and wait_for would wait for the cancelled task, that is for the thread, before
answering. The abandoned handler finishes in the background and whatever it sends later is
dropped.
"""

from __future__ import annotations

import asyncio
import logging

from policykg.api.problems import problem
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestTimeout", "timeout_detail"]

log = logging.getLogger(__name__)


def timeout_detail(seconds: float) -> str:
    return (
        f"the request took longer than {seconds:g} s and was abandoned; "
        "narrow it (a smaller limit or depth) or raise POLICYKG_REQUEST_TIMEOUT_S"
    )


class RequestTimeout:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        started = False
        abandoned = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if abandoned:
                return  # the client already has its 503
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        handler = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        done, _ = await asyncio.wait({handler}, timeout=self.seconds)
        if handler in done:
            handler.result()  # re-raises what the handler raised, for the server to log
            return
        if started:
            # a response already under way (a stream) cannot be turned into a 503: let it end
            await handler
            return
        abandoned = True
        handler.cancel()
        handler.add_done_callback(_forget)
        log.warning("%s %s exceeded %g s: answered 503", scope.get("method"), scope.get("path"), self.seconds)
        await problem(503, timeout_detail(self.seconds), "timeout")(scope, receive, send)


def _forget(task: asyncio.Future[None]) -> None:
    """Collect an abandoned handler's outcome so asyncio does not report it as never retrieved."""
    if not task.cancelled() and task.exception() is not None:
        log.warning("an abandoned request failed afterwards: %r", task.exception())
