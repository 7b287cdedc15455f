from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from watchfloor.watch.fetch import Fetcher, FetchLimits, FetchPolicy

#: the test server is on loopback: tests allow exactly that network, so every other private address stays refused
LOOPBACK = ("127.0.0.0/8", "::1/128")
QUICK = FetchLimits(timeout=2.0, max_bytes=256 * 1024, delay=0.0)


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    """A threaded local HTTP server (slow handlers must not hold up the others)."""
    srv = HTTPServer(host="127.0.0.1", threaded=True)
    srv.start()
    yield srv
    srv.clear()
    if srv.is_running():
        srv.stop()


@pytest.fixture()
def site(server: HTTPServer) -> Iterator[HTTPServer]:
    """The server with no robots.txt (404: everything allowed); handlers are cleared after each test."""
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("not found", status=404)
    yield server
    server.clear()


@pytest.fixture()
def stop() -> threading.Event:
    return threading.Event()


@pytest.fixture()
def fetcher(stop: threading.Event) -> Iterator[Fetcher]:
    policy = FetchPolicy(allow_networks=LOOPBACK, retries=2, backoff=0.01, max_backoff=0.05)
    with Fetcher(policy, stop) as f:
        yield f
