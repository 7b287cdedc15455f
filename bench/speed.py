"""Ingest throughput on the VOA stories, side by side in one run, repeats interleaved.

Measured (each repeat runs every side once, in turn, so a slow or fast spell of the machine falls on all alike):
- whole ingest, one process (read, clean, analyse, embed, store, link a batch per transaction, as ``watchfloor
  ingest`` does) vs bare spaCy ``nlp.pipe`` (same model, texts and batch size);
- ``--workers 2`` vs bare spaCy ``n_process=2``; a Dask ``LocalCluster`` of 2 workers vs ``--workers 2`` (pool and
  cluster start-up inside the timing, as on the command line);
- peak memory per worker process; the start-up of the command (imports and every analysis resource loaded);
- the single writer's ceiling: documents/s it stores and links with the analyses made beforehand, on SQLite and
  on PostgreSQL (a server started the way the tests start theirs), with the share of its time spent inserting.

Modelled, from those measured costs (``bench/speed_model.py``): throughput for 2 to 128 workers on a cluster, where
the writer becomes the limit, and what 1 M articles a day and GDELT's volume need.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import spacy

from watchfloor.analyze import analyze_documents
from watchfloor.analyze.nlp import DEFAULT_MODELS, load_nlp
from watchfloor.config import Settings
from watchfloor.ingest import read_file
from watchfloor.model import Document
from watchfloor.pipeline import analyze_options, ingest_documents
from watchfloor.scale import DaskWorkers, LocalWorkers
from watchfloor.scale.pools import Analyzer
from watchfloor.store import open_store

from .common import RESULTS, data_argument, print_rows, require
from .speed_model import model_rows, writer_ceiling

DATASET = "voa_news (89 stories)"
BARE = "bare spaCy nlp.pipe (same model, texts, batch size)"

_READY = """
import sys, time
from watchfloor.cli import app
from watchfloor.pipeline import ingest_documents
from watchfloor.analyze.gazetteer import gazetteer
from watchfloor.analyze.geo.gazetteer import geo_gazetteer
from watchfloor.analyze.nlp import load_nlp
load_nlp(); geo_gazetteer(); gazetteer()
print(time.perf_counter(), flush=True)
from watchfloor.analyze.embeddings import default_embedder
start = time.perf_counter(); default_embedder().load(); print(time.perf_counter() - start)
"""


def startup_seconds() -> tuple[float, float]:
    """Wall seconds from launching Python to ready to analyse (the command's modules imported, the spaCy pipeline
    loaded, the gazetteer mapped, the alias table read), and the seconds the embedding model then takes to load
    (one process loads it on the writer thread while the first batch is parsed; a worker, before its first)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _READY], check=True, capture_output=True, text=True)
    ready, embedder = (float(x) for x in done.stdout.split())
    return ready - start, embedder


_WORKER = """
import sys
from pathlib import Path
from watchfloor.analyze import AnalyzeOptions
from watchfloor.ingest import read_file
from watchfloor.model import Document
from watchfloor.scale.worker import CHUNK_SIZE, analyze_chunk
docs = [d for d in read_file(Path(sys.argv[1])) if isinstance(d, Document)]
peak = max(analyze_chunk(docs[i : i + CHUNK_SIZE], AnalyzeOptions()).worker.peak_mb
           for i in range(0, len(docs), CHUNK_SIZE))
print(peak)
"""


def standalone_worker_mb(path: Path) -> float:
    """Peak resident MB (at the end of a chunk) of one worker process on its own, as a Dask worker on a machine of
    its own holds it, analysing every story in chunks. Not ``ru_maxrss``: Linux carries the parent's high-water mark
    over fork and exec, so a probe started from this (large) process would report this process's."""
    done = subprocess.run([sys.executable, "-c", _WORKER, str(path)], check=True, capture_output=True, text=True)
    return float(done.stdout.split()[-1])


def _whole(path: Path, make: Callable[[], Analyzer | None]) -> tuple[float, Analyzer | None]:
    """Seconds to read, analyse, store and link the stories into a new store; analyzer start-up and shut-down
    included."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db=str(Path(tmp) / "speed.db"))
        with open_store(settings.db, "create") as store:
            start = time.perf_counter()
            analyzer = make()
            try:
                report = ingest_documents(read_file(path), store, settings, analyzer=analyzer)
            finally:
                if analyzer is not None:
                    analyzer.close()
            elapsed = time.perf_counter() - start
            assert report.added == 89 and report.ok, report
    return elapsed, analyzer


def _spread(values: list[float]) -> dict[str, float]:
    return {"min": min(values), "max": max(values)}


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repeats of every side")
    parser.add_argument("--no-postgres", action="store_true", help="measure the writer on SQLite only")
    args = parser.parse_args()
    path = require(args.data / "voa_news" / "voa_stories.jsonl")
    documents = [d for d in read_file(path) if isinstance(d, Document)]
    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    load = os.getloadavg()
    options = analyze_options(Settings())
    nlp = spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))  # bare: no component of ours
    load_nlp()
    list(nlp.pipe(texts[:5]))

    def bare(processes: int) -> float:
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32, n_process=processes):
            pass
        return time.perf_counter() - start

    _whole(path, lambda: None)  # the first run builds the caches a user's first ingest builds once too
    runs: dict[str, list[float]] = {k: [] for k in ("bare1", "ours1", "bare2", "workers2", "dask2")}
    peaks: dict[str, float] = {"workers2": 0.0, "dask2": 0.0, "workers2 unique": 0.0, "dask2 unique": 0.0}
    busy: list[float] = []  # seconds the workers spent analysing, over all chunks of a run
    startup: list[float] = []
    embedder: list[float] = []
    for repeat in range(args.repeat):
        runs["bare1"].append(bare(1))
        runs["ours1"].append(_whole(path, lambda: None)[0])
        runs["bare2"].append(bare(2))
        seconds, pool = _whole(path, lambda: LocalWorkers(2, options))
        runs["workers2"].append(seconds)
        peaks["workers2"] = max(peaks["workers2"], pool.stats.peak_mb if pool else 0.0)
        peaks["workers2 unique"] = max(peaks["workers2 unique"], pool.stats.unique_mb if pool else 0.0)
        busy.append(pool.stats.busy_seconds if pool else 0.0)
        seconds, cluster = _whole(path, lambda: DaskWorkers("local", options, workers=2))
        runs["dask2"].append(seconds)
        peaks["dask2"] = max(peaks["dask2"], cluster.stats.peak_mb if cluster else 0.0)
        peaks["dask2 unique"] = max(peaks["dask2 unique"], cluster.stats.unique_mb if cluster else 0.0)
        ready, embedder_load = startup_seconds()
        startup.append(ready)
        embedder.append(embedder_load)
        print(f"repeat {repeat + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in runs.items())
              + f", start-up {startup[-1]:.2f} s", flush=True)

    worker_mb = standalone_worker_mb(path)
    pairs = list(analyze_documents(documents, replace(options, batch_size=32)))
    writer = writer_ceiling(pairs, postgres=not args.no_postgres)
    peaks["standalone"] = worker_mb
    rows = _rows(runs, peaks, startup, embedder, writer, len(texts), words)
    rows += model_rows(writer, len(texts), min(busy))
    print_rows(f"ingest speed, {words} words, {len(texts)} stories, {args.repeat} interleaved repeats; load average "
               f"{load[0]:.1f} at the start", rows)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "speed.json"
    history = json.loads(out.read_text()).get("history", []) if out.exists() else []
    history.append({"date": time.strftime("%Y-%m-%d %H:%M"), "load_average": load, "repeats": args.repeat,
                    **{r["metric"]: [r["min"], r["max"]] for r in rows if "min" in r}})
    out.write_text(json.dumps({
        "rows": rows, "history": history, "words": words, "stories": len(texts), "repeats": args.repeat,
        "load_average": load,
        "seconds": runs, "startup_seconds": startup, "embedder_load_seconds": embedder, "worker_busy_seconds": busy, "writer": writer}, indent=1) + "\n")


def _rows(runs: dict[str, list[float]], peaks: dict[str, float], startup: list[float], embedder: list[float],
          writer: dict[str, Any], stories: int, words: int) -> list[dict[str, Any]]:
    """The measured rows: best run of each side (and its rate), and each ratio's min and max over the repeats."""
    best = {k: min(v) for k, v in runs.items()}

    def ratio(ours: str, base: str) -> list[float]:
        return [b / o for o, b in zip(runs[ours], runs[base], strict=True)]

    def row(metric: str, ours: float, base: float, base_name: str, **extra: Any) -> dict[str, Any]:
        return {"task": "speed", "dataset": DATASET, "metric": metric, "watchfloor": ours, "baseline": base,
                "baseline_name": base_name, "kind": "measured", **extra}

    r1, r2, r3 = ratio("ours1", "bare1"), ratio("workers2", "bare2"), ratio("dask2", "workers2")
    return [
        row("1 process: stories/s (best run)", stories / best["ours1"], stories / best["bare1"], BARE + ", 1 process"),
        row("1 process: words/s (best run)", words / best["ours1"], words / best["bare1"], BARE + ", 1 process"),
        row("1 process: throughput ratio, whole ingest / bare (min of repeats)", min(r1), 1.0,
            BARE + ", 1 process", **_spread(r1)),
        row("--workers 2: stories/s (best run)", stories / best["workers2"], stories / best["bare2"],
            BARE + ", n_process=2"),
        row("--workers 2: throughput ratio / bare n_process=2 (min of repeats)", min(r2), 1.0,
            BARE + ", n_process=2", **_spread(r2)),
        row("Dask LocalCluster 2 workers: stories/s (best run)", stories / best["dask2"], stories / best["workers2"],
            "--workers 2"),
        row("Dask LocalCluster 2 workers: throughput ratio / --workers 2 (min of repeats)", min(r3), 1.0,
            "--workers 2", **_spread(r3)),
        row("peak memory of a worker process on its own, MB resident", peaks["standalone"], 1024.0,
            "goal: at most 1 GB"),
        row("peak memory per forked worker, MB resident incl. pages shared with the parent (--workers 2)",
            peaks["workers2"], 1024.0, "goal: at most 1 GB",
            unique_mb=peaks["workers2 unique"]),
        row("peak memory per forked worker, MB resident incl. pages shared with the parent (Dask LocalCluster)",
            peaks["dask2"], 1024.0, "goal: at most 1 GB",
            unique_mb=peaks["dask2 unique"]),
        row("start-up: seconds from launch to ready to analyse (best run)", min(startup), 1.5, "goal: under 1.5 s",
            **_spread(startup)),
        row("start-up: seconds to load the embedding model after that (best run)", min(embedder), 0.0, "",
            **_spread(embedder)),
        *(row(f"single writer ceiling, {engine}: documents/s stored and linked (analyses made beforehand)",
              figures["documents_per_s"], 0.0, "", insert_share=figures["insert_share"])
          for engine, figures in writer.items() if isinstance(figures, dict) and "documents_per_s" in figures),
    ]


if __name__ == "__main__":
    main()
