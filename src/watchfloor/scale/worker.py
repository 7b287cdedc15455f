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

__all__ = ["ChunkResult", "WorkerState", "analyze_chunk", "peak_memory_mb", "warm"]

#: one analysis at a time per process: a Dask worker with several threads would otherwise run two chunks through
#: one spaCy pipeline at once (its string store is not thread-safe), and the GIL gives threads nothing here
_LOCK = threading.Lock()
_warmed: dict[AnalyzeOptions, float] = {}


@dataclass(frozen=True)
class WorkerState:
    """A worker process as it reports itself: its id, its peak resident memory, what loading took."""

    pid: int
    peak_mb: float
    load_seconds: float


@dataclass(frozen=True)
class ChunkResult:
    """A chunk's documents with their analyses, in the order they were sent, and the worker that made them."""

    pairs: tuple[tuple[Document, DocumentAnalysis], ...]
    worker: WorkerState
    seconds: float


def peak_memory_mb() -> float:
    """This process's peak resident set (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _state() -> WorkerState:
    return WorkerState(os.getpid(), peak_memory_mb(), sum(_warmed.values()))


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
    with _LOCK:
        pairs = tuple(analyze_documents(documents, replace(options, processes=1, batch_size=max(1, len(documents)))))
    return ChunkResult(pairs, _state(), time.perf_counter() - started)
