"""What the watcher needs to remember, as two small interfaces the store is to implement.

``WatchState`` — per-source state and the items already handled, so a restart goes on where it left off;
``AlertOutbox`` — every alert once (keyed), and to which outputs it still has to be delivered.

Until ``store/`` implements them (see ``watch/README.md`` for the operations and their transactions),
:class:`JournalState` does, in memory or in an append-only JSON Lines journal: each operation is one line
written and fsynced at once, a torn last line (a crash mid-write) is dropped on load, so nothing is ever
half-recorded. The CLI plugs the store in at one place, ``watch_state_for`` in ``watch/run.py``.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from .. import codec
from ..errors import StoreError
from .records import Alert, SeenItem, SourceState

__all__ = ["AlertOutbox", "JournalState", "WatchState"]


class WatchState(Protocol):
    def source(self, key: str) -> SourceState | None:
        """The state of one source, None before its first poll."""

    def sources(self) -> list[SourceState]:
        """Every source ever polled, in the order first seen."""

    def unseen(self, source_key: str, item_keys: Sequence[str]) -> list[str]:
        """The keys among ``item_keys`` not yet handled for this source, in the order given."""

    def record_poll(self, state: SourceState, items: Sequence[SeenItem], pending_doc_ids: Sequence[str]) -> None:
        """In one transaction: the source's new state, the items it handled, and the documents those items
        became, queued for the watch rules. Called after the documents are stored."""

    def pending_documents(self) -> list[str]:
        """Documents stored by the watcher that the watch rules have not yet seen, oldest first."""

    def clear_pending(self, doc_ids: Sequence[str], position: str | None = None) -> None:
        """In one transaction: the rules have seen these documents (their alerts are in the outbox), and the
        status history up to ``position`` (None: the position stays)."""

    def rules_position(self) -> str | None:
        """How far the rules have read the status history (an opaque value from the store); None at first."""


class AlertOutbox(Protocol):
    def add_alerts(self, alerts: Sequence[Alert], outputs: Sequence[str]) -> list[Alert]:
        """Record the alerts whose key is new, to be delivered to ``outputs``; returns those, in order.
        One transaction; adding an alert whose key is known does nothing."""

    def undelivered(self, output: str) -> list[Alert]:
        """Alerts recorded for ``output`` and not yet delivered to it, oldest first."""

    def mark_delivered(self, output: str, keys: Sequence[str]) -> None:
        """These alerts reached ``output``."""

    def alerts(self) -> list[Alert]:
        """Every recorded alert, oldest first."""


class JournalState:
    """:class:`WatchState` and :class:`AlertOutbox` in memory, optionally kept in a journal file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._sources: dict[str, SourceState] = {}
        self._seen: dict[str, set[str]] = {}
        self._pending: dict[str, None] = {}
        self._position: str | None = None
        self._alerts: dict[str, Alert] = {}
        self._outputs: dict[str, set[str]] = {}  # alert key -> outputs still to deliver to
        if path is not None:
            self._replay(path)

    def _replay(self, path: Path) -> None:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            return
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"cannot read the watch state {path}: {exc}") from exc
        complete = raw[: raw.rfind(b"\n") + 1]
        if len(complete) != len(raw):  # a crash in the middle of the last write: that operation never happened
            with path.open("r+b") as handle:
                handle.truncate(len(complete))
        for number, line in enumerate(complete.splitlines(), start=1):
            try:
                entry = json.loads(line)
                self._apply(entry)
            except (ValueError, KeyError, TypeError) as exc:
                raise StoreError(f"{path}:{number}: damaged watch state ({exc}); move the file away to start "
                                 "afresh (every source is then fetched again, nothing is stored twice)") from exc

    def _apply(self, entry: dict[str, Any]) -> None:
        op = entry["op"]
        if op == "poll":
            state = codec.load(SourceState, entry["state"])
            self._sources[state.key] = state
            self._seen.setdefault(state.key, set()).update(entry["items"])
            self._pending.update(dict.fromkeys(entry["pending"]))
        elif op == "clear":
            for doc_id in entry["docs"]:
                self._pending.pop(doc_id, None)
            if entry.get("position") is not None:
                self._position = entry["position"]
        elif op == "alerts":
            for data in entry["alerts"]:
                alert = codec.load(Alert, data)
                self._alerts[alert.key] = alert
                self._outputs[alert.key] = set(entry["outputs"])
        elif op == "delivered":
            for key in entry["keys"]:
                self._outputs.get(key, set()).discard(entry["output"])
        else:
            raise KeyError(op)

    def _write(self, entry: dict[str, Any]) -> None:
        """Apply in memory, and append to the journal as one fsynced line."""
        if self.path is not None:
            line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
            with self.path.open("ab") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        self._apply(entry)

    def source(self, key: str) -> SourceState | None:
        with self._lock:
            return self._sources.get(key)

    def sources(self) -> list[SourceState]:
        with self._lock:
            return list(self._sources.values())

    def unseen(self, source_key: str, item_keys: Sequence[str]) -> list[str]:
        with self._lock:
            seen = self._seen.get(source_key, set())
            return [key for key in item_keys if key not in seen]

    def record_poll(self, state: SourceState, items: Sequence[SeenItem], pending_doc_ids: Sequence[str]) -> None:
        with self._lock:
            self._write({"op": "poll", "state": codec.dump(state), "items": [i.item_key for i in items],
                         "pending": list(pending_doc_ids)})

    def pending_documents(self) -> list[str]:
        with self._lock:
            return list(self._pending)

    def clear_pending(self, doc_ids: Sequence[str], position: str | None = None) -> None:
        with self._lock:
            if doc_ids or (position is not None and position != self._position):
                self._write({"op": "clear", "docs": list(doc_ids), "position": position})

    def rules_position(self) -> str | None:
        with self._lock:
            return self._position

    def add_alerts(self, alerts: Sequence[Alert], outputs: Sequence[str]) -> list[Alert]:
        with self._lock:
            fresh = list({a.key: a for a in alerts if a.key not in self._alerts}.values())
            if fresh:
                self._write({"op": "alerts", "alerts": [codec.dump(a) for a in fresh], "outputs": list(outputs)})
            return fresh

    def undelivered(self, output: str) -> list[Alert]:
        with self._lock:
            return [a for key, a in self._alerts.items() if output in self._outputs.get(key, set())]

    def mark_delivered(self, output: str, keys: Sequence[str]) -> None:
        with self._lock:
            if keys:
                self._write({"op": "delivered", "output": output, "keys": list(keys)})

    def alerts(self) -> list[Alert]:
        with self._lock:
            return list(self._alerts.values())
