"""What the watcher needs to remember, as two small interfaces the store implements.

``WatchState`` — per-source state and the items already handled, so a restart goes on where it left off;
``AlertOutbox`` — every alert once (keyed), and to which outputs it still has to be delivered.

:class:`~watchfloor.watch.stored.StoreState` implements both over the store (``store/watch.py``); the CLI
gets it from ``watch_state_for`` in ``watch/run.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .records import Alert, SeenItem, SourceState

__all__ = ["AlertOutbox", "WatchState"]


class WatchState(Protocol):
    def source(self, key: str) -> SourceState | None:
        """The state of one source, None before its first poll."""

    def sources(self) -> list[SourceState]:
        """Every source ever polled, in the order first seen."""

    def unseen(self, source_key: str, item_keys: Sequence[str]) -> list[str]:
        """The keys among ``item_keys`` not yet handled for this source, in the order given (called from the
        fetch threads)."""

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

    def claim(self, output: str) -> Alert | None:
        """The oldest alert still to deliver to ``output`` that no other sender holds, held now by this outbox
        (so that two watchers never both send it); None when there is none."""

    def release(self, output: str, keys: Sequence[str]) -> None:
        """These claimed alerts were not delivered: free them for the next try."""

    def mark_delivered(self, output: str, keys: Sequence[str]) -> None:
        """These alerts reached ``output``."""

    def alerts(self) -> list[Alert]:
        """Every recorded alert, oldest first."""
