"""The fetcher against a real local HTTP server: conditional GET, redirects, refused addresses, limits,
timeouts, retries, robots.txt and per-host politeness."""

from __future__ import annotations

import gzip
import threading
import time
import tracemalloc

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from watchfloor.errors import FetchError
from watchfloor.watch.addresses import address_refusal
from watchfloor.watch.fetch import Fetched, Fetcher, FetchLimits, FetchPolicy, NotModified

from .conftest import LOOPBACK, QUICK


def test_conditional_get_gives_304_and_no_body(site: HTTPServer, fetcher: Fetcher) -> None:
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response("<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Fri, 01 Nov 2024 08:00:00 GMT"})

    site.expect_request("/feed").respond_with_handler(handler)
    first = fetcher.fetch(site.url_for("/feed"), QUICK)
    assert isinstance(first, Fetched) and first.etag == '"v1"' and first.body == b"<rss/>"
    assert first.last_modified == "Fri, 01 Nov 2024 08:00:00 GMT"
    again = fetcher.fetch(site.url_for("/feed"), QUICK, etag=first.etag, last_modified=first.last_modified)
    assert isinstance(again, NotModified)


def test_redirects_are_followed_by_hand_and_loops_stop(site: HTTPServer, fetcher: Fetcher) -> None:
    site.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    site.expect_request("/new").respond_with_data("here")
    result = fetcher.fetch(site.url_for("/old"), QUICK)
    assert isinstance(result, Fetched) and result.body == b"here" and result.url.endswith("/new")

    site.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    site.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop") as caught:
        fetcher.fetch(site.url_for("/a"), QUICK)
    assert not caught.value.transient
    assert len(site.log) < 12  # a few hops, not an endless chase

    for hop in range(10):
        site.expect_request(f"/hop{hop}").respond_with_data("", status=307, headers={"Location": f"/hop{hop + 1}"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher.fetch(site.url_for("/hop0"), QUICK)


def test_redirect_to_an_invalid_address(site: HTTPServer, fetcher: Fetcher) -> None:
    class Raw(Response):
        def get_wsgi_headers(self, environ):  # type: ignore[no-untyped-def]
            headers = super().get_wsgi_headers(environ)
            headers["Location"] = "http://[x/"  # werkzeug would refuse to send it: set after its checks
            return headers

    site.expect_request("/odd").respond_with_response(Raw("", status=302))
    with pytest.raises(FetchError, match="invalid address"):
        fetcher.fetch(site.url_for("/odd"), QUICK)


@pytest.mark.parametrize("target", ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::ffff:192.168.1.1]/", "http://0.0.0.0:80/", "file:///etc/passwd"])
def test_redirect_to_private_address_refused(site: HTTPServer, fetcher: Fetcher, target: str) -> None:
    site.expect_request("/go").respond_with_data("", status=302, headers={"Location": target})
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetcher.fetch(site.url_for("/go"), QUICK)
    assert "refused" in caught.value.reason or "only http" in caught.value.reason
    assert not caught.value.transient
    assert time.monotonic() - started < 1.0  # refused before any connection is tried


def test_name_resolving_to_private_address_refused_and_pinned(site: HTTPServer, stop: threading.Event) -> None:
    """Names are checked after resolution; the connection goes to the checked address with the name as Host."""
    table = {"news.example": ["127.0.0.1"], "intranet.example": ["192.168.10.5"], "mixed.example": ["127.0.0.1", "10.1.1.1"]}
    policy = FetchPolicy(allow_networks=LOOPBACK, retries=0)
    site.expect_request("/page").respond_with_handler(lambda r: Response(f"host={r.headers['Host']}"))
    with Fetcher(policy, stop, resolver=lambda host, port: table[host]) as fetcher:
        result = fetcher.fetch(f"http://news.example:{site.port}/page", QUICK)
        assert isinstance(result, Fetched) and result.body == f"host=news.example:{site.port}".encode()
        with pytest.raises(FetchError, match="192.168.10.5, a private network address"):
            fetcher.fetch(f"http://intranet.example:{site.port}/page", QUICK)
        with pytest.raises(FetchError, match="10.1.1.1"):
            fetcher.fetch(f"http://mixed.example:{site.port}/page", QUICK)
    with Fetcher(FetchPolicy(retries=0), stop) as strict, pytest.raises(FetchError, match="loopback"):
        strict.fetch(site.url_for("/page"), QUICK)  # without an allowance even the test server is refused


def test_address_classes() -> None:
    assert address_refusal("93.184.215.14") is None
    assert address_refusal("2a00:1450:4001:82b::200e") is None
    for private in ("127.0.0.1", "10.2.3.4", "172.16.0.1", "192.168.0.1", "169.254.169.254", "::1", "fe80::1",
                    "fc00::1", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::ffff:10.0.0.1"):
        assert address_refusal(private), private


def test_oversized_bodies_stop_early(site: HTTPServer, fetcher: Fetcher) -> None:
    limits = FetchLimits(timeout=5.0, max_bytes=64 * 1024, delay=0.0)
    site.expect_request("/declared").respond_with_data(b"x" * (200 * 1024))
    with pytest.raises(FetchError, match="over the 65536 byte limit"):
        fetcher.fetch(site.url_for("/declared"), limits)
    sent = []

    def endless() -> Response:
        def chunks():  # no Content-Length: the limit must be applied while streaming
            for _ in range(10_000):
                sent.append(1)
                yield b"y" * 8192
        return Response(chunks(), mimetype="text/html")

    site.expect_request("/stream").respond_with_handler(lambda r: endless())
    with pytest.raises(FetchError, match="stopped reading"):
        fetcher.fetch(site.url_for("/stream"), limits)
    assert len(sent) < 1000  # we hung up long before the server ran out


def test_slow_server_times_out_and_is_retried(site: HTTPServer, stop: threading.Event) -> None:
    calls = []

    def slow(request: Request) -> Response:
        calls.append(time.monotonic())
        time.sleep(1.0)
        return Response("late")

    site.expect_request("/slow").respond_with_handler(slow)
    policy = FetchPolicy(allow_networks=LOOPBACK, retries=1, backoff=0.01)
    with Fetcher(policy, stop) as fetcher, pytest.raises(FetchError, match="timed out") as caught:
        fetcher.fetch(site.url_for("/slow"), FetchLimits(timeout=0.3, delay=0.0))
    assert caught.value.transient and len(calls) == 2

    def drip() -> Response:
        def chunks():
            for _ in range(20):
                time.sleep(0.1)
                yield b"z" * 10
        return Response(chunks())

    site.expect_request("/drip").respond_with_handler(lambda r: drip())
    with Fetcher(FetchPolicy(allow_networks=LOOPBACK, retries=0), stop) as fetcher, \
            pytest.raises(FetchError, match="too slow"):
        fetcher.fetch(site.url_for("/drip"), FetchLimits(timeout=0.5, delay=0.0))


def test_server_errors_retried_with_backoff_then_success(site: HTTPServer, fetcher: Fetcher) -> None:
    answers = iter([503, 500, 200])
    site.expect_request("/flaky").respond_with_handler(lambda r: Response("ok", status=next(answers)))
    result = fetcher.fetch(site.url_for("/flaky"), QUICK)
    assert isinstance(result, Fetched) and result.body == b"ok"
    site.expect_request("/gone").respond_with_data("no", status=404)
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fetcher.fetch(site.url_for("/gone"), QUICK)
    assert not caught.value.transient and caught.value.status == 404
    assert len([e for e in site.log if e[0].path == "/gone"]) == 1  # a 404 is not retried


def test_down_host_is_a_transient_error(fetcher: Fetcher) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="connection failed") as caught:
        fetcher.fetch(f"http://127.0.0.1:{port}/feed", QUICK)
    assert caught.value.transient


def test_robots_txt_disallow_and_crawl_delay(server: HTTPServer, stop: threading.Event) -> None:
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\nCrawl-delay: 0.3\n")
    server.expect_request("/private/x").respond_with_data("secret")
    server.expect_request("/public").respond_with_data("fine")
    with Fetcher(FetchPolicy(allow_networks=LOOPBACK, retries=0), stop) as fetcher:
        with pytest.raises(FetchError, match="robots.txt"):
            fetcher.fetch(server.url_for("/private/x"), QUICK)
        started = time.monotonic()
        for _ in range(3):
            assert isinstance(fetcher.fetch(server.url_for("/public"), QUICK), Fetched)
        assert time.monotonic() - started >= 0.55  # Crawl-delay spaces the requests although ours asks for none
    assert not [e for e in server.log if e[0].path == "/private/x"]
    assert len([e for e in server.log if e[0].path == "/robots.txt"]) == 1  # asked once per site
    server.clear()


def test_robots_server_error_disallows(server: HTTPServer, stop: threading.Event) -> None:
    server.clear()
    server.expect_request("/robots.txt").respond_with_data("oops", status=500)
    server.expect_request("/page").respond_with_data("page")
    with Fetcher(FetchPolicy(allow_networks=LOOPBACK, retries=0), stop) as fetcher, \
            pytest.raises(FetchError, match="robots.txt"):
        fetcher.fetch(server.url_for("/page"), QUICK)
    server.clear()


def test_per_host_delay_and_concurrency(site: HTTPServer, stop: threading.Event) -> None:
    active, peak, starts = [0], [0], []
    lock = threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
            starts.append(time.monotonic())
        time.sleep(0.15)
        with lock:
            active[0] -= 1
        return Response("ok")

    site.expect_request("/p").respond_with_handler(handler)
    policy = FetchPolicy(allow_networks=LOOPBACK, concurrency=2, retries=0)
    with Fetcher(policy, stop) as fetcher:
        threads = [threading.Thread(target=fetcher.fetch, args=(site.url_for("/p"), FetchLimits(2.0, 1024, 0.05)))
                   for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert peak[0] == 2  # never more than the per-host limit in flight, and the limit was reached
    assert sum(1 for request, _ in site.log if request.path == "/robots.txt") == 1  # one fetch for six threads
    # starts spaced by the delay: six requests take at least five delays (measured at the server, where a busy
    # machine may bunch two arrivals together, so over the whole run rather than gap by gap)
    assert max(starts) - min(starts) >= 5 * 0.05 * 0.8


def test_stop_ends_a_retry_wait(site: HTTPServer, stop: threading.Event) -> None:
    from watchfloor.watch.politeness import Interrupted

    site.expect_request("/down").respond_with_data("down", status=503)
    policy = FetchPolicy(allow_networks=LOOPBACK, retries=5, backoff=10.0)
    with Fetcher(policy, stop) as fetcher:
        threading.Timer(0.3, stop.set).start()
        started = time.monotonic()
        with pytest.raises(Interrupted):
            fetcher.fetch(site.url_for("/down"), QUICK)
        assert time.monotonic() - started < 2.0


def test_compressed_bodies_decoded_and_bombs_refused(site: HTTPServer, fetcher: Fetcher) -> None:
    page = b"<p>" + b"harbour news " * 2000 + b"</p>"
    site.expect_request("/gz").respond_with_data(gzip.compress(page), headers={"Content-Encoding": "gzip"})
    result = fetcher.fetch(site.url_for("/gz"), QUICK)
    assert isinstance(result, Fetched) and result.body == page
    bomb = gzip.compress(b"\0" * (40 * 1024 * 1024), compresslevel=1)  # 40 MB that travel as about 180 KB
    site.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="over the 262144 byte limit"):
        fetcher.fetch(site.url_for("/bomb"), QUICK)
    site.expect_request("/bad").respond_with_data(b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="cannot be decoded"):
        fetcher.fetch(site.url_for("/bad"), QUICK)


def test_a_bomb_is_never_expanded_in_memory() -> None:
    """The decoding step alone (the server thread of the test above would blur a memory measure)."""
    from watchfloor.watch.fetch import _append, _decoder

    bomb = gzip.compress(b"\0" * (40 * 1024 * 1024), compresslevel=1)
    body = bytearray()
    decoder = _decoder("u", "gzip")
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="over the 1048576 byte limit"):
            for start in range(0, len(bomb), 65536):
                _append(body, bomb[start:start + 65536], decoder, 1024 * 1024, "u")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(body) == 1024 * 1024 + 1 and peak < 4 * 1024 * 1024
