"""Being a good crawler citizen: a gap between requests to one host, a cap on requests in flight to one
host, and robots.txt (RFC 9309, read with protego) — including its Crawl-delay."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from protego import Protego

__all__ = ["HostGate", "Interrupted", "RobotsAnswer", "RobotsCache"]


class Interrupted(Exception):
    """The run was asked to stop (SIGTERM, Ctrl-C) while waiting for a turn; nothing was fetched."""


class HostGate:
    """Per host: at most ``concurrency`` requests at once, and request starts at least ``delay`` apart.

    Waiting is done on the stop event, so a stop request ends every wait at once.
    """

    def __init__(self, concurrency: int, stop: threading.Event) -> None:
        self.concurrency = max(1, concurrency)
        self.stop = stop
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def slow_down(self, host: str, delay: float) -> None:
        """Raise a host's gap (e.g. to its robots.txt Crawl-delay); never lowers it."""
        with self._lock:
            self._delays[host] = max(self._delays.get(host, 0.0), delay)

    def defer(self, host: str, seconds: float) -> None:
        """No request to the host for the next ``seconds`` (a server's Retry-After)."""
        with self._lock:
            now = time.monotonic()
            self._next[host] = max(self._next.get(host, now), now + seconds)

    @contextmanager
    def turn(self, host: str, delay: float) -> Iterator[None]:
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.concurrency))
        while not slot.acquire(timeout=0.1):
            if self.stop.is_set():
                raise Interrupted(host)
        try:
            with self._lock:
                gap = max(delay, self._delays.get(host, 0.0))
                now = time.monotonic()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + gap
            stopped = self.stop.wait(start - now) if start > now else self.stop.is_set()
            if stopped:
                raise Interrupted(host)
            yield
        finally:
            slot.release()


@dataclass(frozen=True)
class RobotsAnswer:
    allowed: bool
    crawl_delay: float | None = None


#: scheme://host[:port]/robots.txt -> (status, body), or None when the host could not be reached
RobotsGetter = Callable[[str], tuple[int, bytes] | None]

_ALLOW_ALL = Protego.parse("")
_DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /")


class RobotsCache:
    """robots.txt per site, fetched once and kept for ``ttl`` seconds.

    As RFC 9309 asks: a missing file (4xx) allows everything; a server error or a file that cannot be had
    disallows everything until the file can be read. A getter that raises (host down) caches nothing.
    """

    def __init__(self, get: RobotsGetter, user_agent: str, ttl: float = 3600.0) -> None:
        self.get = get
        self.user_agent = user_agent
        self.ttl = ttl
        self._lock = threading.Lock()
        self._rules: dict[str, tuple[float, Protego]] = {}
        self._site_locks: dict[str, threading.Lock] = {}

    def _parser(self, site: str) -> Protego:
        with self._lock:
            site_lock = self._site_locks.setdefault(site, threading.Lock())
        with site_lock:  # threads asking for one site at once wait for a single fetch of its file
            with self._lock:
                cached = self._rules.get(site)
            if cached and time.monotonic() - cached[0] < self.ttl:
                return cached[1]
            return self._fetch(site)

    def _fetch(self, site: str) -> Protego:
        answer = self.get(f"{site}/robots.txt")
        if answer is None:
            parser = _DISALLOW_ALL
        else:
            status, body = answer
            if 200 <= status < 300:
                try:
                    parser = Protego.parse(body.decode("utf-8", errors="replace"))
                except Exception:  # protego on a garbled file: treat it as unreadable, like a server error
                    parser = _DISALLOW_ALL
            elif 400 <= status < 500:
                parser = _ALLOW_ALL
            else:
                parser = _DISALLOW_ALL
        with self._lock:
            # an unreachable site is asked again sooner than one that answered
            self._rules[site] = (time.monotonic() - (self.ttl * 0.9 if answer is None else 0.0), parser)
        return parser

    def check(self, url: str, site: str) -> RobotsAnswer:
        """May ``url`` of ``site`` (scheme://host[:port]) be fetched, and how slowly."""
        parser = self._parser(site)
        delay = parser.crawl_delay(self.user_agent)
        return RobotsAnswer(parser.can_fetch(url, self.user_agent), float(delay) if delay is not None else None)
