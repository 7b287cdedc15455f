"""The watcher's state and alert outbox kept in the store (``store/watch.py``), and the one-time import of the
journal an earlier watchfloor kept beside the store.

Each operation is one store transaction. ``unseen`` is called from the fetch threads: each call takes a read
transaction of its own, on a connection of its own from the engine's pool, so threads never share one. A
delivery is claimed before it is sent (:meth:`StoreState.claim`): a second watcher on the same store skips an
alert the first holds, and takes it only if the first neither delivers nor releases it within
:data:`CLAIM_SECONDS` (a crash mid-send) — then the output may get it twice, which the webhook's
``Idempotency-Key`` lets a receiver notice.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import codec
from ..store import AlertRow, NewAlert, Store, WatchItemRow, WatchSourceRow
from .journal import read_journal
from .records import Alert, SeenItem, SourceState

__all__ = ["CLAIM_SECONDS", "JournalImport", "StoreState", "default_journal", "import_journal"]

log = logging.getLogger("watchfloor.watch")

#: how long a claimed delivery stays another sender's (longer than a webhook's retries take)
CLAIM_SECONDS = 300.0
#: meta key prefix marking a journal as imported (its resolved path follows)
IMPORTED = "watch_journal_imported:"


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _source_row(state: SourceState) -> WatchSourceRow:
    return WatchSourceRow(state.key, state.outlet, _iso(state.last_success), state.last_error,
                          _iso(state.last_error_at), state.items_seen, codec.dumps(state))


def _new_alert(alert: Alert) -> NewAlert:
    return NewAlert(alert.key, alert.rule, alert.record_id, alert.doc_ids, alert.created_at.isoformat(),
                    codec.dumps(alert))


def alert_from_row(row: AlertRow) -> Alert:
    return codec.loads(Alert, row.data)


class StoreState:
    """:class:`~watchfloor.watch.state.WatchState` and :class:`~watchfloor.watch.state.AlertOutbox` over a store
    opened for writing (reads alone work on a store opened for reading)."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = _utcnow) -> None:
        self.store = store
        self.clock = clock
        self.claimant = uuid.uuid4().hex  # who holds this outbox's claims

    def source(self, key: str) -> SourceState | None:
        with self.store.read() as r:
            row = r.watch_source(key)
        return codec.loads(SourceState, row.data) if row else None

    def sources(self) -> list[SourceState]:
        with self.store.read() as r:
            return [codec.loads(SourceState, row.data) for row in r.watch_sources()]

    def unseen(self, source_key: str, item_keys: Sequence[str]) -> list[str]:
        with self.store.read() as r:
            return r.unseen_items(source_key, item_keys)

    def record_poll(self, state: SourceState, items: Sequence[SeenItem], pending_doc_ids: Sequence[str]) -> None:
        rows = [WatchItemRow(i.source_key, i.item_key, i.url, i.doc_id, i.error, i.seen_at.isoformat()) for i in items]
        with self.store.write() as w:
            w.record_watch_poll(_source_row(state), rows, pending_doc_ids)

    def pending_documents(self) -> list[str]:
        with self.store.read() as r:
            return r.watch_pending()

    def clear_pending(self, doc_ids: Sequence[str], position: str | None = None) -> None:
        with self.store.write() as w:
            w.clear_watch_pending(doc_ids, position)

    def rules_position(self) -> str | None:
        with self.store.read() as r:
            return r.rules_position()

    def add_alerts(self, alerts: Sequence[Alert], outputs: Sequence[str]) -> list[Alert]:
        with self.store.write() as w:
            added = set(w.add_alerts([_new_alert(a) for a in alerts], outputs))
        fresh: dict[str, Alert] = {}
        for alert in alerts:
            if alert.key in added:
                fresh.setdefault(alert.key, alert)
        return list(fresh.values())

    def undelivered(self, output: str) -> list[Alert]:
        with self.store.read() as r:
            return [alert_from_row(row) for row in r.undelivered_alerts(output)]

    def claim(self, output: str) -> Alert | None:
        now = self.clock()
        with self.store.write() as w:
            row = w.claim_delivery(output, self.claimant, now.isoformat(),
                                   (now + timedelta(seconds=CLAIM_SECONDS)).isoformat())
        return alert_from_row(row) if row else None

    def release(self, output: str, keys: Sequence[str]) -> None:
        if keys:
            with self.store.write() as w:
                w.release_deliveries(output, keys)

    def mark_delivered(self, output: str, keys: Sequence[str]) -> None:
        if keys:
            with self.store.write() as w:
                w.mark_alerts_delivered(output, keys, self.clock().isoformat())

    def alerts(self) -> list[Alert]:
        with self.store.read() as r:
            return [alert_from_row(row) for row in r.alert_rows()]


def default_journal(store: Store) -> Path | None:
    """Where an earlier watchfloor kept the watcher's journal for this store (SQLite stores only)."""
    path = store.location.path
    return Path(f"{path}.watch.jsonl") if path is not None else None


@dataclass(frozen=True)
class JournalImport:
    path: Path
    sources: int
    items: int
    pending: int
    alerts: int


def import_journal(store: Store, path: Path) -> JournalImport | None:
    """Bring an earlier watcher's journal into the store once, in one transaction, then rename it
    ``<name>.imported`` (kept, not deleted). Nothing happens when there is no journal there."""
    if not path.is_file():
        return None
    journal = read_journal(path)
    mark = IMPORTED + str(path.resolve())
    with store.write() as w:
        done = w.meta(mark) is not None  # imported, but the rename did not happen (a crash in between)
        if not done:
            for state in journal.sources.values():
                seen_at = (state.last_polled or _utcnow()).isoformat()
                items = [WatchItemRow(state.key, key, None, None, None, seen_at) for key in journal.seen.get(state.key, {})]
                w.record_watch_poll(_source_row(state), items, [])
            w.queue_for_rules(list(journal.pending))
            w.clear_watch_pending([], journal.position)
            for alert in journal.alerts.values():
                w.add_alerts([_new_alert(alert)], journal.outputs.get(alert.key, []))
                for output in journal.delivered.get(alert.key, set()):
                    w.mark_alerts_delivered(output, [alert.key], alert.created_at.isoformat())
            w.set_meta(mark, _utcnow().isoformat())
    path.replace(path.with_name(path.name + ".imported"))
    if done:
        return None
    report = JournalImport(path, len(journal.sources), sum(len(s) for s in journal.seen.values()),
                           len(journal.pending), len(journal.alerts))
    log.info("imported the watch journal %s into the store: %d sources, %d items, %d alerts (the file is kept as "
             "%s.imported)", path, report.sources, report.items, report.alerts, path.name)
    return report
