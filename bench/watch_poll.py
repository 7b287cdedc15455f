"""The watcher end to end on this machine: a local HTTP server (loopback) serves feeds that grow between
polls, `watch --once`'s loop polls them into a real store with the real analysis, and watch rules raise
alerts. Prints, per poll: items, documents added, seconds, alerts; and the process's peak memory.

    python -m bench.watch_poll [--feeds 5] [--items 20] [--growth 5]

No data set is needed: the articles are generated (invented towns and figures).
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfloor.config import Settings
from watchfloor.store import open_store
from watchfloor.watch.alerts import Alerting, JsonlOutput
from watchfloor.watch.desk import StoreDesk
from watchfloor.watch.fetch import Fetcher, FetchPolicy
from watchfloor.watch.rules import parse_rules
from watchfloor.watch.run import Watcher
from watchfloor.watch.sources import parse_sources
from watchfloor.watch.state import JournalState

from .common import RESULTS

TOWNS = ("Arden", "Belmont", "Corvel", "Dunmere", "Eastwick", "Falkirk", "Greyhaven", "Hollis", "Ivybridge", "Jarrow")
COUNTRIES = ("Norway", "Denmark", "Finland", "Estonia", "Latvia")
RULES = """
[[rule]]
name = "large figure"
kind = "claim"
above = 5000

[[rule]]
name = "contested"
when = "becomes"
status = ["contested"]
"""


def article(feed: int, n: int) -> tuple[str, str]:
    town, country = TOWNS[n % len(TOWNS)], COUNTRIES[feed % len(COUNTRIES)]
    figure = 1000 + (n * 733 + feed * 131) % 9000
    title = f"{town} council approves repairs ({feed}-{n})"
    text = (f"The council of {town} in {country} approved a plan on Tuesday to repair {n % 9 + 2} bridges before "
            f"winter, its chair told reporters. Officials said {figure:,} workers would be hired for the repairs. "
            f"The regional government said the estimate was too high and that fewer workers would be needed. "
            f"Work is due to start next month in the north of {town}, according to the plan published on Monday.")
    return title, text


class Site:
    """Feeds whose length grows when ``grow`` is called; pages for every item; ETags for unchanged feeds."""

    def __init__(self, feeds: int, items: int) -> None:
        self.lengths = [items] * feeds
        self.requests = 0

    def feed(self, index: int, host: str) -> bytes:
        start = datetime(2024, 11, 1, tzinfo=UTC)
        entries = "".join(
            f"<item><title>{article(index, n)[0]}</title><link>http://{host}/a/{index}/{n}</link><guid>{index}-{n}"
            f"</guid><pubDate>{format_datetime(start + timedelta(hours=n))}</pubDate></item>"
            for n in range(self.lengths[index]))
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet {index}</title>{entries}'
                f"</channel></rss>").encode()

    def page(self, index: int, n: int) -> bytes:
        title, text = article(index, n)
        published = (datetime(2024, 11, 1, tzinfo=UTC) + timedelta(hours=n)).isoformat()
        return (f'<html><head><title>{title}</title><meta property="article:published_time" content="{published}">'
                f"</head><body><article><h1>{title}</h1><p>{text}</p></article></body></html>").encode()


def serve(site: Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            site.requests += 1
            parts = self.path.strip("/").split("/")
            host = self.headers.get("Host", "")
            body, kind = b"", "text/html"
            if parts[0] == "feed":
                body, kind = site.feed(int(parts[1]), host), "application/rss+xml"
                etag = f'"{parts[1]}-{site.lengths[int(parts[1])]}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
            elif parts[0] == "a":
                body = site.page(int(parts[1]), int(parts[2]))
            else:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if parts[0] == "feed":
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--feeds", type=int, default=5)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--growth", type=int, default=5)
    args = parser.parse_args()
    site = Site(args.feeds, args.items)
    server = serve(site)
    port = server.server_address[1]
    sources_toml = "[watch]\ndelay = 0.0\n" + "".join(
        f'[[source]]\nurl = "http://127.0.0.1:{port}/feed/{i}"\noutlet = "Outlet {i}"\ntlp = "clear"\n'
        f"max_items = 1000\n" for i in range(args.feeds))
    options, sources = parse_sources(sources_toml)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "watch.db"
        settings = Settings(db=str(db))
        state = JournalState(Path(tmp) / "state.jsonl")
        with open_store(str(db), "create") as store, Fetcher(FetchPolicy(allow_networks=("127.0.0.0/8",), concurrency=options.concurrency),
                                         threading.Event()) as fetcher:
            alerting = Alerting(parse_rules(RULES).rules, [JsonlOutput(Path(tmp) / "alerts.jsonl")], state)
            watcher = Watcher(sources, options, state, StoreDesk(store, settings), fetcher, alerting)
            for poll in range(1, 4):
                before = site.requests
                started = time.perf_counter()
                (report,) = watcher.run(once=True)
                rows.append({"poll": poll, "new_items": report.new_items, "added": report.added,
                             "not_modified": report.not_modified, "requests": site.requests - before,
                             "seconds": round(time.perf_counter() - started, 2), "alerts": report.alerts,
                             "delivered": report.delivered})
                print(f"poll {poll}: {report.new_items} new items, {report.added} added, {report.not_modified} "
                      f"unchanged feeds, {site.requests - before} requests, {rows[-1]['seconds']} s, "
                      f"{report.alerts} alerts raised, {report.delivered} delivered")
                if poll == 1:
                    site.lengths = [n + args.growth for n in site.lengths]
            stored = store.count()
    server.shutdown()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{stored} documents stored; peak memory {peak_mb:.0f} MB")
    (RESULTS / "watch_poll.json").write_text(json.dumps({"polls": rows, "stored": stored, "peak_mb": round(peak_mb)},
                                                        indent=1) + "\n")


if __name__ == "__main__":
    main()
