"""The writer on a thread of its own: batches are handed over as they are produced and written in order.

The producing thread (parsing, or waiting on workers) and the writing thread (embedding, storing, linking) overlap
wherever either one leaves the GIL: spaCy's matrix products and parser loop, onnxruntime, SQLite and the network
round trips to PostgreSQL all do. The writer stays one: batches are written one after another, in order.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = ["write_behind"]

T = TypeVar("T")

_DONE = object()


def write_behind(batches: Iterable[T], handle: Callable[[T], None], depth: int = 2) -> None:
    """``handle(batch)`` for every batch, in order, on a second thread; the caller's thread produces the batches
    and runs at most ``depth`` batches ahead. The first error on either side stops both and is raised here; a
    batch already handed over when the producer fails is still written (an interruption loses only what was not
    analysed yet)."""
    handoff: queue.Queue[object] = queue.Queue(maxsize=depth)
    failures: list[BaseException] = []

    def write() -> None:
        while True:
            batch = handoff.get()
            if batch is _DONE:
                return
            if failures:
                continue  # drain without writing: the run is failing
            try:
                handle(batch)  # type: ignore[arg-type]
            except BaseException as exc:  # noqa: BLE001 - handed to the producing thread, raised there
                failures.append(exc)

    writer = threading.Thread(target=write, name="watchfloor-writer", daemon=True)
    writer.start()
    try:
        for batch in batches:
            if failures:
                break
            handoff.put(batch)
    finally:
        handoff.put(_DONE)
        writer.join()
    if failures:
        raise failures[0]
