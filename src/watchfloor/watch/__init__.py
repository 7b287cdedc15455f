"""Watch: feeds and pages polled politely into the desk, and watch rules that raise alerts.

``sources`` reads SOURCES.toml; ``fetch`` (with ``addresses`` and ``politeness``) is the only code that
touches the network; ``poll`` turns one source into documents; ``run`` is the loop; ``state`` and ``desk``
are the interfaces to what is kept; ``rules``, ``view``, ``match`` and ``alerts`` are the watch rules.
See README.md in this folder for the rules of the package and the store operations it needs.
"""

from .alerts import Alerting, make_output
from .desk import Desk, StoreDesk
from .fetch import Fetcher, FetchLimits, FetchPolicy
from .rules import RuleSet, load_rules, parse_rules
from .run import CycleReport, Watcher, stop_on_signals, watch_state_for
from .sources import Source, WatchOptions, load_sources, parse_sources
from .state import AlertOutbox, JournalState, WatchState

__all__ = [
    "AlertOutbox",
    "Alerting",
    "CycleReport",
    "Desk",
    "FetchLimits",
    "FetchPolicy",
    "Fetcher",
    "JournalState",
    "RuleSet",
    "Source",
    "StoreDesk",
    "WatchOptions",
    "WatchState",
    "Watcher",
    "load_rules",
    "load_sources",
    "make_output",
    "parse_rules",
    "parse_sources",
    "stop_on_signals",
    "watch_state_for",
]
