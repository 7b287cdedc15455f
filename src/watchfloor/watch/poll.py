"""Poll one source: fetch the feed or page (conditionally), find the items not yet handled, fetch each
item's article and read it into a :class:`Document`. Nothing is stored here; the run loop stores what a
poll found and only then records the items as handled.

A feed entry whose article cannot be had for good (404, refused, no article text) falls back to the
entry's own text; an item that failed for a passing reason (timeout, 5xx) is left for the next poll.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from ..errors import FetchError, IngestError
from ..ingest.document import build_document
from ..ingest.feeds import FeedEntry, entry_document, feed_entries, looks_like_feed
from ..ingest.html import read_html
from ..model import Document, Tlp
from .fetch import FEED_ACCEPT, PAGE_ACCEPT, Fetched, Fetcher, FetchLimits, NotModified
from .politeness import Interrupted
from .sources import Source
from .state import WatchState

__all__ = ["FoundItem", "PollOutcome", "poll_source"]

log = logging.getLogger("watchfloor.watch")


@dataclass(frozen=True)
class FoundItem:
    """An item handled by a poll: a document to store, or an error that will not go away by retrying."""

    key: str
    url: str | None
    document: Document | None = None
    error: str | None = None


@dataclass
class PollOutcome:
    source: Source
    status: str = "ok"  # ok | not_modified | failed | interrupted
    items: list[FoundItem] = field(default_factory=list)
    retry_later: list[str] = field(default_factory=list)  # item keys that failed for a passing reason
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    listed: int = 0  # items the feed lists that are not yet handled (before the per-poll limit)

    @property
    def complete(self) -> bool:
        """Every unhandled item was handled: the feed's validators may be kept for the next poll."""
        return self.status == "ok" and not self.retry_later and self.listed <= len(self.items)

    @property
    def documents(self) -> list[Document]:
        return [item.document for item in self.items if item.document is not None]


def _limits(source: Source) -> FetchLimits:
    return FetchLimits(timeout=source.timeout, max_bytes=source.max_bytes, delay=source.delay)


def _is_feed(source: Source, fetched: Fetched) -> bool:
    if source.kind != "auto":
        return source.kind == "feed"
    content_type = fetched.content_type.lower()
    return any(t in content_type for t in ("rss", "atom", "xml")) or looks_like_feed(fetched.body[:2048])


def _as_source_document(page: Document, source: Source, entry: FeedEntry | None, url: str) -> Document:
    """The page under the outlet the sources file names (an analyst's name for it beats the page's), marked
    with the source's TLP level."""
    document = build_document(
        source=url,
        title=page.title or (entry.title if entry else None),
        text=page.text,
        outlet=source.outlet,
        url=url,
        published=page.published or (entry.published if entry else None),
        author=page.author or (entry.author if entry else None),
    )
    return replace(document, tlp=Tlp(source.tlp))


def _article(fetcher: Fetcher, source: Source, entry: FeedEntry) -> FoundItem | None:
    """The entry's article, its own text when the article cannot be had, or None to try again later."""
    problem: str | None = None
    if source.fetch_articles and entry.link:
        try:
            fetched = fetcher.fetch(entry.link, _limits(source), accept=PAGE_ACCEPT)
            if isinstance(fetched, Fetched):
                page = read_html(fetched.body, entry.link, url=entry.link)
                return FoundItem(entry.key, entry.link, document=_as_source_document(page, source, entry, entry.link))
            problem = "article answered 304 to a request without validators"
        except FetchError as exc:
            if exc.transient:
                log.warning("%s: %s (will retry at the next poll)", source.outlet, exc)
                return None
            problem = str(exc)
        except IngestError as exc:
            problem = str(exc)
    try:
        document = entry_document(entry, f"{source.url}#{entry.key}", outlet=source.outlet)
        document = replace(document, tlp=Tlp(source.tlp)) if isinstance(document, Document) else document
    except IngestError as exc:
        return FoundItem(entry.key, entry.link, error=problem or str(exc))
    if problem:
        log.info("%s: %s; the feed entry's own text is used", source.outlet, problem)
    return FoundItem(entry.key, entry.link, document=document)


def _poll_feed(fetcher: Fetcher, source: Source, state: WatchState, fetched: Fetched, outcome: PollOutcome) -> None:
    entries = feed_entries(fetched.body, source.url, base=fetched.url, allow_empty=True)
    by_key = {e.key: e for e in reversed(entries)}  # a key listed twice: the first listing wins
    unseen = state.unseen(source.key, list(dict.fromkeys(e.key for e in entries)))
    outcome.listed = len(unseen)
    for key in unseen[: source.max_items]:
        found = _article(fetcher, source, by_key[key])
        if found is None:
            outcome.retry_later.append(key)
        else:
            outcome.items.append(found)


def _poll_page(source: Source, state: WatchState, fetched: Fetched, outcome: PollOutcome) -> None:
    page = read_html(fetched.body, source.url, url=fetched.url)
    document = _as_source_document(page, source, None, fetched.url)
    key = f"page:{document.content_hash}"  # a page is a new item each time its text changes
    outcome.listed = len(state.unseen(source.key, [key]))
    if outcome.listed:
        outcome.items.append(FoundItem(key, fetched.url, document=document))


def poll_source(fetcher: Fetcher, source: Source, state: WatchState) -> PollOutcome:
    """Poll one source; never raises for anything the source sends (the outcome says what went wrong)."""
    outcome = PollOutcome(source)
    known = state.source(source.key)
    try:
        fetched = fetcher.fetch(source.url, _limits(source), etag=known.etag if known else None,
                                last_modified=known.last_modified if known else None,
                                accept=FEED_ACCEPT if source.kind != "page" else PAGE_ACCEPT)
        if isinstance(fetched, NotModified):
            outcome.status = "not_modified"
            outcome.etag, outcome.last_modified = (known.etag, known.last_modified) if known else (None, None)
            return outcome
        outcome.etag, outcome.last_modified = fetched.etag, fetched.last_modified
        if _is_feed(source, fetched):
            _poll_feed(fetcher, source, state, fetched, outcome)
        else:
            _poll_page(source, state, fetched, outcome)
    except Interrupted:
        outcome.status = "interrupted"
    except (FetchError, IngestError) as exc:
        outcome.status = "failed"
        outcome.error = str(exc)
    return outcome
