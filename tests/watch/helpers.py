"""Feeds, pages and a desk for the watcher's tests. Texts are invented for these tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from watchfloor.model import Document
from watchfloor.watch.desk import StoredBatch
from watchfloor.watch.view import PictureDelta

TOWNS = ("Arden", "Belmont", "Corvel", "Dunmere", "Eastwick", "Falkirk", "Greyhaven", "Hollis")


def article_text(n: int) -> str:
    town = TOWNS[n % len(TOWNS)]
    return (f"The council of {town} approved a plan on Tuesday to repair {n + 3} bridges over the river before winter, "
            f"its chair told reporters. Work on the first crossings in {town} is due to start next month, and the "
            f"council expects the repairs to cost less than the estimate it published in spring. Item number {n}.")


def page_html(n: int, title: str | None = None) -> str:
    title = title or f"{TOWNS[n % len(TOWNS)]} repairs bridges ({n})"
    return (f"<html><head><title>{escape(title)}</title>"
            f'<meta property="article:published_time" content="2024-11-{1 + n % 28:02d}T09:00:00Z"></head>'
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>"
            f"<p>{article_text(n)}</p><p>{article_text(n + 100)}</p></article></body></html>")


def rss(items: Sequence[tuple[str, str, str]], title: str = "Test Feed") -> str:
    """items: (guid, link, summary text)."""
    when = datetime(2024, 11, 1, 8, tzinfo=UTC)
    entries = "".join(
        f"<item><title>Item {escape(guid)}</title><link>{escape(link)}</link><guid>{escape(guid)}</guid>"
        f"<pubDate>{format_datetime(when + timedelta(hours=i))}</pubDate>"
        f"<description>{escape(summary)}</description></item>"
        for i, (guid, link, summary) in enumerate(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>https://feed.example/</link><description>d</description>{entries}</channel></rss>")


@dataclass
class MemoryDesk:
    """A desk that keeps documents in a dict: for tests about fetching and polling, not about analysis."""

    documents: dict[str, Document] = field(default_factory=dict)
    stored_calls: list[list[str]] = field(default_factory=list)
    pictures: int = 0

    def store_documents(self, documents: Sequence[Document]) -> StoredBatch:
        self.stored_calls.append([d.id for d in documents])
        added = tuple(d.id for d in documents if d.id not in self.documents)
        for document in documents:
            self.documents.setdefault(document.id, document)
        return StoredBatch(added=added, known=tuple(d.id for d in documents if d.id not in added))

    def update_picture(self) -> None:
        self.pictures += 1

    def history_position(self) -> str | None:
        return ""

    def delta(self, new_doc_ids: Sequence[str], since: str | None) -> PictureDelta:
        return PictureDelta(new_doc_ids=frozenset(new_doc_ids), records=())
