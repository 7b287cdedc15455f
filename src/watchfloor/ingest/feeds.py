"""RSS and Atom files (feedparser): every entry becomes a document; the feed title is the outlet."""

from __future__ import annotations

from collections.abc import Iterator

import feedparser

from ..errors import IngestError
from ..model import Document
from .document import build_document
from .html import fragment_to_text

__all__ = ["looks_like_feed", "read_feed"]


def looks_like_feed(head: bytes) -> bool:
    sample = head[:2048].lower()
    return b"<rss" in sample or b"<feed" in sample or b"<rdf:rdf" in sample


def read_feed(raw: bytes, source: str) -> Iterator[Document | IngestError]:
    parsed = feedparser.parse(raw)
    if parsed.bozo and not parsed.entries:
        yield IngestError(source, f"not a readable RSS/Atom feed ({parsed.get('bozo_exception')})")
        return
    if not parsed.entries:
        yield IngestError(source, "feed has no entries")
        return
    outlet = parsed.feed.get("title")
    for index, entry in enumerate(parsed.entries):
        where = f"{source}#{entry.get('id') or entry.get('link') or index}"
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        published = entry.get("published_parsed") or entry.get("updated_parsed") or entry.get("published")
        entry_outlet = (entry.get("source") or {}).get("title") if isinstance(entry.get("source"), dict) else None
        try:
            yield build_document(
                source=where,
                title=entry.get("title"),
                text=fragment_to_text(html),
                outlet=entry_outlet or outlet,
                url=entry.get("link"),
                published=published,
                author=entry.get("author"),
            )
        except IngestError as exc:
            yield exc
