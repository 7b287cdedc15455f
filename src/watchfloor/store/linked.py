"""Metadata rows that link to articles (GDELT 2.0 events and GKG records), kept by kind and id and found by the
URL they link to, so that an article fetched from that URL, or ingested later from elsewhere, finds its themes,
counts and tone. Writing the same row again replaces it (a file read twice is stored once)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from . import tables as t
from .base import Access

__all__ = ["LinkedReads", "LinkedRow", "LinkedWrites"]

_L = t.linked_rows


@dataclass(frozen=True)
class LinkedRow:
    kind: str  # gdelt_event | gdelt_gkg
    id: str
    url: str | None
    data: str  # the row as JSON


class LinkedReads(Access):
    def linked_rows(self, url: str) -> list[LinkedRow]:
        """Every row that links to this URL, by kind and id."""
        query = select(_L.c.kind, _L.c.id, _L.c.url, _L.c.data).where(_L.c.url == url).order_by(_L.c.kind, _L.c.id)
        return [LinkedRow(*r) for r in self.connection.execute(query)]

    def linked_counts(self) -> dict[str, int]:
        query = select(_L.c.kind, func.count()).group_by(_L.c.kind)
        return {str(kind): int(n) for kind, n in self.connection.execute(query)}


class LinkedWrites(LinkedReads):
    def add_linked_rows(self, rows: Sequence[LinkedRow]) -> None:
        unique = {(r.kind, r.id): {"kind": r.kind, "id": r.id, "url": r.url, "data": r.data} for r in rows}
        self._upsert(_L, list(unique.values()), ("kind", "id"))
