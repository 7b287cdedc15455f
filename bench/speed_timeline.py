"""Where the cores of ``--workers 2`` sit idle on the VOA stories: each process's busy intervals, in one run.

The workers' intervals are their chunks (analysis, embeddings and the pickling of the result included), the
ingesting process's are its batch writes; both are taken from wrappers installed before the workers fork, so the
children inherit them. Printed: when each worker started its first chunk (the start: forking, loading, reading
the first chunks' worth of input), the gaps between its chunks, when each finished its last, and each batch write
(start, length, its thread's processor time) — the last one runs with every worker idle. Then the idle
core-seconds of the run: cores × wall minus the processor time every process used. Take the shares, not the
seconds, when the machine is shared; hold the bench lock while it runs.

    python -m bench.speed_timeline --data ../shared/data [--repeat 2]
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
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


def _timed_write(original: Callable[..., Any], writes: list[tuple[int, float, float, float]]) -> Callable[..., Any]:
    def timed(store: Any, batch: list[Any], settings: Any, report: Any) -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        original(store, batch, settings, report)
        writes.append((len(batch), start - _T0[0], time.perf_counter() - start, time.thread_time() - cpu))
    return timed


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(path: Path, workers: int) -> None:
    writes: list[tuple[int, float, float, float]] = []
    original_write = pipeline.write_batch
    pipeline.write_batch = _timed_write(original_write, writes)  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            _LOG[0] = tmp
            settings = Settings(db=str(Path(tmp) / "timeline.db"))
            with open_store(settings.db, "create") as store:
                children, cpu = _children_cpu(), time.process_time()
                _T0[0] = time.perf_counter()
                analyzer = LocalWorkers(workers, pipeline.analyze_options(settings))
                try:
                    pipeline.ingest_documents(read_file(path), store, settings, analyzer=analyzer)
                finally:
                    analyzer.close()
                wall = time.perf_counter() - _T0[0]
                main_cpu, workers_cpu = time.process_time() - cpu, _children_cpu() - children
            chunks = {int(f.stem): [json.loads(line) for line in f.read_text().splitlines()]
                      for f in Path(tmp).glob("*.jsonl")}
    finally:
        pipeline.write_batch = original_write  # type: ignore[assignment]
    print(f"wall {wall:.2f} s; processor time: ingesting process {main_cpu:.2f} s, workers {workers_cpu:.2f} s; "
          f"idle core-seconds {workers * wall - main_cpu - workers_cpu:.2f} of {workers * wall:.2f}")
    for pid, rows in sorted(chunks.items()):
        gaps = [b[1] - a[2] for a, b in zip(rows, rows[1:], strict=False)]
        print(f"  worker {pid}: {len(rows)} chunks, {sum(r[0] for r in rows)} stories, first chunk from "
              f"{rows[0][1]:.2f} s, last done at {rows[-1][2]:.2f} s, waiting between chunks {sum(gaps):.2f} s")
    for size, start, seconds, cpu_seconds in writes:
        print(f"  write of {size}: from {start:.2f} s for {seconds:.2f} s ({cpu_seconds:.2f} s of its thread's "
              f"processor time)")


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
