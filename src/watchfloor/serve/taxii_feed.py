"""What the TAXII collection holds for one reader: the STIX 2.1 objects of the picture cut to the reader's TLP
ceiling, each with the time it was added, kept between requests while the store does not change.

**What is served.** Exactly what ``watchfloor export --format stix --tlp LEVEL`` writes for a partner cleared to
LEVEL: the export of one read snapshot (:func:`watchfloor.report.export_json.export_from`) cut to the ceiling by
:func:`watchfloor.report.tlp.within` — the rule the exports and the JSON API use — and made STIX by
:func:`watchfloor.report.stix.to_stix`. Nothing here decides what a reader may see: an object resting only on
documents above the ceiling is not built at all, so no endpoint, count or header can reveal it.

**``date_added``** is the store's time (``ingested_at``, ``updated_at``, a grade's ``set_at``) of the last change
the reader can see to what the object is built from — never a time only a document above their ceiling could
give, and never this server's clock:

- a claim or an event (``watchfloor-claim``, ``watchfloor-event``), its note and its opinion: the latest of its
  ``updated_at`` as the ceiling cuts it, a report of it or of a claim contradicting it stored, an analysts' grade
  of one of those reports' outlets or named sources set (:func:`watchfloor.report.tlp.seen_change`) — and the
  same for every claim under its consolidation key and the figure it is part of: a report of one claim of a key
  can regroup the others or make them contradict each other, which changes their status and grade;
- a report (a document): when it was stored, or later when a claim or event it lists last changed;
- a relationship: the later of its two ends;
- an outlet's identity: when its last document was stored; a named source's, actor's or subject's: when the
  last document mentioning it was stored or a claim or event naming it last changed; a location: when the last
  event placed there changed;
- a story (``grouping``): when the last document the reader sees was stored, whatever the story — a later
  report can move earlier ones from one story to another, and nothing in the store says when a story last
  changed, so every story is offered again after each arrival (they are few: one per developing story);
- the producer identity, the extension definitions and the TLP marking definitions: when the first document
  (of that level, for a marking) was stored.

Store times only grow in commit order (one writer at a time; each write takes its time once it holds the lock),
so a partner who asks for ``added_after`` the last ``date_added`` they were given receives every object that
changed since. What a ceiling cannot show is listed in ``serve/README.md``.

**Cache.** Building the collection reads and converts the whole picture (about 2 s for the 27 sample documents'
1,435 objects, 20 s for 116 long reports' 12,925); it is built once per ceiling and kept while
:meth:`~watchfloor.store.Reader.picture_marks` of the request's snapshot stays the same (:class:`FeedCache`).
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import DependencyError
from ..model import Tlp
from ..report.export_json import export_from
from ..report.tlp import grade_times, seen_change, within
from ..store import Reader

__all__ = ["Entry", "Feed", "FeedCache", "Filters", "Page", "added_times", "build_feed", "decode_next", "page",
           "parse_time", "stix_time"]

STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]00:00)$")


def stix_time(value: str) -> str:
    """A store time (ISO 8601 with an offset) as a STIX timestamp with microseconds, which sorts as text."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: str) -> str | None:
    """A client's timestamp (``2024-11-05T10:00:00Z``, any number of decimals) in the form :func:`stix_time`
    gives, None when it is not one. Decimals beyond the microsecond are cut, never rounded up."""
    found = _TIME.match(value.strip())
    if found is None:
        return None
    day, clock, fraction, _ = found.groups()
    try:
        datetime.fromisoformat(f"{day}T{clock}")
    except ValueError:
        return None
    return f"{day}T{clock}.{(fraction or '')[:6].ljust(6, '0')}Z"


@dataclass(frozen=True)
class Entry:
    """One object of the collection: its STIX form and what TAXII says of it."""

    date_added: str
    id: str
    type: str
    version: str  # its ``modified`` (``created`` for objects that are never modified), as the object gives it
    spec_version: str
    stix: dict[str, Any]
    version_key: str = ""  # the version as :func:`parse_time` gives it, to compare with a client's

    def __post_init__(self) -> None:
        if not self.version_key:
            object.__setattr__(self, "version_key", parse_time(self.version) or self.version)

    @property
    def key(self) -> tuple[str, str]:
        return (self.date_added, self.id)

    def manifest(self) -> dict[str, str]:
        return {"id": self.id, "date_added": self.date_added, "version": self.version, "media_type": STIX_MEDIA_TYPE}


@dataclass
class Feed:
    """The collection as one reader sees it, oldest ``date_added`` first (ties by id)."""

    entries: list[Entry]
    built_in: float = 0.0
    by_id: dict[str, Entry] = field(init=False)

    keys: list[tuple[str, str]] = field(init=False)

    def __post_init__(self) -> None:
        self.entries.sort(key=lambda e: e.key)
        self.by_id = {e.id: e for e in self.entries}
        self.keys = [e.key for e in self.entries]


def _external_id(obj: dict[str, Any]) -> str | None:
    for reference in obj.get("external_references", []):
        if reference.get("source_name") == "watchfloor" or obj["type"] == "report":
            return str(reference.get("external_id"))
    return None


def _entity_refs(item: dict[str, Any]) -> Iterable[str]:
    for ref in (*item["attributed_to"], *item.get("actors", [])):
        yield ref["entity_id"]
    if item.get("subject"):
        yield item["subject"]["entity_id"]
    for report in item["evidence"]:
        for ref in report["attributed_to"]:
            yield ref["entity_id"]


def added_times(shared: dict[str, Any], objects: Sequence[dict[str, Any]], keys: dict[str, str]) -> dict[str, str]:
    """STIX id -> ``date_added`` (a store time, as given) of every object of ``objects``, the STIX form of the
    export ``shared`` (already cut to the reader's ceiling); ``keys`` gives each claim's and event's consolidation
    key. The rules are in the module docstring."""
    from ..report.stix.markings import tlp_of_marking
    from ..report.stix.objects import PRODUCER

    documents = {d["id"]: d for d in shared["documents"]}
    ingested = {d: doc.get("ingested_at") or "" for d, doc in documents.items()}
    graded = grade_times(shared)
    items = {i["id"]: i for i in (*shared["claims"], *shared["events"])}
    own = {i: max(item["updated_at"] or "", seen_change(item, items, documents, graded)) for i, item in items.items()}
    under: dict[str, list[str]] = defaultdict(list)  # consolidation key -> the last changes of its claims
    for i in items:
        under[keys.get(i, i)].append(own[i])

    def related(item: dict[str, Any]) -> Iterable[str]:
        yield from under[keys.get(item["id"], item["id"])]
        whole = (item.get("quantity") or {}).get("part_of")
        if whole in items:
            yield own[whole]

    changed = {i: max(related(item)) for i, item in items.items()}
    by_doc: dict[str, list[str]] = defaultdict(list)
    by_entity: dict[str, list[str]] = defaultdict(list)
    for item in items.values():
        for doc_id in {e["doc_id"] for e in item["evidence"]}:
            by_doc[doc_id].append(item["updated_at"] or "")
        for entity_id in set(_entity_refs(item)):
            by_entity[entity_id].append(changed[item["id"]])
    for entity in shared["entities"]:
        by_entity[entity["id"]] += [ingested.get(m["doc_id"], "") for m in entity["mentions"]]
    by_outlet: dict[str, list[str]] = defaultdict(list)
    by_level: dict[str, list[str]] = defaultdict(list)
    for doc_id, document in documents.items():
        by_outlet[document["outlet"]].append(ingested[doc_id])
        by_level[document.get("tlp", Tlp.CLEAR.value)].append(ingested[doc_id])
    first = min(ingested.values(), default="")
    last = max(ingested.values(), default="")
    times: dict[str, str] = {}
    later: list[dict[str, Any]] = []
    for obj in objects:
        kind, given = obj["type"], _external_id(obj)
        key = given or ""
        if kind in ("watchfloor-claim", "watchfloor-event") and key in changed:
            times[obj["id"]] = changed[key]
        elif kind == "report" and key in documents:
            times[obj["id"]] = max([ingested[key], *by_doc.get(key, [])])
        elif kind == "identity" and obj["id"] != PRODUCER:
            found = by_entity.get(key) if given is not None else by_outlet.get(obj["name"])
            times[obj["id"]] = max(found or [first])
        elif kind == "grouping":
            times[obj["id"]] = last
        elif kind == "marking-definition":
            level = tlp_of_marking(obj["id"])
            times[obj["id"]] = min(by_level.get(level.value, []) if level else [], default=first)
        elif kind in ("identity", "extension-definition"):
            times[obj["id"]] = first
        else:
            later.append(obj)  # notes, opinions, relationships and locations: from what they connect
    events_at: dict[str, list[str]] = defaultdict(list)
    for obj in objects:
        if obj["type"] == "watchfloor-event" and "location_ref" in obj:
            events_at[obj["location_ref"]].append(times[obj["id"]])
    for obj in later:
        if obj["type"] == "location":
            times[obj["id"]] = max(events_at.get(obj["id"], [first]))
    for obj in later:
        if obj["type"] in ("note", "opinion"):
            times[obj["id"]] = max(times.get(ref, first) for ref in obj["object_refs"])
        elif obj["type"] == "relationship":
            times[obj["id"]] = max(times.get(obj["source_ref"], first), times.get(obj["target_ref"], first))
        elif obj["type"] != "location":
            times[obj["id"]] = last  # a kind of object this module does not know yet: offered with every change
    return times


def build_feed(reader: Reader, ceiling: Tlp) -> Feed:
    """The collection as a reader cleared up to ``ceiling`` sees it in this snapshot (empty while they may see
    no document)."""
    try:
        from ..report.stix import to_stix
    except ImportError as exc:  # pragma: no cover - the share extra is part of every install that serves TAXII
        raise DependencyError(f"TAXII needs the stix2 package ({exc.name} is missing): "
                              f"pip install 'watchfloor[share]'") from None
    started = time.perf_counter()
    shared = within(export_from(reader), ceiling)
    if not shared["documents"]:
        return Feed([], time.perf_counter() - started)
    objects = to_stix(shared)["objects"]
    times = added_times(shared, objects, {row.id: row.key for row in reader.groups()})
    entries = [Entry(stix_time(times[o["id"]]), o["id"], o["type"], o.get("modified", o["created"]),
                     o.get("spec_version", "2.1"), o) for o in objects]
    return Feed(entries, time.perf_counter() - started)


class FeedCache:
    """The collection of each ceiling, built when first asked for and again when the store has changed.

    The request that finds the store changed builds the new collection from its own snapshot and waits for it;
    requests for the same ceiling arriving meanwhile are answered from the previous collection rather than kept
    waiting (the first one ever waits). That is safe for a partner polling with ``added_after``: every change
    the new collection holds was committed after the previous one's snapshot, so its ``date_added`` is later
    than any the previous collection gave."""

    def __init__(self) -> None:
        self._held: dict[Tlp, tuple[tuple[str, ...], Feed]] = {}
        self._locks = {level: threading.Lock() for level in Tlp}

    def feed(self, reader: Reader, ceiling: Tlp) -> Feed:
        marks = reader.picture_marks()
        held = self._held.get(ceiling)
        if held is not None and held[0] == marks:
            return held[1]
        lock = self._locks[ceiling]
        if not lock.acquire(blocking=held is None):
            assert held is not None
            return held[1]  # another request is building the new collection
        try:
            held = self._held.get(ceiling)
            if held is not None and held[0] == marks:
                return held[1]
            built = build_feed(reader, ceiling)
            self._held[ceiling] = (marks, built)
            return built
        finally:
            lock.release()


# --- filtering and paging ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The TAXII 2.1 filters: ``added_after`` and ``match[id|type|version|spec_version]`` (empty: any)."""

    added_after: str | None = None
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: tuple[str, ...] = ("last",)
    spec_versions: tuple[str, ...] = ()

    def keeps(self, entry: Entry) -> bool:
        if self.added_after is not None and entry.date_added <= self.added_after:
            return False
        if self.ids and entry.id not in self.ids:
            return False
        if self.types and entry.type not in self.types:
            return False
        if self.spec_versions and entry.spec_version not in self.spec_versions:
            return False
        # one version of each object is kept (the current one): it is the first, the last and all of them
        return any(v in ("first", "last", "all") or v == entry.version_key for v in self.versions)


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    more: bool
    next: str | None

    def headers(self) -> dict[str, str]:
        if not self.entries:
            return {}
        return {"X-TAXII-Date-Added-First": self.entries[0].date_added,
                "X-TAXII-Date-Added-Last": self.entries[-1].date_added}


def _encode_next(entry: Entry) -> str:
    return base64.urlsafe_b64encode(f"{entry.date_added}|{entry.id}".encode()).decode().rstrip("=")


def decode_next(token: str) -> tuple[str, str] | None:
    """The (date_added, id) a ``next`` token continues after, None when it is not one of ours."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    added, _, object_id = text.partition("|")
    if parse_time(added) != added or "--" not in object_id:
        return None
    return (added, object_id)


def page(feed: Feed | Sequence[Entry], filters: Filters, limit: int, after: tuple[str, str] | None = None) -> Page:
    """At most ``limit`` entries that pass ``filters``, from just after ``after`` (a decoded ``next``). A ``next``
    names the last entry given, not a position, so a collection that changes between two pages neither skips
    nor repeats an object: one that changes meanwhile moves to the end, with its new ``date_added``."""
    entries = feed.entries if isinstance(feed, Feed) else list(feed)
    keys = feed.keys if isinstance(feed, Feed) else [e.key for e in entries]
    start = bisect_right(keys, after) if after is not None else 0
    chosen: list[Entry] = []
    for index in range(start, len(entries)):
        if filters.keeps(entries[index]):
            if len(chosen) == limit:
                return Page(chosen, True, _encode_next(chosen[-1]))
            chosen.append(entries[index])
    return Page(chosen, False, None)
