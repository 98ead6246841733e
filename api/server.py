"""How uvicorn serves the API: a connection cap, keep-alive and header-read timeouts, 414 for
over-long request lines.

    uvicorn.Server(server_config(app, host, port, settings)).run()

uvicorn closes idle keep-alive connections itself (timeout_keep_alive) and answers 503 past
limit_concurrency, but waits forever for a request's head: a client sending its headers one
byte a minute (slowloris) holds a connection for good. GuardedH11Protocol closes a connection
whose request head has not arrived `header_timeout_s` after the connection opened or after the
previous response, and answers 414 to a request line longer than MAX_REQUEST_LINE bytes (h11
would answer a bare 400 past its own buffer limit).
"""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from policykg.settings import Settings, get_settings

__all__ = ["MAX_REQUEST_LINE", "GuardedH11Protocol", "server_config"]

MAX_REQUEST_LINE = 8192


class GuardedH11Protocol(H11Protocol):
    header_timeout_s: float | None = None  # None: settings.header_timeout_s

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head = b""
        self._seen_cycle: Any = None
        self._header_timer: asyncio.TimerHandle | None = None
        self._await_head()

    def _await_head(self, cycle: Any = None) -> None:
        self._head = b""
        self._seen_cycle = cycle
        if self._header_timer is not None:
            self._header_timer.cancel()
        self._header_timer = self.loop.call_later(self._timeout(), self._head_timed_out)

    def _timeout(self) -> float:
        return self.header_timeout_s if self.header_timeout_s is not None else get_settings().header_timeout_s

    def _head_timed_out(self) -> None:
        self._header_timer = None
        if self.cycle is self._seen_cycle and not self.transport.is_closing():
            self.logger.warning("no request head within %g s: connection closed", self._timeout())
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self.cycle is self._seen_cycle and len(self._head) <= MAX_REQUEST_LINE:
            self._head += data[: MAX_REQUEST_LINE + 2]
            line_end = self._head.find(b"\r\n")
            too_long = line_end > MAX_REQUEST_LINE or (line_end < 0 and len(self._head) > MAX_REQUEST_LINE)
            if too_long:
                self._refuse_uri_too_long()
                return
        super().data_received(data)
        if self.cycle is not self._seen_cycle and self._header_timer is not None:
            self._header_timer.cancel()  # a request head arrived
            self._header_timer = None

    def _refuse_uri_too_long(self) -> None:
        body = f"request line longer than {MAX_REQUEST_LINE} bytes".encode()
        self.transport.write(
            b"HTTP/1.1 414 URI Too Long\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"connection: close\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        self.transport.close()

    def on_response_complete(self) -> None:
        finished = self.cycle
        super().on_response_complete()  # may already start a pipelined request (a new cycle)
        if not self.transport.is_closing() and self.cycle is finished:
            self._await_head(finished)  # the next request's head on this keep-alive connection

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)


def server_config(
    app: Any, host: str, port: int, settings: Settings | None = None, **extra: Any
) -> uvicorn.Config:
    """The uvicorn configuration `policykg serve` runs with (tests use it too)."""
    # worker processes (extra["workers"]) get the class itself (it must be importable there)
    # and read the header timeout from their settings
    protocol: type[GuardedH11Protocol] = GuardedH11Protocol
    if settings is not None:
        protocol = type("Protocol", (GuardedH11Protocol,), {"header_timeout_s": settings.header_timeout_s})
    settings = settings or get_settings()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        timeout_keep_alive=settings.keep_alive_s,
        limit_concurrency=settings.max_connections,
        access_log=settings.access_log,
        **extra,
    )
