"""Where the watcher hands documents over and reads the picture back: one small interface, and its
implementation over the store (the pipeline's ``ingest_documents``, which stores and links a batch at a
time, the part of the export the rules read, the status history).

:class:`StoreDesk` is the one place the watcher touches the store. ``delta`` reads what a batch touched:
the claims and events its documents report (their occurrences point to them) or whose status changed, built
by the export's own code for just those (``report.export_json.part_export``), so that a poll costs what it
brought and not what the store holds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ..config import Settings
from ..model import Document
from ..pipeline import ingest_documents
from ..store import Store
from .view import PictureDelta, StatusChange, delta_from_export

__all__ = ["Desk", "StoreDesk", "StoredBatch", "whole_export_delta"]

log = logging.getLogger("watchfloor.watch")


@dataclass(frozen=True)
class StoredBatch:
    added: tuple[str, ...] = ()
    known: tuple[str, ...] = ()  # already stored before (by an earlier poll, another source or `ingest`)
    failed: dict[str, str] = field(default_factory=dict)  # document id -> why analysis or storage failed


class Desk(Protocol):
    def store_documents(self, documents: Sequence[Document]) -> StoredBatch:
        """Analyse and store new documents; documents already stored are left as they are."""

    def update_picture(self) -> None:
        """Link what was stored (stories, origins, consolidated claims and their status)."""

    def history_position(self) -> str | None:
        """The end of the status history now: changes after it are news to the rules."""

    def delta(self, new_doc_ids: Sequence[str], since: str | None) -> PictureDelta:
        """The records the new documents report, and the status changes after ``since``."""


class StoreDesk:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def _ingest(self, documents: Sequence[Document]) -> tuple[str, ...]:
        return tuple(ingest_documents(list(documents), self.store, self.settings).added_ids)

    def store_documents(self, documents: Sequence[Document]) -> StoredBatch:
        if not documents:
            return StoredBatch()
        failed: dict[str, str] = {}
        try:
            added = self._ingest(documents)
        except Exception:  # a fault in analysis must not stop the watch: find the document that causes it
            log.exception("storing a batch of %d documents failed; storing them one by one", len(documents))
            added_one: list[str] = []
            for document in documents:
                try:
                    added_one.extend(self._ingest([document]))
                except Exception as exc:
                    log.exception("document %s (%s) cannot be stored", document.id, document.url)
                    failed[document.id] = f"analysis or storage failed ({type(exc).__name__}: {exc})"
            added = tuple(added_one)
        known = tuple(d.id for d in documents if d.id not in added and d.id not in failed)
        return StoredBatch(added=added, known=tuple(dict.fromkeys(known)), failed=failed)

    def update_picture(self) -> None:
        from ..pipeline import link_pending

        link_pending(self.store, self.settings.batch_size)  # what an interrupted run left unlinked

    def history_position(self) -> str | None:
        with self.store.read() as reader:
            return reader.history_end() or ""

    def delta(self, new_doc_ids: Sequence[str], since: str | None) -> PictureDelta:
        from ..report.export_json import part_export

        with self.store.read() as reader:
            rows = reader.history(since or None)
            changes = [StatusChange(row.group_id, row.previous, row.status) for row in rows]
            touched = reader.groups_of_documents(new_doc_ids) | {c.record_id for c in changes}
            export = part_export(reader, touched)
        position = rows[-1].changed_at if rows else since
        return delta_from_export(export, new_doc_ids, changes, position)


def whole_export_delta(store: Store, new_doc_ids: Sequence[str], since: str | None) -> PictureDelta:
    """The same delta picked out of the export of the whole store: what ``StoreDesk.delta`` read before, kept
    as the reference its tests and ``bench/watch_delta.py`` compare it with."""
    from ..report.export_json import export_from

    with store.read() as reader:
        rows = reader.history(since or None)
        export = export_from(reader)
    changes = [StatusChange(row.group_id, row.previous, row.status) for row in rows]
    return delta_from_export(export, new_doc_ids, changes, rows[-1].changed_at if rows else since)
