"""Helpers for tests/test_browser.py: a Chromium to drive, a live API server, canvas clicks.

The browser is Debian's Chromium (`apt-get install chromium`), driven by the Python
`playwright` package without `playwright install`: no test tool downloads its own browser.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# the same rule as conftest.py: in CI a missing browser fails instead of skipping
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
INSTALL_HINT = "install it with: apt-get install chromium fonts-noto-cjk && pip install -e '.[test]'"

# Headless Chromium as root in a container: no sandbox (needs user namespaces), no GPU, and
# nothing that phones home (updates, sync, QUIC probes) so a run is offline and repeatable.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    """$POLICYKG_CHROMIUM, else the Debian package's binary, else chromium on PATH."""
    explicit = os.environ.get("POLICYKG_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError as err:
            last_error = err
        time.sleep(0.1)
    raise RuntimeError(f"API server did not answer {url} within {timeout_s}s: {last_error}")


@contextmanager
def serve_app(app, timeout_s: float = 20.0) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free loopback port in a background thread; yield its URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-browser-test", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/health", timeout_s)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def node_id_where_label(page, text: str) -> str | None:
    """Id of the first node on the canvas whose full label contains `text`."""
    return page.evaluate(
        """(text) => {
            const hit = (n) => (n.data('full') || '').includes(text);
            const node = window.policykg.cy.nodes().filter(hit).first();
            return node.nonempty() ? node.id() : null;
        }""",
        text,
    )


def click_node(page, node_id: str) -> None:
    """Click a graph node with the mouse, where it is drawn on screen (no synthetic events)."""
    point = page.evaluate(
        """(id) => {
            const cy = window.policykg.cy;
            const node = cy.getElementById(id);
            const box = cy.container().getBoundingClientRect();
            const pos = node.renderedPosition();
            return { x: box.left + pos.x, y: box.top + pos.y };
        }""",
        node_id,
    )
    page.mouse.click(point["x"], point["y"])


def get_json(base: str, path: str, **params: str) -> object:
    """One GET of the live API, its JSON body (what a page test compares the page against)."""
    url = f"{base}/{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)
