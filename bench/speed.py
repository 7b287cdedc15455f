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
import os, sys, time
from pathlib import Path
import watchfloor.pipeline as pipeline
from watchfloor.cli import main
from watchfloor.model import Document


def ready(paths, store, settings, progress=None, tlp=None, analyzer=None):
    from watchfloor.analyze.gazetteer import gazetteer
    from watchfloor.analyze.geo.gazetteer import geo_gazetteer
    from watchfloor.analyze.nlp import load_nlp
    from watchfloor.ingest import IngestOptions, read_paths

    next(d for d in read_paths(paths, IngestOptions(settings.max_file_mb)) if isinstance(d, Document))
    load_nlp(settings.spacy_model); geo_gazetteer(); gazetteer()
    print(time.perf_counter(), flush=True)
    from watchfloor.analyze.embeddings import default_embedder
    start = time.perf_counter(); default_embedder().load(); print(time.perf_counter() - start, flush=True)
    os._exit(0)


pipeline.ingest_paths = ready  # the command looks it up when it runs
sys.argv = ["watchfloor", "ingest", sys.argv[1], "--db", sys.argv[2]]
main()
"""


def write_bytecode() -> None:
    """Compile watchfloor's modules to bytecode beside their sources, as installing a wheel does. An editable
    install (``make run``) leaves it to the first import to write it, and none is written where
    ``PYTHONDONTWRITEBYTECODE`` is set (this machine's shells set it): every launch then compiles every module of
    the package from its source again, 0.15–0.2 s of processor time that no installed copy pays. Stale files are
    harmless: Python checks each against its source's time and size, and compiles a changed one anew."""
    import compileall

    import watchfloor

    compileall.compile_dir(str(Path(watchfloor.__file__).parent), quiet=1)


def startup_seconds(path: Path) -> tuple[float, float]:
    """Wall seconds from launching Python to ready to analyse, through the real command: ``watchfloor ingest
    PATH --db NEW`` parses its options, imports what it imports, opens (creates) the store and, where it would start
    analysing, this probe reads the first document and loads every resource the analysis of it loads: the spaCy
    pipeline, the mapped gazetteer and the alias table. Then the seconds the embedding model takes to load after that
    (one process loads it on the writer thread while the first batch is parsed; a worker, before its first)."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _READY, str(path), str(Path(tmp) / "startup.db")], check=True,
                              capture_output=True, text=True)
    ready, embedder = (float(x) for x in done.stdout.split())
    return ready - start, embedder


def one_story_seconds(path: Path) -> float:
    """Wall seconds of the whole command on one story, launch to exit: ``watchfloor ingest ONE --db NEW`` (start-up,
    the analysis with its embeddings, the write and the link step of one document)."""
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.jsonl"
        with path.open(encoding="utf-8") as source:
            one.write_text(source.readline(), encoding="utf-8")
        command = Path(sys.executable).with_name("watchfloor")
        start = time.perf_counter()
        subprocess.run([str(command), "ingest", str(one), "--db", str(Path(tmp) / "one.db")], check=True,
                       capture_output=True)
        return time.perf_counter() - start


_WORKER = """
import sys
from pathlib import Path
from watchfloor.analyze import AnalyzeOptions
from watchfloor.ingest import read_file
from watchfloor.model import Document
from watchfloor.scale.worker import CHUNK_SIZE, analyze_chunk
docs = [d for d in read_file(Path(sys.argv[1])) if isinstance(d, Document)]
for i in range(0, len(docs), CHUNK_SIZE):
    state = analyze_chunk(docs[i : i + CHUNK_SIZE], AnalyzeOptions()).worker
print(state.peak_mb, state.pss_mb, state.unique_mb)
"""


def standalone_worker_mb(path: Path) -> tuple[float, float, float]:
    """Peak MB (at the end of a chunk; resident, proportional, unique) of one worker process on its own, as a Dask
    worker on a machine of its own holds it, analysing every story in chunks. Not ``ru_maxrss``: Linux carries the
    parent's high-water mark over fork and exec, so a probe started from this (large) process would report this
    process's."""
    done = subprocess.run([sys.executable, "-c", _WORKER, str(path)], check=True, capture_output=True, text=True)
    rss, pss, unique = (float(x) for x in done.stdout.split()[-3:])
    return rss, pss, unique


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


def dask_import_seconds() -> float:
    """Seconds ``import distributed`` adds to a fresh process (best of three): ``--cluster local`` pays them on
    top of the cluster's start-up, which the Dask runs below time without them (imported once beforehand, so that
    the first repeat does not carry them and the others not)."""
    code = "import time, watchfloor.scale; t = time.perf_counter(); import distributed; print(time.perf_counter() - t)"
    return min(float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                    text=True).stdout.split()[-1]) for _ in range(3))


#: the parts of the bench, each a set of rows; ``--only`` runs some and keeps the other rows of the results
PARTS = ("throughput", "dask", "startup", "writer")
#: what each part's rows are named by, for replacing them in a partial run
_PART_ROWS = {"dask": ("Dask LocalCluster", "peak memory", "worker processor"), "startup": ("start-up",)}


def main() -> None:
    parser = data_argument(__doc__ or "")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repeats of every side")
    parser.add_argument("--no-postgres", action="store_true", help="measure the writer on SQLite only")
    parser.add_argument("--only", action="append", choices=("dask", "startup"),
                        help="measure only these rows (dask: Dask LocalCluster vs --workers 2 and the workers' "
                             "memory; startup: the command's start-up) and replace them in the results file")
    args = parser.parse_args()
    parts = set(args.only or PARTS)
    path = require(args.data / "voa_news" / "voa_stories.jsonl")
    documents = [d for d in read_file(path) if isinstance(d, Document)]
    texts = [d.text for d in documents]
    words = sum(len(t.split()) for t in texts)
    load = os.getloadavg()
    options = analyze_options(Settings())
    sides = [s for s, part in (("bare1", "throughput"), ("ours1", "throughput"), ("bare2", "throughput"),
                               ("workers2", "throughput"), ("workers2", "dask"), ("dask2", "dask")) if part in parts]
    sides = list(dict.fromkeys(sides))
    nlp = None
    if "throughput" in parts:
        nlp = spacy.load(next(n for n in DEFAULT_MODELS if spacy.util.is_package(n)))  # bare: no component of ours
        list(nlp.pipe(texts[:5]))

    def bare(processes: int) -> float:
        assert nlp is not None
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=32, n_process=processes):
            pass
        return time.perf_counter() - start

    makers: dict[str, Callable[[], Analyzer | None]] = {
        "ours1": lambda: None, "workers2": lambda: LocalWorkers(2, options),
        "dask2": lambda: DaskWorkers("local", options, workers=2)}
    extra: dict[str, Any] = {}
    if "throughput" in parts:
        load_nlp()
        _whole(path, lambda: None)  # the first run builds the caches a user's first ingest builds once too
    if "dask" in parts:
        extra["dask_import_seconds"] = dask_import_seconds()
        import distributed  # noqa: F401 - see dask_import_seconds
    runs: dict[str, list[float]] = {k: [] for k in sides}
    memory: dict[str, list[float]] = {}  # "workers2 rss" ...: the peak of every run
    cpu: dict[str, list[float]] = {"workers2": [], "dask2": []}  # the workers' processor seconds per story, per run
    busy: list[float] = []  # seconds the workers spent analysing, over all chunks of a run
    startup: list[float] = []
    embedder: list[float] = []
    whole_one: list[float] = []
    if "startup" in parts:
        write_bytecode()  # the start-up of an installed copy, not of one compiling its sources at every launch
    for repeat in range(args.repeat):
        for side in sides:
            if side.startswith("bare"):
                runs[side].append(bare(int(side[-1])))
                continue
            seconds, analyzer = _whole(path, makers[side])
            runs[side].append(seconds)
            if analyzer is not None:
                stats = analyzer.stats
                for measure, value in (("rss", stats.peak_mb), ("pss", stats.pss_mb), ("unique", stats.unique_mb)):
                    memory.setdefault(f"{side} {measure}", []).append(value)
                cpu[side].append(stats.cpu_seconds / len(texts))
                if side == "workers2":
                    busy.append(stats.busy_seconds)
        if "startup" in parts:
            ready, embedder_load = startup_seconds(path)
            startup.append(ready)
            embedder.append(embedder_load)
            whole_one.append(one_story_seconds(path))
        print(f"repeat {repeat + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in runs.items())
              + (f", start-up {startup[-1]:.2f} s, one story {whole_one[-1]:.2f} s" if startup else ""), flush=True)

    if "dask" in parts:
        for measure, value in zip(("rss", "pss", "unique"), standalone_worker_mb(path), strict=True):
            memory[f"standalone {measure}"] = [value]
    writer: dict[str, Any] = {}
    if "writer" in parts:
        pairs = list(analyze_documents(documents, replace(options, batch_size=32)))
        writer = writer_ceiling(pairs, postgres=not args.no_postgres)
    rows = _rows(runs, memory, cpu, writer, len(texts), words)
    rows += _startup_rows(startup, embedder, whole_one, extra)
    if "throughput" in parts and "writer" in parts:
        rows += model_rows(writer, len(texts), min(busy))
    print_rows(f"ingest speed, {words} words, {len(texts)} stories, {args.repeat} interleaved repeats; load average "
               f"{load[0]:.1f} at the start", rows)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "speed.json"
    previous = json.loads(out.read_text()) if out.exists() else {}
    history = previous.get("history", [])
    history.append({"date": time.strftime("%Y-%m-%d %H:%M"), "load_average": load, "repeats": args.repeat,
                    "parts": sorted(parts), **{r["metric"]: [r["min"], r["max"]] for r in rows if "min" in r}})
    figures: dict[str, Any] = {
        "seconds": runs, "startup_seconds": startup, "embedder_load_seconds": embedder,
        "one_story_seconds": whole_one, "worker_busy_seconds": busy, "worker_cpu_seconds_per_story": cpu,
        "worker_memory_mb": memory, "writer": writer, **extra}
    if args.only:  # a partial run: its rows and figures replace their earlier ones, the rest is kept
        prefixes = tuple(p for part in parts for p in _PART_ROWS[part])
        kept = [r for r in previous.get("rows", []) if not str(r.get("metric", "")).startswith(prefixes)]
        rows = kept + rows
        merged = {k: v for k, v in previous.items() if k not in {"rows", "history"}}
        for key, value in figures.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            elif value:
                merged[key] = value
        figures = merged
    else:
        figures.update({"words": words, "stories": len(texts), "repeats": args.repeat, "load_average": load})
    out.write_text(json.dumps({"rows": rows, "history": history, **figures}, indent=1) + "\n")


def _row(metric: str, ours: float, base: float, base_name: str, **extra: Any) -> dict[str, Any]:
    return {"task": "speed", "dataset": DATASET, "metric": metric, "watchfloor": ours, "baseline": base,
            "baseline_name": base_name, "kind": "measured", **extra}


def _rows(runs: dict[str, list[float]], memory: dict[str, list[float]], cpu: dict[str, list[float]],
          writer: dict[str, Any], stories: int, words: int) -> list[dict[str, Any]]:
    """The measured rows of the sides that ran: best run of each side (and its rate), each ratio's min and max
    over the repeats, and the workers' memory."""
    best = {k: min(v) for k, v in runs.items()}

    def ratio(ours: str, base: str) -> list[float]:
        return [b / o for o, b in zip(runs[ours], runs[base], strict=True)]

    row = _row
    rows: list[dict[str, Any]] = []
    if "ours1" in runs:
        r1, r2 = ratio("ours1", "bare1"), ratio("workers2", "bare2")
        rows += [
            row("1 process: stories/s (best run)", stories / best["ours1"], stories / best["bare1"],
                BARE + ", 1 process"),
            row("1 process: words/s (best run)", words / best["ours1"], words / best["bare1"], BARE + ", 1 process"),
            row("1 process: throughput ratio, whole ingest / bare (min of repeats)", min(r1), 1.0,
                BARE + ", 1 process", **_spread(r1)),
            row("--workers 2: stories/s (best run)", stories / best["workers2"], stories / best["bare2"],
                BARE + ", n_process=2"),
            row("--workers 2: throughput ratio / bare n_process=2 (min of repeats)", min(r2), 1.0,
                BARE + ", n_process=2", **_spread(r2)),
        ]
    if "dask2" in runs:
        r3 = ratio("dask2", "workers2")
        rows += [
            row("Dask LocalCluster 2 workers: stories/s (best run)", stories / best["dask2"],
                stories / best["workers2"], "--workers 2"),
            row("Dask LocalCluster 2 workers: throughput ratio / --workers 2 (min of repeats)", min(r3), 1.0,
                "--workers 2", **_spread(r3), best_runs=best["workers2"] / best["dask2"]),
            row("worker processor ms per story, Dask LocalCluster vs --workers 2 (best run)",
                1000 * min(cpu["dask2"]), 1000 * min(cpu["workers2"]), "--workers 2",
                **{k: 1000 * v for k, v in _spread(cpu["dask2"]).items()}),
        ]
    goal = "goal: at most 1 GB"
    for side, name in (("standalone", "a worker process on its own"), ("workers2", "a forked worker (--workers 2)"),
                       ("dask2", "a forked worker (Dask LocalCluster)")):
        if f"{side} pss" in memory:
            pss, rss, unique = (max(memory[f"{side} {m}"]) for m in ("pss", "rss", "unique"))
            rows.append(row(f"peak memory of {name}, MB proportional (PSS; resident and unique alongside)", pss,
                            1024.0, goal, rss_mb=rss, unique_mb=unique))
    for engine, figures in writer.items():
        if isinstance(figures, dict) and "documents_per_s" in figures:
            rows.append(row(f"single writer ceiling, {engine}: documents/s stored and linked (analyses made "
                            f"beforehand)", figures["documents_per_s"], 0.0, "", insert_share=figures["insert_share"]))
    return rows


def _startup_rows(startup: list[float], embedder: list[float], whole_one: list[float],
                  extra: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if startup:
        rows += [
            _row("start-up: seconds from launch to ready to analyse (best run)", min(startup), 1.5,
                 "goal: under 1.5 s", **_spread(startup)),
            _row("start-up: seconds to load the embedding model after that (best run)", min(embedder), 0.0, "",
                 **_spread(embedder)),
            _row("start-up: whole `watchfloor ingest` of one story, launch to exit, seconds (best run)",
                 min(whole_one), 0.0, "", **_spread(whole_one)),
        ]
    if "dask_import_seconds" in extra:
        rows.append(_row("start-up: seconds `import distributed` adds to --cluster local (best of 3)",
                         extra["dask_import_seconds"], 0.0, ""))
    return rows


if __name__ == "__main__":
    main()
