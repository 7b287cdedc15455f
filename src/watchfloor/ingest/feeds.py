"""RSS and Atom (feedparser): every entry becomes a document; the feed title is the outlet.

:func:`feed_entries` gives the entries as typed records, for the watcher, which fetches each entry's
article and falls back to the entry's own text (:func:`entry_document`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from ..errors import IngestError
from ..model import Document
from .document import build_document
from .html import fragment_to_text

__all__ = ["FeedEntry", "entry_document", "feed_entries", "looks_like_feed", "read_feed"]


@dataclass(frozen=True)
class FeedEntry:
    """One entry: ``key`` identifies it across polls (its id, else its link, else a digest of its text)."""

    key: str
    link: str | None
    title: str | None
    html: str
    published: object  # a time tuple or text, read by parse_published
    author: str | None
    outlet: str | None


def looks_like_feed(head: bytes) -> bool:
    sample = head[:2048].lower()
    return b"<rss" in sample or b"<feed" in sample or b"<rdf:rdf" in sample


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _entry(entry: Any, feed_outlet: str | None, base: str | None) -> FeedEntry:
    content = entry.get("content")
    first = content[0] if isinstance(content, list) and content and isinstance(content[0], dict) else {}
    html = first.get("value") if isinstance(first.get("value"), str) else entry.get("summary")
    html = html if isinstance(html, str) else ""
    link = _text(entry.get("link"))
    if link and base:
        try:
            link = urljoin(base, link)
        except ValueError:  # "http://[x" and the like: no usable link; the entry's own text remains
            link = None
    source = entry.get("source")
    outlet = _text(source.get("title")) if isinstance(source, dict) else None
    title = _text(entry.get("title"))
    ident = _text(entry.get("id")) or link
    key = ident or "sha256:" + hashlib.sha256(f"{title}\x1f{html}".encode()).hexdigest()[:32]
    published = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("published")
    return FeedEntry(key=key, link=link, title=title, html=html, published=published,
                     author=_text(entry.get("author")), outlet=outlet or feed_outlet)


def feed_entries(raw: bytes, source: str, base: str | None = None, allow_empty: bool = False) -> list[FeedEntry]:
    """The entries of a feed, in the feed's order; raises :class:`IngestError` when it is not a feed.

    ``base`` (the feed's address) resolves relative entry links. A well-formed feed without entries is an
    error in a file, and nothing new in a polled feed (``allow_empty``).
    """
    import feedparser  # here, not at the top: only feeds need it (start-up of every other ingest)

    try:
        parsed = feedparser.parse(raw)
    except Exception as exc:  # feedparser parses hostile bytes with several parsers; any failure is the input's
        raise IngestError(source, f"not a readable RSS/Atom feed ({type(exc).__name__})") from exc
    if parsed.bozo and not parsed.entries:
        raise IngestError(source, f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
    if not parsed.entries and not (allow_empty and looks_like_feed(raw[:2048]) and not parsed.bozo):
        raise IngestError(source, "feed has no entries")
    outlet = _text(parsed.feed.get("title"))
    return [_entry(entry, outlet, base) for entry in parsed.entries]


def entry_document(entry: FeedEntry, source: str, outlet: str | None = None) -> Document:
    """The entry's own text as a document (raises :class:`IngestError` when it holds none)."""
    return build_document(
        source=source,
        title=entry.title,
        text=fragment_to_text(entry.html),
        outlet=outlet or entry.outlet,
        url=entry.link,
        published=entry.published,
        author=entry.author,
    )


def read_feed(raw: bytes, source: str) -> Iterator[Document | IngestError]:
    try:
        entries = feed_entries(raw, source)
    except IngestError as exc:
        yield exc
        return
    for index, entry in enumerate(entries):
        where = f"{source}#{entry.key if not entry.key.startswith('sha256:') else index}"
        try:
            yield entry_document(entry, where)
        except IngestError as exc:
            yield exc
