"""Analysis on worker processes: a local pool (``--workers N``) or a Dask cluster (``--cluster``), one interface.

Both cut the planned documents into chunks, keep a few chunks per worker in flight (enough that no worker waits,
few enough that memory stays bounded however long the input), and hand the analyses back **in input order**, so
that the single writer stores and links exactly the batches the one-process path would: the results are the same
(``tests/scale`` compares the exports). Workers never touch the store.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from ..analyze import AnalyzeOptions
from ..errors import DependencyError, WatchfloorError
from ..model import Document, DocumentAnalysis
from .worker import CHUNK_SIZE, ChunkResult, WorkerState, analyze_chunk, load_resources, warm

__all__ = ["Analyzer", "DaskWorkers", "LocalWorkers", "PoolStats", "analyzer_for"]

T = TypeVar("T")

#: chunks' worth of documents in flight per worker
AHEAD = 2
INSTALL_DASK = "pip install 'watchfloor[scale]'  (dask[distributed])"


class Analyzer(Protocol):
    """Something that analyses documents elsewhere and yields them back in input order."""

    def analyze(self, documents: Iterable[Document]) -> Iterator[tuple[Document, DocumentAnalysis]]: ...

    def close(self) -> None: ...

    @property
    def stats(self) -> PoolStats: ...


@dataclass
class PoolStats:
    """What the workers reported: peak memory per worker process, chunks done, seconds spent analysing (wall, and
    the workers' processor time meanwhile)."""

    workers: dict[int, WorkerState] = field(default_factory=dict)
    chunks: int = 0
    busy_seconds: float = 0.0
    cpu_seconds: float = 0.0

    def add(self, result: ChunkResult) -> None:
        self.workers[result.worker.pid] = result.worker
        self.chunks += 1
        self.busy_seconds += result.seconds
        self.cpu_seconds += result.cpu_seconds

    @property
    def peak_mb(self) -> float:
        return max((w.peak_mb for w in self.workers.values()), default=0.0)

    @property
    def unique_mb(self) -> float:
        return max((w.unique_mb for w in self.workers.values()), default=0.0)

    @property
    def pss_mb(self) -> float:
        return max((w.pss_mb for w in self.workers.values()), default=0.0)


def chunks(documents: Iterable[T], size: int = CHUNK_SIZE, workers: int = 1) -> Iterator[list[T]]:
    """The documents in chunks of ``size``, the last ones in ever smaller chunks, down to one: a chunk is cut only
    once ``workers`` more chunks' worth are read behind it, so the end of the input is seen in time, and each chunk
    of the tail takes a quarter of what is left per worker (stories differ tenfold in length: with whole chunks to
    the end, a worker done early sat idle while the other ran its last). Not single stories throughout: a story
    alone costs spaCy about a tenth more than in a chunk of 8."""
    ahead: deque[T] = deque()
    for document in documents:
        ahead.append(document)
        if len(ahead) >= size * (workers + 1):
            yield [ahead.popleft() for _ in range(size)]
    while ahead:
        cut = min(size, -(-len(ahead) // (2 * workers)))  # a ceiling: the last chunks hold one story
        yield [ahead.popleft() for _ in range(cut)]


def _in_order(documents: Iterable[Document], submit: Callable[[list[Document]], Any], workers: int,
              stats: PoolStats) -> Iterator[tuple[Document, DocumentAnalysis]]:
    """Submit chunks as results come back, at most ``AHEAD`` chunks' worth of documents per worker pending (counted
    in documents, so that the one-story chunks of the tail can all be out at once: counted in chunks, a worker done
    with its own would wait on the other's oldest); yield the pairs in input order."""
    pending: deque[tuple[Any, int]] = deque()
    budget = workers * AHEAD * CHUNK_SIZE
    out = 0

    def drain(limit: int) -> Iterator[tuple[Document, DocumentAnalysis]]:
        nonlocal out
        while out > limit:
            future, size = pending.popleft()
            result: ChunkResult = future.result()
            out -= size
            stats.add(result)
            yield from result.pairs

    for chunk in chunks(documents, CHUNK_SIZE, workers):
        pending.append((submit(chunk), len(chunk)))
        out += len(chunk)
        yield from drain(budget - CHUNK_SIZE)
    yield from drain(0)


def _start_method(options: AnalyzeOptions) -> str:
    """``fork`` where there is one, after loading the spaCy pipeline, the gazetteer, the alias table and the
    embedding session here: the workers start at once and share those pages (spawned workers import and load
    everything again, seconds each). The session is opened before forking only when it runs on the calling thread
    alone: onnxruntime's intra-op threads would not survive a fork (the workers then open their own). ``spawn``
    elsewhere."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    from ..analyze.embeddings import default_embedder

    load_resources(options, options.embeddings and default_embedder().single_threaded)
    return "fork"


@contextlib.contextmanager
def _sharing_pages() -> Iterator[None]:
    """Around forking: every object this process holds goes to the collector's permanent generation, which a
    child's collections never walk. A collection writes to the header of each object it visits, and the first
    write to a shared page gives the child a copy of it: without this, the children's collections copy the spaCy
    pipeline's and the alias table's pages one by one. This process takes them back once its workers exist.
    Only the young generations are collected first: a full collection walked the whole loaded heap (70-140 ms
    with every core waiting, before any worker existed) and found some 40 objects to free."""
    gc.collect(1)
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class LocalWorkers:
    """``--workers N``: N processes on this machine, each loading the analysis resources once."""

    def __init__(self, workers: int, options: AnalyzeOptions) -> None:
        if workers < 1:
            raise WatchfloorError(f"--workers must be at least 1 (got {workers})")
        self.workers = workers
        self.options = options
        self.stats = PoolStats()
        context = multiprocessing.get_context(_start_method(options))
        self._pool = ProcessPoolExecutor(workers, context, initializer=warm, initargs=(options,))
        # the first submit forks every worker: do it now, while this process runs no thread of ours (forked later,
        # a child could inherit a lock another thread held at that instant, the writer's or an import's, and
        # wait on it forever); the workers then load the embedding model while the input is read
        with _sharing_pages():
            self._warming = [self._pool.submit(warm, options) for _ in range(workers)]

    def analyze(self, documents: Iterable[Document]) -> Iterator[tuple[Document, DocumentAnalysis]]:
        def submit(batch: list[Document]) -> Future[ChunkResult]:
            return self._pool.submit(analyze_chunk, batch, self.options)

        yield from _in_order(documents, submit, self.workers, self.stats)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskWorkers:
    """``--cluster local`` (a ``LocalCluster`` of ``workers`` processes on this machine) or ``--cluster
    tcp://host:8786`` (the workers of an existing scheduler, which need watchfloor and its models installed)."""

    def __init__(self, address: str, options: AnalyzeOptions, workers: int = 2, timeout: str = "10s") -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise DependencyError(f"--cluster needs Dask; install it with: {INSTALL_DASK}") from exc
        self.options = options
        self.stats = PoolStats()
        self._cluster: Any = None
        try:
            if address == "local":
                self._cluster = _local_cluster(LocalCluster, options, workers)
                self._client = Client(self._cluster)
            else:
                self._client = Client(address, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            raise WatchfloorError(f"cannot reach the Dask scheduler at {address}: {exc}; start one with "
                                  f"`dask scheduler` and workers with `dask worker {address}`") from exc
        addresses = list(self._client.scheduler_info().get("workers", {}))
        self.workers = max(1, len(addresses) or workers)
        # every worker loads its resources now, while we read the input (kept: a released future is cancelled)
        self._warming = [self._client.submit(warm, options, workers=[a], allow_other_workers=False, pure=False)
                         for a in addresses]

    def analyze(self, documents: Iterable[Document]) -> Iterator[tuple[Document, DocumentAnalysis]]:
        def submit(batch: list[Document]) -> Any:
            return self._client.submit(analyze_chunk, batch, self.options, pure=False)

        yield from _in_order(documents, submit, self.workers, self.stats)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _local_cluster(make: Any, options: AnalyzeOptions, workers: int) -> Any:
    """A ``LocalCluster`` whose workers are forked from this process (when the system can) with the analysis
    resources already loaded, one thread each.

    Some of Dask's defaults are set aside for this work. The statistical profiler samples every worker thread's
    stack a hundred times a second, and spaCy's stacks are deep: with it the workers used about a tenth more
    processor time per story than ``--workers`` (244–305 ms against 220–243 ms in four runs each, at a load of 5–8),
    without it 226–260 ms. And the nanny writes its ``pre-spawn-environ``
    (``MALLOC_TRIM_THRESHOLD_``, ``OMP_NUM_THREADS``...) into this process's own environment before starting a
    worker: a forked worker never reads it (its allocator and libraries started in the parent), but every
    process this one starts afterwards would; the environment is put back as it was.

    The scheduler and the nannies run on this process's event loop, beside the writer, and their timers cost it
    processor time for every second the run lasts: the event-loop tick (50 a second per server, there to warn of a
    blocked loop), the system monitor (twice a second, for the dashboard, which is off) and the memory monitor (ten
    times a second per worker, to spill, pause or restart a worker near its memory limit; a worker here holds a
    few chunks, 0.3-0.5 GB). Slowed and off, this process used 3.3 and 3.5 s of processor time for an ingest of the
    89 VOA stories against 4.1 and 5.8 s (interleaved runs; ``--workers 2``: 3.1 s)."""
    import dask

    method = _start_method(options)
    settings: dict[str, Any] = {"distributed.worker.multiprocessing-method": method,
                                "distributed.worker.profile.enabled": False,
                                "distributed.admin.tick.interval": "1s",
                                "distributed.admin.system-monitor.interval": "10s"}
    if method == "fork":
        settings["distributed.nanny.pre-spawn-environ"] = {}
    environment = dict(os.environ)
    try:
        # the nannies start their workers inside LocalCluster(), with the settings read from here
        with dask.config.set(settings), _sharing_pages():
            return make(n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None,
                        memory_limit=0, silence_logs=logging.ERROR)
    finally:
        os.environ.clear()
        os.environ.update(environment)


def analyzer_for(options: AnalyzeOptions, workers: int = 0, cluster: str = "") -> LocalWorkers | DaskWorkers | None:
    """The analyzer the settings ask for; None analyses in this process."""
    if cluster:
        return DaskWorkers(cluster, options, workers or (os.cpu_count() or 2))
    if workers:
        return LocalWorkers(workers, options)
    return None
