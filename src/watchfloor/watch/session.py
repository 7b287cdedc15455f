"""Everything one ``watchfloor watch`` run needs, assembled from its files and flags, as plain functions
the CLI calls (and tests call directly)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..store import Store, open_store
from .addresses import Resolver, system_resolver
from .alerts import Alerting, make_output
from .desk import StoreDesk
from .fetch import Fetcher, FetchPolicy
from .records import Alert
from .rules import RuleSet, load_rules
from .run import Watcher, watch_state_for
from .sources import load_sources
from .state import JournalState
from .view import delta_from_export

__all__ = ["WatchRequest", "check_rules", "open_watcher"]


@dataclass(frozen=True)
class WatchRequest:
    sources: Path
    rules: Path | None = None
    state: Path | None = None  # default: beside the store
    allow_private: bool = False
    respect_robots: bool = True


def state_for(settings: Settings, state: Path | None) -> JournalState:
    return JournalState(state) if state is not None else watch_state_for(settings.db)


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
    state = state_for(settings, request.state)
    with open_store(settings.db, "create", settings.lock_timeout) as store, Fetcher(policy, stop, resolver) as fetcher:
        alerting = None
        if ruleset is not None:
            outputs = [make_output(o, stop, policy.backoff) for o in ruleset.outputs]
            alerting = Alerting(ruleset.rules, outputs, state)
        yield Watcher(sources, options, state, StoreDesk(store, settings), fetcher, alerting)


def check_rules(store: Store, ruleset: RuleSet) -> list[Alert]:
    """What the rules match in the whole picture now (nothing is recorded or delivered)."""
    from datetime import UTC, datetime

    from ..report.export_json import build_export
    from .match import match_rules

    export = build_export(store)
    delta = delta_from_export(export, [d["id"] for d in export["documents"]])
    return match_rules(ruleset.rules, delta, datetime.now(UTC))
