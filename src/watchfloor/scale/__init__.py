"""The analyze stage on worker processes: a local pool or a Dask cluster, feeding the one writer (see README.md)."""

from __future__ import annotations

from .pools import Analyzer, DaskWorkers, LocalWorkers, PoolStats, analyzer_for
from .threads import write_behind

__all__ = ["Analyzer", "DaskWorkers", "LocalWorkers", "PoolStats", "analyzer_for", "write_behind"]
