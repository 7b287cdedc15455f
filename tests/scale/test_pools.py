"""Analysis on worker processes gives what analysis in one process gives, and the writer stays one."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from watchfloor.analyze import AnalyzeOptions
from watchfloor.cli import app
from watchfloor.config import Settings
from watchfloor.errors import WatchfloorError
from watchfloor.pipeline import analyze_options, ingest_paths
from watchfloor.report.export_json import build_export
from watchfloor.scale import DaskWorkers, LocalWorkers, write_behind
from watchfloor.scale.pools import Analyzer, chunks
from watchfloor.store import open_store

#: when a run stored and changed things, which no two runs share
_RUN_TIMES = ("ingested_at", "updated_at")


def _export(samples: Path, location: str, analyzer: Analyzer | None) -> dict[str, Any]:
    settings = Settings(db=location)
    with open_store(location, "create") as store:
        report = ingest_paths([samples], store, settings, analyzer=analyzer)
        assert report.added == 27 and report.ok, report
        export = build_export(store)
    for part in ("documents", "claims", "events"):
        for item in export[part]:
            for key in _RUN_TIMES:
                item.pop(key, None)
    return export


@pytest.mark.slow
def test_workers_and_a_dask_cluster_give_the_export_of_one_process(samples: Path, tmp_path: Path) -> None:
    """Chunks of 8 down to 1 on the workers, batches of 32 in one process: the same ids, stories, claims and
    statuses."""
    options = analyze_options(Settings())
    one = _export(samples, str(tmp_path / "one.db"), None)
    pool = LocalWorkers(2, options)
    try:
        local = _export(samples, str(tmp_path / "local.db"), pool)
    finally:
        pool.close()
    # 27 documents: one chunk of 8 (the 24 read behind it show the end is near), then 19 in chunks of 5, 4, 3, 2, 2,
    # 1, 1, 1
    assert len(pool.stats.workers) == 2 and pool.stats.chunks == 1 + 8
    # what a worker holds alone <= its share of what it maps <= all it maps (the goal: a share under 1 GB)
    assert 0 < pool.stats.unique_mb <= pool.stats.pss_mb <= pool.stats.peak_mb and pool.stats.pss_mb < 1024
    assert pool.stats.cpu_seconds > 0
    cluster = DaskWorkers("local", options, workers=2)
    try:
        # the memory monitor is off (scale/pools.py, _local_cluster): no memory limit for it to watch
        assert [w["memory_limit"] for w in cluster._client.scheduler_info()["workers"].values()] == [0, 0]
        dask = _export(samples, str(tmp_path / "dask.db"), cluster)
    finally:
        cluster.close()
    assert cluster.stats.chunks == 1 + 8
    for name, export in (("--workers 2", local), ("--cluster local", dask)):
        for part in ("documents", "stories", "claims", "events", "entities"):
            assert export[part] == one[part], f"{name}: {part} differ from the one-process run"
    assert {c["status"] for c in one["claims"]} >= {"corroborated", "single_source", "contested"}


def test_the_tail_of_the_input_goes_out_in_ever_smaller_chunks() -> None:
    """Whole chunks while at least one more per worker follows them, then ever smaller ones down to a story; nothing
    lost or moved."""
    sizes = [len(c) for c in chunks(iter(range(100)), 8, 2)]
    assert sizes == [8] * 10 + [5, 4, 3, 2, 2, 1, 1, 1, 1]
    assert [x for c in chunks(iter(range(100)), 8, 2) for x in c] == list(range(100))
    assert [len(c) for c in chunks(iter(range(5)), 8, 2)] == [2, 1, 1, 1]
    assert [len(c) for c in chunks(iter(range(17)), 8, 1)] == [8, 5, 2, 1, 1]


def test_a_worker_loads_its_resources_once(samples: Path) -> None:
    from watchfloor.ingest import IngestOptions, read_paths
    from watchfloor.model import Document

    documents = [d for d in read_paths([samples / "us-confirms-3000-troops-eastgate-wire.txt",
                                        samples / "nis-12000-troops-seoul-signal.txt"], IngestOptions())
                 if isinstance(d, Document)]
    pool = LocalWorkers(1, AnalyzeOptions(embeddings=False))
    try:
        first = list(pool.analyze(documents[:1]))
        second = list(pool.analyze(documents[1:]))
    finally:
        pool.close()
    assert [d.id for d, _ in first + second] == [d.id for d in documents]
    assert all(a.doc_id == d.id and a.sentences for d, a in first + second)
    (worker,) = pool.stats.workers.values()  # one process did both chunks, and loaded once (before the first)
    assert pool.stats.chunks == 2 and worker.load_seconds > 0


def _session_id() -> int:
    from watchfloor.analyze.embeddings import default_embedder

    return id(default_embedder()._session)


def test_forked_workers_embed_with_the_session_opened_before_forking(samples: Path) -> None:
    """The embedding session (one thread: none of its own) is opened once, before forking: the workers use their
    copies of it, and their vectors are bit for bit those made in this process."""
    from watchfloor.analyze import analyze_documents
    from watchfloor.analyze.embeddings import default_embedder
    from watchfloor.ingest import IngestOptions, read_paths
    from watchfloor.model import Document

    documents = [d for d in read_paths([samples], IngestOptions()) if isinstance(d, Document)][:4]
    options = AnalyzeOptions()
    pool = LocalWorkers(2, options)
    try:
        assert default_embedder().single_threaded and default_embedder()._session is not None
        opened_in = {pool._pool.submit(_session_id).result() for _ in range(4)}
        remote = list(pool.analyze(documents))
    finally:
        pool.close()
    assert opened_in == {id(default_embedder()._session)}
    here = list(analyze_documents(documents, options))
    assert [a.embedding for _, a in remote] == [a.embedding for _, a in here] and all(a.embedding for _, a in here)


def test_the_writer_thread_writes_in_order_and_runs_at_most_depth_behind() -> None:
    written: list[int] = []
    produced: list[int] = []
    gate = threading.Event()

    def produce() -> Any:
        for i in range(6):
            produced.append(i)
            yield i

    def handle(batch: int) -> None:
        if batch == 0:
            gate.wait(5)
        written.append(batch)

    thread = threading.Thread(target=write_behind, args=(produce(), handle, 2))
    thread.start()
    time.sleep(0.3)
    assert len(produced) <= 4  # one being written, two waiting, one the producer holds
    gate.set()
    thread.join(10)
    assert written == list(range(6))


def test_an_error_on_either_side_stops_both_and_is_raised() -> None:
    written: list[int] = []

    def failing_writer(batch: int) -> None:
        if batch == 2:
            raise WatchfloorError("disk full")
        written.append(batch)

    with pytest.raises(WatchfloorError, match="disk full"):
        write_behind(iter(range(100)), failing_writer)
    assert written == [0, 1]

    def failing_producer() -> Any:
        yield 0
        yield 1
        raise ValueError("bad input")

    written.clear()
    with pytest.raises(ValueError, match="bad input"):
        write_behind(failing_producer(), written.append)
    assert written == [0, 1]  # what was handed over is still written


def test_bad_scale_options_are_one_line_errors(tmp_path: Path, samples: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(samples), "--workers", "-1", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "--workers must be at least 1" in result.output
    with pytest.raises(WatchfloorError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskWorkers("tcp://127.0.0.1:9", AnalyzeOptions(), timeout="2s")



def test_a_short_name_goes_to_the_first_full_name_in_every_process() -> None:
    """Workers on other machines hash strings with other seeds: which of two full names as long a surname joins
    must not follow a set's order (it did, and runs disagreed)."""
    from watchfloor.analyze.entities import _person_canonical

    assert _person_canonical(["Mara Venn", "Venn Oska", "Venn"])["Venn"] == "Mara Venn"
    assert _person_canonical(["Venn Oska", "Mara Venn", "Venn"])["Venn"] == "Venn Oska"
