"""The watch loop: poll the sources that are due, store what they found, record it, run the rules.

Order of work for each source, so that an interruption at any point loses nothing and stores nothing
twice: fetch (nothing recorded) → store the documents (one transaction per batch; documents have content
ids, so storing again is a no-op) → record the handled items and the source's state (one journal line or
transaction) → after all sources: link the picture, match the rules, record and deliver the alerts.
A stop request (SIGTERM, Ctrl-C) sets an event: waits and downloads end at once, a batch being stored is
finished and recorded, and the rest is left for the next run, which takes it up from the recorded state.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .alerts import Alerting
from .desk import Desk, StoredBatch
from .fetch import Fetcher
from .poll import PollOutcome, poll_source
from .records import SeenItem, SourceState
from .sources import Source, WatchOptions
from .state import JournalState, WatchState

__all__ = ["CycleReport", "Watcher", "stop_on_signals", "watch_state_for"]

log = logging.getLogger("watchfloor.watch")

Clock = Callable[[], datetime]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def watch_state_for(db: str) -> JournalState:
    """The watcher's state for a store. Interim: a journal beside the SQLite file (``<db>.watch.jsonl``);
    this is where a store that implements :class:`~watchfloor.watch.state.WatchState` plugs in."""
    if db == ":memory:":
        return JournalState()
    return JournalState(Path(f"{db}.watch.jsonl"))


@dataclass
class CycleReport:
    polled: int = 0
    not_modified: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (outlet, error)
    new_items: int = 0
    added: int = 0
    already_stored: int = 0
    item_errors: int = 0
    retry_later: int = 0
    alerts: int = 0
    delivered: int = 0
    interrupted: bool = False
    seconds: float = 0.0


class Watcher:
    """Polls the sources into a desk. ``stop`` is shared with the fetcher: setting it ends the run cleanly."""

    def __init__(self, sources: Sequence[Source], options: WatchOptions, state: WatchState, desk: Desk,
                 fetcher: Fetcher, alerting: Alerting | None = None, clock: Clock = _utcnow) -> None:
        self.sources = tuple(sources)
        self.options = options
        self.state = state
        self.desk = desk
        self.fetcher = fetcher
        self.stop = fetcher.stop
        self.alerting = alerting
        self.clock = clock

    def next_due(self, source: Source) -> datetime:
        """When a source is due: its interval after the last poll, longer after failures (up to 8 times)."""
        known = self.state.source(source.key)
        if known is None or known.last_polled is None:
            return datetime.min.replace(tzinfo=UTC)
        return known.last_polled + timedelta(seconds=source.interval * min(2 ** known.failures, 8))

    def due(self) -> list[Source]:
        now = self.clock()
        return [s for s in self.sources if self.next_due(s) <= now]

    def run(self, once: bool = False, on_cycle: Callable[[CycleReport], None] | None = None) -> list[CycleReport]:
        """Poll until stopped (or one round over every source with ``once``)."""
        reports = []
        while not self.stop.is_set():
            sources = list(self.sources) if once else self.due()
            if sources:
                report = self.cycle(sources)
                reports.append(report)
                if on_cycle:
                    on_cycle(report)
            if once:
                break
            wake = min(self.next_due(s) for s in self.sources)
            self.stop.wait(max(1.0, min((wake - self.clock()).total_seconds(), 60.0)))
        return reports

    def cycle(self, sources: Sequence[Source]) -> CycleReport:
        started = time.perf_counter()
        report = CycleReport()
        self._start_rules()
        with ThreadPoolExecutor(max_workers=max(1, self.options.workers), thread_name_prefix="watch") as pool:
            running: set[Future[PollOutcome]] = {pool.submit(self._poll, s) for s in sources}
            while running and not self.stop.is_set():
                done, running = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    if not self.stop.is_set():
                        self._take(future.result(), report)
            if self.stop.is_set():
                for future in running:
                    future.cancel()
        report.interrupted = self.stop.is_set()
        if not report.interrupted:
            self._picture_and_alerts(report)
        report.seconds = time.perf_counter() - started
        return report

    def _poll(self, source: Source) -> PollOutcome:
        try:
            return poll_source(self.fetcher, source, self.state)
        except Exception as exc:  # a fault of ours on odd input: logged and recorded, the watch goes on
            log.exception("polling %s failed unexpectedly", source.url)
            return PollOutcome(source, status="failed", error=f"internal error ({type(exc).__name__}: {exc})")

    def _take(self, outcome: PollOutcome, report: CycleReport) -> None:
        """Store what one poll found, then record it (never the reverse)."""
        source = outcome.source
        if outcome.status == "interrupted":
            return
        report.polled += 1
        documents = outcome.documents
        stored = self.desk.store_documents(documents) if documents else StoredBatch()
        now = self.clock()
        seen: list[SeenItem] = []
        errors: list[str] = []
        for item in outcome.items:
            error = item.error or (stored.failed.get(item.document.id) if item.document else None)
            if error:
                errors.append(f"{item.url or item.key}: {error}")
            seen.append(SeenItem(source.key, item.key, item.url, None if error or item.document is None
                                 else item.document.id, error, now))
        stored_ids = set(stored.added) | set(stored.known)
        pending = [d.id for d in documents if d.id in stored_ids]
        added_here = len({d.id for d in documents} & set(stored.added))
        self.state.record_poll(self._next_state(outcome, now, len(seen), added_here, errors), seen,
                               list(dict.fromkeys(pending)))
        report.new_items += len(outcome.items)
        report.added += added_here
        report.already_stored += len({d.id for d in documents} & set(stored.known))
        report.item_errors += len(errors)
        report.retry_later += len(outcome.retry_later)
        if outcome.status == "not_modified":
            report.not_modified += 1
        if outcome.status == "failed":
            report.failed.append((source.outlet, outcome.error or "failed"))
            log.warning("%s: %s", source.outlet, outcome.error)
        for error in errors:
            log.warning("%s: %s", source.outlet, error)

    def _next_state(self, outcome: PollOutcome, now: datetime, handled: int, added: int,
                    errors: list[str]) -> SourceState:
        source = outcome.source
        known = self.state.source(source.key) or SourceState(key=source.key)
        known = replace(known, outlet=source.outlet, tlp=source.tlp, reliability=source.reliability,
                        last_polled=now, polls=known.polls + 1, items_seen=known.items_seen + handled,
                        documents_added=known.documents_added + added, item_errors=known.item_errors + len(errors))
        if outcome.status == "failed":
            return replace(known, failures=known.failures + 1, last_error=outcome.error, last_error_at=now)
        keep = outcome.status == "not_modified" or outcome.complete
        known = replace(known, failures=0, last_success=now, not_modified=known.not_modified
                        + (outcome.status == "not_modified"), etag=outcome.etag if keep else None,
                        last_modified=outcome.last_modified if keep else None)
        if errors:
            known = replace(known, last_error=errors[-1], last_error_at=now)
        return known

    def _start_rules(self) -> None:
        """On the first run with rules, what the status history holds already is not news."""
        if self.alerting is not None and self.state.rules_position() is None:
            self.state.clear_pending([], self.desk.history_position() or "")

    def _picture_and_alerts(self, report: CycleReport) -> None:
        self.desk.update_picture()  # also links what an interrupted run stored but did not link
        pending = self.state.pending_documents()
        if self.alerting is None:
            if pending:
                self.state.clear_pending(pending)
            return
        delta = self.desk.delta(pending, self.state.rules_position())
        alerts = self.alerting.run(self.state, delta, self.clock())
        report.alerts += alerts.raised
        report.delivered += alerts.delivered


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` instead of killing the process mid-write (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        log.warning("%s received: finishing the batch being stored, then stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
