"""HTTP for the watcher: one polite, bounded, checked GET.

Each request, and each hop of a redirect (followed here, never by httpx), goes through the same checks:
http(s) only; the host resolved and every address allowed (no loopback, private or link-local address
without ``allow_private``); the connection made to that checked address; robots.txt asked; the host's turn
waited for. The body is streamed and abandoned past ``max_bytes`` or past the time budget. Conditional
GET (ETag / Last-Modified) turns an unchanged feed into a 304 and no body. Transient failures (timeouts,
refused connections, 429 and 5xx) are retried with exponential backoff (tenacity); the rest fail at once.
"""

from __future__ import annotations

import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx
from tenacity import Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from ..errors import FetchError
from .addresses import Resolver, resolve_allowed, system_resolver
from .politeness import HostGate, Interrupted, RobotsCache

__all__ = ["FetchLimits", "FetchPolicy", "Fetched", "Fetcher", "NotModified", "ServedBytes"]

_REDIRECTS = {301, 302, 303, 307, 308}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ROBOTS_MAX_BYTES = 512 * 1024
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class FetchPolicy:
    """What holds for every request of a run."""

    user_agent: str = "watchfloor/0.1"
    allow_private: bool = False
    #: networks allowed although not public (e.g. ("127.0.0.0/8",) for a local test server); allow_private allows all
    allow_networks: tuple[str, ...] = ()
    respect_robots: bool = True
    concurrency: int = 2
    max_redirects: int = 5
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0


@dataclass(frozen=True)
class FetchLimits:
    """What holds for one request: seconds for the whole response, largest body, gap between requests."""

    timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    delay: float = 1.0


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class NotModified:
    url: str


@dataclass(frozen=True)
class _Redirect:
    location: str


class Fetcher:
    """One per run; safe to share between threads. Close it (or use it as a context manager) when done."""

    def __init__(self, policy: FetchPolicy, stop: threading.Event | None = None,
                 resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.stop = stop or threading.Event()
        self.resolver = resolver
        # trust_env=False: a proxy from the environment would connect by name and undo the address check
        self.client = httpx.Client(follow_redirects=False, trust_env=False)
        self.gate = HostGate(policy.concurrency, self.stop)
        self.robots = RobotsCache(self._robots_file, policy.user_agent)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, limits: FetchLimits, *, etag: str | None = None, last_modified: str | None = None,
              accept: str = PAGE_ACCEPT) -> Fetched | NotModified:
        """GET ``url`` with every check; raises :class:`FetchError` (or :class:`Interrupted` on stop)."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.retries + 1),
            wait=wait_exponential(multiplier=self.policy.backoff, max=self.policy.max_backoff),
            retry=retry_if_exception(lambda exc: isinstance(exc, FetchError) and exc.transient),
            sleep=self._sleep,
            reraise=True,
        )
        result: Fetched | NotModified = retrying(self._follow, url, limits, headers, True)
        return result

    def _sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Interrupted("stop requested during a retry wait")

    def _robots_file(self, url: str) -> tuple[int, bytes] | None:
        """The site's robots.txt; a site that cannot be reached raises (transient), so the page's own
        fetch fails as "connection failed" and is retried, rather than being read as disallowed."""
        limits = FetchLimits(timeout=10.0, max_bytes=_ROBOTS_MAX_BYTES, delay=0.0)
        try:
            result = self._follow(url, limits, {"Accept": "text/plain"}, False)
        except FetchError as exc:
            if exc.status is not None:
                return exc.status, b""
            if exc.transient:
                raise
            return None
        return (result.status, result.body) if isinstance(result, Fetched) else (200, b"")

    def _follow(self, url: str, limits: FetchLimits, headers: dict[str, str], robots: bool) -> Fetched | NotModified:
        """One attempt: the request and its redirects, each hop checked again."""
        visited = [url]
        current = url
        while True:
            if self.stop.is_set():
                raise Interrupted(current)
            answer = self._hop(current, limits, headers, robots)
            if not isinstance(answer, _Redirect):
                return answer
            following = answer.location
            if following in visited:
                raise FetchError(url, "redirect loop: " + " -> ".join([*visited[visited.index(following):], following]))
            if len(visited) > self.policy.max_redirects:
                raise FetchError(url, f"more than {self.policy.max_redirects} redirects (last to {following})")
            visited.append(following)
            current = following

    def _hop(self, url: str, limits: FetchLimits, extra: dict[str, str], robots: bool) -> Fetched | NotModified | _Redirect:
        try:
            parts = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError(url, f"not a valid URL ({exc})") from exc
        if parts.scheme not in _DEFAULT_PORTS or not parts.host:
            raise FetchError(url, "only http:// and https:// addresses with a host are fetched")
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
        target = resolve_allowed(url, parts.host, port, self.resolver, self.policy.allow_private,
                                 self.policy.allow_networks)
        if robots and self.policy.respect_robots:
            answer = self.robots.check(url, f"{parts.scheme}://{parts.netloc.decode('ascii')}")
            if answer.crawl_delay:
                self.gate.slow_down(parts.host, answer.crawl_delay)
            if not answer.allowed:
                raise FetchError(url, "disallowed by the site's robots.txt")
        headers = {"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate",
                   **extra, "Host": parts.netloc.decode("ascii")}
        extensions = {"sni_hostname": parts.host} if parts.scheme == "https" else {}
        with self.gate.turn(parts.host, limits.delay):
            try:
                return self._request(url, parts.copy_with(host=target.address), headers, extensions, limits)
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timed out after {limits.timeout:g} s", transient=True) from exc
            except httpx.DecodingError as exc:
                raise FetchError(url, f"body cannot be decoded ({exc})") from exc
            except (httpx.TransportError, httpx.StreamError) as exc:
                raise FetchError(url, f"connection failed ({type(exc).__name__}: {exc})", transient=True) from exc

    def _request(self, url: str, address_url: httpx.URL, headers: dict[str, str], extensions: dict[str, str],
                 limits: FetchLimits) -> Fetched | NotModified | _Redirect:
        deadline = time.monotonic() + limits.timeout
        with self.client.stream("GET", address_url, headers=headers, extensions=extensions,
                                timeout=httpx.Timeout(limits.timeout)) as response:
            status = response.status_code
            if status in _REDIRECTS:
                location = response.headers.get("location", "").strip()
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location header")
                try:
                    return _Redirect(urljoin(url, location))
                except ValueError as exc:
                    raise FetchError(url, f"HTTP {status} redirect to an invalid address ({exc})") from exc
            if status == 304:
                return NotModified(url)
            if status == 429 or status >= 500:
                self._respect_retry_after(url, response.headers.get("retry-after"))
                raise FetchError(url, f"HTTP {status}", transient=True, status=status)
            if status >= 400 or status < 200:
                raise FetchError(url, f"HTTP {status}", status=status)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise FetchError(url, f"body of {int(declared)} bytes is over the {limits.max_bytes} byte limit")
            decoder = _decoder(url, response.headers.get("content-encoding", ""))
            body = bytearray()
            for chunk in response.iter_raw():
                _append(body, chunk, decoder, limits.max_bytes, url)
                if time.monotonic() > deadline:
                    raise FetchError(url, f"body not received within {limits.timeout:g} s (too slow)", transient=True)
                if self.stop.is_set():
                    raise Interrupted(url)
            if decoder is not None:
                _append(body, b"", decoder, limits.max_bytes, url, final=True)
            return Fetched(
                url=url,
                status=status,
                content_type=response.headers.get("content-type", ""),
                body=bytes(body),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )

    def _respect_retry_after(self, url: str, value: str | None) -> None:
        if value and value.strip().isdigit():
            self.gate.defer(httpx.URL(url).host, min(float(value.strip()), self.policy.max_backoff))



def _decoder(url: str, encoding: str) -> zlib._Decompress | None:
    """A decompressor for the body's Content-Encoding (we only ask for gzip and deflate)."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, told apart by the stream
    raise FetchError(url, f"unsupported Content-Encoding {encoding!r}")


def _append(body: bytearray, chunk: bytes, decoder: zlib._Decompress | None, limit: int, url: str,
            final: bool = False) -> None:
    """Add a chunk to the body, decompressing at most one byte past the limit: a small compressed body that
    expands to gigabytes (a gzip bomb) is refused without ever being expanded in memory."""
    if decoder is None:
        body += chunk
    else:
        try:
            pending = chunk
            while pending and len(body) <= limit:
                body += decoder.decompress(pending, limit - len(body) + 1)
                pending = decoder.unconsumed_tail
            if final:
                body += decoder.flush()
        except zlib.error as exc:
            raise FetchError(url, f"body cannot be decoded ({exc})") from exc
    if len(body) > limit:
        raise FetchError(url, f"body is over the {limit} byte limit (stopped reading)")


class ServedBytes(Fetcher):
    """A fetcher that answers every URL with ``body`` and touches no network: what the readers see of a
    fetched feed or page, for fuzzing them (``fuzz/readers.py``) and for tests."""

    def __init__(self, body: bytes = b"") -> None:
        super().__init__(FetchPolicy(), threading.Event())
        self.body = body

    def fetch(self, url: str, limits: FetchLimits, *, etag: str | None = None, last_modified: str | None = None,
              accept: str = PAGE_ACCEPT) -> Fetched | NotModified:
        return Fetched(url=url, status=200, content_type="", body=self.body)
