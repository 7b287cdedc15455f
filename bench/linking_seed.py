"""Stores of 10k and 100k documents for the linking cost, seeded in minutes rather than hours.

Storing and linking a report costs some 20 ms of Python whatever the store holds (its story features, copy
fingerprints, claim consolidation), so linking 100k documents one by one would take most of an hour per
engine. The history is made instead from a *template*: a thousand synthetic reports (a stream of their own)
stored and linked once through the real write path, with every write the link stage makes recorded. Each
copy of the template replays those writes through the store's interface with the documents, stories and
claims renamed for the copy and every date moved back by a whole number of ``PERIOD`` (so the week buckets of
the story index move with them). A store of N documents holds N - 1000 such history reports, older than the
thousand live reports then linked through the real path, and the measured batches come after those: the
live window is the same at every size, and everything a batch could read by key, term or fingerprint (the
entities, the claims under shared keys, term statistics and postings, copy fingerprints, stories, the full
text index) has grown with the store as it would have. Consecutive copies are written together, one call per
recorded call, so the history goes in by the thousand rows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

import numpy as np

from watchfloor.config import Settings
from watchfloor.link.stories import StoryOptions
from watchfloor.link.syndication import SyndicationOptions
from watchfloor.pipeline import IngestReport, write_batch
from watchfloor.store import Store, Writer
from watchfloor.store.desk import DeskWrites
from watchfloor.store.documents import DocumentWrites
from watchfloor.store.entities import EntityWrites
from watchfloor.store.grades import GradeWrites
from watchfloor.store.linker import LinkerWrites
from watchfloor.store.picture import PictureWrites

#: how far back each copy of the template goes: whole weeks, so that week buckets move by a whole number
PERIOD = timedelta(days=28)
#: recorded calls of this many copies are written as one call
CHUNK = 25
_WRITES = frozenset(name for cls in (DocumentWrites, PictureWrites, LinkerWrites, EntityWrites, GradeWrites,
                                     DeskWrites)
                    for name, value in vars(cls).items() if callable(value) and not name.startswith("_"))
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_GROUP = re.compile(r"\bc[0-9a-f]{12}\b")


Call = tuple[str, tuple[Any, ...]]


class _Recorder:
    """A writer that does and records each write (reads pass through)."""

    def __init__(self, writer: Writer, calls: list[Call]) -> None:
        self._writer = writer
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._writer, name)
        if name not in _WRITES:
            return method

        def write(*args: Any) -> Any:
            # what the call was given is kept for the replay (a generator is read once; a mapping is kept one,
            # its values too: an iterable of ids listed, a record such as a claim's sums copied as it is)
            given = tuple(a if isinstance(a, (str, bytes, int, float, list, tuple)) or a is None
                          else {k: _kept(v) for k, v in a.items()} if isinstance(a, dict) else list(a)
                          for a in args)
            self._calls.append((name, given))
            return method(*given)

        return write


def _kept(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value if isinstance(value, (str, bytes)) else list(value)


class _RecordingStore:
    def __init__(self, store: Store, calls: list[Call]) -> None:
        self._store = store
        self._calls = calls

    @contextmanager
    def write(self) -> Iterator[Any]:
        with self._store.write() as w:
            yield _Recorder(w, self._calls)


def record(store: Store, pairs: Sequence[tuple[Any, Any]], batch: int = 100) -> list[Call]:
    """Store and link ``pairs`` (into an empty store) through the real write path, ``batch`` a transaction;
    every write made, in order."""
    calls: list[Call] = []
    recording: Any = _RecordingStore(store, calls)
    settings = Settings(db=store.given, batch_size=batch)
    for start in range(0, len(pairs), batch):
        write_batch(recording, list(pairs[start : start + batch]), settings, IngestReport())
    return calls


class _Copy:
    """Renames a template's values for one copy: document ids (and the story ids made of them), claim ids,
    dates and week buckets."""

    def __init__(self, prefix: str, number: int) -> None:
        self.number = number
        self.days = PERIOD.days * number
        self.weeks = self.days // 7
        self.prefix = f"{prefix}-"
        self.ids = re.compile(rf"\b{re.escape(prefix)}-(\d+)\b")
        self._seen: dict[int, Any] = {}
        self.to = f"{prefix}{number}-"

    def _id(self, match: re.Match[str]) -> str:
        return self.to + match.group(1)

    def _date(self, match: re.Match[str]) -> str:
        return (date.fromisoformat(match.group(0)) - timedelta(days=self.days)).isoformat()

    def _group(self, match: re.Match[str]) -> str:
        return "c" + hashlib.sha1(f"{match.group(0)}|{self.number}".encode()).hexdigest()[:12]

    def text(self, value: str) -> str:
        if value.startswith(("{", "[")):  # stored JSON: ids and dates anywhere in it
            value = self.ids.sub(self._id, value)
            return _GROUP.sub(self._group, _DATE.sub(self._date, value))
        if self.prefix in value:
            value = self.ids.sub(self._id, value)
        if len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-" and value[:4].isdigit():
            value = _DATE.sub(self._date, value, count=1)  # a date or a time
        elif len(value) == 13 and value[0] == "c":
            value = _GROUP.sub(self._group, value)
        return value

    def __call__(self, value: Any) -> Any:
        if isinstance(value, (bytes, int, float, Enum, np.ndarray)) or value is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        done = self._seen.get(id(value))
        if done is not None:
            return done
        if isinstance(value, datetime | date):
            copied: Any = value - timedelta(days=self.days)
        elif isinstance(value, tuple):
            copied = tuple(self(v) for v in value)
        elif isinstance(value, list):
            copied = [self(v) for v in value]
        elif isinstance(value, dict):
            copied = {self(k): self(v) for k, v in value.items()}
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            changed = {f.name: self(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
            if "bucket" in changed and isinstance(changed["bucket"], int):
                changed["bucket"] -= self.weeks
            copied = type(value)(**changed)
        else:
            copied = value
        self._seen[id(value)] = copied  # the template keeps every value alive: ids are not reused
        return copied

    def call(self, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        copied = tuple(self(a) for a in args)
        if name == "add_index_entries":  # (term, week bucket, document)
            copied = ([(term, bucket - self.weeks, doc) for term, bucket, doc in copied[0]], *copied[1:])
        return copied


def _merge(calls: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The argument lists of one recorded call in several copies as one call when they can be (lists and sets
    joined, everything else equal), else as they are."""
    first = calls[0]
    merged: list[Any] = []
    for i, value in enumerate(first):
        column = [c[i] for c in calls]
        if isinstance(value, list):
            merged.append([v for part in column for v in part])
        elif isinstance(value, dict) and all(isinstance(v, list) for part in column for v in part.values()):
            joined: dict[Any, list[Any]] = {}
            for part in column:  # copies may share a key (a claim key names no document): their lists joined
                for key, values in part.items():
                    joined.setdefault(key, []).extend(values)
            merged.append(joined)
        elif all(v == value for v in column):
            merged.append(value)
        else:
            return calls
    return [tuple(merged)]


class _Caps:
    """The linkers' posting caps, kept across copies. A linker stops adding to a posting once it holds one entry
    past its cap (the all-time postings of story linking, the fingerprint postings of copy detection): the term
    or the fingerprint is too common to tell anything, and the posting stays that size for good. Each copy of
    the template adds its own entries, so without this a common term's posting would grow with the number of
    copies, which the real write path never lets it do."""

    def __init__(self) -> None:
        self._limits = {"add_index_entries": (1, StoryOptions().max_posting + 1),
                        "add_fingerprints": (0, SyndicationOptions().max_posting + 1)}
        self._held: dict[str, Counter[Any]] = {name: Counter() for name in self._limits}

    def __call__(self, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        if name not in self._limits:
            return args
        at, limit = self._limits[name]
        held = self._held[name]
        kept = []
        for entry in args[at]:  # (term, story) or (fingerprint, document)
            if held[entry[0]] < limit:
                held[entry[0]] += 1
                kept.append(entry)
        return (*args[:at], kept, *args[at + 1:])


def replay(stores: Sequence[Store], calls: list[Call], prefix: str, copies: range,
           report: Callable[[str], None] = print) -> None:
    """Write copies ``copies`` of a recorded template into each of ``stores``, ``CHUNK`` copies a transaction
    (the copies are made once for all the stores)."""
    started = time.perf_counter()
    numbers = list(copies)
    caps = _Caps()
    for start in range(0, len(numbers), CHUNK):
        renamers = [_Copy(prefix, n) for n in numbers[start : start + CHUNK]]
        with ExitStack() as stack:
            writers = [stack.enter_context(store.write()) for store in stores]
            for name, args in calls:
                for merged in _merge([caps(name, r.call(name, args)) for r in renamers]):
                    for w in writers:
                        getattr(w, name)(*merged)
        report(f"    history: copies {renamers[0].number}-{renamers[-1].number} of the template written "
               f"({time.perf_counter() - started:.0f} s)")
