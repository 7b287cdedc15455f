"""What runs inside a worker process: a chunk of documents in, their analyses out.

This module is imported by name on the workers (a local process pool or Dask workers on other machines), so it
holds plain top-level functions only. The analysis resources — the spaCy pipeline, the mapped gazetteer, the
alias table, the embedding model — are loaded by the first chunk a process sees (or by :func:`warm`, which the
pools call as soon as a worker starts) and kept for the life of the process: never once per chunk.
"""

from __future__ import annotations

import contextlib
import os
import resource
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..analyze import AnalyzeOptions, analyze_documents
from ..errors import DependencyError
from ..model import Document, DocumentAnalysis
from .collector import fewer_collections

__all__ = ["CHUNK_SIZE", "ChunkResult", "Memory", "WorkerState", "analyze_chunk", "load_resources", "memory",
           "warm"]

#: one analysis at a time per process: a Dask worker with several threads would otherwise run two chunks through
#: one spaCy pipeline at once (its string store is not thread-safe), and the GIL gives threads nothing here
_LOCK = threading.Lock()
#: documents per task: small enough to spread 100 documents over a few workers evenly, large enough that spaCy and
#: the embedding model still work in batches
CHUNK_SIZE = 8
_warmed: dict[AnalyzeOptions, float] = {}


@dataclass(frozen=True)
class Memory:
    """A process's memory in MB, three ways. ``rss`` counts every page the process maps, shared or not: summed over
    forked workers it counts the pages they share with their parent (the spaCy model, the mapped gazetteer) once per
    process. ``pss`` (proportional set size) charges a shared page to each of its sharers in proportion: summed over
    processes it is the memory they take together, which makes it the measure of what one worker costs a machine.
    ``unique`` is what the process alone holds (what ending it would free)."""

    rss: float
    pss: float
    unique: float


@dataclass(frozen=True)
class WorkerState:
    """A worker process as it reports itself: its id, the most memory it held at the end of a chunk (resident,
    proportional and its own, each a separate maximum), and what loading its resources took."""

    pid: int
    peak_mb: float
    unique_mb: float
    load_seconds: float
    pss_mb: float = 0.0


@dataclass(frozen=True)
class ChunkResult:
    """A chunk's documents with their analyses, in the order they were sent, and the worker that made them:
    ``seconds`` of wall time, and ``cpu_seconds`` the whole process used meanwhile (all its threads: a Dask worker's
    event loop as well as the analysis), which the machine's other load does not inflate."""

    pairs: tuple[tuple[Document, DocumentAnalysis], ...]
    worker: WorkerState
    seconds: float
    cpu_seconds: float = 0.0


def _rollup(path: str = "/proc/self/smaps_rollup") -> Memory | None:
    """Linux's totals over every mapping of this process (one read, no walk of ``smaps``); None elsewhere."""
    try:
        with open(path, encoding="ascii") as handle:
            lines = handle.read().splitlines()[1:]  # the first names the (merged) mapping
        fields = {name: float(value.split()[0]) / 1024 for name, value in (line.split(":", 1) for line in lines)}
        return Memory(fields["Rss"], fields["Pss"], fields["Private_Clean"] + fields["Private_Dirty"])
    except (OSError, ValueError, IndexError, KeyError):
        return None



def memory() -> Memory:
    """This process's memory now (see :class:`Memory`). ``ru_maxrss`` is no substitute: Linux carries a parent's
    high-water mark over fork and exec, so a forked worker would report its parent's peak."""
    found = _rollup()
    if found is not None:
        return found
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes
    return Memory(rss, rss, rss)


#: a reading of ``smaps_rollup`` walks every page the process maps, about 5 ms of processor time for a worker (it
#: was taken twice per chunk of 8 stories, 0.4 s a run of the VOA stories on two workers); a chunk's end reads it
#: again only when the resident size (``statm``, microseconds) has grown this far past the largest reading, or
#: when the last reading is this old: the peaks miss at most that growth or that time's worth
_REREAD_MB = 4.0
_REREAD_SECONDS = 5.0
_peak = [0.0, 0.0, 0.0]
_read_at = [-_REREAD_SECONDS]


def _resident_mb(path: str = "/proc/self/statm") -> float | None:
    try:
        with open(path, encoding="ascii") as handle:
            return int(handle.read().split()[1]) * resource.getpagesize() / 2**20
    except (OSError, ValueError, IndexError):
        return None


def _state() -> WorkerState:
    resident = _resident_mb()
    if (resident is None or resident > _peak[0] + _REREAD_MB
            or time.monotonic() - _read_at[0] >= _REREAD_SECONDS):
        now = memory()
        _read_at[0] = time.monotonic()
        _peak[:] = max(_peak[0], now.rss), max(_peak[1], now.unique), max(_peak[2], now.pss)
    return WorkerState(os.getpid(), _peak[0], _peak[1], sum(_warmed.values()), _peak[2])


def warm(options: AnalyzeOptions) -> WorkerState:
    """Load everything the analysis needs, once per process and options; later calls return at once."""
    _load(options)
    return _state()


def _load(options: AnalyzeOptions) -> None:
    with _LOCK:
        if options not in _warmed:
            started = time.perf_counter()
            load_resources(options, options.embeddings)
            _warmed[options] = time.perf_counter() - started


def load_resources(options: AnalyzeOptions, embeddings: bool) -> None:
    """Load in this process what the analysis reads: the spaCy pipeline, the mapped gazetteer, the alias table and,
    when ``embeddings``, the embedding session (none then if its packages are missing, as in one process). A worker
    loads them before its first chunk; ``pools`` loads them before forking, for the workers to share."""
    from ..analyze.embeddings import default_embedder
    from ..analyze.gazetteer import gazetteer
    from ..analyze.geo.gazetteer import geo_gazetteer
    from ..analyze.nlp import load_nlp

    load_nlp(options.model)
    geo_gazetteer()
    gazetteer()
    if embeddings:
        with contextlib.suppress(DependencyError, ImportError):
            default_embedder().load()


def analyze_chunk(documents: Sequence[Document], options: AnalyzeOptions) -> ChunkResult:
    """Analyse a chunk of documents in this process (spaCy in-process, one batch), embeddings included."""
    _load(options)
    started, cpu = time.perf_counter(), time.process_time()
    with _LOCK, fewer_collections():
        pairs = tuple(analyze_documents(documents, replace(options, processes=1, batch_size=max(1, len(documents)))))
    return ChunkResult(pairs, _state(), time.perf_counter() - started, time.process_time() - cpu)
