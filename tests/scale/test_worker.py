"""A worker's memory figures: read again only when they may have changed, so each chunk does not pay a page walk."""

from __future__ import annotations

import pytest

from watchfloor.scale import worker
from watchfloor.scale.worker import Memory


def test_the_memory_figures_are_read_again_on_growth_or_after_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[float] = []
    resident = [100.0]
    clock = [1000.0]

    def read() -> Memory:
        reads.append(resident[0])
        return Memory(resident[0], resident[0] - 10, resident[0] - 20)

    monkeypatch.setattr(worker, "memory", read)
    monkeypatch.setattr(worker, "_resident_mb", lambda: resident[0])
    monkeypatch.setattr(worker.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(worker, "_peak", [0.0, 0.0, 0.0])
    monkeypatch.setattr(worker, "_read_at", [-worker._REREAD_SECONDS])
    assert worker._state().peak_mb == 100.0 and reads == [100.0]  # the first chunk reads
    resident[0] = 100.0 + worker._REREAD_MB / 2
    clock[0] += worker._REREAD_SECONDS / 2
    assert worker._state().peak_mb == 100.0 and len(reads) == 1  # little growth, soon after: the last reading
    resident[0] = 100.0 + 2 * worker._REREAD_MB
    state = worker._state()
    assert len(reads) == 2 and (state.peak_mb, state.pss_mb, state.unique_mb) == (resident[0], resident[0] - 10,
                                                                                  resident[0] - 20)
    clock[0] += worker._REREAD_SECONDS
    worker._state()
    assert len(reads) == 3  # a while later: read again whatever the resident size (copied shared pages)
