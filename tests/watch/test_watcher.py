"""The watch loop over a local server whose feeds and pages change, fail and misbehave between polls.

The desk here keeps documents in memory: these tests are about fetching, polling and what is recorded;
``test_watch_store.py`` runs the same loop into a real store with the real analysis.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from watchfloor.watch.fetch import Fetcher, FetchPolicy
from watchfloor.watch.run import Watcher, stop_on_signals
from watchfloor.watch.sources import parse_sources
from watchfloor.watch.state import JournalState

from .conftest import LOOPBACK
from .helpers import MemoryDesk, article_text, page_html, rss


def _watcher(site: HTTPServer, sources_toml: str, state: JournalState, desk: MemoryDesk,
             stop: threading.Event | None = None) -> Watcher:
    options, sources = parse_sources("[watch]\ndelay = 0.0\nbackoff = 0.01\nretries = 1\n" + sources_toml)
    policy = FetchPolicy(allow_networks=LOOPBACK, retries=options.retries, backoff=options.backoff, max_backoff=0.05)
    return Watcher(sources, options, state, desk, Fetcher(policy, stop or threading.Event()))


def _source(url: str, **extra: object) -> str:
    values: dict[str, object] = {"url": url, "outlet": "Test Herald", "tlp": "green", "delay": 0.0, "timeout": 2.0,
                                 **extra}
    lines = [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {str(v).lower()}" for k, v in values.items()]
    return "[[source]]\n" + "\n".join(lines) + "\n"


def _serve_articles(site: HTTPServer, numbers: range) -> None:
    for n in numbers:
        site.expect_request(f"/a/{n}").respond_with_data(page_html(n), content_type="text/html")


def _count(site: HTTPServer, path: str) -> int:
    return sum(1 for request, _ in site.log if request.path == path)


def test_new_items_each_poll_and_nothing_twice(site: HTTPServer) -> None:
    listed = [2]

    def feed(request: Request) -> Response:
        items = [(f"g{n}", site.url_for(f"/a/{n}"), "short") for n in range(listed[0])]
        return Response(rss(items), content_type="application/rss+xml")

    site.expect_request("/feed.xml").respond_with_handler(feed)
    _serve_articles(site, range(4))
    state, desk = JournalState(), MemoryDesk()
    watcher = _watcher(site, _source(site.url_for("/feed.xml")), state, desk)
    (first,) = watcher.run(once=True)
    assert (first.polled, first.new_items, first.added) == (1, 2, 2)
    listed[0] = 4  # the feed grows between polls
    (second,) = watcher.run(once=True)
    assert (second.new_items, second.added, second.already_stored) == (2, 2, 0)
    (third,) = watcher.run(once=True)
    assert (third.new_items, third.added) == (0, 0)
    stored = [doc_id for call in desk.stored_calls for doc_id in call]
    assert len(stored) == len(set(stored)) == 4  # nothing was handed to the store twice
    assert all(_count(site, f"/a/{n}") == 1 for n in range(4))  # each article fetched once
    assert {d.outlet for d in desk.documents.values()} == {"Test Herald"}
    assert all(article_text(n) in " ".join(d.text for d in desk.documents.values()) for n in range(4))
    (known,) = state.sources()
    assert (known.polls, known.items_seen, known.documents_added, known.failures) == (3, 4, 4, 0)
    assert known.tlp == "green" and known.reliability == "F"


def test_304_fetches_nothing_more(site: HTTPServer) -> None:
    def feed(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"feed-1"':
            return Response(status=304)
        return Response(rss([("g0", site.url_for("/a/0"), "x")]), content_type="application/rss+xml",
                        headers={"ETag": '"feed-1"'})

    site.expect_request("/feed.xml").respond_with_handler(feed)
    _serve_articles(site, range(1))
    state, desk = JournalState(), MemoryDesk()
    watcher = _watcher(site, _source(site.url_for("/feed.xml")), state, desk)
    watcher.run(once=True)
    (again,) = watcher.run(once=True)
    assert again.not_modified == 1 and again.new_items == 0
    assert state.sources()[0].etag == '"feed-1"' and state.sources()[0].not_modified == 1
    assert _count(site, "/a/0") == 1 and len(desk.documents) == 1


def test_bad_sources_are_recorded_and_the_rest_goes_on(site: HTTPServer) -> None:
    site.expect_request("/down.xml").respond_with_data("down", status=500)
    site.expect_request("/garbage.xml").respond_with_data(b"\x00\xff not a feed <<< " + os.urandom(300),
                                                          content_type="application/rss+xml")
    site.expect_request("/huge.xml").respond_with_data(b"<rss>" + b"x" * 3_000_000, content_type="application/rss+xml")
    site.expect_request("/loop.xml").respond_with_data("", status=302, headers={"Location": "/loop.xml"})
    site.expect_request("/slow.xml").respond_with_handler(lambda r: time.sleep(1.5) or Response("<rss/>"))
    site.expect_request("/good.xml").respond_with_data(rss([("g1", site.url_for("/a/1"), "x")]),
                                                       content_type="application/rss+xml")
    _serve_articles(site, range(1, 2))
    toml = (_source(site.url_for("/down.xml")) + _source(site.url_for("/garbage.xml"))
            + _source(site.url_for("/huge.xml"), max_mb=1) + _source(site.url_for("/loop.xml"))
            + _source(site.url_for("/slow.xml"), timeout=0.4) + _source(site.url_for("/good.xml")))
    state, desk = JournalState(), MemoryDesk()
    (report,) = _watcher(site, toml, state, desk).run(once=True)
    assert report.polled == 6 and len(report.failed) == 5 and report.added == 1
    errors = {s.key.rsplit("/", 1)[1]: s.last_error or "" for s in state.sources()}
    assert "HTTP 500" in errors["down.xml"]
    assert "not a readable RSS/Atom feed" in errors["garbage.xml"]
    assert "byte limit" in errors["huge.xml"]
    assert "redirect loop" in errors["loop.xml"]
    assert "timed out" in errors["slow.xml"]
    assert errors["good.xml"] == ""
    assert all(s.failures == 1 and s.last_error_at for s in state.sources() if not s.key.endswith("good.xml"))
    assert _count(site, "/down.xml") == 2  # retried once (retries = 1), then recorded


def test_article_failures_fall_back_or_wait(site: HTTPServer) -> None:
    summary = article_text(7)
    site.expect_request("/feed.xml").respond_with_data(rss([
        ("gone", site.url_for("/a/gone"), summary),  # article 404: the entry's own text is used
        ("empty", site.url_for("/a/empty"), ""),  # nothing anywhere: an item error, not retried
        ("flaky", site.url_for("/a/flaky"), ""),  # 503: left for the next poll
    ]), content_type="application/rss+xml")
    site.expect_request("/a/gone").respond_with_data("no", status=404)
    site.expect_request("/a/empty").respond_with_data("<html><body><nav>Home</nav></body></html>",
                                                      content_type="text/html")
    answers = iter([503, 503, 200])
    site.expect_request("/a/flaky").respond_with_handler(
        lambda r: Response(page_html(9), status=next(answers), content_type="text/html"))
    state, desk = JournalState(), MemoryDesk()
    watcher = _watcher(site, _source(site.url_for("/feed.xml")), state, desk)
    (first,) = watcher.run(once=True)
    assert (first.added, first.item_errors, first.retry_later) == (1, 1, 1)
    (doc,) = desk.documents.values()
    assert doc.text == summary and doc.url == site.url_for("/a/gone")
    assert "no article text" in (state.sources()[0].last_error or "")
    assert state.sources()[0].etag is None  # an item waits: the feed must not be skipped by a 304 next time
    (second,) = watcher.run(once=True)
    assert (second.added, second.item_errors, second.retry_later) == (1, 0, 0)
    assert _count(site, "/a/empty") == 1 and _count(site, "/a/gone") == 1


def test_per_poll_limit_takes_the_rest_later(site: HTTPServer) -> None:
    site.expect_request("/feed.xml").respond_with_data(
        rss([(f"g{n}", site.url_for(f"/a/{n}"), "x") for n in range(5)]), content_type="application/rss+xml")
    _serve_articles(site, range(5))
    state, desk = JournalState(), MemoryDesk()
    watcher = _watcher(site, _source(site.url_for("/feed.xml"), max_items=2), state, desk)
    added = [r.added for _ in range(4) for r in watcher.run(once=True)]
    assert added == [2, 2, 1, 0] and len(desk.documents) == 5


def test_page_source_is_new_each_time_its_text_changes(site: HTTPServer) -> None:
    version = [1]
    site.expect_request("/live").respond_with_handler(
        lambda r: Response(page_html(version[0]), content_type="text/html"))
    state, desk = JournalState(), MemoryDesk()
    watcher = _watcher(site, _source(site.url_for("/live"), kind="page"), state, desk)
    assert [r.added for r in watcher.run(once=True)] == [1]
    assert [r.added for r in watcher.run(once=True)] == [0]
    version[0] = 2
    assert [r.added for r in watcher.run(once=True)] == [1]
    assert len(desk.documents) == 2


def test_sigterm_mid_poll_loses_nothing_and_restart_goes_on(site: HTTPServer, tmp_path: Path) -> None:
    """A real SIGTERM arrives while an article is being served: the run stops without recording the
    half-polled source; a second run with the same journal stores every item once."""
    items = [(f"g{n}", site.url_for(f"/a/{n}"), "x") for n in range(4)]
    site.expect_request("/feed.xml").respond_with_data(rss(items), content_type="application/rss+xml")
    _serve_articles(site, range(0, 2))
    site.expect_request("/other.xml").respond_with_data(rss([("o1", site.url_for("/a/4"), "x")]),
                                                        content_type="application/rss+xml")
    killed = []

    def article_2(request: Request) -> Response:
        if not killed:
            killed.append(True)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.3)
        return Response(page_html(2), content_type="text/html")

    site.expect_request("/a/2").respond_with_handler(article_2)
    _serve_articles(site, range(3, 5))
    journal = tmp_path / "watch.jsonl"
    toml = _source(site.url_for("/feed.xml")) + _source(site.url_for("/other.xml"))
    desk = MemoryDesk()
    stop = threading.Event()
    watcher = _watcher(site, toml, JournalState(journal), desk, stop)
    with stop_on_signals(stop):
        (report,) = watcher.run(once=True)
    assert report.interrupted and stop.is_set()
    state = JournalState(journal)  # what a restarted process reads
    recorded = {s.key for s in state.sources()}
    stored = {doc_id for call in desk.stored_calls for doc_id in call}
    feed_state = state.source(site.url_for("/feed.xml"))
    assert feed_state is None  # the interrupted source recorded nothing...
    assert site.url_for("/feed.xml") not in recorded and len(stored) <= 1  # ...and stored nothing
    (again,) = _watcher(site, toml, state, desk).run(once=True)
    assert not again.interrupted
    stored_all = [doc_id for call in desk.stored_calls for doc_id in call]
    assert len(desk.documents) == 5  # every item of both feeds, once
    assert len(set(stored_all)) == 5 and again.added == 5 - len(stored)


def test_journal_survives_a_torn_last_line(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from watchfloor.watch.records import SeenItem, SourceState

    path = tmp_path / "state.jsonl"
    state = JournalState(path)
    now = datetime(2024, 11, 1, tzinfo=UTC)
    state.record_poll(SourceState("https://x.example/feed", polls=1), [SeenItem("https://x.example/feed", "a", None,
                                                                               "d1", None, now)], ["d1"])
    with path.open("ab") as handle:
        handle.write(b'{"op":"poll","state":{"key":"https://x.example/feed","polls":2')  # killed mid-write
    again = JournalState(path)
    assert again.source("https://x.example/feed").polls == 1  # type: ignore[union-attr]
    assert again.unseen("https://x.example/feed", ["a", "b"]) == ["b"]
    assert again.pending_documents() == ["d1"]
    again.clear_pending(["d1"], "p1")
    third = JournalState(path)
    assert third.pending_documents() == [] and third.rules_position() == "p1"
