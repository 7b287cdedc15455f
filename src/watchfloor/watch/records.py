"""Records the watcher keeps between polls and runs: per-source state, items already handled, alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Alert", "SeenItem", "SourceState"]


@dataclass(frozen=True)
class SourceState:
    """What the watcher knows about one source (``key`` is the source URL as written in SOURCES.toml).

    ``etag`` and ``last_modified`` are the feed's validators from the last poll whose items were all handled;
    they are not kept from a poll that was interrupted, so a 304 can never hide an item not yet fetched.
    """

    key: str
    outlet: str = ""
    tlp: str = ""
    reliability: str = "F"
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    failures: int = 0  # consecutive polls that failed
    polls: int = 0
    not_modified: int = 0  # polls answered 304
    items_seen: int = 0  # items handled (stored, already stored, or failed for good)
    documents_added: int = 0
    item_errors: int = 0


@dataclass(frozen=True)
class SeenItem:
    """An item of a source that needs no fetching again: stored (``doc_id``) or failed for good (``error``)."""

    source_key: str
    item_key: str
    url: str | None
    doc_id: str | None
    error: str | None
    seen_at: datetime


@dataclass(frozen=True)
class Alert:
    """One match of a watch rule. ``key`` makes it unique: the same match is never alerted twice."""

    key: str
    rule: str
    kind: str  # claim | event
    record_id: str
    reason: str  # why it fired: "new report", "became contested (was single_source)"
    summary: str  # one line for a person
    status: str
    sources: tuple[str, ...]
    doc_ids: tuple[str, ...]  # the documents that made it fire
    urls: tuple[str, ...]
    created_at: datetime
