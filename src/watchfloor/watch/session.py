"""Everything one ``watchfloor watch`` run needs, assembled from its files and flags, as plain functions
the CLI calls (and tests call directly)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ..config import Settings
from ..store import Store, open_store
from .addresses import Resolver, system_resolver
from .alerts import Alerting, make_output
from .desk import StoreDesk
from .fetch import Fetcher, FetchPolicy
from .records import Alert, SourceState
from .rules import RuleSet, load_rules
from .run import Watcher, watch_state_for
from .sources import Source, load_sources
from .stored import StoreState
from .view import delta_from_export

__all__ = ["WatchRequest", "check_rules", "grade_outlets", "open_watcher", "watch_state_for"]


@dataclass(frozen=True)
class WatchRequest:
    sources: Path
    rules: Path | None = None
    journal: Path | None = None  # an earlier watcher's journal to import (default: <db>.watch.jsonl)
    allow_private: bool = False
    respect_robots: bool = True


@contextmanager
def open_watcher(request: WatchRequest, settings: Settings, stop: threading.Event | None = None,
                 resolver: Resolver = system_resolver, backoff: float | None = None) -> Iterator[Watcher]:
    """A ready watcher over the store of ``settings``; files are read and checked before anything is opened."""
    options, sources = load_sources(request.sources)
    ruleset: RuleSet | None = load_rules(request.rules) if request.rules else None
    stop = stop or threading.Event()
    policy = FetchPolicy(user_agent=options.user_agent, allow_private=request.allow_private,
                         respect_robots=request.respect_robots, concurrency=options.concurrency,
                         max_redirects=options.max_redirects, retries=options.retries,
                         backoff=options.backoff if backoff is None else backoff)
    with open_store(settings.db, "create", settings.lock_timeout) as store, Fetcher(policy, stop, resolver) as fetcher:
        state = watch_state_for(store, request.journal)
        grade_outlets(store, state, sources, f"sources file {request.sources.name}")
        alerting = None
        if ruleset is not None:
            outputs = [make_output(o, stop, policy.backoff) for o in ruleset.outputs]
            alerting = Alerting(ruleset.rules, outputs, state)
        yield Watcher(sources, options, state, StoreDesk(store, settings), fetcher, alerting)


def grade_outlets(store: Store, state: StoreState, sources: Sequence[Source], by: str) -> list[tuple[str, str]]:
    """A source's ``reliability`` grades its outlet (and the claims it bears on, at once) only when the sources
    file sets it and it is not what the file set last time: a default F never overrides an analyst, and an
    analyst's later ``watchfloor grade`` stays until the file's grade changes. The (outlet, grade) pairs set."""
    from ..link.regrade import set_grades

    done: list[tuple[str, str]] = []
    for source in sources:
        mark = f"{source.outlet}={source.reliability}"
        known = state.source(source.key) or SourceState(key=source.key, outlet=source.outlet, tlp=source.tlp)
        if not source.reliability_set or known.graded == mark:
            continue
        with store.write() as w:
            set_grades(w, [(source.outlet, source.reliability)], by, datetime.now(UTC).isoformat())
        state.record_poll(replace(known, graded=mark), [], [])
        done.append((source.outlet, source.reliability))
    return done


def check_rules(store: Store, ruleset: RuleSet) -> list[Alert]:
    """What the rules match in the whole picture now (nothing is recorded or delivered)."""
    from ..report.export_json import build_export
    from .match import match_rules

    export = build_export(store)
    delta = delta_from_export(export, [d["id"] for d in export["documents"]])
    return match_rules(ruleset.rules, delta, datetime.now(UTC))
