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

__all__ = ["CHUNK_SIZE", "ChunkResult", "WorkerState", "analyze_chunk", "memory_mb", "warm"]

#: one analysis at a time per process: a Dask worker with several threads would otherwise run two chunks through
#: one spaCy pipeline at once (its string store is not thread-safe), and the GIL gives threads nothing here
_LOCK = threading.Lock()
#: documents per task: small enough to spread 100 documents over a few workers evenly, large enough that spaCy and
#: the embedding model still work in batches
CHUNK_SIZE = 8
_warmed: dict[AnalyzeOptions, float] = {}


@dataclass(frozen=True)
class WorkerState:
    """A worker process as it reports itself: its id, the most memory it held at the end of a chunk (resident, and
    of that the part no other process shares), and what loading its resources took."""

    pid: int
    peak_mb: float
    unique_mb: float
    load_seconds: float


@dataclass(frozen=True)
class ChunkResult:
    """A chunk's documents with their analyses, in the order they were sent, and the worker that made them."""

    pairs: tuple[tuple[Document, DocumentAnalysis], ...]
    worker: WorkerState
    seconds: float


def memory_mb() -> tuple[float, float]:
    """This process's resident memory now, and the part of it no other process shares (psutil's USS). A forked
    worker's resident set counts the pages it shares with its parent and the other workers (the spaCy model, the
    mapped gazetteer); ``ru_maxrss`` would even count the parent's peak from before the fork."""
    try:
        import psutil

        info = psutil.Process().memory_full_info()
        return info.rss / 2**20, info.uss / 2**20
    except (ImportError, OSError, AttributeError):
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes
        return rss, rss


_peak = [0.0, 0.0]


def _state() -> WorkerState:
    rss, unique = memory_mb()
    _peak[0], _peak[1] = max(_peak[0], rss), max(_peak[1], unique)
    return WorkerState(os.getpid(), _peak[0], _peak[1], sum(_warmed.values()))


def warm(options: AnalyzeOptions) -> WorkerState:
    """Load everything the analysis needs, once per process and options; later calls return at once."""
    with _LOCK:
        if options not in _warmed:
            started = time.perf_counter()
            from ..analyze.embeddings import default_embedder
            from ..analyze.gazetteer import gazetteer
            from ..analyze.geo.gazetteer import geo_gazetteer
            from ..analyze.nlp import load_nlp

            load_nlp(options.model)
            geo_gazetteer()
            gazetteer()
            if options.embeddings:
                with contextlib.suppress(DependencyError, ImportError):  # no embeddings then, as in one process
                    default_embedder().load()
            _warmed[options] = time.perf_counter() - started
    return _state()


def analyze_chunk(documents: Sequence[Document], options: AnalyzeOptions) -> ChunkResult:
    """Analyse a chunk of documents in this process (spaCy in-process, one batch), embeddings included."""
    warm(options)
    started = time.perf_counter()
    with _LOCK, fewer_collections():
        pairs = tuple(analyze_documents(documents, replace(options, processes=1, batch_size=max(1, len(documents)))))
    return ChunkResult(pairs, _state(), time.perf_counter() - started)
