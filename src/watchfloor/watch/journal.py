"""The journal an earlier watchfloor kept beside the store (``<db>.watch.jsonl``), read once to import it.

Before the store kept the watcher's state, each operation was one fsynced JSON line: ``poll`` (a source's
state, the item keys it handled, documents queued for the rules), ``clear`` (documents the rules saw, their
position), ``alerts`` (new alerts and their outputs) and ``delivered``. :func:`read_journal` replays it into a
:class:`Journal`; a torn last line (a crash mid-write) is an operation that never happened and is skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import codec
from ..errors import StoreError
from .records import Alert, SourceState

__all__ = ["Journal", "read_journal"]


@dataclass
class Journal:
    sources: dict[str, SourceState] = field(default_factory=dict)
    seen: dict[str, dict[str, None]] = field(default_factory=dict)  # source key -> item keys, in order
    pending: dict[str, None] = field(default_factory=dict)
    position: str | None = None
    alerts: dict[str, Alert] = field(default_factory=dict)
    outputs: dict[str, list[str]] = field(default_factory=dict)  # alert key -> every output it was for
    delivered: dict[str, set[str]] = field(default_factory=dict)  # alert key -> outputs that took it

    def apply(self, entry: dict[str, Any]) -> None:
        op = entry["op"]
        if op == "poll":
            state = codec.load(SourceState, entry["state"])
            self.sources[state.key] = state
            self.seen.setdefault(state.key, {}).update(dict.fromkeys(entry["items"]))
            self.pending.update(dict.fromkeys(entry["pending"]))
        elif op == "clear":
            for doc_id in entry["docs"]:
                self.pending.pop(doc_id, None)
            if entry.get("position") is not None:
                self.position = entry["position"]
        elif op == "alerts":
            for data in entry["alerts"]:
                alert = codec.load(Alert, data)
                self.alerts[alert.key] = alert
                self.outputs[alert.key] = list(entry["outputs"])
        elif op == "delivered":
            for key in entry["keys"]:
                self.delivered.setdefault(key, set()).add(entry["output"])
        else:
            raise KeyError(op)


def read_journal(path: Path) -> Journal:
    """Replay a journal file; a damaged line is an error naming the file and line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"cannot read the watch journal {path}: {exc}") from exc
    journal = Journal()
    complete = raw[: raw.rfind(b"\n") + 1]
    for number, line in enumerate(complete.splitlines(), start=1):
        try:
            journal.apply(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"{path}:{number}: damaged watch journal ({exc}); move the file away to start afresh "
                             "(every source is then fetched again, nothing is stored twice)") from exc
    return journal
