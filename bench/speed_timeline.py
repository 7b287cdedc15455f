"""Where the cores of ``--workers 2`` sit idle on the VOA stories: each process's busy intervals, in one run.

The workers' intervals are their chunks (analysis, embeddings and the pickling of the result included), the
ingesting process's are its batch writes; both are taken from wrappers installed before the workers fork, so the
children inherit them. Printed: when each worker started its first chunk (the start: forking, loading, reading
the first chunks' worth of input), the gaps between its chunks, when each finished its last, and each batch write
(start, length, its thread's processor time) — the last one runs with every worker idle. Then the idle
core-seconds of the run: cores × wall minus the processor time every process used. Take the shares, not the
seconds, when the machine is shared; hold the bench lock while it runs.

``--workers 0`` times one process instead: for each batch write on the writer thread, how much processor time
the parsing (main) thread got meanwhile, read from its own clock, against its rate over the rest of the run (the
GIL makes the two threads take turns wherever both run Python).

    python -m bench.speed_timeline --data ../shared/data [--repeat 2] [--workers 0]
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from watchfloor import pipeline
from watchfloor.analyze.embeddings import default_embedder
from watchfloor.analyze.nlp import load_nlp
from watchfloor.config import Settings
from watchfloor.ingest import read_file
from watchfloor.scale import LocalWorkers, pools, worker
from watchfloor.store import open_store

from .common import data_argument, require

_T0 = [0.0]  # the run's start, perf_counter (one clock for every process of the machine)
_LOG = [""]  # the folder the workers append their intervals to, a file each


_CHUNK = [worker.analyze_chunk]  # the real one; the pool is given the top-level wrapper below (pickled by name)


def timed_chunk(documents: Sequence[Any], options: Any) -> Any:
    """``analyze_chunk``, its interval appended to this worker's file."""
    start = time.perf_counter()
    result = _CHUNK[0](documents, options)
    with open(Path(_LOG[0]) / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps([len(documents), start - _T0[0], time.perf_counter() - _T0[0]]) + "\n")
    return result


Write = tuple[int, float, float, float, float]  # size, start, seconds, its thread's and the main thread's cpu


def _main_cpu() -> float:
    return time.clock_gettime(time.pthread_getcpuclockid(threading.main_thread().ident or 0))


def _timed_write(original: Callable[..., Any], writes: list[Write]) -> Callable[..., Any]:
    def timed(store: Any, batch: list[Any], settings: Any, report: Any) -> None:
        start, cpu, main = time.perf_counter(), time.thread_time(), _main_cpu()
        original(store, batch, settings, report)
        writes.append((len(batch), start - _T0[0], time.perf_counter() - start, time.thread_time() - cpu,
                       _main_cpu() - main if threading.current_thread() is not threading.main_thread() else -1.0))
    return timed


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(path: Path, workers: int) -> None:
    writes: list[Write] = []
    original_write = pipeline.write_batch
    pipeline.write_batch = _timed_write(original_write, writes)  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            _LOG[0] = tmp
            settings = Settings(db=str(Path(tmp) / "timeline.db"))
            with open_store(settings.db, "create") as store:
                children, cpu, parse = _children_cpu(), time.process_time(), _main_cpu()
                _T0[0] = time.perf_counter()
                analyzer = LocalWorkers(workers, pipeline.analyze_options(settings)) if workers else None
                try:
                    pipeline.ingest_documents(read_file(path), store, settings, analyzer=analyzer)
                finally:
                    if analyzer is not None:
                        analyzer.close()
                wall = time.perf_counter() - _T0[0]
                main_cpu, workers_cpu = time.process_time() - cpu, _children_cpu() - children
                parse_cpu = _main_cpu() - parse
            chunks = {int(f.stem): [json.loads(line) for line in f.read_text().splitlines()]
                      for f in Path(tmp).glob("*.jsonl")}
    finally:
        pipeline.write_batch = original_write  # type: ignore[assignment]
    cores = workers or os.cpu_count() or 1  # one process: its two threads on the machine's cores
    print(f"wall {wall:.2f} s; processor time: ingesting process {main_cpu:.2f} s, workers {workers_cpu:.2f} s; "
          f"idle core-seconds {cores * wall - main_cpu - workers_cpu:.2f} of {cores * wall:.2f}")
    for pid, rows in sorted(chunks.items()):
        gaps = [b[1] - a[2] for a, b in zip(rows, rows[1:], strict=False)]
        print(f"  worker {pid}: {len(rows)} chunks, {sum(r[0] for r in rows)} stories, first chunk from "
              f"{rows[0][1]:.2f} s, last done at {rows[-1][2]:.2f} s, waiting between chunks {sum(gaps):.2f} s")
    for size, start, seconds, cpu_seconds, _ in writes:
        print(f"  write of {size}: from {start:.2f} s for {seconds:.2f} s ({cpu_seconds:.2f} s of its thread's "
              f"processor time)")
    threaded = [w for w in writes if w[4] >= 0]
    if not workers and threaded:
        during, beside = sum(w[2] for w in threaded), sum(w[4] for w in threaded)
        print(f"  the parsing thread: {beside:.2f} s of processor time in the {during:.2f} s of threaded writes "
              f"({beside / during:.2f} a second), {(parse_cpu - beside) / (wall - during):.2f} a second the rest "
              f"of the run")


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--repeat", type=int, default=1, help="runs, one after the other")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    path = require(args.data / "voa_news" / "voa_stories.jsonl")
    load_nlp()
    default_embedder().load()  # as in bench.speed, where a one-process run has loaded it before the workers fork
    pools.analyze_chunk = timed_chunk  # type: ignore[attr-defined]  # what the pool submits
    for _ in range(args.repeat):
        one_run(path, args.workers)


if __name__ == "__main__":
    main()
